"""Fixtures shared by the providers tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def wagtail_root(db):
    """The Wagtail admin needs a root page; tables built from the models (--no-migrations) have none."""
    from wagtail.models import Locale, Page

    if Page.get_first_root_node() is None:
        english, _ = Locale.objects.get_or_create(language_code="en")
        Page.add_root(instance=Page(title="Root", slug="root", locale=english))
