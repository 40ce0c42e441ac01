"""The JSON API: /api/v1/ (OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs)."""

from django.conf import settings
from ninja import NinjaAPI

from . import catalog, errors, people, tickets
from .auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="Loket API",
    version="1",
    description=(
        "Eén loket for every internal service. Authenticate with a personal API token "
        "(`Authorization: Bearer lkt_...`, created on your profile page or with `loket token create`) "
        "or with the browser session. Errors always have the shape "
        "`{status, code, message, errors: [{field, code, message}]}`; send `Accept-Language: en` "
        "for English messages."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("", tickets.router)
api.add_router("", catalog.router)
api.add_router("", people.router)
errors.install(api)

__all__ = ["api", "settings"]
