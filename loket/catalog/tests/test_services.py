"""Importing the product and service catalogue: idempotent by code, all or nothing."""

import copy

import pytest

from loket.catalog.models import CatalogItem
from loket.catalog.services import (
    CatalogImportError,
    import_catalog,
    import_catalog_file,
    set_item_default_team,
)
from loket.core.errors import DomainError
from loket.people.models import ServiceDepartment
from tests import factories


@pytest.fixture
def demo_data() -> dict:
    return factories.demo_catalog_data()


def item_in(data: dict, code: str) -> dict:
    return next(item for item in data["items"] if item["code"] == code)


def test_the_demo_catalogue_imports_57_items_in_6_departments(db):
    result = import_catalog_file(text=factories.DEMO_CATALOG.read_text(encoding="utf-8"))

    assert len(result.created) == 57
    assert sorted(result.departments_changed) == ["COM", "FAC", "FIN", "HRM", "ICT", "JUR"]
    assert CatalogItem.objects.count() == 57
    assert ServiceDepartment.objects.count() == 6
    assert result.summary() == (
        "Catalogus geïmporteerd: 57 nieuw, 0 gewijzigd, 0 ongewijzigd; 6 afdelingen bijgewerkt."
    )


def test_hr_is_confidential_by_default_after_the_import(db):
    factories.demo_catalog()

    confidential = set(
        ServiceDepartment.objects.filter(confidential_by_default=True).values_list("code", flat=True)
    )
    assert confidential == {"HRM"}


def test_the_demo_items_keep_their_norms_form_and_keywords(db):
    factories.demo_catalog()

    laptop = CatalogItem.objects.get(code="ICT-LAPTOP-NEW")
    assert laptop.department.code == "ICT"
    assert laptop.kwis_types == ["W", "I", "K"]
    assert (laptop.response_hours, laptop.resolution_hours) == (8, 40)
    assert laptop.form_fields[0] == {
        "name": "reden",
        "label": "Reden van de aanvraag",
        "type": "select",
        "required": True,
        "options": ["nieuwe medewerker", "vervanging oud toestel", "defect", "anders"],
    }
    assert "notebook" in laptop.keywords
    assert set(
        CatalogItem.objects.filter(code__endswith="-OVERIG").values_list("department__code", flat=True)
    ) == {
        "ICT",
        "HRM",
        "FAC",
        "FIN",
        "COM",
        "JUR",
    }


def test_importing_the_same_catalogue_again_changes_nothing(db):
    factories.demo_catalog()

    again = factories.demo_catalog()

    assert not again.changed
    assert len(again.unchanged) == 57
    assert (
        again.summary()
        == "Catalogus geïmporteerd: 0 nieuw, 0 gewijzigd, 57 ongewijzigd; 0 afdelingen bijgewerkt."
    )


def test_a_changed_item_is_updated_and_the_rest_left_alone(db, demo_data):
    import_catalog(data=demo_data)
    changed = copy.deepcopy(demo_data)
    item_in(changed, "ICT-MONITOR")["name"] = "Extra beeldscherm"
    item_in(changed, "ICT-MONITOR")["sla"] = {"response_hours": 4, "resolution_hours": 24.5}

    result = import_catalog(data=changed)

    assert result.changed
    assert result.updated == ["ICT-MONITOR"]
    assert result.created == []
    monitor = CatalogItem.objects.get(code="ICT-MONITOR")
    assert monitor.name == "Extra beeldscherm"
    assert (monitor.response_minutes, monitor.resolution_minutes) == (240, 1470)


def test_a_changed_department_is_updated(db, demo_data):
    import_catalog(data=demo_data)
    changed = copy.deepcopy(demo_data)
    changed["departments"][0]["name"] = "ICT & Informatievoorziening"

    result = import_catalog(data=changed)

    assert result.departments_changed == ["ICT"]
    assert ServiceDepartment.objects.get(code="ICT").name == "ICT & Informatievoorziening"


def test_an_item_missing_from_a_later_file_is_left_alone(db, demo_data):
    import_catalog(data=demo_data)
    fewer = copy.deepcopy(demo_data)
    fewer["items"] = fewer["items"][:10]

    result = import_catalog(data=fewer)

    assert not result.changed
    assert CatalogItem.objects.filter(active=True).count() == 57


def test_an_item_without_a_department_is_refused_by_name_and_nothing_is_imported(db, demo_data):
    del item_in(demo_data, "FAC-PARKEREN")["department"]

    with pytest.raises(CatalogImportError) as refused:
        import_catalog(data=demo_data)

    assert refused.value.errors == ["Item FAC-PARKEREN: veld 'department' ontbreekt."]
    assert "FAC-PARKEREN" in str(refused.value)
    assert "De catalogus is niet geïmporteerd (1 fouten)" in str(refused.value)
    assert ServiceDepartment.objects.count() == 0
    assert CatalogItem.objects.count() == 0


