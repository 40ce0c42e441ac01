"""API tokens and idempotent creates: every write of the API app."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.core.errors import DomainError, PermissionDenied
from loket.tickets.models import Ticket

from .models import ApiToken, IdempotencyKey

TOKEN_PREFIX = "lkt_"  # noqa: S105 (a public marker, not a secret)
MAX_TOKEN_DAYS = 366
DEFAULT_TOKEN_DAYS = 90
# last_used_at is refreshed at most this often, so authentication does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=5)
IDEMPOTENCY_KEY_LIFETIME = timedelta(hours=24)


def hash_token(plaintext: str) -> str:
    """Tokens are long random strings, so one SHA-256 round is enough (no password stretching)."""
    return hashlib.sha256(plaintext.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(
    *, user, name: str, days: int = DEFAULT_TOKEN_DAYS, now: datetime | None = None
) -> tuple[ApiToken, str]:
    """A personal API token; the plaintext is returned once and never stored."""
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _("Geef de sleutel een naam."), field="name")
    if len(name) > 100:
        raise DomainError("name_too_long", _("De naam mag maximaal 100 tekens zijn."), field="name")
    if not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise DomainError(
            "invalid_days",
            _("Een sleutel is 1 tot %(max)d dagen geldig.") % {"max": MAX_TOKEN_DAYS},
            field="days",
        )
    if not user.is_active:
        raise DomainError("user_inactive", _("Dit account is niet actief."), field="user")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plaintext[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(plaintext),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    return token, plaintext


def create_token_for_username(
    *, username: str, name: str, days: int = DEFAULT_TOKEN_DAYS
) -> tuple[ApiToken, str]:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise DomainError(
            "unknown_user", _("Onbekende gebruiker: %(name)s.") % {"name": username}, field="user"
        )
    return create_token(user=user, name=name, days=days)


def revoke_token(*, token: ApiToken, by, now: datetime | None = None) -> ApiToken:
    """Withdraw a token at once; its owner or an administrator may."""
    if by is not None and by.pk != token.user_id and not by.is_superuser:
        raise PermissionDenied(_("Je mag deze sleutel niet intrekken."))
    if token.revoked_at is None:
        token.revoked_at = now or timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_token(plaintext: str, *, now: datetime | None = None):
    """The user behind a token, or None when it is unknown, revoked, expired or its user inactive."""
    if not plaintext or not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 200:
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__employee", "user__employee__unit")
        .filter(token_hash=hash_token(plaintext))
        .first()
    )
    if token is None or not token.is_active_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def create_once(
    *, user, key: str, request_fingerprint: str, create: Callable[[], Ticket], now: datetime | None = None
) -> tuple[Ticket, bool]:
    """Create a ticket at most once per (user, Idempotency-Key); a retry returns the first ticket.

    The key is stored in the transaction of the ticket, so either both exist or neither. Two
    concurrent requests with one key: the database's unique constraint lets one win; the other
    waits for it and then answers with the winner's ticket.
    """
    key = (key or "").strip()
    if not key or len(key) > 200 or not key.isprintable():
        raise DomainError(
            "invalid_idempotency_key",
            _("De Idempotency-Key moet 1 tot 200 leesbare tekens zijn."),
            field="Idempotency-Key",
        )
    now = now or timezone.now()
    # The common case is a first request: insert the key with the ticket and let the unique
    # constraint catch a repeat (then everything of this attempt rolls back), rather than look
    # the key up first on every create. A repeat may also fail earlier, on a rule the first
    # request made true (its external_ref now exists): then the stored key decides too.
    try:
        with transaction.atomic():
            ticket = create()
            IdempotencyKey.objects.create(
                user=user, key=key, fingerprint=request_fingerprint, ticket=ticket, created_at=now
            )
        return ticket, True
    except (IntegrityError, DomainError) as error:
        existing = IdempotencyKey.objects.select_related("ticket").filter(user=user, key=key).first()
        if existing is None:
            if isinstance(error, DomainError):
                raise
            raise DomainError(
                "conflict", _("Dit verzoek botst met een ander verzoek; probeer het opnieuw.")
            ) from None
    if existing.fingerprint != request_fingerprint:
        raise DomainError(
            "idempotency_key_reused",
            _("Deze Idempotency-Key is al gebruikt voor een ander verzoek."),
            field="Idempotency-Key",
        )
    return existing.ticket, False


def purge_idempotency_keys(*, now: datetime | None = None) -> int:
    """Keys are kept for a day: long enough for any client's retries."""
    now = now or timezone.now()
    deleted, _detail = IdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_KEY_LIFETIME).delete()
    return deleted
