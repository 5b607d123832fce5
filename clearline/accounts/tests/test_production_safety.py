"""Production refuses the demo's published sign-ins, SQLite and a public URL that is not https (issue 11).

The demo's credentials are written out here as the README publishes them (password ``clearline-demo``, each
authenticator key a readable 20-byte text, recovery codes ``<username without dashes>1..3``), so this test
does not lean on the loader's own constants; the last test loads the real demo and expects every account.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.lib.checks import (
    PRODUCTION_TAG,
    check_production_database,
    check_public_url,
    refuse_unsafe_production,
)

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")]

DEMO_PASSWORD = "clearline-demo"
ADMIN_KEY = b"clearline-demo-admin".hex()
CEDAR_AGENT_KEY = b"demo-cedar-agent-key".hex()


def postgresql_databases() -> dict:
    databases = copy.deepcopy(django_settings.DATABASES)
    databases["default"]["ENGINE"] = "django.db.backends.postgresql"
    return databases


@pytest.fixture
def production():
    """A production configuration that passes every production check (on an empty database)."""
    with override_settings(
        CLEARLINE_ENV="production",
        DATABASES=postgresql_databases(),
        CLEARLINE_PUBLIC_URL="https://help.example.org",
    ):
        yield


def production_problems() -> list:
    return run_checks(tags=[PRODUCTION_TAG], include_deployment_checks=True)


def ids(messages) -> list[str]:
    return sorted(message.id for message in messages)


def make_user(username: str, password: str):
    return get_user_model().objects.create_user(username, f"{username}@example.invalid", password)


def test_a_clean_production_configuration_passes(production):
    make_user("admin", "a long password nobody published")  # the name alone is fine
    other = make_user("olivia", "another long password")
    TOTPDevice.objects.create(user=other, name="phone", confirmed=True)
    assert production_problems() == []
    refuse_unsafe_production()  # does not raise


def test_the_demo_admin_with_its_published_password_is_an_error(production):
    make_user("admin", DEMO_PASSWORD)
    problems = production_problems()
    assert ids(problems) == ["clearline.E012"]
    assert "'admin' has the published password" in problems[0].msg
    assert problems[0].is_serious()


def test_a_published_authenticator_key_is_an_error_whoever_holds_it(production):
    user = make_user("olivia", "a long password nobody published")
    TOTPDevice.objects.create(user=user, name="copied", key=CEDAR_AGENT_KEY, confirmed=True)
    problems = production_problems()
    assert ids(problems) == ["clearline.E012"]
    assert (
        "'olivia' has an authenticator on the published key of demo account 'cedar-agent'" in problems[0].msg
    )


def test_published_recovery_codes_are_an_error(production):
    user = make_user("mesa-admin", "a long password nobody published")
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    StaticToken.objects.create(device=device, token="mesaadmin2")
    problems = production_problems()
    assert ids(problems) == ["clearline.E012"]
    assert "'mesa-admin' has 1 published recovery code" in problems[0].msg


def test_the_web_process_refuses_to_start_while_a_demo_sign_in_exists(production):
    user = make_user("admin", DEMO_PASSWORD)
    TOTPDevice.objects.create(user=user, name="demo authenticator", key=ADMIN_KEY, confirmed=True)
    with pytest.raises(ImproperlyConfigured) as refused:
        refuse_unsafe_production()
    message = str(refused.value)
    assert "refuses to serve with CLEARLINE_ENV=production" in message
    assert "'admin' has the published password" in message
    assert "published key of demo account 'admin'" in message


def test_check_deploy_fails_while_a_demo_sign_in_exists(production):
    make_user("cedar-admin", DEMO_PASSWORD)
    with pytest.raises(SystemCheckError, match=r"clearline\.E012"):
        call_command("check", "--deploy", verbosity=0)


def test_sqlite_is_an_error_in_production(production):
    databases = copy.deepcopy(django_settings.DATABASES)
    databases["default"]["ENGINE"] = "django.db.backends.sqlite3"
    with override_settings(DATABASES=databases):
        problems = check_production_database()
        assert ids(problems) == ["clearline.E010"]
        with pytest.raises(ImproperlyConfigured, match="SQLite"):
            refuse_unsafe_production()


@pytest.mark.parametrize("url", ["http://help.example.org", "help.example.org", "ftp://help.example.org"])
def test_a_public_url_that_is_not_https_is_an_error_in_production(production, url):
    with override_settings(CLEARLINE_PUBLIC_URL=url):
        assert ids(check_public_url()) == ["clearline.E011"]
        with pytest.raises(ImproperlyConfigured, match="https"):
            refuse_unsafe_production()


def test_an_unset_public_url_is_a_warning_and_the_web_process_starts(production):
    with override_settings(CLEARLINE_PUBLIC_URL=""):
        problems = check_public_url()
        assert ids(problems) == ["clearline.W011"]
        assert not problems[0].is_serious()
        refuse_unsafe_production()  # does not raise


def test_outside_production_nothing_is_refused():
    assert django_settings.CLEARLINE_ENV == "test"
    make_user("admin", DEMO_PASSWORD)
    with override_settings(CLEARLINE_PUBLIC_URL="http://127.0.0.1:8000"):
        assert production_problems() == []
        refuse_unsafe_production()  # does not raise


def test_every_account_of_the_loaded_demo_is_refused(_wagtail_root):
    # In the test environment, where the demo belongs; its month of calls has no accounts in it.
    call_command("load_demo_data", "--no-calls", verbosity=0)
    with override_settings(
        CLEARLINE_ENV="production",
        DATABASES=postgresql_databases(),
        CLEARLINE_PUBLIC_URL="https://help.example.org",
    ):
        text = "\n".join(message.msg for message in production_problems())
    for username in ("admin", "cedar-admin", "cedar-agent", "mesa-admin", "mesa-agent"):
        assert f"Demo account {username!r} has the published password." in text
        assert f"{username!r} has an authenticator on the published key of demo account {username!r}" in text
        assert f"Demo account {username!r} has 3 published recovery code(s)." in text


def read_settings(**env: str) -> subprocess.CompletedProcess[str]:
    code = "import clearline.settings as s; print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("SECURE_HSTS")}
    environment.update(CLEARLINE_ENV="development", **env)
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_hsts_subdomains_and_preload_are_settings_off_by_default():
    assert read_settings().stdout.split() == ["False", "False"]
    on = read_settings(
        SECURE_HSTS_SECONDS="31536000", SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="true"
    )
    assert on.stdout.split() == ["True", "True"], on.stderr


@pytest.mark.parametrize(
    ("env", "complaint"),
    [
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "yes"}, "is not a boolean"),
        (
            {"SECURE_HSTS_PRELOAD": "1", "SECURE_HSTS_SECONDS": "31536000"},
            "needs SECURE_HSTS_INCLUDE_SUBDOMAINS",
        ),
        (
            {
                "SECURE_HSTS_PRELOAD": "1",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
                "SECURE_HSTS_SECONDS": "3600",
            },
            "SECURE_HSTS_SECONDS of at least 31536000",
        ),
    ],
)
def test_bad_hsts_settings_refuse_to_start(env, complaint):
    result = read_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and complaint in result.stderr
