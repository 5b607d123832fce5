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


@pytest.fixture
def operator(db, client, login_verified):
    """A superuser, signed in on ``client`` with the second factor passed."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser(
        "olivia", "olivia@example.invalid", "quiet-harbor-lantern-42"
    )
    login_verified(user)
    return user
