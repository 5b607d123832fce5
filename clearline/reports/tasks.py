"""Worker jobs of the reports app (enqueued on a timer by `clearline worker`; see CLEARLINE_PERIODIC_TASKS)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from clearline.reports import daily, routing_log


@task()
def compute_daily_figures(day: str | None = None) -> list[str]:
    """Store the daily figures of ``day`` (ISO date), or of yesterday, today and any day not final yet."""
    computed = daily.compute_daily_figures(dt.date.fromisoformat(day) if day else None)
    return [each.isoformat() for each in computed]


@task()
def purge_call_details() -> int:
    """Erase per-call detail past CLEARLINE_CALL_DETAIL_RETENTION_DAYS, for days whose figures are complete, and
    decision traces of routing-log months past CLEARLINE_TRACE_RETENTION_DAYS."""
    return daily.purge_old_call_details() + routing_log.purge_old_traces()


@task()
def append_routing_log() -> dict[str, object]:
    """Chain the calls that ended since the last run into the routing log; seal the months that are over."""
    result = routing_log.append()
    return {"appended": result.appended, "sealed": [month.isoformat() for month in result.sealed]}
