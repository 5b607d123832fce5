"""The WSGI application: pages through the full middleware stack, telephony webhooks through a lean one.

Twilio's webhooks carry no cookies, sessions, users, language or CSRF token, and answer TwiML, not pages; the
views check Twilio's signature themselves and set the language of every sentence explicitly. So requests under
``CLEARLINE_LEAN_PATHS`` go to a second Django handler built with ``CLEARLINE_LEAN_MIDDLEWARE`` only, which saves
the work of a dozen middleware on every webhook (docs/twilio.md, "Webhook performance").

Kept because the benchmark shows it is worth it: in-process, the same tree served both ways (``bench/webhooks.py
--in-process-only --baseline . --baseline-wsgi 'django.core.wsgi:get_wsgi_application()'``, 5 rounds, then the
roles reversed), each webhook costs about 0.5-0.7 ms less CPU through this chain: voice 3.95 against 4.69 ms and
3.49 against 4.18 ms, menu 4.77/5.42 and 4.19/4.89, status 1.69/2.19 and 1.50/1.99 (this process; PostgreSQL's
share is the same), some 15% of what the voice webhook costs.

In production the application refuses to be built while a production check fails (demo sign-ins, SQLite, a
non-https public URL: ``clearline.lib.checks``), so the web process does not start.
"""

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

from clearline.lib.checks import refuse_unsafe_production

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.settings")


class LeanHandler(WSGIHandler):
    """A Django handler whose middleware chain is ``CLEARLINE_LEAN_MIDDLEWARE`` instead of ``MIDDLEWARE``."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler reads settings.MIDDLEWARE while it builds the chain; swap the list for that moment only
        # (this runs once, while the process starts, before any request).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = list(settings.CLEARLINE_LEAN_MIDDLEWARE)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def build_application() -> Callable[[dict[str, Any], Any], Iterable[bytes]]:
    pages = get_wsgi_application()
    lean = LeanHandler()
    prefixes = tuple(settings.CLEARLINE_LEAN_PATHS)

    def application(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        handler = lean if environ.get("PATH_INFO", "").startswith(prefixes) else pages
        return handler(environ, start_response)

    return application


application = build_application()
refuse_unsafe_production()
