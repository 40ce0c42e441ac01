"""`loket token create USERNAME` (prints the token once), `loket token list`, `loket token revoke`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from loket.api import selectors, services
from loket.core.errors import DomainError


class Command(BaseCommand):
    help = _("Beheert persoonlijke API-sleutels.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help=_("Maak een sleutel en toon hem één keer."))
        create.add_argument("username")
        create.add_argument("--name", default="CLI", help=_("Waarvoor de sleutel is."))
        create.add_argument(
            "--days", type=int, default=services.DEFAULT_TOKEN_DAYS, help=_("Geldigheid in dagen.")
        )
        listing = sub.add_parser("list", help=_("Toon de sleutels (niet de geheime waarde)."))
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help=_("Trek een sleutel in."))
        revoke.add_argument("prefix", help=_("Het begin van de sleutel, zoals 'list' het toont."))

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as error:
            raise CommandError(str(error.message)) from None

    def _create(self, *, username: str, name: str, days: int, **_options):
        token, plaintext = services.create_token_for_username(username=username, name=name, days=days)
        self.stderr.write(
            _(
                "Sleutel '%(name)s' voor %(user)s, geldig tot %(until)s. "
                "Bewaar hem nu: hij wordt niet meer getoond."
            )
            % {
                "name": token.name,
                "user": username,
                "until": timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
        self.stdout.write(plaintext)

    def _list(self, *, username: str | None = None, **_options):
        now = timezone.now()
        for token in selectors.tokens(username=username):
            state = (
                _("actief")
                if token.is_active_at(now)
                else (_("ingetrokken") if token.revoked_at else _("verlopen"))
            )
            self.stdout.write(
                f"{token.prefix}\t{token.user.username}\t{token.name}\t"
                f"{timezone.localtime(token.expires_at):%Y-%m-%d}\t{state}"
            )

    def _revoke(self, *, prefix: str, **_options):
        matches = list(selectors.tokens(prefix=prefix)[:2])
        if len(matches) != 1:
            raise CommandError(
                _("Geen sleutel gevonden die begint met %(prefix)s.") % {"prefix": prefix}
                if not matches
                else _("Meer dan één sleutel begint met %(prefix)s; geef meer tekens.") % {"prefix": prefix}
            )
        services.revoke_token(token=matches[0], by=None)
        self.stdout.write(_("Sleutel %(prefix)s is ingetrokken.") % {"prefix": matches[0].prefix})
