"""A session's absolute lifetime counts from the moment its user signed in (SessionLifetimeMiddleware)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from clearline.accounts.middleware import SESSION_STARTED_KEY


@receiver(user_logged_in, dispatch_uid="accounts.session_started")
def remember_sign_in_time(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = time.time()
