"""The production worker path: a real Celery worker, with Redis on 127.0.0.1:6379 as broker,
runs the same jobs as the embedded worker. Skipped (with the reason) where no Redis answers;
the embedded path is tested in loket/sla/tests and loket/webhooks/tests."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from loket.sla.models import TicketClock
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

REDIS = ("127.0.0.1", 6379)
BROKER = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def celery_worker():
    if not redis_answers():
        pytest.skip("no Redis on 127.0.0.1:6379: the Celery path cannot run here")
    from celery.contrib.testing.worker import start_worker

    from loket.celery import app

    app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


def test_a_real_celery_worker_runs_the_sla_sweep_through_redis(org, requester, celery_worker):
    from loket.celery import run_job

    created = timezone.now() - timedelta(days=30)
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=created)
    assert TicketClock.objects.get(ticket=ticket).state == TicketClock.State.ON_TIME

    summary = run_job.delay("sla").get(timeout=30)

    assert "breached 1" in summary
    assert TicketClock.objects.get(ticket=ticket).state == TicketClock.State.BREACHED


def test_beat_schedules_every_registered_job():
    from loket.celery import app
    from loket.core import jobs

    app.loader.import_default_modules()
    app.finalize()
    scheduled = {entry["args"][0] for entry in app.conf.beat_schedule.values()}
    assert {job.name for job in jobs.registered_jobs()} <= scheduled
    assert {"outbox", "webhooks", "sla"} <= scheduled
