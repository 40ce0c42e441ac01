"""Celery, for production: Redis as the broker, the same jobs as the embedded worker.

    celery -A loket worker -l info      # runs the jobs it is sent
    celery -A loket beat -l info        # sends every registered job on its interval

Without Redis, `loket worker` (or the demo's thread) runs the same jobs in-process. A job is an
idempotent function registered in `loket.core.jobs`, so it does not matter which runner runs it,
or whether two run it at once.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

app = Celery("loket")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.task(name="loket.run_job", acks_late=True, ignore_result=False)
def run_job(name: str) -> str:
    """Run one registered job by name; a failure is raised so Celery records it."""
    from loket.core import jobs

    result = jobs.run_jobs([name]).get(name)
    if isinstance(result, Exception):
        raise result
    return str(result)


@app.on_after_finalize.connect
def schedule_jobs(sender, **kwargs) -> None:
    """Beat sends every registered job on its own interval."""
    from loket.core import jobs

    for job in jobs.registered_jobs():
        sender.add_periodic_task(job.every_seconds, run_job.s(job.name), name=f"loket:{job.name}")
