"""Inbound e-mail throughput on SQLite: messages ingested per second.

    .venv/bin/python bench/mail_bench.py [--messages 2000] [--keep]

A fresh SQLite database in a temporary folder with the demo organisation. Builds `--messages`
realistic messages (texts from the demo tickets, senders from the demo's employees; a tenth are
replies to earlier ones by ticket number, a twentieth carry a small PDF, a twentieth are
auto-replies and a twentieth come from unknown senders) and times `mail.services.ingest` over all
of them, one after another as `loket mail ingest` and the IMAP poller call it; then ingests them
all again (every one a duplicate: nothing new may be made). Target (issue 7): at least 50
messages per second on SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET = 50.0


def build(count: int, employees: list[tuple[str, str]], texts: list[dict]) -> list[bytes]:
    rng = random.Random(1)
    messages = []
    for n in range(count):
        record = rng.choice(texts)
        message = EmailMessage()
        name, address = rng.choice(employees)
        kind = rng.random()
        if kind < 0.05:
            name, address = "Onbekend", f"iemand{n}@elders.example"
        message["From"] = f"{name} <{address}>"
        message["To"] = "servicedesk@voorbeeldstad.example"
        message["Message-ID"] = f"<bench-{n}@mail.example>"
        subject = record["subject"]
        if 0.05 <= kind < 0.10:
            message["Auto-Submitted"] = "auto-replied"
            subject = "Afwezig: " + subject
        elif 0.10 <= kind < 0.20 and n > 50:
            subject = "RE: [{TICKET}] " + subject
        message["Subject"] = subject
        message.set_content(record["text"])
        if 0.20 <= kind < 0.25:
            message.add_attachment(
                b"%PDF-1.4\n" + b"0" * 20_000, maintype="application", subtype="pdf", filename="scan.pdf"
            )
        messages.append(message.as_bytes())
    return messages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loket-mail-bench-"))
    os.environ.update({"DJANGO_SETTINGS_MODULE": "loket.settings", "LOKET_VAR_DIR": str(folder)})
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from loket.demo.loader import DATA_DIR, load_demo
    from loket.mail.models import InboundMessage
    from loket.mail.services import ingest
    from loket.people.models import Employee
    from loket.tickets.models import Ticket

    try:
        call_command("migrate", verbosity=0)
        load_demo()
        employees = [
            (e.full_name, e.email) for e in Employee.objects.exclude(email="").filter(active=True)[:500]
        ]
        texts = [json.loads(line) for line in (DATA_DIR / "tickets-train.jsonl").read_text().splitlines()]
        raw = build(args.messages, employees, texts)
        tickets_before = Ticket.objects.count()
        numbers = list(Ticket.objects.values_list("number", flat=True)[:200])
        raw = [m.replace(b"{TICKET}", random.Random(n).choice(numbers).encode()) for n, m in enumerate(raw)]
        started = time.perf_counter()
        for message in raw:
            ingest(raw=message)
        first = time.perf_counter() - started
        outcomes = dict.fromkeys(InboundMessage.Outcome.values, 0)
        for outcome in InboundMessage.objects.values_list("outcome", flat=True):
            outcomes[outcome] += 1
        made = Ticket.objects.count() - tickets_before
        started = time.perf_counter()
        for message in raw:
            ingest(raw=message)
        again = time.perf_counter() - started
        assert Ticket.objects.count() - tickets_before == made, "a duplicate made a ticket"
        rate = len(raw) / first
        print(f"messages: {len(raw):,}; tickets made: {made:,}")
        print("outcomes: " + ", ".join(f"{k} {v}" for k, v in outcomes.items() if v))
        print(
            f"first pass: {first:.1f} s, {rate:,.0f} messages/s (target >= {TARGET:.0f}: "
            f"{'met' if rate >= TARGET else 'NOT met'})"
        )
        print(f"second pass (all duplicates): {again:.1f} s, {len(raw) / again:,.0f} messages/s")
    finally:
        if args.keep:
            print(f"database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
