"""Domain errors: a machine-readable code plus a translatable message for the person."""

from __future__ import annotations


class DomainError(Exception):
    """Anything a user can get wrong. Views, endpoints and commands turn it into a message.

    `field` names the input that was wrong, when there is one, so forms and the API can put
    the message next to it.
    """

    def __init__(self, code: str, message: str, *, field: str | None = None, params: dict | None = None):
        self.code = code
        self.message = message
        self.field = field
        self.params = params or {}
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message)


class PermissionDenied(DomainError):
    """The actor may not do this. Shown to people as 'not found' where existence is secret."""

    def __init__(self, message: str, *, code: str = "permission_denied"):
        super().__init__(code, message)
