"""/api/v1/catalog and /api/v1/people: what is on offer, and finding the person who asks."""

import pytest

from loket.catalog.services import import_catalog
from tests import factories

from .conftest import field_errors


@pytest.fixture
def retired_item(org):
    """A fax service nobody may request any more."""
    import_catalog(
        data={
            "departments": [],
            "items": [
                factories.catalog_item_spec(code="ICT-FAX", department="ICT", name="Fax", active=False)
            ],
        }
    )


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


# ---------------------------------------------------------------- catalogue


def test_an_employee_sees_only_the_items_on_offer(org, api_for, requester, retired_item):
    listed = codes(api_for(requester).get("/catalog/items"))

    assert sorted(listed) == ["FAC-OVERIG", "HRM-VERLOF", "ICT-LAPTOP-NEW", "ICT-STORING"]


def test_an_administrator_also_sees_retired_items(org, api_for, administrator, retired_item):
    response = api_for(administrator).get("/catalog/items")

    assert "ICT-FAX" in codes(response)
    fax = next(item for item in response.json()["items"] if item["code"] == "ICT-FAX")
    assert fax["active"] is False


def test_a_retired_item_cannot_be_opened_by_an_employee_but_can_by_an_administrator(
    org, api_for, requester, administrator, retired_item
):
    hidden = api_for(requester).get("/catalog/items/ICT-FAX")
    shown = api_for(administrator).get("/catalog/items/ICT-FAX")

    assert hidden.status_code == 404
    assert hidden.json()["code"] == "not_found"
    assert shown.status_code == 200
    assert shown.json()["name"] == "Fax"


def test_an_item_shows_its_request_form(org, api_for, requester):
    response = api_for(requester).get("/catalog/items/ICT-LAPTOP-NEW")

    assert response.status_code == 200
    item = response.json()
    assert item["department"] == "ICT"
    assert item["kwis_types"] == ["W", "I", "K"]
    reden = item["form_fields"][0]
    assert (reden["name"], reden["required"], reden["type"]) == ("reden", True, "select")
    assert reden["options"] == ["nieuwe medewerker", "vervanging oud toestel", "defect"]


def test_an_unknown_item_is_not_found(org, api_for, requester):
    response = api_for(requester).get("/catalog/items/BESTAAT-NIET")

    assert response.status_code == 404
    assert field_errors(response) == {}
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"department": "ICT"}, ["ICT-LAPTOP-NEW", "ICT-STORING"]),
        ({"kwis": "S"}, ["FAC-OVERIG", "ICT-STORING"]),
        ({"q": "notebook"}, ["ICT-LAPTOP-NEW"]),
        ({"q": "VERLOF"}, ["HRM-VERLOF"]),
    ],
)
def test_the_catalogue_can_be_narrowed_by_department_kwis_and_text(org, api_for, requester, params, expected):
    assert sorted(codes(api_for(requester).get("/catalog/items", params))) == expected


def test_the_catalogue_needs_a_token(org, client):
    assert client.get("/api/v1/catalog/items").status_code == 401


# ---------------------------------------------------------------- people


def test_an_agent_finds_an_employee_by_employee_number(org, api_for, desk_agent, requester, colleague):
    response = api_for(desk_agent).get("/people", {"q": requester.employee_number})

    assert response.status_code == 200
    people = response.json()["items"]
    assert [(p["employee_number"], p["name"]) for p in people] == [
        (requester.employee_number, requester.full_name)
    ]
    assert people[0]["email"] == requester.email


def test_an_agent_finds_employees_by_name(org, api_for, ict_agent, requester, colleague):
    response = api_for(ict_agent).get("/people", {"q": "bakker"})

    assert [p["employee_number"] for p in response.json()["items"]] == [colleague.employee_number]


def test_an_employee_may_not_look_people_up(org, api_for, requester, colleague):
    response = api_for(requester).get("/people", {"q": colleague.employee_number})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert colleague.email not in response.content.decode()


def test_looking_people_up_needs_a_search_term(org, api_for, desk_agent):
    response = api_for(desk_agent).get("/people")

    assert response.status_code == 422
    assert field_errors(response) == {"q": "missing"}
