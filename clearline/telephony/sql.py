"""Small pieces shared by the hand-written SQL of the call path (``roster_counts.py``, ``statements.py``)."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.db import connection
from django.db.models import Model, Q
from django.db.models.sql import Query


def table(model: type[Model]) -> str:
    """The model's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def marks(values: Sequence[object] | int) -> str:
    """``%s, %s, …``: one placeholder per value (or ``values`` placeholders when given a count)."""
    count = values if isinstance(values, int) else len(values)
    return ", ".join(["%s"] * count)


def where(model: type[Model], condition: Q) -> str:
    """A condition the models define (``telephony.models.SLOT_HELD``, say) as SQL on ``model``'s table, with
    unqualified column names, the way Django writes a constraint's condition; compiled once per database."""
    return _where(connection.vendor, model, condition)


@functools.lru_cache(maxsize=32)
def _where(_vendor: str, model: type[Model], condition: Q) -> str:
    query = Query(model=model, alias_cols=False)
    compiler = query.get_compiler(connection=connection)
    sql, params = query.build_where(condition).as_sql(compiler, connection)
    if params:
        raise ValueError(f"{condition!r} has parameters; only constant conditions are compiled here")
    return str(sql)
