"""`clearline worker`: run background jobs from the database queue and enqueue periodic jobs when due.

A thin wrapper around django-tasks-db's worker (the database backend): the scheduler runs in a daemon thread
and the worker loop in the main thread, which handles SIGINT/SIGTERM by finishing the current job and exiting.
Several workers may run against one PostgreSQL database; each periodic run is claimed by exactly one.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from clearline.lib.scheduler import enqueue_due_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the background worker (job queue plus periodic jobs). Stops cleanly on Ctrl-C or SIGTERM."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls of the queue.")
        parser.add_argument(
            "--batch", action="store_true", help="Run due jobs until the queue is empty, then exit."
        )
        parser.add_argument("--no-scheduler", action="store_true", help="Do not enqueue periodic jobs.")

    def handle(self, *args: Any, interval: float, batch: bool, no_scheduler: bool, **options: Any) -> None:
        stop = threading.Event()
        if not no_scheduler:
            if batch:
                enqueue_due_jobs()
            else:
                threading.Thread(target=self.schedule, args=(stop, interval), daemon=True).start()
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=f"clearline-{threading.get_native_id()}",
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run()
        finally:
            stop.set()

    def schedule(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            try:
                enqueue_due_jobs()
            except Exception:
                logger.exception("Scheduler step failed; retrying at the next tick")
            finally:
                close_old_connections()
            stop.wait(max(interval, 5.0))
