"""Suite-wide fixtures. App tests live beside their code in ``clearline/<app>/tests/``."""

from __future__ import annotations

import os
from html.parser import HTMLParser

import pytest

os.environ.setdefault("CLEARLINE_ENV", "test")

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config, items):
    """`make test` runs the suite twice, on SQLite and on PostgreSQL. The PostgreSQL pass exists to catch what
    differs between databases, so it runs every test that touches the database and leaves out tests that never
    do (pure routing, parsing, rendering), browser tests (they test the page, not the database) and real-SIP
    call tests (they test signalling and audio; the call flow under them runs on both databases in its own
    tests); all of them ran in the SQLite pass, which is what `make run` and `make sip` use.
    CLEARLINE_TEST_EVERYTHING=1 runs them all on PostgreSQL too.

    Tests marked ``postgresql`` (races: SQLite serialises every write, so nothing can race there) are skipped
    on SQLite."""
    if not on_postgresql():
        only_postgresql = pytest.mark.skip(
            reason="needs PostgreSQL: SQLite serialises every write, so this cannot race there "
            "(make test runs it on a throw-away PostgreSQL; or tools/with_postgres.py -- pytest ...)"
        )
        for item in items:
            if item.get_closest_marker("postgresql") is not None:
                item.add_marker(only_postgresql)
        return
    if os.environ.get("CLEARLINE_TEST_EVERYTHING"):
        return
    kept, skipped = [], []
    for item in items:
        uses_database = item.get_closest_marker("django_db") is not None or bool(
            DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))
        )
        elsewhere = any(item.get_closest_marker(name) is not None for name in ("browser", "sip"))
        (kept if uses_database and not elsewhere else skipped).append(item)
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept


# The settings every test runs with (the autouse fixtures below; a module-scoped fixture applies them itself).
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    # Tests see a job's effect at once; the worker's own test switches back to the database backend.
    settings.TASKS = IMMEDIATE_TASKS


@pytest.fixture(autouse=True)
def _english_until_asked():
    # A request to /es/... leaves Spanish active in the thread (LocaleMiddleware activates, nothing resets), and
    # reverse() in the next test would then build /es/ URLs. Every test starts and ends in English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _empty_page_cache():
    # Each test starts with its own database, so pages cached by an earlier test must not leak into it.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; Playwright never downloads a browser of its own here."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the live server thread
    # are unaffected, but fixtures touching the database from the test thread need this allowance.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-gpu",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(chromium):
    context = chromium.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


class _FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, list[str]]] = []
        self.invalid: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if values.get("aria-describedby"):
            self.described.append((str(values.get("name")), str(values["aria-describedby"]).split()))
        if values.get("aria-invalid") == "true":
            self.invalid.append(str(values.get("name")))


def assert_errors_tied(html: str, *names: str) -> None:
    """Every id a field's aria-describedby names is on the page (axe only asks a person to review a missing one);
    each of ``names`` is aria-invalid and described by its error message."""
    fields = _FormFields()
    fields.feed(html)
    for name, ids in fields.described:
        missing = [i for i in ids if i not in fields.ids]
        assert not missing, f"{name}: aria-describedby names {missing}, which are not on the page"
    for name in names:
        assert name in fields.invalid, f"{name} is not marked aria-invalid"
        ids = next(ids for field, ids in fields.described if field == name)
        assert any(i.endswith("_error") for i in ids), f"{name} is not described by its error"


def axe_violations(page) -> list[dict]:
    """Run axe-core (bundled in the axe-playwright-python package, never a CDN) for WCAG 2.x A/AA rules, once the
    page (stylesheets included) has loaded: after a click, the next page may still be arriving."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
        },
    )
    return results.response["violations"]


@pytest.fixture
def login_verified(client):
    """Sign ``user`` in on the test client as if they had passed the second factor (a confirmed TOTP device);
    returns the client. The two-factor login itself is tested in clearline/accounts/tests."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def login(user, on=None):
        target = on or client
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="test phone", confirmed=True
        )
        target.force_login(user)
        session = target.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return target

    return login
