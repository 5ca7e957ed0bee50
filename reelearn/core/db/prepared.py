"""Reads on hot paths, compiled to SQL once per connection and run again with other ids.

Compiling a queryset costs the quiz's hot paths several times what running it does: the
row-locked read of an attempt with its quiz and assignment (66 columns) took about 1 ms of
Python to compile and 0.25 ms to run and load. A `PreparedQuery` wraps a function that builds
a `values_list` queryset from integer ids. The first run on a connection builds it with
placeholder ids, compiles it and notes where the placeholders went in the parameters; later
runs put the real ids there and execute the same SQL (which PostgreSQL prepares as well, see
DATABASE_PREPARED_STATEMENTS), then apply the fields' converters as the ORM does. The rows are
what the queryset itself would give.

Only for querysets whose SQL does not depend on the ids' values: equality with integer ids
(no `__in` lists, no None), and nothing read at build time that changes (the clock, say). The
queryset is otherwise ordinary ORM code, so a model's manager methods (`Quiz.objects.live()`)
stay the one place their rules are written. It uses two methods of Django's SQL compiler that
the ORM's own iterables use (`get_converters`, `apply_converters`);
tests/quizzes/test_rows.py compares the prepared reads with the ORM's.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

# Placeholder ids: inside a 32-bit column's range (Django turns an out-of-range id into an empty
# query) and negative, so no real id or flag in a query's parameters equals one.
_PLACEHOLDERS = tuple(-2_000_000_000 - n * 7919 for n in range(8))


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (position in params, index of the id)
    compiler: object
    converters: dict


class PreparedQuery:
    """`build(*ids)` → a `values_list` queryset; `rows(*ids)` runs it, compiled once."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def rows(self, *ids: int, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
        connection = connections[using]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(len(ids), connection)
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = int(ids[index])
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return rows

    def _compile(self, count: int, connection) -> _Compiled:
        placeholders = _PLACEHOLDERS[:count]
        queryset = self.build(*placeholders)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = tuple(
            (position, placeholders.index(value))
            for position, value in enumerate(params)
            if type(value) is int and value in placeholders
        )
        if sorted({index for _p, index in slots}) != list(range(count)):
            raise ValueError("Each id must appear in the query's parameters as given.")
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(fields)
        return _Compiled(sql, tuple(params), slots, compiler, converters)


def field_names(model: type[Model], prefix: str = "") -> list[str]:
    """A model's stored fields, as `values_list` names them (`prefix` for a relation's)."""
    return [prefix + name for name in _attnames(model)[0]]


@cache
def _attnames(model: type[Model]) -> tuple[list[str], int]:
    names = [field.attname for field in model._meta.concrete_fields]
    return names, names.index(model._meta.pk.attname)


def instances(row: Sequence, *models: type[Model], using: str = DEFAULT_DB_ALIAS) -> list:
    """Model instances from a row of `field_names(model)` columns, one model after another;
    None for a model whose primary key is null (a left join that found nothing)."""
    found, start = [], 0
    for model in models:
        names, pk_at = _attnames(model)
        values = row[start : start + len(names)]
        start += len(names)
        found.append(None if values[pk_at] is None else model.from_db(using, names, values))
    return found


# --- Writes of one row ------------------------------------------------------------------------
# Model.save() compiles its statement on every call too. These write one row with a statement
# made once per model and field list. Like QuerySet.update(), they send no signals: use them
# only for models nothing listens to.


@cache
def _update_sql(model: type[Model], fields: tuple[str, ...], using: str) -> str:
    meta, quote = model._meta, connections[using].ops.quote_name
    assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in fields)
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    return f"UPDATE {table} SET {assignments} WHERE {pk} = %s"  # noqa: S608 - names from _meta


def row_update(instance: Model, fields: Sequence[str], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """`instance.save(update_fields=fields)` as one statement: the number of rows updated."""
    connection = connections[using]
    meta = instance._meta
    params = [
        meta.get_field(name).get_db_prep_save(
            getattr(instance, meta.get_field(name).attname), connection
        )
        for name in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_update_sql(type(instance), tuple(fields), using), [*params, instance.pk])
        return cursor.rowcount


@cache
def _insert_sql(model: type[Model], using: str) -> tuple[str, tuple]:
    meta, quote = model._meta, connections[using].ops.quote_name
    fields = tuple(f for f in meta.concrete_fields if f is not meta.pk)
    columns = ", ".join(quote(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({values})"  # noqa: S608
    return f"{sql} RETURNING {quote(meta.pk.column)}", fields


def row_insert(instance: Model, *, using: str = DEFAULT_DB_ALIAS) -> Model:
    """`instance.save(force_insert=True)` for a new row with a database-made primary key, as
    one statement (PostgreSQL; elsewhere through save())."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        instance.save(force_insert=True, using=using)
        return instance
    sql, fields = _insert_sql(type(instance), using)
    params = [f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding, instance._state.db = False, using
    return instance
