"""Writes to the catalogue: import (idempotent by code, all or nothing) and item changes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from loket.core.errors import DomainError
from loket.people.models import ServiceDepartment, Team
from loket.people.services import upsert_department

from .models import FORM_FIELD_TYPES, TASK_PLACEHOLDER_RE, CatalogItem, Kwis, Theme

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,59}$")
FIELD_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


class CatalogImportError(DomainError):
    """A catalogue file that cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(
            "catalog_invalid",
            _("De catalogus is niet geïmporteerd (%(count)d fouten):\n%(errors)s")
            % {"count": len(errors), "errors": "\n".join(f"- {e}" for e in errors)},
        )


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    departments_changed: list[str] = field(default_factory=list)
    themes_changed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "Catalogus geïmporteerd: %(created)d nieuw, %(updated)d gewijzigd, %(unchanged)d ongewijzigd; "
            "%(departments)d afdelingen bijgewerkt."
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "departments": len(self.departments_changed),
        }

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.departments_changed or self.themes_changed)


def parse_catalog_yaml(text: str) -> dict:
    """Parse a catalogue file; YAML syntax errors become a message with the line number."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" op regel %(line)d") % {"line": mark.line + 1} if mark else ""
        raise CatalogImportError(
            [_("Het bestand is geen geldige YAML%(where)s.") % {"where": where}]
        ) from exc
    if not isinstance(data, dict):
        raise CatalogImportError([_("Het bestand moet 'departments' en 'items' bevatten.")])
    return data


def _hours_to_minutes(value) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        minutes = Decimal(str(value)) * 60
    except (InvalidOperation, ValueError):
        return None
    if minutes <= 0 or minutes != minutes.to_integral_value():
        return None
    return int(minutes)


def _validate_fields(where: str, raw, errors: list[str]) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(_("%(where)s: 'fields' moet een lijst zijn.") % {"where": where})
        return []
    cleaned, seen = [], set()
    for index, spec in enumerate(raw, start=1):
        at = _("%(where)s, veld %(n)d") % {"where": where, "n": index}
        if not isinstance(spec, dict):
            errors.append(_("%(at)s: verwacht naam, label en type.") % {"at": at})
            continue
        name = spec.get("name")
        if not isinstance(name, str) or not FIELD_NAME_RE.match(name):
            errors.append(
                _("%(at)s: 'name' moet een naam van kleine letters, cijfers en _ zijn.") % {"at": at}
            )
            continue
        at = _("%(where)s, veld '%(name)s'") % {"where": where, "name": name}
        if name in seen:
            errors.append(_("%(at)s: de naam komt twee keer voor.") % {"at": at})
        seen.add(name)
        label = spec.get("label")
        if not isinstance(label, str) or not label.strip():
            errors.append(_("%(at)s: 'label' ontbreekt.") % {"at": at})
        kind = spec.get("type")
        if kind not in FORM_FIELD_TYPES:
            errors.append(
                _("%(at)s: onbekend type %(type)r (toegestaan: %(allowed)s).")
                % {"at": at, "type": kind, "allowed": ", ".join(FORM_FIELD_TYPES)}
            )
        required = spec.get("required", False)
        if not isinstance(required, bool):
            errors.append(_("%(at)s: 'required' moet true of false zijn.") % {"at": at})
        options = spec.get("options")
        if kind == "select":
            if (
                not isinstance(options, list)
                or not options
                or not all(isinstance(o, str | int) for o in options)
            ):
                errors.append(_("%(at)s: een keuzelijst heeft 'options' nodig.") % {"at": at})
                options = []
        elif options is not None:
            errors.append(_("%(at)s: alleen een keuzelijst (select) heeft 'options'.") % {"at": at})
        unknown = set(spec) - {"name", "label", "type", "required", "options", "help"}
        if unknown:
            errors.append(
                _("%(at)s: onbekende sleutels %(keys)s.") % {"at": at, "keys": ", ".join(sorted(unknown))}
            )
        item = {"name": name, "label": (label or "").strip(), "type": kind, "required": bool(required)}
        if kind == "select":
            item["options"] = [str(o) for o in options]
        if spec.get("help"):
            item["help"] = str(spec["help"])
        cleaned.append(item)
    return cleaned


ITEM_KEYS = {
    "code",
    "department",
    "name",
    "description",
    "expectations",
    "conditions",
    "kwis_types",
    "standard",
    "sla",
    "fields",
    "keywords",
    "default_team",
    "tasks",
    "active",
}


def _validate(data: dict) -> tuple[list[dict], list[dict]]:
    """Check the whole file first; return cleaned departments and items or raise every error."""
    errors: list[str] = []
    departments = data.get("departments") or []
    items = data.get("items")
    if not isinstance(departments, list):
        errors.append(_("'departments' moet een lijst zijn."))
        departments = []
    if not isinstance(items, list):
        raise CatalogImportError([*errors, _("Het bestand bevat geen lijst 'items'.")])

    clean_departments, department_codes = [], set()
    for index, dep in enumerate(departments, start=1):
        if not isinstance(dep, dict) or not isinstance(dep.get("code"), str) or not dep["code"].strip():
            errors.append(_("Afdeling %(n)d: 'code' ontbreekt.") % {"n": index})
            continue
        code = dep["code"].strip().upper()
        if not isinstance(dep.get("name"), str) or not dep["name"].strip():
            errors.append(_("Afdeling %(code)s: 'name' ontbreekt.") % {"code": code})
        confidential = dep.get("confidential")
        if confidential is not None and not isinstance(confidential, bool):
            errors.append(_("Afdeling %(code)s: 'confidential' moet true of false zijn.") % {"code": code})
        department_codes.add(code)
        clean_departments.append(
            {
                "code": code,
                "name": str(dep.get("name") or ""),
                "description": str(dep.get("description") or ""),
                "confidential": confidential,
            }
        )
    known_departments = department_codes | set(ServiceDepartment.objects.values_list("code", flat=True))
    known_teams = dict(Team.objects.values_list("code", "department__code"))
    existing_tasks = dict(CatalogItem.objects.values_list("code", "task_template"))

    clean_items, seen_codes = [], set()
    for index, raw in enumerate(items, start=1):
        if not isinstance(raw, dict):
            errors.append(_("Item %(n)d: verwacht een item met code, department en name.") % {"n": index})
            continue
        code = raw.get("code")
        if not isinstance(code, str) or not CODE_RE.match(code.strip()):
            errors.append(
                _("Item %(n)d: 'code' ontbreekt of is ongeldig (hoofdletters, cijfers en -).") % {"n": index}
            )
            continue
        code = code.strip()
        where = _("Item %(code)s") % {"code": code}
        if code in seen_codes:
            errors.append(_("%(where)s: de code komt twee keer voor.") % {"where": where})
        seen_codes.add(code)
        unknown = set(raw) - ITEM_KEYS
        if unknown:
            errors.append(
                _("%(where)s: onbekende sleutels %(keys)s.")
                % {"where": where, "keys": ", ".join(sorted(unknown))}
            )
        department = raw.get("department")
        if not isinstance(department, str) or not department.strip():
            errors.append(_("%(where)s: veld 'department' ontbreekt.") % {"where": where})
        elif department.strip().upper() not in known_departments:
            errors.append(
                _("%(where)s: onbekende afdeling %(department)r in veld 'department'.")
                % {"where": where, "department": department}
            )
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.append(_("%(where)s: veld 'name' ontbreekt.") % {"where": where})
        kwis = raw.get("kwis_types")
        if not isinstance(kwis, list) or not kwis or any(k not in Kwis.values for k in kwis):
            errors.append(
                _("%(where)s: veld 'kwis_types' moet een lijst zijn met K, W, I en/of S.") % {"where": where}
            )
            kwis = []
        elif len(set(kwis)) != len(kwis):
            errors.append(_("%(where)s: veld 'kwis_types' noemt een soort twee keer.") % {"where": where})
        standard = raw.get("standard", True)
        if not isinstance(standard, bool):
            errors.append(_("%(where)s: veld 'standard' moet true of false zijn.") % {"where": where})
        active = raw.get("active", True)
        if not isinstance(active, bool):
            errors.append(_("%(where)s: veld 'active' moet true of false zijn.") % {"where": where})
        sla = raw.get("sla")
        response = resolution = None
        if not isinstance(sla, dict):
            errors.append(
                _("%(where)s: veld 'sla' met response_hours en resolution_hours ontbreekt.")
                % {"where": where}
            )
        else:
            response = _hours_to_minutes(sla.get("response_hours"))
            resolution = _hours_to_minutes(sla.get("resolution_hours"))
            if response is None:
                errors.append(
                    _("%(where)s: 'sla.response_hours' moet een positief aantal uren zijn.")
                    % {"where": where}
                )
            if resolution is None:
                errors.append(
                    _("%(where)s: 'sla.resolution_hours' moet een positief aantal uren zijn.")
                    % {"where": where}
                )
            if response and resolution and response > resolution:
                errors.append(
                    _("%(where)s: de reactietijd is langer dan de oplostijd in veld 'sla'.")
                    % {"where": where}
                )
        keywords = raw.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str | int) for k in keywords):
            errors.append(_("%(where)s: veld 'keywords' moet een lijst met woorden zijn.") % {"where": where})
            keywords = []
        team = raw.get("default_team")
        if team is not None and team not in known_teams:
            errors.append(
                _("%(where)s: onbekend team %(team)r in veld 'default_team'.")
                % {"where": where, "team": team}
            )
        elif team is not None and known_teams[team] not in (None, str(department or "").strip().upper()):
            errors.append(
                _("%(where)s: team %(team)r in veld 'default_team' hoort bij afdeling %(other)s.")
                % {"where": where, "team": team, "other": known_teams[team]}
            )
        text_values = {}
        for key in ("description", "expectations", "conditions"):
            value = raw.get(key) or ""
            if not isinstance(value, str):
                errors.append(_("%(where)s: veld '%(key)s' moet tekst zijn.") % {"where": where, "key": key})
                value = ""
            text_values[key] = value.strip()
        form_fields = _validate_fields(where, raw.get("fields"), errors)
        field_names = {f["name"] for f in form_fields}
        tasks = _validate_tasks(where, raw.get("tasks"), errors, known_departments, known_teams, field_names)
        if tasks is None:  # the item keeps its tasks: they must still fit its (new) form
            for task in existing_tasks.get(code) or []:
                for placeholder in TASK_PLACEHOLDER_RE.findall(
                    task.get("subject", "") + task.get("description", "")
                ):
                    if placeholder not in field_names:
                        errors.append(
                            _("%(where)s: de deeltaak '%(task)s' gebruikt {%(name)s}, dat geen veld meer is.")
                            % {"where": where, "task": task.get("subject", ""), "name": placeholder}
                        )
        clean_items.append(
            {
                "code": code,
                "department": (department or "").strip().upper() if isinstance(department, str) else "",
                "name": (name or "").strip() if isinstance(name, str) else "",
                **text_values,
                "kwis_types": list(kwis),
                "standard": bool(standard),
                "active": bool(active),
                "response_minutes": response or 0,
                "resolution_minutes": resolution or 0,
                "form_fields": form_fields,
                "keywords": [str(k) for k in keywords],
                "default_team": team,
                "task_template": tasks,
            }
        )
    clean_themes = _validate_themes(data.get("themes"), errors, seen_codes | _existing_item_codes())
    if errors:
        raise CatalogImportError(errors)
    return clean_departments, clean_items, clean_themes


def _existing_item_codes() -> set[str]:
    return set(CatalogItem.objects.values_list("code", flat=True))


def _validate_tasks(
    where: str, raw, errors: list[str], departments: set[str], teams: dict, field_names: set[str]
) -> list[dict] | None:
    """Child tasks of a cross-department case: [{department, team?, subject, description?}]; a
    subject may name form fields as {name}. None when the item has no 'tasks' (kept as it is)."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors.append(_("%(where)s: veld 'tasks' moet een lijst zijn.") % {"where": where})
        return []
    clean = []
    for index, task in enumerate(raw, start=1):
        at = _("%(where)s, deeltaak %(n)d") % {"where": where, "n": index}
        if not isinstance(task, dict):
            errors.append(_("%(at)s: verwacht department en subject.") % {"at": at})
            continue
        unknown = set(task) - {"department", "team", "subject", "description"}
        if unknown:
            errors.append(
                _("%(at)s: onbekende sleutels %(keys)s.") % {"at": at, "keys": ", ".join(sorted(unknown))}
            )
        department = task.get("department")
        department = department.strip().upper() if isinstance(department, str) else ""
        if department not in departments:
            errors.append(_("%(at)s: onbekende afdeling in veld 'department'.") % {"at": at})
        team = task.get("team")
        if team is not None and team not in teams:
            errors.append(_("%(at)s: onbekend team %(team)r in veld 'team'.") % {"at": at, "team": team})
        elif team is not None and teams[team] not in (None, department):
            errors.append(
                _("%(at)s: team %(team)r hoort bij afdeling %(other)s.")
                % {"at": at, "team": team, "other": teams[team]}
            )
        subject = task.get("subject")
        if not isinstance(subject, str) or not subject.strip() or len(subject) > 200:
            errors.append(_("%(at)s: veld 'subject' ontbreekt of is langer dan 200 tekens.") % {"at": at})
            subject = ""
        description = task.get("description") or ""
        if not isinstance(description, str):
            errors.append(_("%(at)s: veld 'description' moet tekst zijn.") % {"at": at})
            description = ""
        for name in TASK_PLACEHOLDER_RE.findall(subject + description):
            if name not in field_names:
                errors.append(
                    _("%(at)s: {%(name)s} is geen veld van het formulier.") % {"at": at, "name": name}
                )
        entry = {"department": department, "subject": subject.strip()}
        if team:
            entry["team"] = team
        if description.strip():
            entry["description"] = description.strip()
        clean.append(entry)
    return clean


