"""Reads from the catalogue, including the export in the demo-org file format."""

from __future__ import annotations

import yaml
from django.db.models import QuerySet

from loket.people.models import ServiceDepartment

from .models import CatalogItem, Kwis


def catalog_items(*, include_inactive: bool = False) -> QuerySet[CatalogItem]:
    qs = CatalogItem.objects.select_related("department", "default_team")
    return qs if include_inactive else qs.filter(active=True)


def catalog_document() -> dict:
    """The whole catalogue as a dict in the format `import_catalog` reads (round-trips)."""
    departments = [
        {
            "code": d.code,
            "name": d.name,
            "description": d.description,
            **({"confidential": True} if d.confidential_by_default else {}),
        }
        for d in ServiceDepartment.objects.order_by("code")
    ]
    items = []
    for item in catalog_items(include_inactive=True).order_by("department__code", "code"):
        entry = {
            "code": item.code,
            "department": item.department.code,
            "name": item.name,
            "description": item.description,
        }
        for key in ("expectations", "conditions"):
            if getattr(item, key):
                entry[key] = getattr(item, key)
        entry["kwis_types"] = list(item.kwis_types)
        entry["standard"] = item.standard
        entry["sla"] = {"response_hours": item.response_hours, "resolution_hours": item.resolution_hours}
        if item.form_fields:
            entry["fields"] = item.form_fields
        if item.keywords:
            entry["keywords"] = item.keywords
        if item.default_team_id:
            entry["default_team"] = item.default_team.code
        if not item.active:
            entry["active"] = False
        items.append(entry)
    return {
        "kwis_types": {choice.value: str(choice.label) for choice in Kwis},
        "departments": departments,
        "items": items,
    }


def catalog_yaml() -> str:
    return yaml.safe_dump(catalog_document(), allow_unicode=True, sort_keys=False, width=110)
