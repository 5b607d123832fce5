"""Small pieces shared by the hand-written SQL of the call path (``roster.py``, ``statements.py``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import Model


def table(model: type[Model]) -> str:
    """The model's table name, quoted for the database in use."""
    return connection.ops.quote_name(model._meta.db_table)


def marks(values: Sequence[object] | int) -> str:
    """``%s, %s, …``: one placeholder per value (or ``values`` placeholders when given a count)."""
    count = values if isinstance(values, int) else len(values)
    return ", ".join(["%s"] * count)
