"""Exporting the catalogue in the format the import reads."""

import yaml
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loket.catalog.models import CatalogItem
from loket.catalog.selectors import catalog_document, catalog_items, catalog_yaml
from loket.catalog.services import import_catalog, import_catalog_file
from loket.people.models import ServiceDepartment
from tests import factories


def test_an_export_imported_into_an_empty_database_gives_the_same_catalogue(db):
    with transaction.atomic():
        factories.demo_catalog()
        exported = catalog_yaml()
        transaction.set_rollback(True)
    assert CatalogItem.objects.count() == 0

    result = import_catalog_file(text=exported)

    assert len(result.created) == 57
    assert ServiceDepartment.objects.get(code="HRM").confidential_by_default
    assert catalog_yaml() == exported


def test_importing_an_export_over_the_same_catalogue_changes_nothing(db):
    factories.demo_catalog()

    result = import_catalog_file(text=catalog_yaml())

    assert not result.changed
    assert len(result.unchanged) == 57


def test_the_export_lists_every_department_and_item(db):
    factories.demo_catalog()

    document = yaml.safe_load(catalog_yaml())

    assert [d["code"] for d in document["departments"]] == ["COM", "FAC", "FIN", "HRM", "ICT", "JUR"]
    assert len(document["items"]) == 57
    laptop = next(i for i in document["items"] if i["code"] == "ICT-LAPTOP-NEW")
    assert laptop["sla"] == {"response_hours": 8, "resolution_hours": 40}
    assert document["kwis_types"] == {"K": "klacht", "W": "wens", "I": "informatie", "S": "storing"}


def test_inactive_items_are_exported_but_not_offered(db):
    data = {
        "departments": [{"code": "COM", "name": "Communicatie"}],
        "items": [
            factories.catalog_item_spec(code="COM-FAX", department="COM", active=False),
            factories.catalog_item_spec(code="COM-WEB", department="COM"),
        ],
    }
    import_catalog(data=data)

    assert [i.code for i in catalog_items()] == ["COM-WEB"]
    assert [i.get("active", True) for i in catalog_document()["items"]] == [False, True]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    response=st.integers(min_value=1, max_value=400),
    extra=st.integers(min_value=0, max_value=4000),
)
def test_any_norm_in_whole_minutes_survives_an_export_and_import(db, response, extra):
    """Norms are written in hours (8, 0.5, 1.25); the export must write what the import reads."""
    response_minutes, resolution_minutes = 3 * response, 3 * (response + extra)
    item = factories.catalog_item_spec(code="FIN-DECLARATIE", department="FIN")
    item["sla"] = {"response_hours": response_minutes / 60, "resolution_hours": resolution_minutes / 60}
    with transaction.atomic():
        import_catalog(data={"departments": [{"code": "FIN", "name": "Financiën"}], "items": [item]})

        again = import_catalog_file(text=catalog_yaml())

        stored = CatalogItem.objects.get(code="FIN-DECLARATIE")
        assert (stored.response_minutes, stored.resolution_minutes) == (response_minutes, resolution_minutes)
        assert not again.changed
        transaction.set_rollback(True)
