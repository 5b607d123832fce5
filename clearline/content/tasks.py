"""Background jobs of the content app, run by the worker (`clearline worker`)."""

from __future__ import annotations

from django_tasks import task

from clearline.content.disclosure import ensure_current_disclosure
from clearline.content.models import DisclosureVersion
from clearline.lib.pagecache import bump_generation


@task()
def refresh_disclosure_version() -> int:
    """Store a new disclosure version if what it claims changed; return the current version number.

    Enqueued after every provider, hours or contract change and every minute: claims also change with time alone
    (a contract starts at midnight, a provider opens within the next day). A new version stored here drops the
    cached pages, which show the old one; a version stored while a page renders does not (the page shows it).
    """
    before = DisclosureVersion.objects.order_by("-number").values_list("number", flat=True).first()
    number = ensure_current_disclosure().number
    if number != before:
        bump_generation()
    return number
