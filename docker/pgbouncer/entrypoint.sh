#!/bin/sh
# Writes PgBouncer's configuration from the environment, then runs it in the foreground.
#   POSTGRES_HOST, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD  the database it pools into
#   PGBOUNCER_POOL_SIZE       server connections per database and user (default 20)
#   PGBOUNCER_MAX_CLIENT_CONN clients it accepts: every web thread and Celery process holds one
set -eu
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
db="${POSTGRES_DB:-reelearn}"
user="${POSTGRES_USER:-reelearn}"
dir=/tmp/pgbouncer
mkdir -p "$dir"
umask 077
# userlist.txt: "user" "password", a double quote inside doubled.
quote() { printf '"%s"' "$(printf '%s' "$1" | sed 's/"/""/g')"; }
printf '%s %s\n' "$(quote "$user")" "$(quote "$POSTGRES_PASSWORD")" > "$dir/userlist.txt"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
$db = host=${POSTGRES_HOST:-postgres} port=${POSTGRES_PORT:-5432} dbname=$db

[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
; A server connection serves one transaction at a time, then goes back to the pool: REElearn
; runs with REELEARN_PGBOUNCER=true (no prepared statements, no cursors held between fetches).
pool_mode = transaction
default_pool_size = ${PGBOUNCER_POOL_SIZE:-20}
max_client_conn = ${PGBOUNCER_MAX_CLIENT_CONN:-1000}
; A server session idle this long is closed; PgBouncer checks one before reusing it.
server_idle_timeout = 600
server_check_delay = 30
ignore_startup_parameters = extra_float_digits
INI
exec pgbouncer "$dir/pgbouncer.ini"
