"""/api/v1/catalog: the product and service catalogue (only active items, except for administrators)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from loket.catalog.models import CatalogItem
from loket.catalog.selectors import catalog_items
from loket.people.selectors import actor_for

from .schemas import CatalogItemOut, CatalogPage, Code, Error, KwisCode, Text

router = Router(tags=["catalog"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 413: Error, 422: Error}


def item_out(item: CatalogItem) -> dict:
    return {
        "code": item.code,
        "name": item.name,
        "department": item.department.code,
        "description": item.description,
        "expectations": item.expectations,
        "conditions": item.conditions,
        "kwis_types": list(item.kwis_types),
        "standard": item.standard,
        "response_minutes": item.response_minutes,
        "resolution_minutes": item.resolution_minutes,
        "default_team": item.default_team.code if item.default_team_id else None,
        "active": item.active,
        "form_fields": [
            {
                "name": spec.get("name", ""),
                "label": spec.get("label", spec.get("name", "")),
                "type": spec.get("type", "text"),
                "required": bool(spec.get("required")),
                "options": [str(option) for option in spec.get("options", [])],
                "help": spec.get("help", ""),
            }
            for spec in item.form_fields
        ],
    }


def _items_for(request):
    return catalog_items(include_inactive=actor_for(request.user).is_administrator)


class CatalogFilters(Schema):
    department: Code | None = Field(None, description="Service department code.")
    kwis: KwisCode | None = None
    q: Text | None = Field(None, max_length=200, description="Text in name, description or keywords.")


@router.get("/catalog/items", response={200: CatalogPage, **ERRORS}, summary="List catalogue items")
def list_items(request, filters: Query[CatalogFilters]):
    qs = _items_for(request).order_by("department__code", "name")
    if filters.department:
        qs = qs.filter(department__code=filters.department)
    items = list(qs)
    if filters.kwis:
        items = [item for item in items if filters.kwis.value in item.kwis_types]
    if filters.q:
        needle = filters.q.strip().lower()
        items = [
            item
            for item in items
            if needle in item.name.lower()
            or needle in item.description.lower()
            or any(needle in str(word).lower() for word in item.keywords)
        ]
    return {"items": [item_out(item) for item in items]}


@router.get("/catalog/items/{code}", response={200: CatalogItemOut, **ERRORS}, summary="One catalogue item")
def get_item(request, code: Code):
    item = _items_for(request).filter(Q(code=code)).first()
    if item is None:
        raise Http404
    return item_out(item)
