"""Durability: 1,000 messages in a real IMAP mailbox, the ingest worker (`loket mail poll`, a
separate process on its own SQLite database) killed with SIGKILL at random moments and started
again until the mailbox is read: exactly 1,000 tickets, none lost, none doubled."""

import json
import os
import random
import signal
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from .test_imap import DOVECOT, PASSWORD, Dovecot

LOKET = str(Path(sys.executable).parent / "loket")
MESSAGES = 1000

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="uses a SQLite database of its own; runs once, in the SQLite run",
)


def run(env, *args, **kwargs):
    return subprocess.run([LOKET, *args], env=env, capture_output=True, text=True, timeout=120, **kwargs)  # noqa: S603


def test_killing_the_worker_at_random_moments_loses_and_doubles_nothing(tmp_path):
    if not os.path.exists(DOVECOT):
        pytest.skip("Dovecot is not installed here (Debian package dovecot-imapd; .ci/run installs it)")
    server = Dovecot()
    server.start()
    try:
        env = {
            **os.environ,
            "LOKET_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "loket.settings",
            "LOKET_MAIL_RATE_LIMIT": "0",  # one sender sends all 1,000: no flood guard here
        }
        env.pop("DATABASE_URL", None)
        assert run(env, "migrate", "-v0").returncode == 0
        setup = (
            "from loket.people.services import upsert_employee;"
            "from loket.mail.models import Mailbox;"
            "upsert_employee(employee_number='D1', first_name='Dirk', last_name='Duur',"
            " email='dirk@voorbeeld.nl');"
            f"Mailbox.objects.create(name='Desk', host='127.0.0.1', port={server.port}, use_ssl=False,"
            f" username='servicedesk', secret='{PASSWORD}')"
        )
        assert run(env, "shell", "-c", setup).returncode == 0
        connection = server.client()
        for n in range(MESSAGES):
            mail = EmailMessage()
            mail["From"], mail["Subject"] = "dirk@voorbeeld.nl", f"Bericht {n}"
            mail["Message-ID"] = f"<duur-{n}@mail.example>"
            mail.set_content(f"Tekst {n}")
            connection.append("INBOX", None, None, mail.as_bytes())
        connection.logout()

        rng, kills, rounds = random.Random(7), 0, 0
        while server.unseen() and rounds < 60:
            rounds += 1
            worker = subprocess.Popen(  # noqa: S603
                [LOKET, "mail", "poll"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                # the first round is always cut short: 500 messages take longer than 2.5 s
                worker.wait(timeout=2.5 if rounds == 1 else rng.uniform(1.0, 4.0))
            except subprocess.TimeoutExpired:
                worker.send_signal(signal.SIGKILL)  # mid-message, mid-transaction: whatever it was doing
                worker.wait()
                kills += 1
        assert server.unseen() == 0, f"mailbox not read after {rounds} rounds"
        assert kills >= 1, "the worker was never interrupted: the test proved nothing"

        counts = run(
            env,
            "shell",
            "-c",
            "import json; from loket.tickets.models import Ticket;"
            "from loket.mail.models import InboundMessage;"
            "print(json.dumps({'tickets': Ticket.objects.count(),"
            " 'subjects': Ticket.objects.values('subject').distinct().count(),"
            " 'messages': InboundMessage.objects.count()}))",
        )
        result = json.loads(counts.stdout.strip().splitlines()[-1])
        assert result == {"tickets": MESSAGES, "subjects": MESSAGES, "messages": MESSAGES}, (kills, rounds)
    finally:
        server.stop()
