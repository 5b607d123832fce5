"""Roster changes queue a disclosure refresh once the transaction that made them commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Locale, Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from clearline.content.models import (
    DefaultHelpline,
    DisclosureVersion,
    Helpline,
    HelplineSettings,
    Person,
    TopicHelpline,
)
from clearline.providers.models import ClosureDay, Contract, OpeningHours, Provider, RoutingSettings


@receiver([post_save, post_delete], sender=Provider, dispatch_uid="content.provider_changed")
@receiver([post_save, post_delete], sender=OpeningHours, dispatch_uid="content.hours_changed")
@receiver([post_save, post_delete], sender=ClosureDay, dispatch_uid="content.closure_changed")
@receiver([post_save, post_delete], sender=Contract, dispatch_uid="content.contract_changed")
@receiver(post_save, sender=RoutingSettings, dispatch_uid="content.routing_settings_changed")
def queue_disclosure_refresh(sender: type, **kwargs: Any) -> None:
    from clearline.content.tasks import refresh_disclosure_version

    transaction.on_commit(refresh_disclosure_version.enqueue)


def _bump(**kwargs: Any) -> None:
    # In the same transaction as the change: other processes see the new generation exactly when they can see
    # the new content, and a rollback takes both back.
    from clearline.lib.pagecache import bump_generation

    bump_generation()


# Anything public pages show: pages, helpline numbers, people, default numbers, providers and contracts. (A new
# disclosure version follows from a provider or contract change, or from a date boundary, which the cache key
# holds; a page render that stores one must not invalidate itself.)
for _signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
    _signal.connect(_bump, dispatch_uid=f"content.pagecache.{_signal!r}")
for _model in (
    Page,
    Helpline,
    Person,
    HelplineSettings,
    DefaultHelpline,
    TopicHelpline,
    Provider,
    OpeningHours,
    ClosureDay,
    Contract,
    RoutingSettings,
    Locale,
    Site,
):
    post_save.connect(_bump, sender=_model, dispatch_uid=f"content.pagecache.save.{_model.__name__}")
    post_delete.connect(_bump, sender=_model, dispatch_uid=f"content.pagecache.delete.{_model.__name__}")


# The audit log (rule 9): numbers and their assignments, and every disclosure version published.
def _track_audit() -> None:
    from clearline.lib.audit import track_changes

    track_changes(Helpline, "content.helpline")
    track_changes(DefaultHelpline, "content.default_helpline")
    track_changes(TopicHelpline, "content.topic_helpline")
    track_changes(DisclosureVersion, "content.disclosure")


_track_audit()
