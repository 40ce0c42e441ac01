"""Who is calling: a personal API token (Bearer) or the browser session (with CSRF)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from . import services


class InvalidToken(AuthenticationError):
    """A Bearer token was sent but is unknown, expired or revoked: 401, never a session fallback."""

    def __init__(self):
        super().__init__(401, _("De API-sleutel is onbekend, verlopen of ingetrokken."))


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = services.authenticate_token(token)
        if user is None:
            raise InvalidToken
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Loket's own pages calling the API with the login session; CSRF is checked for writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # Without a session cookie there is nothing to protect against CSRF: answer 401, not 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
