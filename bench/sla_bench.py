"""SLA benchmarks: due-date arithmetic and the sweep over 100,000 open tickets (SQLite).

    .venv/bin/python bench/sla_bench.py [--tickets 100000] [--keep]

1. Due dates: `WorkingCalendar.add` for random starts and norms on the Dutch office calendar
   (Monday-Friday 08:30-17:00 with public holidays), cold (first time each day is seen) and warm.
2. The sweep: a fresh SQLite database in a temporary folder with the demo organisation, then
   `--tickets` open tickets with running clocks (written with bulk_create, bypassing the services
   for speed; due times computed by the engine), started over the last 15 working days with norms
   from 4 hours to 10 days, and three escalation rules. Times `sla.services.sweep()` at now (a
   realistic share changes state), again at now (nothing left to do), and 60 days later (every
   clock breaches: the worst case).

Targets (issue 4): sweep over 100,000 open tickets <= 5 s on SQLite; a due date < 50 us on average.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def due_dates(count: int) -> None:
    from loket.sla.business_time import _open_ranges
    from loket.sla.services import build_working_calendar

    calendar = build_working_calendar(hours=("08:30-17:00",) * 5 + ("", ""), key="bench")
    rng = random.Random(1)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    cases = [
        (base + timedelta(minutes=rng.randrange(0, 365 * 1440)), rng.choice([60, 240, 480, 960, 2400, 4800]))
        for _ in range(count)
    ]
    _open_ranges.cache_clear()
    started = time.perf_counter()
    for start, minutes in cases:
        calendar.add(start, minutes)
    cold = (time.perf_counter() - started) / count * 1e6
    started = time.perf_counter()
    for start, minutes in cases:
        calendar.add(start, minutes)
    warm = (time.perf_counter() - started) / count * 1e6
    print(f"due date: {cold:.1f} us on average in the first pass, {warm:.1f} us once every day is cached")


def sweep_run(tickets: int) -> None:
    from django.core.management import call_command
    from django.utils import timezone

    from loket.demo.loader import load_demo
    from loket.people.models import Employee, Team
    from loket.sla import services as sla
    from loket.sla.models import TicketClock
    from loket.tickets.models import Ticket

    call_command("migrate", verbosity=0)
    load_demo()
    now = timezone.now()
    calendar = sla.default_calendar()
    engine = sla.working_calendar(calendar)
    requesters = list(Employee.objects.values_list("pk", flat=True)[:200])
    teams = list(Team.objects.values_list("pk", flat=True))
    rng = random.Random(2)
    started = time.perf_counter()
    batch = 5000
    first_number = 900000
    for offset in range(0, tickets, batch):
        rows, clocks = [], []
        for i in range(offset, min(offset + batch, tickets)):
            created = engine.add(now - timedelta(days=21), rng.randrange(0, 15 * 510))
            if created > now:
                created = now - timedelta(minutes=rng.randrange(1, 600))
            rows.append(
                Ticket(
                    number=f"B{first_number + i:07d}",
                    requester_id=rng.choice(requesters),
                    channel="portal",
                    kwis="S",
                    team_id=rng.choice(teams),
                    impact=3,
                    urgency=2,
                    priority=rng.choice([2, 3, 4]),
                    subject="Bench",
                    status="in_progress",
                    created_at=created,
                    updated_at=created,
                )
            )
        Ticket.objects.bulk_create(rows)
        for ticket in rows:
            minutes = rng.choice([240, 480, 960, 2400, 4800])
            clock = TicketClock(
                ticket=ticket,
                calendar=calendar,
                response_minutes=min(240, minutes),
                resolution_minutes=minutes,
                started_at=ticket.created_at,
                updated_at=ticket.created_at,
            )
            sla._due_times(clock, engine)
            clock.responded_at = ticket.created_at if rng.random() < 0.8 else None
            clocks.append(clock)
        TicketClock.objects.bulk_create(clocks)
    print(f"made {tickets:,} open tickets with clocks in {time.perf_counter() - started:.1f} s")
    for label, moment in (("now", now), ("now, again", now), ("60 days later", now + timedelta(days=60))):
        started = time.perf_counter()
        if os.environ.get("SLA_BENCH_PROFILE") and label == "now":
            import cProfile
            import pstats

            profile = cProfile.Profile()
            result = profile.runcall(sla.sweep, now=moment)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(18)
        else:
            result = sla.sweep(now=moment)
        print(f"sweep at {label}: {time.perf_counter() - started:.2f} s ({result})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--due-dates", type=int, default=100_000, help="due dates to compute")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loket-sla-bench-"))
    os.environ.update({"DJANGO_SETTINGS_MODULE": "loket.settings", "LOKET_VAR_DIR": str(folder)})
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    try:
        due_dates(args.due_dates)
        sweep_run(args.tickets)
    finally:
        if args.keep:
            print(f"database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
