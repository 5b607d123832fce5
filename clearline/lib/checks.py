"""Production safety checks (`clearline check --deploy`), also run when a production web process starts.

Each check here returns nothing outside ``CLEARLINE_ENV=production``: development and tests run on SQLite,
over plain HTTP and with the demo accounts on purpose. In production they are errors, because each one is a
way in or a way to lose data: SQLite cannot be shared by the several web processes and workers a site runs
(DESIGN.md section 4), and a public URL that is not ``https://`` sends staff passwords and Twilio's signed
webhooks in the clear. Other apps register their own production checks under ``PRODUCTION_TAG`` (the demo
app refuses its published sign-ins, ``clearline/demo/checks.py``); :func:`refuse_unsafe_production` runs
them all when the WSGI or ASGI application is built, so the web process will not start while one fails.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register, run_checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

logger = logging.getLogger(__name__)

# The tag of every check that must pass before a production web process serves a request.
PRODUCTION_TAG = "clearline_production"


def in_production() -> bool:
    return getattr(settings, "CLEARLINE_ENV", "") == "production"


@register(Tags.security, Tags.compatibility, PRODUCTION_TAG, deploy=True)
def check_production_database(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not in_production():
        return []
    return [
        Error(
            f"The database {alias!r} is SQLite ({config.get('ENGINE')}) with CLEARLINE_ENV=production.",
            hint="Set DATABASE_URL to a PostgreSQL database (docs/configuration.md, 'Database').",
            id="clearline.E010",
        )
        for alias, config in settings.DATABASES.items()
        if "sqlite" in str(config.get("ENGINE", "")) or "spatialite" in str(config.get("ENGINE", ""))
    ]


@register(Tags.security, PRODUCTION_TAG, deploy=True)
def check_public_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not in_production():
        return []
    url = str(getattr(settings, "CLEARLINE_PUBLIC_URL", "") or "")
    if not url:
        return [
            Warning(
                "CLEARLINE_PUBLIC_URL is not set with CLEARLINE_ENV=production.",
                hint="Set it to the site's https:// address: Twilio's signatures and admin e-mail links use it.",
                id="clearline.W011",
            )
        ]
    if not url.lower().startswith("https://"):
        return [
            Error(
                f"CLEARLINE_PUBLIC_URL={url!r} is not an https:// address with CLEARLINE_ENV=production.",
                hint="Serve the site over HTTPS and set CLEARLINE_PUBLIC_URL to its https:// address.",
                id="clearline.E011",
            )
        ]
    return []


def refuse_unsafe_production() -> None:
    """In production, run every ``PRODUCTION_TAG`` check; raise ImproperlyConfigured on any error.

    Called when the WSGI/ASGI application is built, so gunicorn's worker fails to boot with the message
    instead of serving the site. Warnings are logged and the process starts. Outside production: nothing.
    """
    if not in_production():
        return
    try:
        messages = run_checks(tags=[PRODUCTION_TAG], include_deployment_checks=True)
    finally:
        # Checks may have opened a database connection; do not hand it to forked workers.
        connections.close_all()
    for message in messages:
        if not message.is_serious():
            logger.warning("%s", message)
    errors = [message for message in messages if message.is_serious()]
    if errors:
        lines = "\n".join(f"- {message}" for message in errors)
        raise ImproperlyConfigured(
            "Clearline refuses to serve with CLEARLINE_ENV=production until these are fixed "
            f"(`clearline check --deploy` lists them):\n{lines}"
        )