def test_a_bad_file_leaves_an_earlier_import_untouched(db, demo_data):
    import_catalog(data=demo_data)
    broken = copy.deepcopy(demo_data)
    item_in(broken, "ICT-MONITOR")["name"] = "Nieuwe naam"
    item_in(broken, "ICT-VPN")["kwis_types"] = ["X"]

    with pytest.raises(CatalogImportError):
        import_catalog(data=broken)

    assert CatalogItem.objects.get(code="ICT-MONITOR").name == item_in(demo_data, "ICT-MONITOR")["name"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"department": "XYZ"}, "Item ICT-VPN: onbekende afdeling 'XYZ' in veld 'department'."),
        ({"name": " "}, "Item ICT-VPN: veld 'name' ontbreekt."),
        (
            {"kwis_types": ["S", "X"]},
            "Item ICT-VPN: veld 'kwis_types' moet een lijst zijn met K, W, I en/of S.",
        ),
        ({"kwis_types": ["S", "S"]}, "Item ICT-VPN: veld 'kwis_types' noemt een soort twee keer."),
        ({"standard": "ja"}, "Item ICT-VPN: veld 'standard' moet true of false zijn."),
        ({"sla": None}, "Item ICT-VPN: veld 'sla' met response_hours en resolution_hours ontbreekt."),
        (
            {"sla": {"response_hours": 0, "resolution_hours": 8}},
            "Item ICT-VPN: 'sla.response_hours' moet een positief aantal uren zijn.",
        ),
        (
            {"sla": {"response_hours": 16, "resolution_hours": 8}},
            "Item ICT-VPN: de reactietijd is langer dan de oplostijd in veld 'sla'.",
        ),
        ({"default_team": "NIEMAND"}, "Item ICT-VPN: onbekend team 'NIEMAND' in veld 'default_team'."),
        ({"colour": "blauw"}, "Item ICT-VPN: onbekende sleutels colour."),
        (
            {"fields": [{"name": "soort", "label": "Soort", "type": "select"}]},
            "Item ICT-VPN, veld 'soort': een keuzelijst heeft 'options' nodig.",
        ),
        (
            {"fields": [{"name": "wanneer", "label": "Wanneer", "type": "tijd"}]},
            "Item ICT-VPN, veld 'wanneer': onbekend type 'tijd'",
        ),
        (
            {"fields": [{"name": "Naam", "label": "Naam", "type": "text"}]},
            "Item ICT-VPN, veld 1: 'name' moet een naam van kleine letters, cijfers en _ zijn.",
        ),
    ],
)
def test_a_wrong_value_is_refused_with_a_message_naming_the_item_and_the_field(
    db, demo_data, change, message
):
    item_in(demo_data, "ICT-VPN").update(change)

    with pytest.raises(CatalogImportError) as refused:
        import_catalog(data=demo_data)

    assert any(error.startswith(message) for error in refused.value.errors), refused.value.errors
    assert CatalogItem.objects.count() == 0


def test_every_problem_in_a_file_is_reported_at_once(db, demo_data):
    del item_in(demo_data, "ICT-VPN")["department"]
    item_in(demo_data, "HRM-VERLOF")["kwis_types"] = []
    demo_data["items"].append(copy.deepcopy(item_in(demo_data, "COM-INTRANET")))

    with pytest.raises(CatalogImportError) as refused:
        import_catalog(data=demo_data)

    assert refused.value.errors == [
        "Item ICT-VPN: veld 'department' ontbreekt.",
        "Item HRM-VERLOF: veld 'kwis_types' moet een lijst zijn met K, W, I en/of S.",
        "Item COM-INTRANET: de code komt twee keer voor.",
    ]


def test_a_file_that_is_not_yaml_is_refused_with_the_line_number(db):
    with pytest.raises(CatalogImportError, match="Het bestand is geen geldige YAML op regel 3"):
        import_catalog_file(text="items:\n  - code: A\n    name: x: y\n  - code: B\n")


def test_a_file_without_items_is_refused(db):
    with pytest.raises(CatalogImportError, match="Het bestand bevat geen lijst 'items'"):
        import_catalog_file(text="departments: []\n")


def test_a_default_team_routes_the_items_tickets(org, requester):
    data = copy.deepcopy(factories.SMALL_CATALOG)
    data["items"][1]["default_team"] = "ICT-NETWERK"

    import_catalog(data=data)

    storing = CatalogItem.objects.get(code="ICT-STORING")
    assert factories.ticket(requester=requester, item=storing).team == org.ict_network


def test_a_default_team_of_another_department_is_refused_by_the_import(org):
    data = copy.deepcopy(factories.SMALL_CATALOG)
    data["items"][1]["default_team"] = "HRM-ADVIES"  # ICT-STORING

    with pytest.raises(CatalogImportError) as refused:
        import_catalog(data=data)

    assert any("ICT-STORING" in e and "default_team" in e for e in refused.value.errors)


def test_an_items_default_team_must_belong_to_its_department(org):
    storing = org.items["ICT-STORING"]

    with pytest.raises(DomainError, match="Team HR-advies hoort niet bij afdeling ICT"):
        set_item_default_team(item=storing, team=org.hr_team)
    set_item_default_team(item=storing, team=org.servicedesk)

    storing.refresh_from_db()
    assert storing.default_team == org.servicedesk
