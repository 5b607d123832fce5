"""The whole demo site as a fixture, loaded once per test module (``demo``)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Locale, Page

from clearline.content.tests.fulltext import use_sqlite_full_text
from conftest import FAST_PASSWORD_HASHERS, IMMEDIATE_TASKS


@pytest.fixture(scope="module")
def _demo_loaded_for_the_module(request, django_db_setup, django_db_blocker):
    # Loading the demo takes seconds, so the module loads it once, inside a transaction of its own that every
    # test's transaction nests in (as a savepoint) and that is rolled back when the module ends: each test still
    # starts from a freshly loaded demo, whatever an earlier test changed. The settings are those the suite's
    # autouse fixtures give every test (immediate tasks, fast password hashing). A test that wants an empty
    # database must come before the first test that uses ``demo``. A module that sets WITH_SAMHSA_DIRECTORY =
    # False gets the demo without the real directory's listings (its eight fictional facilities stay). The month of
    # demo calls is left out (seconds more); test_demo_calls.py makes short periods of them itself.
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        try:
            with override_settings(TASKS=IMMEDIATE_TASKS, PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                english, _ = Locale.objects.get_or_create(language_code="en")
                use_sqlite_full_text()  # before the pages, so their search index entries go into it
                if Page.get_first_root_node() is None:  # test tables built without Wagtail's data migration
                    Page.add_root(instance=Page(title="Root", slug="root", locale=english))
                if getattr(request.module, "WITH_SAMHSA_DIRECTORY", True):
                    call_command("load_demo_data", "--no-calls", verbosity=0)
                else:  # the module needs the site, not 12,000 real listings (about 10 s to import)
                    with mock.patch("clearline.demo.loader.load_samhsa_directory", return_value=0):
                        call_command("load_demo_data", "--no-calls", verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            module_transaction.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_loaded_for_the_module, db):
    """The whole demo site, loaded by ``load_demo_data`` into an empty database."""
