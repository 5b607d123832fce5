"""The background worker: jobs go through the database queue and periodic jobs are enqueued once per interval."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clearline.content.models import DisclosureVersion
from clearline.content.tests.conftest import add_provider
from clearline.lib.models import PeriodicJob
from clearline.lib.scheduler import claim_due_job, enqueue_due_jobs

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
REFRESH = "clearline.content.tasks.refresh_disclosure_version"


# The worker closes stale connections between jobs (as it must in production), which a test wrapped in a
# transaction cannot survive on PostgreSQL: these tests commit for real.
@pytest.mark.django_db(transaction=True)
def test_a_roster_change_is_queued_and_the_worker_runs_it(settings):
    settings.TASKS = DATABASE_QUEUE
    add_provider("Alder Recovery")
    queued = DBTaskResult.objects.filter(task_path=REFRESH)
    assert queued.count() >= 1
    assert not DisclosureVersion.objects.exists()

    call_command("worker", batch=True, no_scheduler=True, interval=0.01)

    assert set(queued.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert [entry["name"] for entry in DisclosureVersion.objects.latest().roster] == ["Alder Recovery"]


def test_periodic_jobs_are_enqueued_once_per_interval(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.CLEARLINE_PERIODIC_TASKS = [(REFRESH, 300)]
    now = timezone.now()
    assert enqueue_due_jobs(now) == [REFRESH]
    assert enqueue_due_jobs(now + dt.timedelta(seconds=299)) == []
    assert enqueue_due_jobs(now + dt.timedelta(seconds=300)) == [REFRESH]
    assert DBTaskResult.objects.filter(task_path=REFRESH).count() == 2


def test_only_one_worker_claims_a_due_run():
    now = timezone.now()
    PeriodicJob.objects.create(name="job", last_enqueued_at=now - dt.timedelta(hours=1))
    assert claim_due_job("job", 60, now) is True
    assert claim_due_job("job", 60, now) is False


@pytest.mark.django_db(transaction=True)
def test_the_worker_batch_mode_runs_due_periodic_jobs(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.CLEARLINE_PERIODIC_TASKS = [(REFRESH, 300)]
    call_command("worker", batch=True, interval=0.01)
    assert DisclosureVersion.objects.count() == 1
