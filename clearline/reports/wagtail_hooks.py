"""The reports app's part of the operators' call page (``telephony.admin_calls``): where the call is in the
routing log, and whether its month's digest is published."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from wagtail import hooks

from clearline.reports.models import RoutingLogEntry, RoutingLogMonth
from clearline.telephony.admin_calls import CALL_PAGE_HOOK


@hooks.register(CALL_PAGE_HOOK)
def routing_log_sentences(call: Any) -> list[str]:
    entry = RoutingLogEntry.objects.filter(call_pk=call.pk).first()
    if entry is None:
        return [_("Not in the routing log yet: a call is chained a minute after it ends.")]
    month = f"{entry.period:%Y-%m}"
    sentences = [
        _("Entry #%(n)s of the routing log, in %(month)s; entry hash %(hash)s.")
        % {"n": entry.sequence, "month": month, "hash": entry.entry_hash}
    ]
    sealed = RoutingLogMonth.objects.filter(period=entry.period).first()
    if sealed is not None:
        sentences.append(
            _("The digest of %(month)s, published on the transparency page, is %(digest)s.")
            % {"month": month, "digest": sealed.digest}
        )
    else:
        sentences.append(
            _("%(month)s is not sealed yet: its digest is published once the month is over.")
            % {"month": month}
        )
    return sentences
