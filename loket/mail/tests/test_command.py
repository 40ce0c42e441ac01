"""`loket mail ingest`: one message from --file or standard input; it prints the outcome, the
ticket number when there is a ticket, and the Message-ID. No message, or a file it cannot read,
is a CommandError with a clear message and no traceback."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from loket.mail.models import InboundMessage
from loket.tickets.models import Comment, Ticket
from tests import factories

CORPUS = Path(__file__).resolve().parent / "corpus"
PLAIN = CORPUS / "01-plain-text.eml"
PLAIN_ID = "<AM0PR09MB4211C2E0F1D3A9B7E1C4A2D1B9@AM0PR09MB4211.eurprd09.prod.outlook.com>"


@pytest.fixture(autouse=True)
def _mail_settings(settings, media_root):
    settings.LOKET_MAIL_ADDRESSES = ["servicedesk@voorbeeld.nl"]


@pytest.fixture
def anna(org):
    return factories.employee(first_name="Anna", last_name="Jansen", email="anna.jansen@voorbeeld.nl")


class Stdin:
    """What the command reads: sys.stdin.buffer, the bytes an MTA pipes in."""

    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def mail(*args: str) -> str:
    out = io.StringIO()
    call_command("mail", "ingest", *args, stdout=out)
    return out.getvalue()


def mail_from_stdin(monkeypatch, data: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", Stdin(data))
    return mail()


def test_a_file_prints_the_outcome_the_ticket_number_and_the_message_id(anna):
    output = mail("--file", str(PLAIN))

    ticket = Ticket.objects.get()
    assert output == f"created {ticket.number} {PLAIN_ID}\n"
    assert re.fullmatch(r"M\d{4}-\d{6}", ticket.number)
    assert (ticket.requester, ticket.subject) == (anna, "Printer op de 3e verdieping geeft papierstoring")


def test_standard_input_is_read_as_bytes(anna, monkeypatch):
    output = mail_from_stdin(monkeypatch, (CORPUS / "09-iso-8859-1.eml").read_bytes())

    ticket = Ticket.objects.get()
    assert output == f"created {ticket.number} <latin1.20261207.121041@voorbeeld.nl>\n"
    assert "het café op de begane grond" in ticket.description


def test_a_reply_on_standard_input_prints_commented_and_the_ticket_it_went_to(anna, monkeypatch):
    ticket_number = mail("--file", str(PLAIN)).split()[1]

    output = mail_from_stdin(monkeypatch, (CORPUS / "16-reply-in-reply-to.eml").read_bytes())

    assert output == f"commented {ticket_number} <reply-irt.20261208.093014@voorbeeld.nl>\n"
    assert Comment.objects.get().body.startswith("Aanvulling: het gaat ook mis in lade 3.")


def test_a_message_with_lf_line_ends_as_an_mta_pipes_it_is_read_the_same(anna, monkeypatch):
    raw = PLAIN.read_bytes().replace(b"\r\n", b"\n")

    output = mail_from_stdin(monkeypatch, raw)

    ticket = Ticket.objects.get()
    assert output == f"created {ticket.number} {PLAIN_ID}\n"
    assert ticket.subject == "Printer op de 3e verdieping geeft papierstoring"
    assert "papierstoring in lade 2" in ticket.description


@pytest.mark.parametrize(
    ("name", "line"),
    [
        (
            "18-outlook-auto-reply.eml",
            "auto_reply <AM0PR09MB4211A1B2C3D4E5F6A7B8C9D0E1@AM0PR09MB4211.eurprd09.prod.outlook.com>",
        ),
        ("21-bounce-dsn.eml", "bounce <4Fq3A02bKMz9sWd@mx1.voorbeeld.nl>"),
        ("22-own-address-loop.eml", "loop <own.20261208.103957@voorbeeld.nl>"),
    ],
)
def test_mail_that_makes_no_ticket_prints_the_outcome_without_a_number(anna, name, line):
    assert mail("--file", str(CORPUS / name)) == line + "\n"
    assert not Ticket.objects.exists()


def test_the_same_file_twice_prints_the_same_line_and_makes_one_ticket(anna):
    first = mail("--file", str(PLAIN))
    second = mail("--file", str(PLAIN))

    assert first == second
    assert Ticket.objects.count() == InboundMessage.objects.count() == 1


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n  \n"], ids=["empty", "only-whitespace"])
def test_empty_standard_input_is_a_clear_command_error(db, monkeypatch, data):
    monkeypatch.setattr(sys, "stdin", Stdin(data))

    with pytest.raises(CommandError, match=r"^no message: standard input was empty$"):
        call_command("mail", "ingest")
    assert not InboundMessage.objects.exists()


def test_a_missing_file_is_a_clear_command_error(db, tmp_path):
    missing = tmp_path / "bestaat-niet.eml"

    with pytest.raises(CommandError) as error:
        call_command("mail", "ingest", "--file", str(missing))

    assert str(error.value) == f"cannot read {missing}: No such file or directory"
    assert not InboundMessage.objects.exists()


def test_a_directory_is_a_clear_command_error(db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("mail", "ingest", "--file", str(tmp_path))

    assert str(error.value) == f"cannot read {tmp_path}: Is a directory"


def test_an_empty_file_is_refused_with_its_name(db, tmp_path):
    empty = tmp_path / "leeg.eml"
    empty.write_bytes(b"")

    with pytest.raises(CommandError) as error:
        call_command("mail", "ingest", "--file", str(empty))

    assert str(empty) in str(error.value)


# ---------------------------------------------------------------- the console script


def loket(*args: str, tmp_path: Path, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """`loket ...` in a process of its own, on a throwaway SQLite file it never needs to open."""
    script = Path(sys.executable).with_name("loket")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "loket.cli"]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'loket.sqlite3'}",
        "LOKET_VAR_DIR": str(tmp_path / "var"),
    }
    return subprocess.run(  # noqa: S603 - our own console script
        [*command, *args], input=stdin, capture_output=True, env=env, timeout=120, check=False
    )


def test_the_console_script_reports_an_unreadable_file_without_a_traceback(tmp_path):
    missing = tmp_path / "bestaat-niet.eml"

    done = loket("mail", "ingest", "--file", str(missing), tmp_path=tmp_path)

    assert done.returncode == 1
    assert done.stderr.decode() == f"CommandError: cannot read {missing}: No such file or directory\n"
    assert done.stdout == b""


def test_the_console_script_reports_empty_standard_input_without_a_traceback(tmp_path):
    done = loket("mail", "ingest", tmp_path=tmp_path, stdin=b"")

    assert done.returncode == 1
    assert done.stderr.decode() == "CommandError: no message: standard input was empty\n"
    assert b"Traceback" not in done.stderr