def _validate_themes(raw, errors: list[str], item_codes: set[str]) -> list[dict] | None:
    """Themes across departments: [{code, name, description?, items: [item codes]}]; None when the
    file has no 'themes' (then the themes in the database are left alone)."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        errors.append(_("'themes' moet een lijst zijn."))
        return None
    clean, seen = [], set()
    for index, theme in enumerate(raw, start=1):
        code = theme.get("code") if isinstance(theme, dict) else None
        if not isinstance(code, str) or not CODE_RE.match(code):
            errors.append(_("Thema %(n)d: 'code' ontbreekt of is ongeldig.") % {"n": index})
            continue
        if code in seen:
            errors.append(_("Thema %(code)s: de code komt twee keer voor.") % {"code": code})
        seen.add(code)
        unknown = set(theme) - {"code", "name", "description", "items"}
        if unknown:
            errors.append(
                _("Thema %(code)s: onbekende sleutels %(keys)s.")
                % {"code": code, "keys": ", ".join(sorted(unknown))}
            )
        name = theme.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.append(_("Thema %(code)s: veld 'name' ontbreekt.") % {"code": code})
            name = ""
        description = theme.get("description") or ""
        if not isinstance(description, str):
            errors.append(_("Thema %(code)s: veld 'description' moet tekst zijn.") % {"code": code})
            description = ""
        items = theme.get("items") or []
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            errors.append(
                _("Thema %(code)s: veld 'items' moet een lijst met itemcodes zijn.") % {"code": code}
            )
            items = []
        for item_code in items:
            if item_code not in item_codes:
                errors.append(
                    _("Thema %(code)s: onbekend item %(item)r in veld 'items'.")
                    % {"code": code, "item": item_code}
                )
        clean.append(
            {
                "code": code,
                "name": name.strip(),
                "description": description.strip(),
                "position": index,
                "items": list(dict.fromkeys(items)),
            }
        )
    return clean


def import_catalog(*, data: dict) -> ImportResult:
    """Import a catalogue in the demo-org format: idempotent by code, all or nothing.

    Departments and items that exist (by code) are updated where they differ; new ones are
    created. Items missing from the file are left alone (deactivate them explicitly).
    """
    departments, items, themes = _validate(data)
    result = ImportResult()
    confidential_codes = {c.upper() for c in settings.LOKET_CONFIDENTIAL_DEPARTMENTS}
    with transaction.atomic():
        by_code = {}
        for dep in departments:
            confidential = dep["confidential"]
            if confidential is None and not ServiceDepartment.objects.filter(code=dep["code"]).exists():
                confidential = dep["code"] in confidential_codes
            department, changed = upsert_department(
                code=dep["code"],
                name=dep["name"],
                description=dep["description"],
                confidential_by_default=confidential,
            )
            by_code[department.code] = department
            if changed:
                result.departments_changed.append(department.code)
        for department in ServiceDepartment.objects.exclude(code__in=by_code):
            by_code[department.code] = department
        teams = {t.code: t for t in Team.objects.all()}
        existing = {
            item.code: item for item in CatalogItem.objects.filter(code__in=[i["code"] for i in items])
        }
        for spec in items:
            values = {
                **{
                    k: v
                    for k, v in spec.items()
                    if k not in ("code", "department", "default_team", "task_template")
                },
                "department": by_code[spec["department"]],
            }
            if spec["default_team"]:
                values["default_team"] = teams[spec["default_team"]]
            if spec["task_template"] is not None:  # a file without 'tasks' leaves them alone
                values["task_template"] = spec["task_template"]
            item = existing.get(spec["code"])
            if item is None:
                CatalogItem.objects.create(code=spec["code"], **values)
                result.created.append(spec["code"])
                continue
            changed = False
            for name, value in values.items():
                if getattr(item, name) != value:
                    setattr(item, name, value)
                    changed = True
            if changed:
                item.save()
                result.updated.append(spec["code"])
            else:
                result.unchanged.append(spec["code"])
        if themes is not None:
            result.themes_changed = _import_themes(themes)
    return result


def _import_themes(themes: list[dict]) -> list[str]:
    """Upsert themes by code with exactly the listed items; themes not in the file stay."""
    changed = []
    existing = {theme.code: theme for theme in Theme.objects.prefetch_related("items")}
    item_ids = dict(CatalogItem.objects.values_list("code", "pk"))
    for spec in themes:
        theme = existing.get(spec["code"])
        values = {k: spec[k] for k in ("name", "description", "position")}
        wanted = {item_ids[code] for code in spec["items"]}
        if theme is None:
            theme = Theme.objects.create(code=spec["code"], **values)
            theme.items.set(wanted)
            changed.append(theme.code)
            continue
        dirty = [name for name, value in values.items() if getattr(theme, name) != value]
        for name in dirty:
            setattr(theme, name, values[name])
        if dirty:
            theme.save(update_fields=dirty)
        if {item.pk for item in theme.items.all()} != wanted:
            theme.items.set(wanted)
            dirty.append("items")
        if dirty:
            changed.append(theme.code)
    return changed


def import_catalog_file(*, text: str) -> ImportResult:
    return import_catalog(data=parse_catalog_yaml(text))


def set_item_default_team(*, item: CatalogItem, team: Team | None) -> CatalogItem:
    if team is not None and team.department_id not in (None, item.department_id):
        raise DomainError(
            "team_wrong_department",
            _("Team %(team)s hoort niet bij afdeling %(department)s.")
            % {"team": team, "department": item.department.code},
            field="default_team",
        )
    if item.default_team_id != (team.pk if team else None):
        item.default_team = team
        item.save(update_fields=["default_team"])
    return item


def set_task_template(*, item: CatalogItem, tasks: list) -> CatalogItem:
    """Give a cross-department item its child tasks ([{department, team?, subject, description?}]),
    checked as the import checks them; an empty list removes the split."""
    errors: list[str] = []
    known_teams = dict(Team.objects.values_list("code", "department__code"))
    departments = set(ServiceDepartment.objects.values_list("code", flat=True))
    clean = _validate_tasks(
        _("Item %(code)s") % {"code": item.code},
        tasks,
        errors,
        departments,
        known_teams,
        {spec["name"] for spec in item.form_fields},
    )
    if errors:
        raise CatalogImportError(errors)
    clean = clean or []
    if item.task_template != clean:
        item.task_template = clean
        item.save(update_fields=["task_template"])
    return item


def import_themes(*, themes: list) -> list[str]:
    """Create or update themes by code (all or nothing); returns the codes that changed."""
    errors: list[str] = []
    clean = _validate_themes(themes, errors, _existing_item_codes())
    if errors:
        raise CatalogImportError(errors)
    with transaction.atomic():
        return _import_themes(clean or [])
