"""Background jobs of the content app, run by the worker (`clearline worker`)."""

from __future__ import annotations

from django_tasks import task

from clearline.content.disclosure import ensure_current_disclosure


@task()
def refresh_disclosure_version() -> int:
    """Store a new disclosure version if the roster changed; return the current version number.

    Enqueued after every provider or contract change and every few minutes (a contract may start or end at
    midnight without any row changing). Pages also check on render, so the text shown is never stale.
    """
    return ensure_current_disclosure().number
