"""SQLite's full-text index for Wagtail search in a test database built without migrations.

`pytest --no-migrations` makes every table from its model, so Wagtail's FTS5 index table
(wagtailsearch_indexentry_fts) comes out as a plain table, and every search on SQLite fails with "no such column".
Wagtail's migration makes it a virtual FTS5 table that triggers keep in step with the index entries; this does
the same, so tests search the way `make run` does. PostgreSQL test databases are migrated and need nothing.
"""

from __future__ import annotations

from django.db import connection

TABLE = "wagtailsearch_indexentry"
# Constant SQL: nothing in it comes from outside.
STATEMENTS = [
    f"DROP TABLE IF EXISTS {TABLE}_fts",
    f"CREATE VIRTUAL TABLE {TABLE}_fts USING fts5(autocomplete, body, title)",
    f"CREATE TRIGGER insert_{TABLE}_fts AFTER INSERT ON {TABLE} BEGIN INSERT INTO {TABLE}_fts(title, body, "  # noqa: S608
    f"autocomplete, rowid) VALUES (NEW.title, NEW.body, NEW.autocomplete, NEW.id); END",
    f"CREATE TRIGGER update_{TABLE}_fts AFTER UPDATE ON {TABLE} BEGIN UPDATE {TABLE}_fts SET title=NEW.title, "  # noqa: S608
    f"body=NEW.body, autocomplete=NEW.autocomplete WHERE rowid=NEW.id; END",
    f"CREATE TRIGGER delete_{TABLE}_fts AFTER DELETE ON {TABLE} BEGIN DELETE FROM {TABLE}_fts "  # noqa: S608
    "WHERE rowid=OLD.id; END",
]


def use_sqlite_full_text() -> None:
    """Make the FTS5 table real, inside the caller's transaction (its rollback puts the plain table back)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [f"{TABLE}_fts"])
        row = cursor.fetchone()
        if row and "VIRTUAL" in (row[0] or "").upper():
            return
        for statement in STATEMENTS:
            cursor.execute(statement)
