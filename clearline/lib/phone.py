"""Phone numbers: E.164 normalisation, the keyed caller hash, and encryption of a number at rest.

The raw caller number is personal data (DESIGN.md rule 7): it is joined on through ``caller_hmac`` and only
held encrypted, in an open callback request, until that closes.
"""

from __future__ import annotations

import hashlib
import hmac

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


class InvalidPhoneNumber(ValueError):
    """The text is not a valid, dialable phone number."""


def normalize_e164(raw: str, region: str = "US") -> str:
    """Return the number in E.164 (``+18005550100``), or raise InvalidPhoneNumber with a reason."""
    text = (raw or "").strip()
    if not text:
        raise InvalidPhoneNumber("No phone number was given.")
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber("This is not a phone number.") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidPhoneNumber("This phone number has the wrong number of digits.")
    if not phonenumbers.is_valid_number(parsed) and not is_fictional_us_number(parsed):
        raise InvalidPhoneNumber("This is not a valid phone number.")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_fictional_us_number(parsed: phonenumbers.PhoneNumber) -> bool:
    """555-0100..0199 in any area code: reserved for fiction, used by the demo data."""
    national = str(parsed.national_number)
    return parsed.country_code == 1 and len(national) == 10 and national[3:8] == "55501"


def format_national(e164: str) -> str:
    """``+18005550100`` -> ``(800) 555-0100`` for display."""
    parsed = phonenumbers.parse(e164, "US")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)


def caller_hmac(e164: str) -> str:
    """A keyed hash of the caller's number: stable for joins, useless without the key in the environment."""
    key = settings.CLEARLINE_CALLER_HMAC_KEY
    if not key:
        raise RuntimeError("CLEARLINE_CALLER_HMAC_KEY is not set.")
    return hmac.new(key.encode(), e164.encode(), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    key = settings.CLEARLINE_ENCRYPTION_KEY
    if not key:
        raise RuntimeError("CLEARLINE_ENCRYPTION_KEY is not set.")
    return Fernet(key.encode())


def encrypt_number(e164: str) -> str:
    return _fernet().encrypt(e164.encode()).decode()


def decrypt_number(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("The stored number cannot be decrypted with the configured key.") from exc


def validate_e164(value: str) -> None:
    """A model-field validator: the number must be valid and already written in E.164 form."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    try:
        normalized = normalize_e164(value)
    except InvalidPhoneNumber as exc:
        raise ValidationError(str(exc)) from exc
    if normalized != value:
        raise ValidationError(_("Write the number in E.164 form: %(number)s") % {"number": normalized})
