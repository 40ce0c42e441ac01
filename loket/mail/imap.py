"""Polling IMAP mailboxes (standard library imaplib).

A message is marked on the server (\\Seen, or moved to the processed folder) only after
`ingest` has committed its ticket. A crash in between leaves it unmarked: the next poll fetches
it again and `ingest` finds its Message-ID, so nothing is lost and nothing is doubled."""

from __future__ import annotations

import contextlib
import imaplib
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Mailbox
from .services import ingest

log = logging.getLogger(__name__)
TIMEOUT = 30


@dataclass
class PollResult:
    fetched: int = 0
    outcomes: dict = field(default_factory=dict)
    error: str = ""


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    cls = imaplib.IMAP4_SSL if mailbox.use_ssl else imaplib.IMAP4
    connection = cls(mailbox.host, mailbox.port, timeout=TIMEOUT)
    if mailbox.auth == Mailbox.Auth.OAUTH2:
        token = f"user={mailbox.username}\x01auth=Bearer {mailbox.secret}\x01\x01".encode()
        connection.authenticate("XOAUTH2", lambda _challenge: token)
    else:
        connection.login(mailbox.username, mailbox.secret)
    return connection


def _mark_done(connection: imaplib.IMAP4, mailbox: Mailbox, uid: bytes) -> None:
    if mailbox.processed_folder:
        connection.uid("COPY", uid, mailbox.processed_folder)
        connection.uid("STORE", uid, "+FLAGS", "(\\Deleted \\Seen)")
        connection.expunge()
    else:
        connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")


def poll_mailbox(*, mailbox: Mailbox, limit: int = 500) -> PollResult:
    """Fetch up to `limit` unread messages, ingest each, then mark it on the server."""
    result = PollResult()
    try:
        connection = _connect(mailbox)
    except (OSError, imaplib.IMAP4.error) as error:
        result.error = f"{type(error).__name__}: {error}"
        _remember(mailbox, result)
        return result
    try:
        status, _data = connection.select(mailbox.folder)
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open folder {mailbox.folder!r}")
        status, data = connection.uid("SEARCH", None, "UNSEEN")
        uids = (data[0] or b"").split()[:limit] if status == "OK" else []
        for uid in uids:
            status, parts = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = (
                next((part[1] for part in parts if isinstance(part, tuple)), None) if status == "OK" else None
            )
            if raw is None:
                continue
            message = ingest(raw=raw, department=mailbox.department)
            result.fetched += 1
            result.outcomes[message.outcome] = result.outcomes.get(message.outcome, 0) + 1
            _mark_done(connection, mailbox, uid)  # only now: the ticket is committed
    except (OSError, imaplib.IMAP4.error) as error:
        result.error = f"{type(error).__name__}: {error}"
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            connection.logout()
    _remember(mailbox, result)
    return result


def _remember(mailbox: Mailbox, result: PollResult) -> None:
    if result.error:
        log.warning("mailbox %s: %s", mailbox.name, result.error)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=result.error[:2000]
    )


def poll_all(*, now=None) -> dict:
    """Worker job "imap": every active mailbox once."""
    totals = {"fetched": 0, "errors": 0}
    for mailbox in Mailbox.objects.filter(active=True).select_related("department"):
        result = poll_mailbox(mailbox=mailbox)
        totals["fetched"] += result.fetched
        totals["errors"] += bool(result.error)
    return totals
