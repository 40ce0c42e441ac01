"""`loket catalog import FILE` and `loket catalog export`."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from loket.catalog.models import CatalogItem
from loket.people.models import ServiceDepartment
from tests import factories


def catalog(*args) -> str:
    out = StringIO()
    call_command("catalog", *args, stdout=out)
    return out.getvalue()


def test_importing_the_demo_catalogue_prints_a_summary(db):
    out = catalog("import", str(factories.DEMO_CATALOG))

    assert (
        out.strip()
        == "Catalogus geïmporteerd: 57 nieuw, 0 gewijzigd, 0 ongewijzigd; 6 afdelingen bijgewerkt."
    )
    assert CatalogItem.objects.count() == 57


def test_a_refused_file_is_a_command_error_naming_the_item_and_field(db, tmp_path):
    data = factories.demo_catalog_data()
    del next(i for i in data["items"] if i["code"] == "JUR-DATALEK")["department"]
    path = tmp_path / "catalogus.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        catalog("import", str(path))

    assert "Item JUR-DATALEK: veld 'department' ontbreekt." in str(refused.value)
    assert ServiceDepartment.objects.count() == 0
    assert CatalogItem.objects.count() == 0


def test_a_missing_file_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match=r"Bestand niet gevonden: .*bestaat-niet\.yaml"):
        catalog("import", str(tmp_path / "bestaat-niet.yaml"))


def test_a_file_that_is_not_utf8_is_a_command_error(db, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("items: [{code: FIN-DÉCLARATIE}]".encode("latin-1"))

    with pytest.raises(CommandError, match=r"Kan .*latin1\.yaml niet lezen"):
        catalog("import", str(path))


def test_the_export_is_yaml_with_all_57_items(db):
    factories.demo_catalog()

    document = yaml.safe_load(catalog("export"))

    assert len(document["items"]) == 57
    assert len(document["departments"]) == 6


def test_the_export_can_be_written_to_a_file_and_imported_unchanged(db, tmp_path):
    factories.demo_catalog()
    path = tmp_path / "export.yaml"

    assert catalog("export", "--output", str(path)) == ""
    out = catalog("import", str(path))

    assert "0 nieuw, 0 gewijzigd, 57 ongewijzigd; 0 afdelingen bijgewerkt" in out
