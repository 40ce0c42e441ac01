"""Language choice: Dutch unless the person asked for English with the language switch.

Django's LocaleMiddleware also follows the browser's Accept-Language; many Dutch civil servants
run an English browser but expect their intranet in Dutch, so we follow only the explicit choice.
Programs calling the JSON API have no language switch: there Accept-Language chooses.
"""

from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported and request.path.startswith("/api/"):
            language = _accepted_language(request.headers.get("Accept-Language", ""))
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


def _accepted_language(header: str) -> str | None:
    """The most preferred supported language of an Accept-Language header, if any."""
    from django.utils.translation.trans_real import parse_accept_lang_header

    for code, _quality in parse_accept_lang_header(header[:500]):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None
