"""The second factor: TOTP devices (authenticator apps) and single-use recovery codes, both from django-otp.

Between the password step and the second factor, the session holds only the pending user's id and when the
password was checked; nobody is logged in until a code matches.
"""

from __future__ import annotations

import time
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearline.lib.audit import log_action

PENDING_USER_KEY = "clearline_pending_user"
PENDING_AT_KEY = "clearline_pending_at"
PENDING_NEXT_KEY = "clearline_pending_next"
NEW_RECOVERY_CODES_KEY = "clearline_new_recovery_codes"
PENDING_SECONDS = 600
RECOVERY_CODE_COUNT = 10


def start_pending_login(request: HttpRequest, user: AbstractBaseUser, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_USER_KEY] = user.pk
    request.session[PENDING_AT_KEY] = time.time()
    request.session[PENDING_NEXT_KEY] = next_url


def pending_user(request: HttpRequest) -> Any:
    """The user who passed the password step in the last ten minutes, or None."""
    user_id = request.session.get(PENDING_USER_KEY)
    started = request.session.get(PENDING_AT_KEY)
    if user_id is None or started is None or time.time() - float(started) > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def clear_pending_login(request: HttpRequest) -> str:
    request.session.pop(PENDING_USER_KEY, None)
    request.session.pop(PENDING_AT_KEY, None)
    return str(request.session.pop(PENDING_NEXT_KEY, "") or "")


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def unconfirmed_totp_device(user: AbstractBaseUser) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so a reload shows the same QR."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg


def readable_secret(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    import base64

    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def replace_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """A new set of single-use codes; the old set stops working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def normalise_token(token: str) -> str:
    """What people type: spaces and dashes dropped; recovery codes are case-insensitive."""
    return token.strip().replace(" ", "").replace("-", "").lower()


def verify_second_factor(user: AbstractBaseUser, token: str) -> Device | None:
    """The device that accepts this code, or None.

    Six digits are checked against the user's authenticator only, anything else against the recovery codes
    only, so a recovery code typed in never counts as a failed authenticator code (django-otp throttles each
    device after failures) and vice versa. django-otp refuses a TOTP code already used (replay) and deletes a
    recovery code when it is used.
    """
    token = normalise_token(token)
    if not token:
        return None
    devices: Any
    if token.isdigit() and len(token) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True).order_by("id")
    for device in devices:
        verified: Device | None = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    return None


def reset_second_factor(user: AbstractBaseUser, *, actor: str) -> int:
    """Delete the user's authenticators and recovery codes (an operator's action when someone lost both).
    Their next sign-in sets up a new authenticator; sessions already open are ended by the caller if needed.
    Returns how many devices were removed; the audit log records who did it."""
    with transaction.atomic():
        totp = TOTPDevice.objects.filter(user=user)
        static = StaticDevice.objects.filter(user=user)
        removed = totp.count() + static.count()
        totp.delete()
        static.delete()
        log_action(
            "accounts.second_factor_reset",
            actor=actor,
            target=user,
            data={"username": user.get_username(), "devices_removed": removed},
        )
    return removed
