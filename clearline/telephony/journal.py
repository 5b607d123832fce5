"""The event journal: call events the database could not take, kept on local disk until it can (issue 11).

A status callback that fails with a database error is not lost: ``keep`` appends it, as one JSON line of plain
values (what the service needs: kind, CallSid or attempt id, status, duration, when it was received; never the
caller's number), to ``events.jsonl`` in ``settings.CLEARLINE_EVENT_JOURNAL_DIR``, then fsyncs the file and the
folder before the webhook answers. So is a call whose voice (or place) webhook answered the fallback because the
database failed (kind ``fallback``: the CallSid, the number dialled, when): replayed, it becomes the Call record,
outcome ``fallback``, that the call's later status callbacks apply to. Such a status callback, arriving once the
database is back but before the worker has replayed the call, finds no Call row: it is kept too
(``CallNotStoredYet``), after the call's own event.

The worker's ``replay_event_journal`` job calls ``replay``, which applies the kept events in the order they were
kept, through the same function the webhook uses (``apply``) and with the moment each was received, so the
records and line slots end as if the database had taken them at once.

One file shared by every web process, not one per process: the journal then has one order, the order the events
were written, with nothing to merge. Each event is a single ``write`` of one line to a descriptor opened with
``O_APPEND``, so concurrent writers never interleave (Linux takes the inode lock for the whole write on a local
file system; hence "local disk"). Writers hold a shared ``flock`` on the file while writing; ``replay`` renames
it to ``pending-<ns>.jsonl`` and takes an exclusive lock on it, which waits for writers already in it; a writer
that opened it just before the rename sees that the path now names another file (or none) and writes again to
the new ``events.jsonl``.

Replaying is at least once, and safe because the services are one-way state machines: a status older than the
call's present one changes nothing, and a call's lines are released once however often its final status is
applied. A pending file is removed, or rewritten without its applied events, only after they were applied. An
event the database still refuses stops the replay there (it and everything after it wait for the next run); a
line that is not a valid event, or an event that can never apply (an unknown call), is logged as an ERROR and
skipped, so it does not hold back the rest. Two replays at once (two workers) are serialised by an ``flock`` on
``replay.lock``: the second returns at once and applies nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, InterfaceError
from django.utils import timezone

from clearline.content.models import Helpline, HelplineKind
from clearline.routing import NumberKind
from clearline.telephony import services
from clearline.telephony.models import Call, CallOutcome

logger = logging.getLogger(__name__)


class CallNotStoredYet(Exception):
    """A status for a call the database does not have yet: its ``fallback`` event still waits in the journal."""


# The failures that mean "the database cannot take this now": the event is kept, not refused.
DATABASE_FAILURES = (DatabaseError, InterfaceError, CallNotStoredYet)

ACTIVE = "events.jsonl"
PENDING_GLOB = "pending-*.jsonl"
REPLAY_LOCK = "replay.lock"
VERSION = 1

# The only fields an event may carry, by kind; ``keep`` writes these and nothing else.
FIELDS: dict[str, tuple[str, ...]] = {
    "call_status": ("call_sid", "status", "duration_s", "received_at"),
    "leg_status": ("attempt", "status", "received_at"),
    "fallback": ("call_sid", "to", "received_at"),
}


class InvalidEvent(ValueError):
    """Not an event this module can apply (a corrupt or foreign journal line)."""


def status_event(
    *, call_sid: str, status: str, attempt: str | None, duration: str | None, received_at: dt.datetime
) -> dict[str, Any]:
    """A Twilio status callback as plain values: the provider leg's (with its attempt id) or the caller's call."""
    if attempt is not None:
        return {"kind": "leg_status", "attempt": attempt, "status": status, "received_at": received_at}
    return {
        "kind": "call_status",
        "call_sid": call_sid,
        "status": status,
        "duration_s": int(duration) if duration and duration.isdigit() else None,
        "received_at": received_at,
    }


def fallback_event(*, call_sid: str, to: str, received_at: dt.datetime) -> dict[str, Any]:
    """A call that got the fallback because the database failed: its CallSid and the number it dialled (one of
    ours, never the caller's)."""
    return {"kind": "fallback", "call_sid": call_sid, "to": to, "received_at": received_at}


def apply(event: dict[str, Any]) -> None:
    """Apply one event through the services, as of the moment it was received (the webhook and ``replay``)."""
    received = event["received_at"]
    if event["kind"] == "leg_status":
        services.record_leg_status(event["attempt"], event["status"], now=received)
    elif event["kind"] == "fallback":
        record_fallback_call(event["call_sid"], event["to"], received)
    else:
        try:
            services.advance_call_status(
                event["call_sid"], event["status"], duration_s=event["duration_s"], now=received
            )
        except services.TelephonyError:
            if not Call.objects.filter(call_sid=event["call_sid"]).exists() and awaits_fallback(
                event["call_sid"]
            ):
                raise CallNotStoredYet(event["call_sid"]) from None
            raise


def record_fallback_call(call_sid: str, to: str, received_at: dt.datetime) -> None:
    """The Call record of a call that got the fallback: created with outcome ``fallback`` (no plan, no
    disclosure version, no caller), or, when the call was stored before its webhook failed (a ``place`` answer),
    marked so while it is still pending. Idempotent."""
    helpline = Helpline.objects.filter(number=to).only("id", "kind").first()
    listing = helpline is not None and helpline.kind == HelplineKind.LISTING
    call, created = Call.objects.get_or_create(
        call_sid=call_sid,
        defaults={
            "helpline": helpline,
            "number_kind": (NumberKind.LISTING if listing else NumberKind.HELPLINE).value,
            "outcome": CallOutcome.FALLBACK,
        },
    )
    if created:
        Call.objects.filter(pk=call.pk).update(started_at=received_at)  # not the replay's moment
    else:
        Call.objects.filter(pk=call.pk, outcome=CallOutcome.PENDING).update(outcome=CallOutcome.FALLBACK)


def awaits_fallback(call_sid: str) -> bool:
    """Whether a ``fallback`` event for this call is kept on disk (the journal is empty but in an outage and for
    the seconds after, so this reads little)."""
    needle = json.dumps(call_sid).encode()
    where = folder()
    try:
        paths = [*sorted(where.glob(PENDING_GLOB)), where / ACTIVE]
    except OSError:
        return False
    for path in paths:
        try:
            text = path.read_bytes()
        except OSError:
            continue
        for line in text.split(b"\n"):
            if needle in line and b'"kind":"fallback"' in line:
                return True
    return False


def folder() -> Path:
    return Path(settings.CLEARLINE_EVENT_JOURNAL_DIR)


def encode(event: dict[str, Any]) -> bytes:
    """One line of JSON with the kind's fields only (anything else given, a caller's number say, is dropped)."""
    kind = event.get("kind")
    if kind not in FIELDS:
        raise InvalidEvent(f"Unknown event kind {kind!r}.")
    record: dict[str, Any] = {"v": VERSION, "kind": kind}
    for name in FIELDS[kind]:
        value = event.get(name)
        if name == "received_at":
            if not isinstance(value, dt.datetime) or timezone.is_naive(value):
                raise InvalidEvent("received_at must be an aware datetime.")
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int)):
            raise InvalidEvent(f"{name} must be plain text or a number.")
        record[name] = value
    return json.dumps(record, separators=(",", ":"), sort_keys=True).encode() + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidEvent("Not JSON.") from error
    if not isinstance(record, dict) or record.get("v") != VERSION or record.get("kind") not in FIELDS:
        raise InvalidEvent("Not a journal event.")
    kind = record["kind"]
    event: dict[str, Any] = {"kind": kind}
    for name in FIELDS[kind]:
        value = record.get(name)
        if name == "received_at":
            if not isinstance(value, str):
                raise InvalidEvent("Bad received_at.")
            try:
                value = dt.datetime.fromisoformat(value)
            except ValueError as error:
                raise InvalidEvent("Bad received_at.") from error
            if timezone.is_naive(value):
                raise InvalidEvent("received_at has no time zone.")
        elif name == "duration_s":
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise InvalidEvent("Bad duration_s.")
        elif not isinstance(value, str) or not value:
            raise InvalidEvent(f"Bad {name}.")
        event[name] = value
    return event


