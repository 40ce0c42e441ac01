"""Load run for the employee portal's pages on loopback: gunicorn with 2 workers, wrk as the client.

    .venv/bin/python bench/portal_load.py --database-url postgres://postgres@127.0.0.1:5432/loket_bench

Fill the database first with bench/generate.py (1M tickets for the issue's targets). The script
picks two employees who are not desk or back-office staff: the requester with the most tickets
and one with the median number. It gives each a login (`bench-portal-<employee number>`, no
usable password) and a session made with django.contrib.auth's login(), counts each page's SQL
queries in-process, starts gunicorn and measures with wrk (Debian package `wrk`), as each of them:

- GET /                          (home: announcements, popular items, themes, own open requests);
- GET /meldingen/                (Mijn meldingen, open ones);
- GET /meldingen/?toon=alle&pagina=2  (all of them, second page of 25).

Every response must be a 200 of the logged-in page; a redirect to /inloggen/ or an error stops the
script. Target (issue 5): p95 <= 50 ms with 1M tickets in the database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from _load import SESSION_KEY, django_json, gunicorn, load_env, print_table, wrk

PAGES = ("/", "/meldingen/", "/meldingen/?toon=alle&pagina=2")
TARGET_P95_MS = 50.0

PREPARE = (
    SESSION_KEY
    + """
import json

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from loket.people.models import Employee, TeamMembership
from loket.people.services import grant_login
from loket.tickets.models import Ticket
from loket.tickets.selectors import requests_of

PAGES = %(pages)r


def queries(key):
    # SQL statements per page: the first request of a process, then the steady state.
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    counts = {}
    for page in PAGES:
        per_request = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page)
            if response.status_code != 200:
                raise SystemExit(f"{page}: status {response.status_code} {response.get('Location', '')}")
            per_request.append(len(captured.captured_queries))
        counts[page] = per_request
    return counts


# The portal's users: requesters who are in no team. One line per case, as Mijn meldingen counts.
staff = TeamMembership.objects.values("employee_id")
ranked = list(
    Ticket.objects.filter(parent__isnull=True)
    .exclude(requester_id__in=staff)
    .values("requester_id")
    .annotate(n=Count("id"))
    .order_by("-n", "requester_id")
    .values_list("requester_id", flat=True)
)
picks = {"most": ranked[0], "median": ranked[len(ranked) // 2]}
employees = {}
for label, pk in picks.items():
    employee = Employee.objects.get(pk=pk)
    user = grant_login(employee=employee, username="bench-portal-" + employee.employee_number)
    if not user.is_active:
        raise SystemExit(f"the login of {employee.employee_number} ({user.username}) is not active")
    key = session_key(user)
    employees[label] = {
        "number": employee.employee_number,
        "username": user.username,
        # As Mijn meldingen counts them: all, and those on the open list.
        "tickets": requests_of(user).count(),
        "open": requests_of(user, open_only=True).count(),
        "cookie": settings.SESSION_COOKIE_NAME + "=" + key,
        "queries": queries(key),
    }
print(json.dumps({"tickets": Ticket.objects.count(), "requesters": len(ranked), "employees": employees}))
"""
)

# Counts every answer that is not a 200 (wrk itself only counts 4xx and 5xx, not a redirect to
# the login page) and keeps the first one's status and Location for the report.
CHECK = """
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
bad = 0
first_bad = ""
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if first_bad == "" then
      first_bad = status .. " " .. (headers["Location"] or headers["location"] or "")
    end
  end
end
report_extra = function()
  local total, sample = 0, ""
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
    if sample == "" then sample = thread:get("first_bad") end
  end
  return string.format(', "bad": %d, "first_bad": "%s"', total, sample)
end
"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_page(url: str, cookie: str) -> None:
    """One request before the load: the logged-in page, not the login page or an error."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310 (loopback)
    try:
        with opener.open(request, timeout=30) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        raise SystemExit(f"GET {url}: {error.code} {error.headers.get('Location', '')}") from None
    if status != 200 or 'name="password"' in body or 'action="/uitloggen/"' not in body:
        raise SystemExit(f"GET {url}: {status}, but not the logged-in page")


def prepare(env: dict) -> dict:
    try:
        return django_json(PREPARE % {"pages": PAGES}, env)
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stderr or "")
        raise SystemExit("preparing the employees failed (output above)") from None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--duration", type=int, default=20, help="seconds per run (default 20)")
    parser.add_argument(
        "--connections",
        type=int,
        default=2,
        help="open connections (default 2: one request in flight per worker, the latency targets' setting; "
        "more connections measure throughput, with requests queueing behind each other)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="loket-load-"))
    env = load_env(args.database_url)
    data = prepare(env)
    load_before = os.getloadavg()[0]
    runs = {}
    try:
        with gunicorn(env, workers=args.workers) as base:
            for label, employee in data["employees"].items():
                headers = [f"Cookie: {employee['cookie']}"]
                for page in PAGES:
                    check_page(base + page, employee["cookie"])
                    options = {"headers": headers, "script": CHECK, "connections": args.connections}
                    wrk(base + page, duration=3, workdir=workdir, **options)
                    run = wrk(base + page, duration=args.duration, workdir=workdir, **options)
                    if run["bad"] or run["errors"]:
                        raise SystemExit(
                            f"GET {page} as {employee['username']}: {run['bad']} answers other than "
                            f"200 (first: {run['first_bad']}), {run['errors']} errors"
                        )
                    cold, warm = employee["queries"][page]
                    run["queries"] = warm if cold == warm else f"{warm} (first {cold})"
                    run["target"] = "met" if run["p95"] <= TARGET_P95_MS else "**not met**"
                    runs[f"GET {page} ({label}, {employee['tickets']} tickets)"] = run
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"tickets in the database: {data['tickets']:,}; requesters in no team: {data['requesters']:,}")
    for label, employee in data["employees"].items():
        print(
            f"{label}: {employee['number']} ({employee['username']}), "
            f"{employee['tickets']} tickets, {employee['open']} on the open list"
        )
    print(
        f"gunicorn workers: {args.workers}; wrk: 2 threads, {args.connections} connections, {args.duration} s"
    )
    print(
        f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after; wrk, gunicorn and "
        "PostgreSQL share the machine, so anything else running skews the figures"
    )
    print_table(runs, {"SQL queries": "queries", f"p95 <= {TARGET_P95_MS:.0f} ms": "target"})
    missed = [name for name, run in runs.items() if run["p95"] > TARGET_P95_MS]
    print(
        f"Target (issue 5) p95 <= {TARGET_P95_MS:.0f} ms: "
        + ("met on every page." if not missed else "not met for " + "; ".join(missed) + ".")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
