"""Load run for the service desk on loopback: gunicorn with 2 workers, wrk as the client.

    .venv/bin/python bench/desk_load.py --database-url postgres://postgres@127.0.0.1:5432/loket_bench

Fill the database first with bench/generate.py (1M tickets and 50,000 employees for the issue's
targets). The script takes a front-office agent (team SERVICEDESK) and a back-office agent (the
ICT back office), gives each a login (`bench-desk-<employee number>`, no usable password) and a
session, counts each page's SQL queries in-process, starts gunicorn and measures with wrk:

- GET /desk/?wachtrij=team              (a queue page of 50 rows, newest changes first);
- GET /desk/?wachtrij=unassigned&sorteer=due  (unassigned, by due date);
- GET /desk/medewerkers/?q=...          (the caller type-ahead; wrk cycles through name parts,
  employee numbers and e-mail starts).

Targets (issue 6), on PostgreSQL with 1M tickets: a queue page p95 <= 30 ms with at most 10 SQL
queries whatever the number of rows; type-ahead p95 <= 50 ms over 50,000 employees. The default
of 2 connections keeps one request in flight per worker: latency without queueing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

from _load import SESSION_KEY, django_json, gunicorn, load_env, print_table, wrk
from portal_load import CHECK, check_page

QUEUES = ("/desk/?wachtrij=team", "/desk/?wachtrij=unassigned&sorteer=due")
LOOKUP = "/desk/medewerkers/"
TARGETS = {"queue": 30.0, "lookup": 50.0}
MAX_QUEUE_QUERIES = 10

PREPARE = (
    SESSION_KEY
    + """
import json

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from loket.people.models import Employee, Team, TeamMembership
from loket.people.services import grant_login

QUEUES = %(queues)r
LOOKUP = %(lookup)r


def queries(key, pages):
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    counts = {}
    for page in pages:
        per_request = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page)
            if response.status_code != 200:
                raise SystemExit(f"{page}: status {response.status_code} {response.get('Location', '')}")
            rows = response.content.decode().count('name="tickets"')
            per_request.append((len(captured.captured_queries), rows))
        counts[page] = per_request
    return counts


def agent(kind):
    membership = (
        TeamMembership.objects.filter(team__kind=kind, team__active=True, employee__active=True)
        .select_related("employee")
        .order_by("team__code", "employee__employee_number")
        .first()
    )
    if membership is None:
        raise SystemExit(f"no member of a {kind} team: run bench/generate.py first")
    return membership.employee


# Name parts, numbers and e-mail starts as agents type them: 2 to 4 characters, as found.
people = Employee.objects.filter(active=True).order_by("pk")
people = list(people.values_list("last_name", "employee_number", "email")[:2000:20])
terms = []
for last, number, email in people:
    terms += [last[:3].lower(), number, email[:4].lower()]
agents = {}
for label, kind in (("front office", Team.Kind.FRONT_OFFICE), ("back office", Team.Kind.BACK_OFFICE)):
    employee = agent(kind)
    user = grant_login(employee=employee, username="bench-desk-" + employee.employee_number)
    key = session_key(user)
    agents[label] = {
        "number": employee.employee_number,
        "username": user.username,
        "cookie": settings.SESSION_COOKIE_NAME + "=" + key,
        "queries": queries(key, [*QUEUES, LOOKUP + "?q=" + terms[0]]),
    }
print(json.dumps({
    "employees": Employee.objects.filter(active=True).count(),
    "agents": agents,
    "terms": terms,
}))
"""
)

# wrk: each request asks for the next search term.
LOOKUP_SCRIPT = """
terms = {%(terms)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "%(path)s?q=" .. terms[(i %% #terms) + 1])
end
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--duration", type=int, default=20, help="seconds per run (default 20)")
    parser.add_argument("--connections", type=int, default=2, help="open connections (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="loket-load-"))
    env = load_env(args.database_url)
    try:
        data = django_json(PREPARE % {"queues": QUEUES, "lookup": LOOKUP}, env)
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stderr or "")
        raise SystemExit("preparing the agents failed (output above)") from None
    # URL-encoded, so that Lua reads them as plain ASCII strings
    terms = ", ".join(json.dumps(quote(term)) for term in data["terms"])
    load_before = os.getloadavg()[0]
    runs, missed = {}, []
    try:
        with gunicorn(env, workers=args.workers) as base:
            for label, agent in data["agents"].items():
                headers = [f"Cookie: {agent['cookie']}"]
                options = {"headers": headers, "connections": args.connections, "workdir": workdir}
                pages = [(page, CHECK, "queue") for page in QUEUES]
                pages.append((LOOKUP, CHECK + LOOKUP_SCRIPT % {"terms": terms, "path": LOOKUP}, "lookup"))
                for page, script, kind in pages:
                    if kind == "queue":  # the lookup answers a fragment; wrk's check below covers it
                        check_page(base + page, agent["cookie"])
                    wrk(base + page, duration=3, script=script, **options)
                    run = wrk(base + page, duration=args.duration, script=script, **options)
                    if run["bad"] or run["errors"]:
                        raise SystemExit(
                            f"GET {page} as {agent['username']}: {run['bad']} answers other than 200 "
                            f"(first: {run['first_bad']}), {run['errors']} errors"
                        )
                    key = page if kind == "queue" else LOOKUP + "?q=" + data["terms"][0]
                    (cold, rows), (warm, _rows) = agent["queries"][key]
                    run["queries"] = warm if cold == warm else f"{warm} (first {cold})"
                    run["rows"] = rows if kind == "queue" else ""
                    ok = run["p95"] <= TARGETS[kind] and (kind != "queue" or warm <= MAX_QUEUE_QUERIES)
                    run["target"] = "met" if ok else "**not met**"
                    name = f"GET {page} ({label})"
                    runs[name] = run
                    if not ok:
                        missed.append(name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"active employees: {data['employees']:,}; type-ahead terms: {len(data['terms'])}")
    for label, agent in data["agents"].items():
        print(f"{label}: {agent['number']} ({agent['username']})")
    print(
        f"gunicorn workers: {args.workers}; wrk: 2 threads, {args.connections} connections, {args.duration} s"
    )
    print(f"load average (1 min): {load_before:.2f} before, {os.getloadavg()[0]:.2f} after")
    print_table(runs, {"rows": "rows", "SQL queries": "queries", "target": "target"})
    print(
        "Targets (issue 6) queue p95 <= 30 ms and <= 10 queries, type-ahead p95 <= 50 ms: "
        + ("met." if not missed else "not met for " + "; ".join(missed) + ".")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
