"""Values every page needs: the house style (tokens file and theme class) and the organisation."""

from django.conf import settings


def house_style(request):
    return {
        "theme_tokens": settings.LOKET_THEME_TOKENS,
        "theme_class": settings.LOKET_THEME_CLASS,
        "organisation_name": settings.LOKET_ORGANISATION_NAME,
    }
