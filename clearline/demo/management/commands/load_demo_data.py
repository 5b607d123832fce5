from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clearline.demo.calls import load_demo_calls
from clearline.demo.loader import load_demo_data


class Command(BaseCommand):
    help = (
        "Create the demo site (pages, helplines, fictional providers, demo sign-ins with fixed authenticator "
        "keys) and a month of calls through the real call flow. Safe to run again. Development only: refuses "
        "CLEARLINE_ENV=production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-calls", action="store_true", help="skip the month of demo calls (clearline load_demo_calls)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_demo_data()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        if not options["no_calls"]:
            self.stdout.write(load_demo_calls().summary())
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {result['articles_created']} new articles, {result['facilities']} demo "
                f"facilities, disclosure version {result['disclosure_version']}."
            )
        )
        self.stdout.write(
            "\nDemo sign-ins (development only; the keys below are public). Sign in at /accounts/login/ with the "
            "username and password, then the 6-digit code from an authenticator app set up with the key (or "
            "open the otpauth link on the phone), or one of the recovery codes (each works once):"
        )
        for sign_in in result["sign_ins"]:
            self.stdout.write(
                f"\n  {sign_in.username} / {sign_in.password}  {sign_in.who}\n"
                f"    key: {sign_in.key_base32}\n"
                f"    {sign_in.otpauth_uri}\n"
                f"    recovery codes: {', '.join(sign_in.recovery_codes)}"
            )
        self.stdout.write(
            '\nWithout a phone: python -c "from django_otp.oath import totp; import base64; '
            "print('%06d' % totp(base64.b32decode('KEY')))\" prints the current code for KEY."
        )
