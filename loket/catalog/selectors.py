"""Reads from the catalogue, including the export in the demo-org file format."""

from __future__ import annotations

import yaml
from django.db.models import Prefetch, QuerySet

from loket.people.models import ServiceDepartment

from .models import CatalogItem, Kwis, Theme


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
        if item.task_template:
            entry["tasks"] = item.task_template
        if not item.active:
            entry["active"] = False
        items.append(entry)
    document = {
        "kwis_types": {choice.value: str(choice.label) for choice in Kwis},
        "departments": departments,
        "items": items,
    }
    themes = [
        {
            "code": theme.code,
            "name": theme.name,
            **({"description": theme.description} if theme.description else {}),
            "items": sorted(item.code for item in theme.items.all()),
        }
        for theme in Theme.objects.prefetch_related("items")
    ]
    if themes:
        document["themes"] = themes
    return document


def catalog_yaml() -> str:
    return yaml.safe_dump(catalog_document(), allow_unicode=True, sort_keys=False, width=110)


def search_catalog(query: str, *, limit: int = 20) -> list[CatalogItem]:
    """Active items for a free-text question, best first: words in the name count most, then the
    keywords, then the description. (The knowledge issue brings stemming and typo tolerance.)"""
    words = [word for word in query.lower().split() if len(word) > 1]
    if not words:
        return []
    scored = []
    for item in catalog_items().order_by("name"):
        name, description = item.name.lower(), item.description.lower()
        keywords = " ".join(str(word) for word in item.keywords).lower()
        score = sum(3 * (word in name) + 2 * (word in keywords) + (word in description) for word in words)
        if score:
            scored.append((-score, item.name, item))
    return [item for _score, _name, item in sorted(scored, key=lambda row: row[:2])[:limit]]


def departments_with_items() -> list[tuple[ServiceDepartment, list[CatalogItem]]]:
    """The catalogue by service department, for browsing: only departments with active items."""
    grouped: dict[int, list[CatalogItem]] = {}
    for item in catalog_items().order_by("name"):
        grouped.setdefault(item.department_id, []).append(item)
    departments = ServiceDepartment.objects.filter(pk__in=grouped).order_by("name")
    return [(department, grouped[department.pk]) for department in departments]


def norm_in_words(minutes: int) -> str:
    """A norm in plain Dutch: 'binnen 4 werkuren', 'binnen 3 werkdagen' (8 hours a working day,
    as the catalogue counts)."""
    from django.utils.translation import ngettext

    if minutes < 8 * 60:
        hours = max(1, round(minutes / 60))
        return ngettext("binnen %(n)d werkuur", "binnen %(n)d werkuren", hours) % {"n": hours}
    days = max(1, round(minutes / (8 * 60)))
    return ngettext("binnen %(n)d werkdag", "binnen %(n)d werkdagen", days) % {"n": days}


def themes_with_items() -> list[tuple[Theme, list[CatalogItem]]]:
    """The catalogue by theme (across departments), for browsing: only themes with active items."""
    themes = Theme.objects.prefetch_related(
        Prefetch("items", queryset=catalog_items().order_by("name"), to_attr="active_items")
    )
    return [(theme, theme.active_items) for theme in themes if theme.active_items]


def theme_list() -> QuerySet[Theme]:
    """The themes that have an item on offer, in their order, for links (without their items)."""
    return Theme.objects.filter(items__active=True).distinct().order_by("position", "name")


def theme_by_code(code: str) -> Theme | None:
    return Theme.objects.filter(code=code).first()


def catalog_item_by_code(code: str) -> CatalogItem | None:
    """An active item by its code, or None."""
    return catalog_items().filter(code=code).first()
