"""The ASGI application. In production it refuses to be built while a production check fails
(``clearline.lib.checks.refuse_unsafe_production``), like the WSGI one."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clearline.settings")
application = get_asgi_application()

from clearline.lib.checks import refuse_unsafe_production  # noqa: E402 - needs the apps loaded above

refuse_unsafe_production()
