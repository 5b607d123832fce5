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
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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
