"""How many SIP calls this process's pjsua can hold, and how many it holds now.

pjsua keeps its calls in a fixed array of ``PJSUA_MAX_CALLS`` slots, a compile-time constant (upstream's
default: 4), and ``libInit`` silently lowers a larger ``UaConfig.maxCalls`` to it: no error, the 5th call just
fails with ``PJ_ETOOMANY``. The ``pjsua2-python`` 2.15.1.post1 wheel keeps upstream's 4 (its
``pjsua_call_subsys_init`` caps ``max_calls`` at 4). pjsua2 does not expose the effective figure, so it is read
from pjsua's C API in the loaded extension module (``pjsua_call_get_max_count``, ``pjsua_call_get_count``).

A slot is a leg: the caller's, each provider's, a transfer's. A leg that ended keeps its slot until pjsua
frees it, so the count may be above the controller's own legs in progress.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from typing import Any

logger = logging.getLogger(__name__)


def _pjsua_library() -> Any:
    for name, module in list(sys.modules.items()):
        if name.rsplit(".", 1)[-1] == "_pjsua2" and getattr(module, "__file__", None):
            try:
                return ctypes.CDLL(module.__file__)
            except OSError:
                return None
    return None


class Slots:
    """pjsua's call slots, read after ``libInit`` (so from the SIP thread, where pjsua lives)."""

    def __init__(self, requested: int) -> None:
        self.requested = requested
        self._library = _pjsua_library()
        self._max = getattr(self._library, "pjsua_call_get_max_count", None)
        self._count = getattr(self._library, "pjsua_call_get_count", None)
        if self._max is not None:
            self._max.restype = ctypes.c_uint
        if self._count is not None:
            self._count.restype = ctypes.c_uint

    @property
    def limit(self) -> int:
        """The calls pjsua holds at once: ``maxCalls`` as ``libInit`` left it (the requested figure if unknown)."""
        return int(self._max()) if self._max is not None else self.requested

    @property
    def used(self) -> int | None:
        """Slots taken now (ended legs pjsua has not freed yet included); None if it cannot be read."""
        return int(self._count()) if self._count is not None else None

    def warn_if_capped(self) -> None:
        if self.limit < self.requested:
            logger.warning(
                "CLEARLINE_SIP_MAX_CALLS is %s but this pjsua2 build holds %s calls per process "
                "(PJSUA_MAX_CALLS, fixed when pjsua was compiled): run more controller processes "
                "(docs/sip.md, 'Calls per controller')",
                self.requested,
                self.limit,
            )
