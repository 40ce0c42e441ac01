"""The mail corpus: every message in corpus/ (real-looking RFC 822 files, see corpus/README.md)
gets its documented outcome, twice the same, and none raises. A 30 MB message is made here at
test time (the repository stays small) and is recorded as too large, with nothing else stored.

EXPECTED below and the table in corpus/README.md describe the same files with the same outcomes;
a test keeps them in step."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from loket.mail.models import InboundMessage
from loket.mail.services import ingest
from loket.tickets.models import Attachment, Channel, Comment, Ticket
from loket.tickets.services.imports import UNKNOWN_REQUESTER_NUMBER
from tests import factories

CORPUS = Path(__file__).resolve().parent / "corpus"
README = CORPUS / "README.md"
OWN_ADDRESS = "servicedesk@voorbeeld.nl"
ON_POSTGRESQL = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]

Outcome = InboundMessage.Outcome


@dataclass(frozen=True)
class Expected:
    """What becomes of one corpus file.

    requester: "anna" or "bert" (employees), "unknown" (the placeholder requester of an unknown
    sender) or None (no ticket). For `commented`, description holds what the comment says."""

    outcome: str
    requester: str | None = "anna"
    subject: str | None = None
    subject_cut: bool = False  # the subject is too long: the ticket's starts with `subject`
    description: tuple[str, ...] = ()
    not_in_description: tuple[str, ...] = ()
    attachments: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()
    after: str | None = None  # ingested first; the number of its ticket fills in {TICKET}
    bug: str | None = None  # the app mishandles it: the outcome test is xfail(strict)
    raises: type[Exception] | None = None  # ...and ingest raises this: every test of it is xfail


PRINTER = "Printer op de 3e verdieping geeft papierstoring"

EXPECTED: dict[str, Expected] = {
    "01-plain-text.eml": Expected(
        Outcome.CREATED,
        subject=PRINTER,
        description=("geeft steeds een\npapierstoring in lade 2", "Team Vergunningen"),
    ),
    "02-html-only.eml": Expected(
        Outcome.CREATED,
        subject="Toegang tot map Vergunningen 2027",
        description=(
            "Ik heb leesrechten nodig op de map S:\\Vergunningen\\2027 & de submappen.",
            "Mijn leidinggevende is akkoord.",
        ),
        not_in_description=("<", "tracking", "margin", "&amp;", "&nbsp;", "Toegang"),
    ),
    "03-multipart-alternative.eml": Expected(
        Outcome.CREATED,
        subject="Tweede beeldscherm flikkert",
        description=("Het tweede beeldscherm op werkplek 2.14 flikkert sinds vanochtend.",),
        not_in_description=("HTML-DEEL", "<"),
    ),
    "04-attachment-pdf.eml": Expected(
        Outcome.CREATED,
        subject="Offerte nieuwe vergaderstoelen",
        description=("Bijgaand de offerte",),
        attachments=("offerte-stoelen.pdf",),
    ),
    "05-attachment-png.eml": Expected(
        Outcome.CREATED,
        subject="Foutmelding bij openen zaaksysteem",
        description=("Zie schermafdruk",),
        attachments=("foutmelding.png",),
    ),
    "06-attachment-exe-refused.eml": Expected(
        Outcome.CREATED,
        subject="Installatie van plotter-driver",
        description=("deze driver voor de plotter",),
        detail=("plotter-setup.exe", "exe"),
    ),
    "07-attachment-fake-pdf.eml": Expected(
        Outcome.CREATED,
        subject="Verdachte factuur ontvangen",
        description=("Is dit phishing?",),
        attachments=("schermafdruk.png",),
        detail=("factuur-88231.pdf",),
    ),
    "08-inline-image-cid.eml": Expected(
        Outcome.CREATED,
        subject="Handtekening in Outlook klopt niet",
        description=("Het logo in mijn handtekening staat scheef",),
        attachments=("image001.png",),
    ),
    "09-iso-8859-1.eml": Expected(
        Outcome.CREATED,
        subject="Koffieautomaat in het restaurant",
        description=("het café op de begane grond geeft geen crème brûlée-latte", "Graag één monteur"),
    ),
    "10-windows-1252.eml": Expected(
        Outcome.CREATED,
        subject="Declaratie parkeerkosten",
        description=("van €12,50", "de “Stadswinkel” is", "reden ‘geen bon’ – maar", "wél"),  # noqa: RUF001 - the characters under test
    ),
    "11-utf8-emoji.eml": Expected(
        Outcome.CREATED,
        subject="Laptop start niet 😢",
        description=("hangen op het logo 😢 Al twee keer", "bedankt! 👍"),
    ),
    "12-rfc2047-subject-q.eml": Expected(
        Outcome.CREATED,
        subject="Aanvraag parkeerkaart én toegangspas voor nieuwe collega Renée",
        description=("Per 1 januari start Renee de Vos",),
    ),
    "13-rfc2047-subject-b.eml": Expected(
        Outcome.CREATED,
        subject="Wachtwoord verlopen – kan niet inloggen",  # noqa: RUF001 - the characters under test
        description=("Mijn wachtwoord is verlopen",),
    ),
    "14-encoded-sender-name.eml": Expected(
        Outcome.CREATED,
        requester="unknown",
        subject="Levering beeldschermen week 51",
        description=("José Müller <jose.muller@leverancier.example>", "worden in week 51 geleverd"),
        not_in_description=("=?",),
        detail=("onbekende afzender",),
    ),
    "15-reply-ticket-number.eml": Expected(
        Outcome.COMMENTED,
        after="01-plain-text.eml",
        description=("De printer doet het vanochtend weer niet, zelfde storing in lade 2.",),
    ),
    "16-reply-in-reply-to.eml": Expected(
        Outcome.COMMENTED,
        after="01-plain-text.eml",
        description=("Aanvulling: het gaat ook mis in lade 3.",),
    ),
    "17-forwarded-rfc822.eml": Expected(
        Outcome.CREATED,
        subject="FW: Levering monitoren vertraagd",
        description=("Ter info, zie het doorgestuurde bericht van de leverancier.",),
        attachments=("Levering monitoren vertraagd.eml",),
    ),
    "18-outlook-auto-reply.eml": Expected(
        Outcome.AUTO_REPLY, requester=None, detail=("Auto-Submitted: auto-replied",)
    ),
    "19-newsletter-bulk.eml": Expected(Outcome.AUTO_REPLY, requester=None, detail=("Precedence: bulk",)),
    "20-vacation-reply.eml": Expected(
        Outcome.AUTO_REPLY, requester=None, detail=("Auto-Submitted: auto-replied (vacation)",)
    ),
    "21-bounce-dsn.eml": Expected(Outcome.BOUNCE, requester=None),
    "22-own-address-loop.eml": Expected(Outcome.LOOP, requester=None),
    "23-no-message-id.eml": Expected(
        Outcome.CREATED,
        subject="Scanner op de 2e verdieping scant naar verkeerde map",
        description=("Scans van de Ricoh",),
    ),
    "24-no-subject.eml": Expected(
        Outcome.CREATED, subject="(geen onderwerp)", description=("Mijn toetsenbord mist de toets E.",)
    ),
    "25-no-from.eml": Expected(
        Outcome.CREATED,
        requester="unknown",
        subject="Scan van apparaat RICOH-2E",
        description=("Toner bijna leeg (5%).",),
        detail=("onbekende afzender",),
    ),
    "26-malformed-from.eml": Expected(
        Outcome.CREATED,
        subject="Headset werkt niet in Teams",
        description=("Mijn headset wordt niet herkend in Teams.",),
    ),
    "27-malformed-from-no-domain.eml": Expected(
        Outcome.CREATED,
        requester="unknown",
        subject="Muis reageert traag",
        description=("anna.jansen@", "De draadloze muis reageert traag"),
        detail=("onbekende afzender",),
    ),
    "28-empty-body.eml": Expected(Outcome.CREATED, subject="Graag terugbellen over mijn telefoonabonnement"),
    "29-unknown-charset.eml": Expected(
        Outcome.CREATED,
        subject="Pasjeslezer bij de ingang",
        description=("De pasjeslezer bij de ingang van het café weigert mijn pas.",),
    ),
    "30-broken-mime.eml": Expected(
        Outcome.CREATED,
        subject="Rooster niet zichtbaar in intranet",
        description=("Het dienstrooster is niet meer zichtbaar op het intranet.",),
        attachments=("rooster.png",),
    ),
    "31-base64-parts.eml": Expected(
        Outcome.CREATED,
        subject="Licentie Acrobat Pro",
        description=("voor Adobe Acrobat Pro voor Kees Smit (Team Inkoop).\nKostenplaats 4410.",),
        not_in_description=("<",),
    ),
    "32-quoted-printable.eml": Expected(
        Outcome.CREATED,
        subject="Beamer zaal 4.02 valt uit",
        description=(
            "die na tien minuten uitvalt en daarna pas na een kwartier weer aangaat. Kunnen jullie "
            "hem vóór de raadsvergadering van donderdag laten nakijken?",
        ),
        not_in_description=("=C3", "=\n"),
    ),
    "33-unknown-sender.eml": Expected(
        Outcome.CREATED,
        requester="unknown",
        subject="Lantaarnpaal kapot in de Kerkstraat",
        description=("Piet Pieterse <p.pieterse@bewoner.example>", "brandt al een week niet"),
        detail=("onbekende afzender",),
    ),
    "34-employee-address-case.eml": Expected(
        Outcome.CREATED,
        requester="bert",
        subject="Nieuwe telefoon nodig",
        description=("Het scherm van mijn diensttelefoon is gebarsten.",),
        not_in_description=("onbekend",),
    ),
    "35-raw-utf8-headers.eml": Expected(
        Outcome.CREATED,
        requester="unknown",
        subject="Bevestiging levering – bestelling 2026-4471",  # noqa: RUF001 - the characters under test
        description=("José Müller <jose.muller@leverancier.example>",),
        detail=("onbekende afzender",),
    ),
    "36-lying-charset.eml": Expected(
        Outcome.CREATED,
        subject="Rolluik bij de personeelsingang",
        description=("de sleutel draait wél.",),
    ),
    "37-long-subject.eml": Expected(
        Outcome.CREATED,
        subject="RE: FW: RE: RE: Overleg over de planning van de verhuizing van Team Vergunningen",
        subject_cut=True,
        description=("Kunnen jullie de netwerkaansluitingen op tijd klaarzetten?",),
    ),
    "38-nul-byte.eml": Expected(
        Outcome.CREATED,
        subject="Export uit het zaaksysteem",
        description=("De export uit het zaaksysteem bevat rare tekens:", "zie hier."),
    ),
    "39-windows-1252-labelled-latin-1.eml": Expected(
        Outcome.CREATED,
        subject="Kosten lunch teamdag",
        description=("de “teamdag” kostte €184,20 – graag",),  # noqa: RUF001 - the characters under test
    ),
}


def corpus_files() -> list[str]:
    return sorted(path.name for path in CORPUS.glob("*.eml"))


def _param(name: str, *, for_outcome: bool) -> pytest.param:
    expected = EXPECTED[name]
    marks = []
    if expected.bug and (for_outcome or expected.raises):
        raises = expected.raises or AssertionError
        marks.append(pytest.mark.xfail(strict=True, raises=raises, reason=expected.bug))
    return pytest.param(name, id=name.removesuffix(".eml"), marks=marks)


OUTCOME_PARAMS = [_param(name, for_outcome=True) for name in sorted(EXPECTED)]
TWICE_PARAMS = [_param(name, for_outcome=False) for name in sorted(EXPECTED)]


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(autouse=True)
def _mail_settings(settings, media_root):
    settings.LOKET_MAIL_ADDRESSES = [OWN_ADDRESS]
    settings.LOKET_MAIL_UNKNOWN_SENDERS = "create"


@pytest.fixture
def people(org):
    return {
        "anna": factories.employee(first_name="Anna", last_name="Jansen", email="anna.jansen@voorbeeld.nl"),
        "bert": factories.employee(first_name="Bert", last_name="Bakker", email="bert.bakker@voorbeeld.nl"),
    }


def read(name: str, ticket: Ticket | None = None) -> bytes:
    raw = (CORPUS / name).read_bytes()
    if b"{TICKET}" in raw:
        assert ticket is not None, f"{name} replies to a ticket: ingest EXPECTED[{name!r}].after first"
        raw = raw.replace(b"{TICKET}", ticket.number.encode())
    return raw


def prepare(name: str) -> Ticket | None:
    """Ingest what the file answers (its `after`) and return that ticket."""
    after = EXPECTED[name].after
    if after is None:
        return None
    earlier = ingest(raw=read(after))
    assert earlier.outcome == Outcome.CREATED and earlier.ticket is not None
    return earlier.ticket


def text(value: str) -> str:
    """Compare text without caring whether the mail had CRLF or LF line ends."""
    return value.replace("\r\n", "\n")


def counts() -> dict[str, int]:
    return {
        "tickets": Ticket.objects.count(),
        "comments": Comment.objects.count(),
        "attachments": Attachment.objects.count(),
        "inbound": InboundMessage.objects.count(),
    }


# ---------------------------------------------------------------- the corpus


def test_every_file_has_an_expected_outcome_and_a_readme_row():
    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\|\s*`([^`]+\.eml)`\s*\|[^|]*\|\s*`([a-z_]+)`", line)
        if match:
            rows[match.group(1)] = match.group(2)

    assert len(corpus_files()) >= 32
    assert set(EXPECTED) == set(corpus_files())
    assert rows == {name: str(expected.outcome) for name, expected in EXPECTED.items()}


def test_the_files_are_raw_rfc_822_with_crlf_line_ends():
    for name in corpus_files():
        raw = (CORPUS / name).read_bytes()
        assert b"\n" not in raw.replace(b"\r\n", b""), f"{name} has a bare LF"
        assert b"\r\n\r\n" in raw, f"{name} has no header/body separator"
        assert raw.endswith(b"\r\n"), name


@pytest.mark.parametrize("name", OUTCOME_PARAMS)
def test_each_file_gets_its_documented_outcome(people, name):
    expected = EXPECTED[name]
    earlier = prepare(name)
    before = counts()

    result = ingest(raw=read(name, earlier))

    assert result.outcome == expected.outcome, result.detail
    for fragment in expected.detail:
        assert fragment in result.detail
    if expected.outcome == Outcome.CREATED:
        ticket = result.ticket
        assert ticket is not None and ticket.channel == Channel.EMAIL
        if expected.subject_cut:
            assert ticket.subject.startswith(expected.subject) and len(ticket.subject) <= 200
        else:
            assert ticket.subject == expected.subject
        if expected.requester == "unknown":
            assert result.requester is None
            assert ticket.requester.employee_number == UNKNOWN_REQUESTER_NUMBER
        else:
            assert result.requester == ticket.requester == people[expected.requester]
        shown = text(ticket.description)
        assert not ticket.comments.exists()
        assert Ticket.objects.count() == before["tickets"] + 1
    elif expected.outcome == Outcome.COMMENTED:
        assert result.ticket == earlier
        assert result.comment is not None and result.comment.ticket == earlier
        assert result.comment.author == people[expected.requester]
        shown = text(result.comment.body)
        assert Ticket.objects.count() == before["tickets"]
    else:
        assert result.ticket is None and result.comment is None and result.requester is None
        assert counts() == {**before, "inbound": before["inbound"] + 1}
        shown = ""
    for fragment in expected.description:
        assert fragment in shown
    for fragment in expected.not_in_description:
        assert fragment not in shown
    if result.ticket is not None:
        kept = sorted(result.ticket.attachments.values_list("filename", flat=True))
        assert kept == sorted(expected.attachments)
        if not expected.detail:
            assert result.detail == ""
    if not expected.attachments:
        assert Attachment.objects.count() == 0


@pytest.mark.parametrize("name", TWICE_PARAMS)
def test_each_file_ingested_twice_gives_one_result(people, name):
    earlier = prepare(name)
    raw = read(name, earlier)

    first = ingest(raw=raw)
    after_first = counts()
    second = ingest(raw=raw)

    assert second.pk == first.pk
    assert (second.outcome, second.ticket_id, second.comment_id) == (
        first.outcome,
        first.ticket_id,
        first.comment_id,
    )
    assert counts() == after_first


def test_the_refused_attachments_are_named_with_the_reason(people):
    exe = ingest(raw=read("06-attachment-exe-refused.eml"))
    fake = ingest(raw=read("07-attachment-fake-pdf.eml"))

    assert exe.detail.startswith("plotter-setup.exe: ") and "'exe'" in exe.detail
    assert fake.detail.startswith("factuur-88231.pdf: ") and "'pdf'" in fake.detail
    assert list(fake.ticket.attachments.values_list("filename", flat=True)) == ["schermafdruk.png"]
    assert not exe.ticket.attachments.exists()


def test_an_empty_body_makes_a_ticket_with_an_empty_description(people):
    result = ingest(raw=read("28-empty-body.eml"))

    assert result.ticket.description == ""


def test_a_kept_attachment_has_the_bytes_that_were_sent(people):
    pdf = ingest(raw=read("04-attachment-pdf.eml")).ticket.attachments.get()
    png = ingest(raw=read("08-inline-image-cid.eml")).ticket.attachments.get()

    with pdf.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    assert (pdf.content_type, pdf.size) == ("application/pdf", len(content))
    with png.file.open("rb") as handle:
        assert handle.read().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_message_without_message_id_is_known_by_its_bytes(people):
    raw = read("23-no-message-id.eml")

    first, second = ingest(raw=raw), ingest(raw=raw)

    assert first.pk == second.pk
    assert first.message_id.endswith("@no-message-id.loket>")
    assert Ticket.objects.count() == 1


def test_an_unknown_sender_is_refused_when_the_policy_says_reject(people, settings):
    settings.LOKET_MAIL_UNKNOWN_SENDERS = "reject"

    refused = ingest(raw=read("33-unknown-sender.eml"))
    encoded = ingest(raw=read("14-encoded-sender-name.eml"))
    employee = ingest(raw=read("34-employee-address-case.eml"))

    assert refused.outcome == encoded.outcome == Outcome.UNKNOWN_SENDER
    assert refused.sender == "p.pieterse@bewoner.example"
    assert employee.outcome == Outcome.CREATED
    assert Ticket.objects.count() == 1


def test_without_loket_s_own_address_configured_its_mail_is_an_unknown_sender(people, settings):
    settings.LOKET_MAIL_ADDRESSES = []

    result = ingest(raw=read("22-own-address-loop.eml"))

    assert result.outcome == Outcome.CREATED and result.requester is None


def test_a_reply_by_ticket_number_from_someone_else_starts_a_new_ticket(people):
    ticket = ingest(raw=read("01-plain-text.eml")).ticket
    raw = read("15-reply-ticket-number.eml", ticket).replace(
        b"Anna Jansen <anna.jansen@voorbeeld.nl>", b"Bert Bakker <bert.bakker@voorbeeld.nl>"
    )

    result = ingest(raw=raw)

    assert result.outcome == Outcome.CREATED
    assert result.ticket != ticket and result.ticket.requester == people["bert"]
    assert not ticket.comments.exists()


# ---------------------------------------------------------------- a 30 MB message


def thirty_megabyte_message(size: int = 30 * 1024 * 1024) -> bytes:
    """A scanned document mailed by Anna: about `size` bytes, most of it one base64 PDF."""
    head = (
        b"From: Anna Jansen <anna.jansen@voorbeeld.nl>\r\n"
        b"To: servicedesk@voorbeeld.nl\r\n"
        b"Subject: Scan bouwtekeningen Stadskantoor\r\n"
        b"Date: Wed, 9 Dec 2026 09:00:00 +0100\r\n"
        b"Message-ID: <scan-30mb.20261209.090000@voorbeeld.nl>\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="big-7f3a"\r\n'
        b"\r\n"
        b"--big-7f3a\r\n"
        b'Content-Type: text/plain; charset="us-ascii"\r\n'
        b"\r\n"
        b"Bijgaand de scan van de bouwtekeningen.\r\n"
        b"\r\n"
        b"--big-7f3a\r\n"
        b'Content-Type: application/pdf; name="bouwtekeningen.pdf"\r\n'
        b'Content-Disposition: attachment; filename="bouwtekeningen.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n"
        b"\r\n"
    )
    tail = b"\r\n--big-7f3a--\r\n"
    # base64 lines of 76 characters + CRLF carry 57 bytes each.
    lines = (size - len(head) - len(tail)) // 78 + 1
    block = bytes(range(256)) * 1024
    pdf = (b"%PDF-1.4\n" + block * (lines * 57 // len(block) + 1))[: lines * 57]
    body = base64.encodebytes(pdf).replace(b"\n", b"\r\n")
    return head + body + tail


def test_a_30_mb_message_is_too_large_and_nothing_else_is_stored(people, media_root):
    assert django_settings.LOKET_MAIL_MAX_BYTES == 25 * 1024 * 1024  # the default
    raw = thirty_megabyte_message()
    assert len(raw) >= 30 * 1024 * 1024

    result = ingest(raw=raw)
    again = ingest(raw=raw)

    assert result.outcome == Outcome.TOO_LARGE
    assert (result.size, result.detail) == (len(raw), f"{len(raw)} bytes")
    assert (result.sender, result.subject) == ("anna.jansen@voorbeeld.nl", "Scan bouwtekeningen Stadskantoor")
    assert result.ticket is None and result.requester is None
    assert again.pk == result.pk
    assert counts() == {"tickets": 0, "comments": 0, "attachments": 0, "inbound": 1}
    assert not any(path.is_file() for path in Path(media_root).rglob("*"))
