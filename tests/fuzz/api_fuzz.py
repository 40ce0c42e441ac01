"""Schemathesis against the live API: zero 5xx and zero responses that break the schema.

Run by `make fuzz` (part of `make test`): a fresh demo database (SQLite in a temporary folder,
or the PostgreSQL database in DATABASE_URL, whose name must end in _fuzz: it is dropped and made
anew), gunicorn on a free loopback port, then schemathesis over every
operation twice: with a desk agent's token (path parameters fixed to real objects, so the
operations do their work) and with an employee's token (random path parameters too).

    python tests/fuzz/api_fuzz.py [--max-examples N] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def loket(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "loket"), *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return result.stdout.strip()


def fresh_postgres(url: str) -> None:
    import dj_database_url
    import psycopg

    name = dj_database_url.parse(url)["NAME"]
    if not name.endswith("_fuzz"):
        raise SystemExit(f"refusing to drop {name!r}: the fuzz database's name must end in _fuzz")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict) -> dict:
    """Demo data, two tokens and real objects for the path parameters."""
    loket(env, "demo", "--no-server")
    script = """
import json
from loket.api.services import create_token_for_username
from loket.tickets.models import Attachment, Ticket
from loket.people.models import Employee
from loket.catalog.models import CatalogItem
agent = create_token_for_username(username="servicedesk", name="fuzz", days=1)[1]
employee = create_token_for_username(username="medewerker", name="fuzz", days=1)[1]
me = Employee.objects.get(user__username="medewerker")
own = Ticket.objects.filter(requester=me).order_by("-id").first()
open_ticket = Ticket.objects.filter(status="new", confidential=False).order_by("-id").first()
print(json.dumps({"agent": agent, "employee": employee, "agent_ticket": open_ticket.number,
    "employee_ticket": own.number, "item": CatalogItem.objects.filter(active=True).first().code}))
"""
    import json

    return json.loads(loket(env, "shell", "-c", script).splitlines()[-1])


def schemathesis(url: str, token: str, *, max_examples: int, parameters: dict | None, workdir: Path) -> int:
    config = workdir / f"schemathesis-{token[:10]}.toml"
    lines = ["[parameters]"] + [
        f'"{name}" = {value!r}'.replace("'", '"') for name, value in (parameters or {}).items()
    ]
    config.write_text("\n".join(lines) + "\n" if parameters else "")
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{url}/api/v1/openapi.json",
        "-H",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(max_examples),
        # One worker: CPython 3.11 can trip over concurrent compile() in schemathesis' threads.
        "--workers",
        "1",
        "--continue-on-failure",
        "--no-color",
    ]
    return subprocess.run(command, cwd=workdir, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", 25)))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="loket-fuzz-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loket.settings",
        "LOKET_VAR_DIR": str(workdir / "var"),
        "DEBUG": "false",
    }
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = None
    server_log = workdir / "server.log"
    try:
        if env.get("DATABASE_URL"):
            fresh_postgres(env["DATABASE_URL"])
        data = prepare(env)
        with server_log.open("w") as log:
            server = subprocess.Popen(
                [str(BIN / "gunicorn"), "loket.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/gezondheid/", timeout=1)  # noqa: S310 (our own loopback server)
                break
            except OSError:
                time.sleep(0.2)
        print(f"== schemathesis as a desk agent ({url})", flush=True)
        agent = schemathesis(
            url,
            data["agent"],
            max_examples=args.max_examples,
            parameters={
                "path.number": data["agent_ticket"],
                "path.code": data["item"],
                "path.attachment_id": 1,
            },
            workdir=workdir,
        )
        print("== schemathesis as an employee", flush=True)
        employee = schemathesis(
            url, data["employee"], max_examples=args.max_examples, parameters=None, workdir=workdir
        )
        if agent or employee:
            errors = [
                line for line in server_log.read_text().splitlines() if "Error" in line or "error" in line
            ]
            print("== server errors\n" + "\n".join(errors[-50:]))
            return 1
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
