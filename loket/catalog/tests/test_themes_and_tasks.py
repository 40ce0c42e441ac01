"""Themes across departments and the child tasks of a cross-department item: both travel in the
catalogue file (import and export), are checked all or nothing, and are left alone by a file
that does not mention them."""

import copy

import pytest
import yaml

from loket.catalog.models import CatalogItem, Theme
from loket.catalog.selectors import catalog_document, catalog_yaml, themes_with_items
from loket.catalog.services import (
    CatalogImportError,
    import_catalog,
    import_catalog_file,
    import_themes,
    set_task_template,
)
from tests import factories

ONBOARDING = factories.catalog_item_spec(
    code="HRM-ONBOARDING",
    department="HRM",
    name="Nieuwe medewerker in dienst",
    kwis_types=["W"],
    fields=[
        {"name": "naam", "label": "Naam nieuwe medewerker", "type": "text", "required": True},
        {"name": "startdatum", "label": "Startdatum", "type": "date", "required": True},
    ],
)
ONBOARDING_TASKS = [
    {"department": "HRM", "subject": "Contract en personeelsdossier voor {naam}"},
    {"department": "ICT", "team": "ICT-NETWERK", "subject": "Account voor {naam}"},
    {
        "department": "FAC",
        "team": "FAC-GEBOUW",
        "subject": "Toegangspas voor {naam}",
        "description": "Pas klaar op {startdatum}.",
    },
]
THEMES = [
    {
        "code": "WERKPLEK",
        "name": "Je werkplek",
        "description": "Laptop, printer en bureau.",
        "items": ["ICT-LAPTOP-NEW", "ICT-STORING", "FAC-OVERIG"],
    },
    {"code": "NIEUW-IN-DIENST", "name": "Nieuw in dienst", "items": ["HRM-ONBOARDING", "ICT-LAPTOP-NEW"]},
]


def catalogue(*, themes=THEMES, tasks=ONBOARDING_TASKS) -> dict:
    """The small catalogue of the `org` fixture plus an onboarding item with child tasks and
    themes (leave `themes` or `tasks` out of the file with None)."""
    data = copy.deepcopy(factories.SMALL_CATALOG)
    onboarding = copy.deepcopy(ONBOARDING)
    if tasks is not None:
        onboarding["tasks"] = copy.deepcopy(tasks)
    data["items"].append(onboarding)
    if themes is not None:
        data["themes"] = copy.deepcopy(themes)
    return data


def themes_in_database() -> list[tuple[str, str, list[str]]]:
    """The themes in their order, with their item codes: what a visitor browses."""
    return [
        (theme.code, theme.name, sorted(item.code for item in theme.items.all()))
        for theme in Theme.objects.prefetch_related("items")
    ]


def template_of(code: str) -> list[dict]:
    return CatalogItem.objects.get(code=code).task_template


def import_errors(data: dict) -> list[str]:
    with pytest.raises(CatalogImportError) as refused:
        import_catalog(data=data)
    return refused.value.errors


# ---------------------------------------------------------------- importing themes and tasks


def test_a_file_with_themes_creates_them_in_the_files_order_with_their_items(org):
    result = import_catalog(data=catalogue())

    assert result.created == ["HRM-ONBOARDING"]
    assert result.themes_changed == ["WERKPLEK", "NIEUW-IN-DIENST"]
    assert themes_in_database() == [
        ("WERKPLEK", "Je werkplek", ["FAC-OVERIG", "ICT-LAPTOP-NEW", "ICT-STORING"]),
        ("NIEUW-IN-DIENST", "Nieuw in dienst", ["HRM-ONBOARDING", "ICT-LAPTOP-NEW"]),
    ]
    assert Theme.objects.get(code="WERKPLEK").description == "Laptop, printer en bureau."


def test_a_file_with_tasks_gives_the_item_its_child_tasks(org):
    import_catalog(data=catalogue())

    assert template_of("HRM-ONBOARDING") == ONBOARDING_TASKS


def test_importing_the_same_file_again_changes_nothing(org):
    import_catalog_file(text=yaml.safe_dump(catalogue()))

    result = import_catalog_file(text=yaml.safe_dump(catalogue()))

    assert not result.changed
    assert result.themes_changed == []
    assert "HRM-ONBOARDING" in result.unchanged


