"""URL converters shared by every app's URLconf."""

from __future__ import annotations

# Ids are 64-bit: 18 digits always fit. A longer run of digits names nothing, so it is a 404 at
# the URL resolver rather than an integer SQLite cannot bind (a 500).
MAX_ID_DIGITS = 18
MAX_ID = 10**MAX_ID_DIGITS - 1


class IdConverter:
    """`<id:name>`: a positive database id, at most 18 digits."""

    regex = rf"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(value) -> int | None:
    """An id typed into a query string or a body, or None when it cannot name a row."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= MAX_ID else None
