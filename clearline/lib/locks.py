"""One lock per kind of check-then-write, held until the surrounding transaction ends.

On PostgreSQL a transaction-scoped advisory lock; on SQLite nothing is needed, since every write transaction
starts with ``BEGIN IMMEDIATE`` (settings.py) and so already runs alone. Use it where a rule spans rows that a
row lock cannot cover, e.g. "every contract has the same fee" while a new contract is inserted.
"""

from __future__ import annotations

import zlib

from django.db import connection, transaction


def hold_lock(name: str) -> None:
    """Take the lock called ``name`` for the rest of the current transaction (call inside ``atomic``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("hold_lock needs a transaction: call it inside transaction.atomic()")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(name)])


def lock_key(name: str) -> int:
    """A stable 63-bit key for the name (the same in every process and release)."""
    return zlib.crc32(name.encode()) | (len(name) << 32)
