"""Production refuses the demo's published sign-ins (`clearline check --deploy`, and at web start).

``load_demo_data`` refuses to run with ``CLEARLINE_ENV=production``, but a database copied from a demo or
development machine still holds its accounts, whose password, authenticator keys and recovery codes are
printed in the README. Any one of them still in place is an error in production: the web process will not
start (``clearline.lib.checks.refuse_unsafe_production``) until the account is deleted, or its password,
authenticator and recovery codes are all replaced.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.demo.loader import ADMIN_PASSWORD, DEMO_ACCOUNTS
from clearline.lib.checks import PRODUCTION_TAG, in_production

FIX = (
    "Delete the account (`clearline shell`, or the admin's user list from another operator account), or give it "
    "a new password (`clearline changepassword USERNAME`) and reset its second factor (docs/accounts.md)."
)


def published_sign_ins() -> list[str]:
    """One sentence per demo account that can still be signed in to with published credentials."""
    user_model = get_user_model()
    found = []
    for account in DEMO_ACCOUNTS:
        # The key is public whoever holds it: a device on it anywhere is as good as the password.
        for device in TOTPDevice.objects.filter(key__iexact=account.key_hex).select_related("user"):
            found.append(
                f"{device.user.get_username()!r} has an authenticator on the published key of demo account "
                f"{account.username!r}."
            )
        user = user_model.objects.filter(username=account.username).first()
        if user is None:
            continue
        # check_password without a setter: never re-hash (write) a password from a check.
        if check_password(ADMIN_PASSWORD, user.password):
            found.append(f"Demo account {account.username!r} has the published password.")
        codes = StaticToken.objects.filter(device__user=user, token__in=account.recovery_codes).count()
        if codes:
            found.append(f"Demo account {account.username!r} has {codes} published recovery code(s).")
    return found


@register(Tags.security, PRODUCTION_TAG, deploy=True)
def check_demo_sign_ins(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not in_production():
        return []
    try:
        found = published_sign_ins()
    except DatabaseError as exc:
        return [
            Warning(
                f"Could not look for the demo accounts' published sign-ins: {exc}".strip(),
                hint="Run `clearline check --deploy` again once the database is migrated and reachable.",
                id="clearline.W012",
            )
        ]
    return [Error(sentence, hint=FIX, id="clearline.E012") for sentence in found]
