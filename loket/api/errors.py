"""One error shape for every failure: status, code, message (nl/en) and field errors."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from loket.core.errors import DomainError, PermissionDenied

log = logging.getLogger(__name__)

# Pydantic error types with a message of our own; others keep pydantic's (English) text.
_MESSAGES = {
    "missing": lambda: _("Dit veld is verplicht."),
    "extra_forbidden": lambda: _("Dit veld bestaat niet."),
    "string_too_short": lambda: _("Vul dit veld in."),
    "string_too_long": lambda: _("De tekst is te lang."),
    "too_short": lambda: _("Vul dit veld in."),
    "too_long": lambda: _("De tekst is te lang."),
    "string_type": lambda: _("Verwacht tekst."),
    "int_type": lambda: _("Verwacht een geheel getal."),
    "int_parsing": lambda: _("Verwacht een geheel getal."),
    "bool_type": lambda: _("Verwacht true of false."),
    "bool_parsing": lambda: _("Verwacht true of false."),
    "enum": lambda: _("Kies een van de toegestane waarden."),
    "greater_than_equal": lambda: _("De waarde is te klein."),
    "less_than_equal": lambda: _("De waarde is te groot."),
    "datetime_parsing": lambda: _("Verwacht een datum en tijd (ISO 8601)."),
    "datetime_type": lambda: _("Verwacht een datum en tijd (ISO 8601)."),
    "dict_type": lambda: _("Verwacht een object."),
    "model_attributes_type": lambda: _("Verwacht een object."),
    "json_invalid": lambda: _("De inhoud is geen geldige JSON."),
}


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message, errors=()):
    body = {"status": status, "code": code, "message": str(message), "errors": list(errors)}
    return api.create_response(request, body, status=status)


def _field_of(loc) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else []
    elif parts and parts[0] in ("query", "path", "header", "form", "file"):
        parts = parts[1:]
        if len(parts) > 1 and parts[0] == "filters":  # the name of the query-parameter schema
            parts = parts[1:]
    return ".".join(parts) or None


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = []
        for error in exc.errors:
            kind = error.get("type", "invalid")
            if kind.startswith(("datetime", "date_")):
                message = _("Verwacht een datum en tijd (ISO 8601).")
            elif kind in _MESSAGES:
                message = _MESSAGES[kind]()
            else:
                message = error.get("msg", "")
            if kind == "value_error":
                message = str(error.get("msg", "")).removeprefix("Value error, ")
            errors.append({"field": _field_of(error.get("loc", ())), "code": kind, "message": message})
        return error_response(api, request, 422, "validation_error", _("De invoer is niet geldig."), errors)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc: PermissionDenied):
        return error_response(api, request, 403, exc.code, exc.message)

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        status = 409 if exc.code == "conflict" else 422
        errors = [{"field": exc.field, "code": exc.code, "message": str(exc.message)}] if exc.field else []
        return error_response(api, request, status, exc.code, exc.message, errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc: AuthenticationError):
        message = (
            exc.message if exc.message != "Unauthorized" else _("Log in of stuur een geldige API-sleutel.")
        )
        response = error_response(api, request, 401, "unauthenticated", message)
        response["WWW-Authenticate"] = 'Bearer realm="loket"'
        return response

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return error_response(api, request, 404, "not_found", _("Niet gevonden."))

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}
        message = exc.message
        if exc.status_code == 400 and str(message).startswith("Cannot parse request body"):
            message = _MESSAGES["json_invalid"]()
        elif exc.status_code == 403 and "CSRF" in str(message):
            message = _("De CSRF-controle is mislukt; laad de pagina opnieuw.")
        return error_response(api, request, exc.status_code, codes.get(exc.status_code, "error"), message)

    @api.exception_handler(MultiPartParserError)
    def bad_multipart(request, exc):
        return error_response(
            api, request, 400, "bad_request", _("Het verzoek is geen geldige multipart/form-data.")
        )

    @api.exception_handler(RequestDataTooBig)
    def too_big(request, exc):
        return error_response(api, request, 413, "too_large", _("Het verzoek is te groot."))

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request, exc):
        return error_response(api, request, 400, "bad_request", _("Het verzoek is niet geldig."))

    @api.exception_handler(Exception)
    def server_error(request, exc: Exception):
        log.exception("API error on %s %s", request.method, request.path)
        return error_response(
            api, request, 500, "server_error", _("Er ging iets mis aan onze kant; probeer het later opnieuw.")
        )


def not_found_error(api, request) -> HttpResponse:
    return error_response(api, request, 404, "not_found", _("Niet gevonden."))