def test_a_theme_in_the_file_gets_exactly_the_items_the_file_lists(org):
    import_catalog(data=catalogue())
    themes = copy.deepcopy(THEMES)
    themes[0]["items"] = ["ICT-STORING"]

    result = import_catalog(data=catalogue(themes=themes))

    assert result.themes_changed == ["WERKPLEK"]
    assert themes_in_database()[0] == ("WERKPLEK", "Je werkplek", ["ICT-STORING"])


def test_an_export_imported_again_restores_the_themes_and_child_tasks(org):
    import_catalog(data=catalogue())
    exported = catalog_yaml()
    document = yaml.safe_load(exported)
    assert next(i for i in document["items"] if i["code"] == "HRM-ONBOARDING")["tasks"] == ONBOARDING_TASKS
    assert [theme["code"] for theme in document["themes"]] == ["WERKPLEK", "NIEUW-IN-DIENST"]
    # Someone changes both afterwards ...
    set_task_template(item=CatalogItem.objects.get(code="HRM-ONBOARDING"), tasks=[])
    import_themes(themes=[{"code": "WERKPLEK", "name": "Werkplek (oud)", "items": ["FAC-OVERIG"]}])

    result = import_catalog_file(text=exported)  # ... and the export puts them back

    assert result.updated == ["HRM-ONBOARDING"]
    assert result.themes_changed == ["WERKPLEK"]
    assert template_of("HRM-ONBOARDING") == ONBOARDING_TASKS
    assert catalog_yaml() == exported


def test_an_export_imported_over_the_same_catalogue_changes_nothing(org):
    import_catalog(data=catalogue())

    result = import_catalog_file(text=catalog_yaml())

    assert not result.changed


def test_an_export_without_themes_or_tasks_does_not_mention_them(org):
    document = catalog_document()

    assert "themes" not in document
    assert all("tasks" not in item for item in document["items"])


# ---------------------------------------------------------------- refusing bad tasks, all or nothing


@pytest.mark.parametrize(
    ("task", "error"),
    [
        (
            {"department": "XYZ", "subject": "Iets regelen"},
            "Item HRM-ONBOARDING, deeltaak 2: onbekende afdeling in veld 'department'.",
        ),
        (
            {"department": "ICT", "team": "ICT-BESTAATNIET", "subject": "Account voor {naam}"},
            "Item HRM-ONBOARDING, deeltaak 2: onbekend team 'ICT-BESTAATNIET' in veld 'team'.",
        ),
        (
            {"department": "FAC", "team": "ICT-NETWERK", "subject": "Account voor {naam}"},
            "Item HRM-ONBOARDING, deeltaak 2: team 'ICT-NETWERK' hoort bij afdeling ICT.",
        ),
        (
            {"department": "ICT", "team": "ICT-NETWERK"},
            "Item HRM-ONBOARDING, deeltaak 2: veld 'subject' ontbreekt of is langer dan 200 tekens.",
        ),
        (
            {"department": "ICT", "subject": "Account voor {voornaam}"},
            "Item HRM-ONBOARDING, deeltaak 2: {voornaam} is geen veld van het formulier.",
        ),
    ],
    ids=["unknown-department", "unknown-team", "team-of-another-department", "no-subject", "no-such-field"],
)
def test_a_wrong_child_task_is_refused_naming_the_item_and_nothing_is_imported(org, task, error):
    tasks = copy.deepcopy(ONBOARDING_TASKS)
    tasks[1] = task
    data = catalogue(tasks=tasks)
    # A valid change to another item in the same file:
    next(item for item in data["items"] if item["code"] == "ICT-STORING")["name"] = "Storing melden (nieuw)"

    assert import_errors(data) == [error]

    assert not CatalogItem.objects.filter(code="HRM-ONBOARDING").exists()
    assert CatalogItem.objects.get(code="ICT-STORING").name == "Storing melden"
    assert not Theme.objects.exists()


