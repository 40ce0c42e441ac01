"""Polling a real IMAP server (Dovecot from Debian, started here on a loopback port): every
unread message becomes a ticket once, is marked on the server only after its ticket is
committed, and a message fetched again (after a crash) makes nothing new."""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from email.message import EmailMessage
from pathlib import Path

import pytest

from loket.mail.imap import poll_mailbox
from loket.mail.models import InboundMessage, Mailbox
from loket.mail.services import ingest
from loket.tickets.models import Ticket
from tests import factories

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
PASSWORD = "geheim"

CONFIG = """
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
instance_name = loket-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 1
mail_location = maildir:{dir}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={user} gid={user} home={dir}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Dovecot:
    """A Dovecot instance of our own: its config, mail and sockets in a temporary folder."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="loket-dovecot-"))
        os.chmod(self.dir, 0o755)  # noqa: S103 - the mail user must reach its maildir
        self.port = free_port()
        user = "mail" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
        for sub in ("run", "state", "mail", "home"):
            (self.dir / sub).mkdir()
        if os.geteuid() == 0:
            for sub in ("mail", "home"):
                shutil.chown(self.dir / sub, user, user)
        self.config = self.dir / "dovecot.conf"
        self.config.write_text(CONFIG.format(dir=self.dir, port=self.port, password=PASSWORD, user=user))

    def start(self):
        subprocess.run(  # noqa: S603 - Debian's dovecot with our own config
            [DOVECOT, "-c", str(self.config)],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.log()}")

    def stop(self):
        subprocess.run([DOVECOT, "-c", str(self.config), "stop"], check=False, timeout=30)  # noqa: S603
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self) -> str:
        path = self.dir / "dovecot.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def client(self, user="servicedesk") -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(user, PASSWORD)
        return connection

    def deliver(self, raw: bytes, user="servicedesk", folder="INBOX"):
        connection = self.client(user)
        connection.append(folder, None, None, raw)
        connection.logout()

    def unseen(self, user="servicedesk") -> int:
        connection = self.client(user)
        connection.select("INBOX")
        _status, data = connection.uid("SEARCH", None, "UNSEEN")
        connection.logout()
        return len((data[0] or b"").split())


@pytest.fixture
def dovecot():
    if not os.path.exists(DOVECOT):
        pytest.skip("Dovecot is not installed here (Debian package dovecot-imapd; .ci/run installs it)")
    server = Dovecot()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(dovecot, org):
    return Mailbox.objects.create(
        name="Servicedesk",
        host="127.0.0.1",
        port=dovecot.port,
        use_ssl=False,
        username="servicedesk",
        secret=PASSWORD,
    )


def message(n: int, sender="anna@voorbeeld.nl") -> bytes:
    mail = EmailMessage()
    mail["From"], mail["Subject"], mail["Message-ID"] = sender, f"Vraag {n}", f"<imap-{n}@mail.example>"
    mail.set_content(f"Tekst {n}")
    return mail.as_bytes()


@pytest.fixture
def anna(org):
    return factories.employee(first_name="Anna", last_name="Jansen", email="anna@voorbeeld.nl")


def test_every_unread_message_becomes_a_ticket_and_is_marked_read(dovecot, mailbox, anna):
    for n in range(5):
        dovecot.deliver(message(n))

    result = poll_mailbox(mailbox=mailbox)

    assert (result.fetched, result.error) == (5, "")
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == [f"Vraag {n}" for n in range(5)]
    assert dovecot.unseen() == 0
    assert poll_mailbox(mailbox=mailbox).fetched == 0


def test_a_message_fetched_again_after_a_crash_makes_nothing_new(dovecot, mailbox, anna):
    raw = message(1)
    dovecot.deliver(raw)
    ingest(raw=raw)  # the ticket was committed, then the worker died before marking it read

    result = poll_mailbox(mailbox=mailbox)

    assert result.fetched == 1
    assert Ticket.objects.count() == 1
    assert InboundMessage.objects.count() == 1
    assert dovecot.unseen() == 0


def test_processed_messages_can_be_moved_to_a_folder(dovecot, mailbox, anna):
    connection = dovecot.client()
    connection.create("Verwerkt")
    connection.logout()
    mailbox.processed_folder = "Verwerkt"
    mailbox.save()
    dovecot.deliver(message(1))

    poll_mailbox(mailbox=mailbox)

    connection = dovecot.client()
    assert connection.select("INBOX")[1] == [b"0"]
    assert connection.select("Verwerkt")[1] == [b"1"]
    connection.logout()


def test_a_wrong_password_is_recorded_on_the_mailbox(dovecot, mailbox):
    mailbox.secret = "fout"
    mailbox.save()

    result = poll_mailbox(mailbox=mailbox)

    mailbox.refresh_from_db()
    assert result.fetched == 0
    assert "geheim" not in mailbox.last_error
    assert mailbox.last_error and mailbox.last_polled_at is not None
