"""Reading an RFC 822 message: headers, the text a person wrote (from plain text, or from HTML
with the markup removed), attachments and inline images, and the signs of automatic mail.

Pure functions over the standard library's `email` package (policy.default decodes RFC 2047
headers and any charset it knows; an unknown charset falls back to Latin-1, so nothing raises)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from html.parser import HTMLParser

TICKET_NUMBER_RE = re.compile(r"\b(M\d{4}-\d{6})\b")
MAILER_DAEMON_RE = re.compile(r"^(mailer-daemon|postmaster|noreply|no-reply|donotreply|do-not-reply)@", re.I)


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes
    inline: bool = False


@dataclass
class ParsedMail:
    message_id: str
    sender: str  # the address, lower case; "" when there is none
    sender_name: str
    subject: str
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    automatic: str = ""  # why it is automatic mail ("auto-submitted: auto-replied", ...), or ""
    bounce: bool = False

    @property
    def ticket_numbers(self) -> list[str]:
        return TICKET_NUMBER_RE.findall(self.subject)


class _TextFromHtml(HTMLParser):
    BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "table",
        "ul",
        "ol",
    }
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The words of an HTML mail without any markup (scripts and styles dropped)."""
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


# Mail clients label Windows-1252 text as ISO-8859-1 (and ASCII); read those labels as the WHATWG
# Encoding Standard does, so €, curly quotes and dashes survive.
CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}


def _content(part: EmailMessage) -> str:
    """A text part's words: its declared charset if the bytes fit it, else UTF-8, else
    Windows-1252 (an unknown or lying label never raises and never loses the text)."""
    payload = part.get_payload(decode=True) or b""
    declared = (part.get_content_charset() or "us-ascii").lower()
    for charset in (CHARSET_ALIASES.get(declared, declared), "utf-8"):
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("cp1252", errors="replace")


def clean(text: str) -> str:
    """Text a database stores: raw bytes that slipped through as surrogates read as UTF-8, no NUL
    characters (PostgreSQL refuses them), one kind of line end."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def _raw_header(message: EmailMessage, name: str) -> str:
    """A header as it was written, without the header parser (which raises on some malformed
    addresses)."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _walk(part: EmailMessage):
    """The leaf parts of a message; a forwarded message (message/rfc822) is one leaf, kept whole."""
    if part.get_content_type() == "message/rfc822":
        yield part
    elif part.is_multipart():
        for child in part.iter_parts():
            yield from _walk(child)
    else:
        yield part


def automatic_reason(message: EmailMessage) -> str:
    """Why a message is automatic (an out-of-office, a list, a bounce), or "" for a person's mail."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress", "X-Autogenerated"):
        if message.get(header) is not None:
            return header
    if message.get("List-Id") is not None or message.get("List-Unsubscribe") is not None:
        return "List-Id"
    return ""


def is_bounce(message: EmailMessage, sender: str) -> bool:
    content_type = message.get_content_type()
    report = message.get_param("report-type", "", header="content-type")
    return (
        (content_type == "multipart/report" and str(report).lower() == "delivery-status")
        or str(message.get("Return-Path", "")).strip() == "<>"
        or bool(MAILER_DAEMON_RE.match(sender))
    )


def parse(raw: bytes) -> ParsedMail:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = (_ids(str(message.get("Message-ID", ""))) or [""])[0]
    if not message_id:  # no Message-ID: the content itself identifies it
        message_id = f"<{hashlib.sha256(raw).hexdigest()}@no-message-id.loket>"
    sender, sender_name = "", ""
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
    except (AttributeError, IndexError, ValueError):
        addresses = ()
    if addresses and isinstance(addresses[0], Address):
        sender, sender_name = addresses[0].addr_spec.lower(), addresses[0].display_name
    elif _raw_header(message, "From"):
        raw_from = _raw_header(message, "From")
        pairs = getaddresses([raw_from])
        if pairs and pairs[0][1]:
            sender_name, sender = pairs[0][0], pairs[0][1].lower()
        else:  # not an address at all ("anna.jansen@"): keep what was written, for the record
            sender = " ".join(raw_from.split()).lower()
    try:
        subject = str(message.get("Subject", ""))
    except (IndexError, ValueError):
        subject = _raw_header(message, "Subject")
    subject = " ".join(clean(subject).split())
    text, html, attachments = "", "", []
    for part in _walk(message):
        disposition = part.get_content_disposition()
        content_type = part.get_content_type()
        filename = part.get_filename()
        if content_type == "message/rfc822":  # forwarded as an attachment: kept whole, as .eml
            inner = part.get_payload(0) if part.is_multipart() else None
            content = inner.as_bytes() if inner is not None else (part.get_payload(decode=True) or b"")
            attachments.append(
                Attachment(
                    filename=filename or "doorgestuurd.eml", content_type="message/rfc822", content=content
                )
            )
        elif disposition == "attachment" or (filename and content_type not in ("text/plain", "text/html")):
            payload = part.get_payload(decode=True) or b""
            attachments.append(
                Attachment(
                    filename=clean(filename or "bijlage"),
                    content_type=content_type,
                    content=payload,
                    inline=disposition == "inline",
                )
            )
        elif content_type == "text/plain" and not text:
            text = _content(part)
        elif content_type == "text/html" and not html:
            html = _content(part)
    if not text and html:
        text = html_to_text(html)
    references = _ids(str(message.get("In-Reply-To", ""))) + _ids(str(message.get("References", "")))
    return ParsedMail(
        message_id=message_id[:255],
        sender=clean(sender)[:320],
        sender_name=clean(sender_name)[:200],
        subject=subject[:255],
        text=clean(text).strip(),
        attachments=attachments,
        in_reply_to=references,
        automatic=automatic_reason(message),
        bounce=is_bounce(message, sender),
    )