def test_a_theme_naming_an_unknown_item_is_refused_naming_the_theme_and_the_item(org):
    themes = copy.deepcopy(THEMES)
    themes[1]["items"].append("HRM-BESTAATNIET")

    assert import_errors(catalogue(themes=themes)) == [
        "Thema NIEUW-IN-DIENST: onbekend item 'HRM-BESTAATNIET' in veld 'items'."
    ]
    assert not Theme.objects.exists()
    assert not CatalogItem.objects.filter(code="HRM-ONBOARDING").exists()


def test_importing_themes_on_their_own_is_all_or_nothing(org):
    with pytest.raises(CatalogImportError) as refused:
        import_themes(
            themes=[
                {"code": "STORINGEN", "name": "Als iets niet werkt", "items": ["ICT-STORING"]},
                {"code": "GELD", "name": "Geld", "items": ["FIN-DECLARATIE"]},
            ]
        )

    assert refused.value.errors == ["Thema GELD: onbekend item 'FIN-DECLARATIE' in veld 'items'."]
    assert not Theme.objects.exists()


def test_setting_child_tasks_is_checked_like_the_import(org):
    item = org.items["ICT-LAPTOP-NEW"]

    with pytest.raises(CatalogImportError) as refused:
        set_task_template(item=item, tasks=[{"department": "ICT", "subject": "Laptop voor {naam}"}])

    assert refused.value.errors == ["Item ICT-LAPTOP-NEW, deeltaak 1: {naam} is geen veld van het formulier."]
    item.refresh_from_db()
    assert item.task_template == []


# ---------------------------------------------------------------- a file that does not mention them


def test_a_file_without_tasks_for_an_item_leaves_its_child_tasks_alone(org):
    import_catalog(data=catalogue())

    result = import_catalog(data=catalogue(tasks=None))

    assert not result.changed
    assert template_of("HRM-ONBOARDING") == ONBOARDING_TASKS


def test_a_file_that_drops_a_form_field_the_child_tasks_still_name_is_refused(org):
    import_catalog(data=catalogue())
    data = catalogue(tasks=None)
    onboarding = next(item for item in data["items"] if item["code"] == "HRM-ONBOARDING")
    onboarding["fields"][0]["name"] = "volledige_naam"

    errors = import_errors(data)

    assert any("HRM-ONBOARDING" in error and "{naam}" in error for error in errors)
    assert [field["name"] for field in CatalogItem.objects.get(code="HRM-ONBOARDING").form_fields] == [
        "naam",
        "startdatum",
    ]


def test_a_file_with_an_empty_task_list_takes_the_split_away(org):
    import_catalog(data=catalogue())

    result = import_catalog(data=catalogue(tasks=[]))

    assert result.updated == ["HRM-ONBOARDING"]
    assert template_of("HRM-ONBOARDING") == []


def test_a_file_without_themes_leaves_the_themes_alone(org):
    import_catalog(data=catalogue())
    before = themes_in_database()

    result = import_catalog(data=catalogue(themes=None))

    assert not result.changed
    assert themes_in_database() == before


def test_themes_missing_from_a_file_stay(org):
    import_catalog(data=catalogue())

    import_catalog(data=catalogue(themes=THEMES[:1]))

    assert [code for code, _name, _items in themes_in_database()] == ["WERKPLEK", "NIEUW-IN-DIENST"]


# ---------------------------------------------------------------- browsing by theme


def test_browsing_by_theme_shows_only_active_items_and_hides_themes_without_any(org):
    data = catalogue(
        themes=[
            *THEMES,
            {"code": "VERLOF", "name": "Verlof", "items": ["HRM-VERLOF"]},
            {"code": "LEEG", "name": "Nog leeg", "items": []},
        ]
    )
    next(item for item in data["items"] if item["code"] == "HRM-VERLOF")["active"] = False
    next(item for item in data["items"] if item["code"] == "ICT-STORING")["active"] = False
    import_catalog(data=data)

    browsed = [(theme.code, [item.code for item in items]) for theme, items in themes_with_items()]

    assert browsed == [
        ("WERKPLEK", ["ICT-LAPTOP-NEW", "FAC-OVERIG"]),  # by name: Laptop ..., Overige ...
        ("NIEUW-IN-DIENST", ["ICT-LAPTOP-NEW", "HRM-ONBOARDING"]),  # Laptop ..., Nieuwe medewerker ...
    ]
