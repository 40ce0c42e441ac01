"""What the load scripts share (bench/api_load.py, bench/portal_load.py): the environment, a Django
shell that answers in JSON, gunicorn on a free loopback port, wrk with a one-line JSON report and
the Markdown table."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

# wrk prints one JSON line at the end: requests per second and latency percentiles in ms. A script
# may define report_extra() returning more fields (', "name": value').
REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.status + summary.errors.timeout
  local extra = report_extra and report_extra() or ""
  io.write(string.format(
    'RESULT {"requests": %d, "rps": %.1f, "errors": %d, '
    .. '"p50": %.2f, "p95": %.2f, "p99": %.2f, "max": %.2f%s}\\n',
    summary.requests, summary.requests / (summary.duration / 1e6), errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, extra))
end
"""


# Django shell code the load scripts share: a session for a user, as the login page makes one after
# the password check (the bench users have no usable password).
SESSION_KEY = """
from importlib import import_module

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest


def session_key(user):
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    return request.session.session_key

"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_env(database_url: str | None) -> dict:
    """The environment for Django and gunicorn: production settings, persistent connections."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "loket.settings",
        "DEBUG": "false",
        "DB_CONN_MAX_AGE": "600",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def django_json(script: str, env: dict):
    """Run `script` in `loket shell`; its last line of output is JSON."""
    out = subprocess.run(
        [str(BIN / "loket"), "shell", "-c", script],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int) -> Iterator[str]:
    """gunicorn (sync workers) on a free loopback port until the block ends; yields the base URL
    once the health check answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "loket.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--log-level",
            "error",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/gezondheid/", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def wrk(url: str, *, headers: list[str], script: str, duration: int, connections: int, workdir: Path) -> dict:
    """One wrk run (2 threads); the RESULT line as a dict."""
    path = workdir / f"wrk-{abs(hash(script))}.lua"
    path.write_text(script + REPORT)
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s", str(path)]
    for header in headers:
        command += ["-H", header]
    command.append(url)
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def print_table(runs: dict[str, dict], extra: dict[str, str] | None = None) -> None:
    """A Markdown table of the runs; `extra` adds columns: title -> key in each run."""
    extra = extra or {}
    titles = ["Run", "Requests", "Per second", "Errors", "p50 ms", "p95 ms", "p99 ms", *extra]
    print("| " + " | ".join(titles) + " |")
    print("|" + "---|" * len(titles))
    for name, r in runs.items():
        cells = [name, r["requests"], f"{r['rps']:.0f}", r["errors"]]
        cells += [f"{r[key]:.1f}" for key in ("p50", "p95", "p99")]
        cells += [r.get(key, "") for key in extra.values()]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")
