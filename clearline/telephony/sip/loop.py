"""The SIP thread's loop without pjsua2: timers, work deferred out of callbacks, and flow jobs run on a thread
pool one at a time per owner (a call), their results applied back on the SIP thread. ``controller.Controller``
adds pjsua2 to it; tests can drive it alone."""

from __future__ import annotations

import concurrent.futures
import heapq
import itertools
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


class Timer:
    __slots__ = ("cancelled", "then")

    def __init__(self, then: Callable[[], None]) -> None:
        self.then, self.cancelled = then, False

    def cancel(self) -> None:
        self.cancelled = True


class Loop:
    def __init__(self, flow_lock: threading.Lock | None = None) -> None:
        # Held around each flow job when given: tests on SQLite read the same in-memory database in between.
        self.flow_lock = flow_lock
        self.executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._later: deque[Callable[[], None]] = deque()
        self._timers: list[tuple[float, int, Timer]] = []
        self._seq = itertools.count()
        self._done: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
        self._jobs: dict[int, tuple[int, Callable[[Any], None]]] = {}
        self._queues: dict[int, deque[tuple[Callable[[], Any], Callable[[Any], None]]]] = {}
        self._owners: dict[int, Any] = {}

    def start_jobs(self, threads: int, initializer: Callable[[], None] | None = None) -> None:
        self.executor = concurrent.futures.ThreadPoolExecutor(
            threads, thread_name_prefix="sip-flow", initializer=initializer
        )

    def stop_jobs(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
        self._later.clear()
        self._timers.clear()
        self._jobs.clear()
        self._queues.clear()
        self._owners.clear()

    @property
    def busy(self) -> bool:
        return bool(self._owners)

    def owner_busy(self, owner: Any) -> bool:
        return id(owner) in self._owners

    def wait_ms(self, longest: int = 20) -> int:
        """How long the SIP thread may wait for network events before a timer is due."""
        if not self._timers:
            return longest
        return max(0, min(longest, int((self._timers[0][0] - time.monotonic()) * 1000)))

    def run_due(self) -> None:
        """Deferred work, finished jobs' results, then due timers (and what they deferred)."""
        self._run_later()
        while True:
            try:
                job, result = self._done.get_nowait()
            except queue.Empty:
                break
            self._finish(job, result)
        now = time.monotonic()
        while self._timers and self._timers[0][0] <= now:
            _, _, timer = heapq.heappop(self._timers)
            if not timer.cancelled:
                self._call(timer.then)
        self._run_later()

    def later(self, then: Callable[[], None]) -> None:
        """Run ``then`` on the SIP thread after the current callback (any thread may call this)."""
        self._later.append(then)

    def after(self, seconds: float, then: Callable[[], None]) -> Timer:
        timer = Timer(then)
        heapq.heappush(self._timers, (time.monotonic() + seconds, next(self._seq), timer))
        return timer

    def submit(self, owner: Any, work: Callable[[], Any], then: Callable[[Any], None]) -> None:
        """``work()`` on a flow thread, then ``then(result or exception)`` here; one at a time per ``owner``."""
        key = id(owner)
        waiting = self._queues.setdefault(key, deque())
        waiting.append((work, then))
        if key not in self._owners:
            self._owners[key] = owner
            self._next_job(key)

    def jobs_done(self, owner: Any) -> None:
        """Called when an owner's last job is done (the controller forgets a call that has ended)."""

    def _run_later(self) -> None:
        while self._later:
            self._call(self._later.popleft())

    def _call(self, then: Callable[[], None]) -> None:
        try:
            then()
        except Exception:
            logger.exception("SIP call controller: an event handler failed")

    def _next_job(self, key: int) -> None:
        waiting = self._queues.get(key)
        if not waiting:
            self._queues.pop(key, None)
            owner = self._owners.pop(key, None)
            if owner is not None:
                self._call(lambda: self.jobs_done(owner))
            return
        work, then = waiting.popleft()
        job = next(self._seq)
        self._jobs[job] = (key, then)
        assert self.executor is not None, "start_jobs() first"
        self.executor.submit(self._work, job, work)

    def _work(self, job: int, work: Callable[[], Any]) -> None:
        try:
            if self.flow_lock is not None:
                with self.flow_lock:
                    result = work()
            else:
                result = work()
        except Exception as error:
            result = error
        self._done.put((job, result))

    def _finish(self, job: int, result: Any) -> None:
        key, then = self._jobs.pop(job)
        self._call(lambda: then(result))
        self._next_job(key)
