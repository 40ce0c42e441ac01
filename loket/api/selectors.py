"""Reads of API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken


def tokens(*, user=None, username: str | None = None, prefix: str | None = None) -> QuerySet[ApiToken]:
    qs = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    if user is not None:
        qs = qs.filter(user=user)
    if username:
        qs = qs.filter(user__username=username)
    if prefix:
        qs = qs.filter(prefix__startswith=prefix[:12])
    return qs
