"""Scheduled background jobs, run by the worker (`loket worker`).

Apps register their jobs in AppConfig.ready. Every job is idempotent and safe to run twice or
concurrently, so the worker may be restarted at any moment and several may run side by side.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], object]
    every_seconds: float


_jobs: dict[str, Job] = {}


def register_job(name: str, run: Callable[[], object], *, every_seconds: float) -> None:
    _jobs[name] = Job(name=name, run=run, every_seconds=every_seconds)


def registered_jobs() -> list[Job]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def run_jobs(names: list[str] | None = None) -> dict[str, object]:
    """Run the named jobs (all when None) once; a failing job is logged and does not stop the rest."""
    results: dict[str, object] = {}
    for job in registered_jobs():
        if names is not None and job.name not in names:
            continue
        try:
            results[job.name] = job.run()
        except Exception as exc:  # logged and retried on the next round
            log.exception("job %s failed", job.name)
            results[job.name] = exc
    return results


def run_forever(*, tick: float = 1.0, stop: Callable[[], bool] = lambda: False) -> None:
    """The in-process worker loop: runs each job when its interval has passed."""
    last_run: dict[str, float] = {}
    while not stop():
        moment = time.monotonic()
        for job in registered_jobs():
            if moment - last_run.get(job.name, -1e18) >= job.every_seconds:
                last_run[job.name] = moment
                run_jobs([job.name])
        time.sleep(tick)


def start_in_background(*, tick: float = 1.0):
    """The embedded worker: the same jobs in a daemon thread of this process (demo, small installs)."""
    import threading

    from django.db import close_old_connections

    def loop():
        try:
            run_forever(tick=tick)
        finally:
            close_old_connections()

    thread = threading.Thread(target=loop, name="loket-worker", daemon=True)
    thread.start()
    return thread
