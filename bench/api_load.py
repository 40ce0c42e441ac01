"""Load run for the JSON API on loopback: gunicorn with 2 workers, wrk as the client.

    .venv/bin/python bench/api_load.py --database-url postgres://postgres@127.0.0.1:5432/loket_bench

Fill the database first with bench/generate.py (1M tickets for the issue's targets). The script
gives a desk agent and an employee of that organisation a login and an API token, starts
gunicorn, and measures with wrk (Debian package `wrk`):

- GET /api/v1/tickets?status=open as the desk agent and as the employee (latency percentiles);
- POST /api/v1/tickets as the agent, each request with its own Idempotency-Key (throughput).

Targets (issue 3): create >= 400 per second, list p95 <= 30 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from _load import django_json, gunicorn, load_env, print_table
from _load import wrk as run_wrk

CREATE = """
requesters = {%(requesters)s}
local counter = 0
setup = function(thread)
  threads_started = (threads_started or 0) + 1
  thread:set("thread_id", "%(run)s-" .. threads_started)
end
request = function()
  counter = counter + 1
  local body = '{"subject": "Laptop start niet op",'
    .. ' "description": "Sinds vanochtend blijft het scherm zwart.", "kwis": "S",'
    .. ' "requester": "' .. requesters[math.random(#requesters)] .. '", "channel": "phone",'
    .. ' "impact": 3, "urgency": 2}'
  wrk.headers["Idempotency-Key"] = "bench-" .. thread_id .. "-" .. counter
  return wrk.format("POST", "/api/v1/tickets", nil, body)
end
"""


def prepare(env: dict) -> dict:
    """Logins and tokens for an agent of the front office and an employee with tickets."""
    script = """
import json
from django.db.models import Count
from loket.api.services import create_token
from loket.people.models import Employee, TeamMembership
from loket.people.services import grant_login
from loket.tickets.models import Ticket

def login(username, pick):
    # The employee behind `username`; the first run gives pick() that login.
    employee = Employee.objects.filter(user__username=username).first()
    if employee is None:
        employee = pick()
        grant_login(employee=employee, username=username, password="bench-only-" + username)
        employee.refresh_from_db()
    return employee

agent = login("bench-agent", lambda: TeamMembership.objects.filter(team__code="SERVICEDESK").first().employee)
last_requester = Ticket.objects.order_by("-id").values_list("requester_id", flat=True).first()
employee = login("bench-employee", lambda: Employee.objects.get(pk=last_requester))
agent, user = agent.user, employee.user
print(json.dumps({
    "agent": create_token(user=agent, name="bench", days=1)[1],
    "employee": create_token(user=user, name="bench", days=1)[1],
    # Creates are spread over 1,000 requesters, not the employee whose list is measured.
    "requesters": list(
        Employee.objects.filter(active=True)
        .exclude(pk=employee.pk)
        .order_by("?")
        .values_list("employee_number", flat=True)[:1000]
    ),
    "tickets": Ticket.objects.count(),
    "employee_tickets": Ticket.objects.filter(requester=employee).count(),
}))
"""
    return django_json(script, env)


def wrk(url: str, *, token: str, script: str, duration: int, connections: int, workdir: Path) -> dict:
    headers = [f"Authorization: Bearer {token}", "Content-Type: application/json"]
    return run_wrk(
        url, headers=headers, script=script, duration=duration, connections=connections, workdir=workdir
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--duration", type=int, default=20, help="seconds per run (default 20)")
    parser.add_argument("--connections", type=int, default=8, help="open connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (default 1)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="loket-load-"))
    env = load_env(args.database_url)
    data = prepare(env)
    try:
        with gunicorn(env, workers=args.workers) as base:
            runs = {}
            list_url = f"{base}/api/v1/tickets?status=open"
            for who in ("agent", "employee"):
                wrk(
                    list_url,
                    token=data[who],
                    script="",
                    duration=3,
                    connections=args.connections,
                    workdir=workdir,
                )
                runs[f"GET /api/v1/tickets?status=open ({who})"] = wrk(
                    list_url,
                    token=data[who],
                    script="",
                    duration=args.duration,
                    connections=args.connections,
                    workdir=workdir,
                )
            requesters = ", ".join(f'"{number}"' for number in data["requesters"])
            create = CREATE % {"requesters": requesters, "run": f"{time.time_ns():x}"}
            runs["POST /api/v1/tickets (agent, Idempotency-Key)"] = wrk(
                f"{base}/api/v1/tickets",
                token=data["agent"],
                script=create,
                duration=args.duration,
                connections=args.connections,
                workdir=workdir,
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"tickets in the database: {data['tickets']:,}; the employee's own: {data['employee_tickets']}")
    print(
        f"gunicorn workers: {args.workers}; wrk: 2 threads, {args.connections} connections, {args.duration} s"
    )
    print_table(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
