"""Loading historical tickets (tickets-train.jsonl): each line on its own, bad lines reported."""

import json
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from loket.tickets.models import Channel, Status, Ticket
from loket.tickets.selectors import history_of
from loket.tickets.services import import_ticket_lines
from tests import factories

NOW = factories.A_MONDAY_MORNING


@pytest.fixture
def demo_catalog(db):
    return factories.demo_catalog()


def record(**fields) -> str:
    base = {
        "id": "X0001",
        "channel": "portal",
        "subject": "Beeldscherm flikkert",
        "text": "Mijn tweede scherm flikkert sinds vanochtend.",
        "department": "ICT",
        "kwis": "S",
        "catalog_code": "ICT-OVERIG",
    }
    return json.dumps({**base, **fields}, ensure_ascii=False) + "\n"


def run_import(path) -> tuple[int, str, str]:
    """`loket tickets import FILE`: exit code, standard output, standard error."""
    out, err = StringIO(), StringIO()
    try:
        call_command("tickets", "import", str(path), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_demo_tickets_load_as_closed_history_through_the_normal_workflow(demo_catalog):
    lines = factories.demo_ticket_lines(20)
    expected = [json.loads(line) for line in lines]

    result = import_ticket_lines(lines=lines, now=NOW)

    assert (result.created, result.skipped, result.errors) == (20, 0, [])
    first = Ticket.objects.get(external_ref=expected[0]["id"])
    assert first.subject == expected[0]["subject"]
    assert first.catalog_item.code == expected[0]["catalog_code"]
    assert first.department.code == expected[0]["department"]
    assert first.status == Status.CLOSED
    assert first.requester.full_name == "Onbekende aanvrager"
    assert [c.new_value for c in history_of(first) if c.action == "status"] == [
        "in_progress",
        "resolved",
        "closed",
    ]
    channels = {
        "telefoon": Channel.PHONE,
        "portal": Channel.PORTAL,
        "email": Channel.EMAIL,
        "balie": Channel.WALK_IN,
    }
    assert Counter(Ticket.objects.values_list("channel", flat=True)) == Counter(
        channels[r["channel"]] for r in expected
    )


def test_imported_hr_tickets_are_confidential(demo_catalog):
    lines = [line for line in factories.demo_ticket_lines() if '"department": "HRM"' in line][:3]

    import_ticket_lines(lines=lines, now=NOW)

    assert Ticket.objects.count() == 3
    assert all(Ticket.objects.values_list("confidential", flat=True))


def test_the_whole_demo_set_loads_with_the_documented_numbers(demo_catalog, tmp_path):
    """450 tickets: ICT 180, FAC 112, HRM 68, FIN 45, COM 22, JUR 23 (see the data README)."""
    code, out, err = run_import(factories.DEMO_TICKETS)

    assert (code, err) == (0, "")
    assert "450 meldingen geïmporteerd, 0 al aanwezig, 0 regels met fouten." in out
    per_department = dict(Ticket.objects.values_list("department__code").annotate(n=Count("id")))
    assert per_department == {"ICT": 180, "FAC": 112, "HRM": 68, "FIN": 45, "COM": 22, "JUR": 23}
    assert Ticket.objects.filter(confidential=True).count() == 68
    assert Ticket.objects.values("number").distinct().count() == 450

    code, out, err = run_import(factories.DEMO_TICKETS)

    assert "0 meldingen geïmporteerd, 450 al aanwezig, 0 regels met fouten." in out
    assert Ticket.objects.count() == 450


def test_an_unknown_product_code_is_reported_by_line_and_code_while_the_other_lines_load(
    demo_catalog, tmp_path
):
    path = tmp_path / "meldingen.jsonl"
    path.write_text(
        record(id="A1") + record(id="A2", catalog_code="ICT-BESTAAT-NIET") + record(id="A3"), encoding="utf-8"
    )

    code, out, err = run_import(path)

    assert code == 1
    assert err.strip() == "Regel 2 (A2): onbekende productcode 'ICT-BESTAAT-NIET'."
    assert "2 meldingen geïmporteerd, 0 al aanwezig, 1 regels met fouten." in out
    assert sorted(Ticket.objects.values_list("external_ref", flat=True)) == ["A1", "A3"]


def test_running_an_import_twice_skips_what_is_already_there(demo_catalog, tmp_path):
    path = tmp_path / "meldingen.jsonl"
    path.write_text("".join(factories.demo_ticket_lines(5)), encoding="utf-8")

    first = run_import(path)
    second = run_import(path)

    assert "5 meldingen geïmporteerd, 0 al aanwezig" in first[1]
    assert "0 meldingen geïmporteerd, 5 al aanwezig, 0 regels met fouten." in second[1]
    assert Ticket.objects.count() == 5


def test_a_line_that_is_not_json_is_reported_and_the_rest_loads(demo_catalog, tmp_path):
    path = tmp_path / "meldingen.jsonl"
    path.write_text(record(id="B1") + '{"id": "B2", "subject": \n' + "\n" + "[1, 2]\n" + record(id="B5"))

    code, out, err = run_import(path)

    assert code == 1
    assert err.splitlines()[0].startswith("Regel 2: geen geldige JSON (")
    assert err.splitlines()[1] == "Regel 4 (?): verwacht een JSON-object."
    assert "2 meldingen geïmporteerd, 0 al aanwezig, 2 regels met fouten." in out


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": ""}, "veld 'id' ontbreekt"),
        ({"channel": "postduif"}, "onbekend kanaal 'postduif'"),
        ({"department": "FAC"}, "afdeling 'FAC' past niet bij product ICT-OVERIG (ICT)"),
        ({"kwis": "Q"}, "Kies een KWIS-soort: K, W, I of S"),
        ({"subject": ""}, "Geef de melding een onderwerp"),
        ({"requester": "E999999"}, "onbekende aanvrager 'E999999'"),
        ({"created_at": "gisteren"}, "'created_at' is geen geldige datum en tijd"),
        ({"created_at": "2030-01-01T09:00:00"}, "'created_at' ligt in de toekomst"),
        ({"status": "reopened"}, "onbekende status 'reopened'"),
    ],
)
def test_a_line_with_a_wrong_value_is_reported_with_its_line_and_id(demo_catalog, fields, message):
    result = import_ticket_lines(lines=[record(id="OK1"), record(**{"id": "C2", **fields})], now=NOW)

    assert result.created == 1
    assert result.errors == [f"Regel 2 ({fields.get('id', 'C2') or '?'}): {message}."]


def test_a_known_requester_and_date_are_used_and_the_number_follows_the_date(demo_catalog):
    anna = factories.employee(first_name="Anna", last_name="Jansen", email="a.jansen@voorbeeldstad.example")
    earlier = NOW - timedelta(days=400)
    line = record(
        id="D1", requester="A.Jansen@voorbeeldstad.example", created_at=earlier.isoformat(), status="new"
    )

    result = import_ticket_lines(lines=[line], now=NOW)

    ticket = Ticket.objects.get(external_ref="D1")
    assert result.created == 1
    assert ticket.requester == anna
    assert ticket.created_at == earlier
    assert ticket.status == Status.NEW
    assert ticket.number == f"M{earlier.year}-000001"


def test_a_missing_file_is_a_clear_command_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"Kan /bestaat/niet\.jsonl niet openen"):
        call_command("tickets", "import", "/bestaat/niet.jsonl")