def _fsync_folder(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (opened.st_dev, opened.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def keep(event: dict[str, Any]) -> None:
    """Append the event to the journal, durably (file and folder fsynced) before returning; raises OSError
    (or ``InvalidEvent``) if it could not be kept."""
    line = encode(event)
    where = folder()
    where.mkdir(parents=True, exist_ok=True)
    path = where / ACTIVE
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
            if not _same_file(fd, path):
                continue  # ``replay`` took this file away between our open and our lock: write to the new one
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(f"Short write to the event journal ({written} of {len(line)} bytes).")
            os.fsync(fd)
        finally:
            os.close(fd)  # also releases the lock
        # The folder too (every time, not only when the file was created: another process may have created it
        # an instant ago and not yet made its name durable). A journal is only written while the database fails.
        _fsync_folder(where)
        return


@contextlib.contextmanager
def _replay_lock(where: Path) -> Iterator[bool]:
    fd = os.open(where / REPLAY_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _take_active(where: Path) -> None:
    """Move events.jsonl aside as the newest pending file, once every writer already in it has finished."""
    path = where / ACTIVE
    if not path.exists():
        return
    pending = where / f"pending-{time.time_ns():020d}.jsonl"
    os.rename(path, pending)
    _fsync_folder(where)
    fd = os.open(pending, os.O_RDONLY | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits for writers holding the shared lock
    finally:
        os.close(fd)


def _rewrite(path: Path, lines: list[bytes]) -> None:
    """Replace the pending file by its events not applied yet (atomically: a new file renamed over it)."""
    spare = path.with_suffix(".tmp")
    with open(spare, "wb") as out:
        out.write(b"".join(line + b"\n" for line in lines))
        out.flush()
        os.fsync(out.fileno())
    os.replace(spare, path)
    _fsync_folder(path.parent)


def _replay_file(path: Path) -> tuple[int, bool]:
    """Apply one pending file's events in order: (how many applied, whether the file is done)."""
    lines = path.read_bytes().split(b"\n")
    applied = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            event = decode(line)
        except InvalidEvent as error:
            logger.error("Event journal %s, line %d: %s Skipped.", path.name, index + 1, error)
            continue
        try:
            apply(event)
        except CallNotStoredYet:
            # Its call's event came first in the journal and did not apply: this one never will either.
            logger.error(
                "Event journal %s, line %d: a status for a call never stored; skipped", path.name, index + 1
            )
            continue
        except DATABASE_FAILURES:
            logger.warning(
                "The database still refuses kept call events; %d wait in %s for the next replay",
                sum(1 for rest in lines[index:] if rest.strip()),
                path.name,
                exc_info=True,
            )
            if index:
                _rewrite(path, [rest for rest in lines[index:] if rest.strip()])
            return applied, False
        except Exception:
            logger.exception(
                "Event journal %s, line %d: a %s event that can never apply; skipped",
                path.name,
                index + 1,
                event["kind"],
            )
            continue
        applied += 1
    path.unlink()
    _fsync_folder(path.parent)
    return applied, True


def replay(now: dt.datetime | None = None) -> int:
    """Apply every kept event, oldest first; returns how many were applied (0 if another replay is running)."""
    where = folder()
    if not where.is_dir():
        return 0
    with _replay_lock(where) as held:
        if not held:
            return 0
        _take_active(where)
        applied = 0
        for path in sorted(where.glob(PENDING_GLOB)):
            done, finished = _replay_file(path)
            applied += done
            if not finished:
                break
    if applied:
        moment = now or timezone.now()
        logger.warning("Applied %d call events kept while the database was failing (at %s)", applied, moment)
    return applied
