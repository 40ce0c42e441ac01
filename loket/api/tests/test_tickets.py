"""/api/v1/tickets: the same rules as the portal, for programs. Who sees what, creating safely,
moving a ticket through its workflow, attachments and paging through long lists."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from loket.catalog.services import import_catalog
from loket.core.models import OutboxMessage
from loket.people.services import upsert_employee, upsert_org_unit
from loket.tickets.models import Status, Ticket
from loket.tickets.services import (
    add_attachment,
    add_comment,
    assign_ticket,
    create_child_task,
    mark_resolved,
)
from tests import factories

from .conftest import A_PDF, field_errors, numbers, tickets_url

# ---------------------------------------------------------------- helpers


def state(ticket) -> dict:
    """Everything a person could notice about a ticket, read back from the database."""
    ticket = Ticket.objects.get(pk=ticket.pk)
    return {
        "subject": ticket.subject,
        "status": ticket.status,
        "team": ticket.team_id,
        "assignee": ticket.assignee_id,
        "version": ticket.version,
        "resolution": ticket.resolution,
        "reopen_count": ticket.reopen_count,
        "comments": list(ticket.comments.values_list("body", flat=True)),
        "attachments": list(ticket.attachments.values_list("filename", flat=True)),
        "history": ticket.changes.count(),
    }


def attach(ticket, *, by, name="verslag.pdf", internal=False):
    return add_attachment(ticket=ticket, actor=by, upload=SimpleUploadedFile(name, A_PDF), internal=internal)


def all_pages(api, params: dict) -> list[list[str]]:
    """Follow next_cursor to the end; the ticket numbers of each page."""
    pages, cursor = [], None
    while True:
        response = api.get("/tickets", {**params, **({"cursor": cursor} if cursor else {})})
        pages.append(numbers(response))
        cursor = response.json()["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 50, "the cursor does not advance"


@pytest.fixture
def storing(org, requester):
    """Anna's printer ticket, handled by werkplekbeheer (ICT)."""
    return factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Printer doet niets")


@pytest.fixture
def hr_ticket(org, requester):
    """A confidential HRM ticket of Anna's."""
    ticket = factories.ticket(
        requester=requester, item=org.items["HRM-VERLOF"], subject="Verlof na burn-out bespreken"
    )
    assert ticket.confidential and ticket.team == org.hr_team
    return ticket


# ---------------------------------------------------------------- an employee and someone else's ticket


def test_an_employee_cannot_read_a_colleagues_ticket(org, api_for, storing, colleague):
    response = api_for(colleague).get(tickets_url(storing))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert storing.subject not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "finds_own"),
    [
        ({}, True),
        ({"status": "open"}, True),
        ({"q": "Printer doet niets"}, True),
        ({"requester": "REQUESTER"}, False),
        ({"q": "NUMBER"}, False),
    ],
    ids=["everything", "open", "by-subject", "by-requester", "by-number"],
)
def test_a_colleagues_ticket_is_absent_from_every_list_of_an_employee(
    org, api_for, storing, requester, colleague, params, finds_own
):
    own = factories.ticket(requester=colleague, item=org.items["ICT-STORING"], subject="Printer doet niets")
    values = {"REQUESTER": requester.employee_number, "NUMBER": storing.number}

    listed = numbers(api_for(colleague).get("/tickets", {k: values.get(v, v) for k, v in params.items()}))

    assert listed == ([own.number] if finds_own else [])


CHANGES = [
    ("patch", "", {"subject": "Gekaapt"}),
    ("post", "/assign", {"team": "ICT-NETWERK"}),
    ("post", "/status", {"status": "in_progress"}),
    ("post", "/resolve", {"resolution": "Opgelost, zegt een ander"}),
    ("post", "/reopen", {"reason": "Niet opgelost"}),
    ("post", "/accept", {}),
    ("post", "/comments", {"body": "Ik bemoei me ermee"}),
]


@pytest.mark.parametrize(("method", "action", "body"), CHANGES, ids=[c[1] or "patch" for c in CHANGES])
def test_an_employee_cannot_change_a_colleagues_ticket(
    org, api_for, storing, ict_agent, colleague, method, action, body
):
    if action in ("/reopen", "/accept"):
        mark_resolved(ticket=storing, actor=ict_agent, resolution="Toner vervangen.")
    before = state(storing)

    response = getattr(api_for(colleague), method)(tickets_url(storing) + action, body)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert state(storing) == before


def test_an_employee_cannot_add_or_fetch_attachments_of_a_colleagues_ticket(
    org, api_for, storing, requester, colleague, media_root
):
    attachment = attach(storing, by=requester, name="foto-printer.pdf")
    before = state(storing)
    api = api_for(colleague)

    upload = api.upload(tickets_url(storing) + "/attachments", "virus.pdf", A_PDF)
    download = api.get(f"{tickets_url(storing)}/attachments/{attachment.pk}")

    assert upload.status_code == download.status_code == 404
    assert A_PDF not in download.content
    assert state(storing) == before


def test_an_attachment_cannot_be_fetched_through_another_ticket(
    org, api_for, storing, requester, colleague, media_root
):
    attachment = attach(storing, by=requester, name="foto-printer.pdf")
    own = factories.ticket(requester=colleague, item=org.items["ICT-STORING"])

    response = api_for(colleague).get(f"{tickets_url(own)}/attachments/{attachment.pk}")

    assert response.status_code == 404


# ---------------------------------------------------------------- confidential HR tickets


@pytest.fixture(params=["desk_agent", "ict_agent"])
def outsider(request):
    """An agent outside HR: servicedesk or ICT back office."""
    return request.getfixturevalue(request.param)


HR_FILTERS = [
    {},
    {"department": "HRM"},
    {"team": "HRM-ADVIES"},
    {"status": "open"},
    {"status": "new"},
    {"kwis": "I"},
    {"requester": "REQUESTER"},
    {"q": "burn-out"},
    {"q": "NUMBER"},
]


def _filled(params: dict, *, requester, ticket) -> dict:
    values = {"REQUESTER": requester.employee_number, "NUMBER": ticket.number}
    return {name: values.get(value, value) for name, value in params.items()}


@pytest.mark.parametrize(
    "params", HR_FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()) or "all"
)
def test_agents_outside_hr_never_find_a_confidential_hr_ticket_whatever_they_filter_on(
    org, api_for, hr_ticket, requester, outsider, hr_agent, params
):
    params = _filled(params, requester=requester, ticket=hr_ticket)

    theirs = api_for(outsider).get("/tickets", params)
    hrs = api_for(hr_agent).get("/tickets", params)

    assert hr_ticket.number not in numbers(theirs)
    assert "burn-out" not in theirs.content.decode()
    assert hr_ticket.number in numbers(hrs)


def test_agents_outside_hr_still_find_the_same_employees_other_tickets(
    org, api_for, hr_ticket, storing, requester, outsider
):
    listed = numbers(api_for(outsider).get("/tickets", {"requester": requester.employee_number}))

    assert listed == [storing.number]


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("get", "", None),
        ("get", "/attachments/ATTACHMENT", None),
        *CHANGES,
    ],
    ids=["detail", "download", *[c[1] or "patch" for c in CHANGES]],
)
def test_agents_outside_hr_cannot_open_or_touch_a_confidential_hr_ticket(
    org, api_for, hr_ticket, requester, hr_agent, outsider, media_root, method, action, body
):
    attachment = attach(hr_ticket, by=requester, name="verklaring-bedrijfsarts.pdf")
    if action in ("/reopen", "/accept"):
        mark_resolved(ticket=hr_ticket, actor=hr_agent, resolution="Besproken.")
    before = state(hr_ticket)
    path = tickets_url(hr_ticket) + action.replace("ATTACHMENT", str(attachment.pk))
    api = api_for(outsider)

    response = api.get(path) if method == "get" else getattr(api, method)(path, body)

    assert response.status_code == 404
    assert "burn-out" not in response.content.decode()
    assert state(hr_ticket) == before


def test_agents_outside_hr_cannot_upload_to_a_confidential_hr_ticket(
    org, api_for, hr_ticket, outsider, media_root
):
    before = state(hr_ticket)

    response = api_for(outsider).upload(tickets_url(hr_ticket) + "/attachments", "notitie.pdf", A_PDF)

    assert response.status_code == 404
    assert state(hr_ticket) == before


def test_the_hr_agent_opens_and_handles_the_confidential_ticket(org, api_for, hr_ticket, hr_agent):
    api = api_for(hr_agent)

    detail = api.get(tickets_url(hr_ticket))
    changed = api.post(tickets_url(hr_ticket) + "/status", {"status": "in_progress"})

    assert detail.status_code == 200
    assert detail.json()["subject"] == "Verlof na burn-out bespreken"
    assert detail.json()["confidential"] is True
    assert changed.status_code == 200
    assert changed.json()["status"] == Status.IN_PROGRESS


def test_an_agent_who_registered_a_confidential_ticket_cannot_read_it_back_by_retrying_the_create(
    org, api_for, requester, desk_agent, hr_agent
):
    body = {
        "subject": "Medewerker meldt zich ziek",
        "requester": requester.employee_number,
        "channel": "phone",
        "catalog_item": "HRM-VERLOF",
    }
    desk = api_for(desk_agent)
    created = desk.post("/tickets", body, HTTP_IDEMPOTENCY_KEY="telefoon-1")
    number = created.json()["number"]
    api_for(hr_agent).post(
        f"/tickets/{number}/comments", {"body": "Gesprek met bedrijfsarts gepland", "internal": True}
    )

    retry = desk.post("/tickets", body, HTTP_IDEMPOTENCY_KEY="telefoon-1")

    assert created.status_code == 201
    assert desk.get(f"/tickets/{number}").status_code == 404
    assert "bedrijfsarts" not in retry.content.decode()


# ---------------------------------------------------------------- creating


def test_an_employee_registers_a_ticket_with_its_history_and_an_outbox_message(org, api_for, requester):
    api = api_for(requester)

    response = api.post(
        "/tickets",
        {
            "subject": "Nieuwe laptop nodig",
            "catalog_item": "ICT-LAPTOP-NEW",
            "kwis": "W",
            "impact": 3,
            "urgency": 1,
            "form_answers": {"reden": "defect", "afleverlocatie": "Stadskantoor"},
        },
    )

    assert response.status_code == 201
    created = response.json()
    assert created["number"].startswith("M")
    assert created["status"] == Status.NEW
    assert created["requester"]["employee_number"] == requester.employee_number
    assert created["department"] == "ICT"
    assert created["team"] == "ICT-WERKPLEK"
    assert created["channel"] == "api"
    assert created["form_answers"] == {"reden": "defect", "afleverlocatie": "Stadskantoor"}
    assert [line["action"] for line in created["history"]] == ["created"]
    stored = api.get(f"/tickets/{created['number']}").json()
    assert stored["history"] == created["history"]
    assert stored["history"][0]["actor"]["employee_number"] == requester.employee_number
    message = OutboxMessage.objects.get(topic="ticket.created")
    assert message.payload["number"] == created["number"]


def test_an_agent_registers_a_phone_ticket_on_behalf_of_an_employee(org, api_for, requester, desk_agent):
    response = api_for(desk_agent).post(
        "/tickets",
        {"subject": "Wachtwoord vergeten", "requester": requester.employee_number, "channel": "phone"},
    )

    assert response.status_code == 201
    created = response.json()
    assert created["requester"]["employee_number"] == requester.employee_number
    assert created["channel"] == "phone"
    assert created["history"][0]["actor"]["employee_number"] == desk_agent.employee_number
    assert created["number"] in numbers(api_for(requester).get("/tickets"))


def test_an_employee_cannot_register_a_phone_ticket(org, api_for, requester):
    response = api_for(requester).post("/tickets", {"subject": "Ik bel even", "channel": "phone"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Ticket.objects.exists()


def test_an_unknown_requester_is_refused_by_name(org, api_for, desk_agent):
    response = api_for(desk_agent).post("/tickets", {"subject": "Voor wie?", "requester": "E999999"})

    assert response.status_code == 422
    assert field_errors(response) == {"requester": "unknown_requester"}
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"subject": "x", "bogus": 1}, "bogus"),
        ({"subject": "x", "impact": "a"}, "impact"),
        ({"subject": "x", "urgency": 7}, "urgency"),
        ({"subject": "x", "channel": "fax"}, "channel"),
        ({"subject": "x", "kwis": "Q"}, "kwis"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"description": "Geen onderwerp"}, "subject"),
        ({"subject": "x", "form_answers": []}, "form_answers"),
        ({"subject": "nul\x00teken"}, "subject"),
    ],
)
def test_a_create_with_wrong_input_names_the_wrong_field(org, api_for, requester, body, field):
    response = api_for(requester).post("/tickets", body)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert list(field_errors(response)) == [field]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"subject": "x", "bogus": 1}, "Dit veld bestaat niet."),
        ({"subject": "x", "impact": "a"}, "Verwacht een geheel getal."),
        ({"description": "Geen onderwerp"}, "Dit veld is verplicht."),
        ({"subject": "x", "channel": "fax"}, "Kies een van de toegestane waarden."),
    ],
)
def test_field_errors_are_explained_in_dutch(org, api_for, requester, body, message):
    response = api_for(requester).post("/tickets", body)

    assert [error["message"] for error in response.json()["errors"]] == [message]


@pytest.mark.parametrize(
    ("body", "message"),
    [({"subject": ""}, "Vul dit veld in."), ({"subject": "x" * 201}, "De tekst is te lang.")],
    ids=["empty", "too-long"],
)
def test_an_empty_or_overlong_subject_is_explained_in_dutch(org, api_for, requester, body, message):
    response = api_for(requester).post("/tickets", body)

    assert [error["message"] for error in response.json()["errors"]] == [message]


def post_raw(api, body: str):
    return api.client.post(
        "/api/v1/tickets", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.token}"
    )


def test_a_body_that_is_not_json_is_refused(org, api_for, requester):
    response = post_raw(api_for(requester), "{subject: kapot")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert field_errors(response) == {}
    assert not Ticket.objects.exists()


def test_a_body_that_is_not_json_is_explained_in_dutch(org, api_for, requester):
    response = post_raw(api_for(requester), "{subject: kapot")

    assert response.json()["message"] == "De inhoud is geen geldige JSON."


def test_a_missing_required_form_answer_is_refused_naming_the_form_field(org, api_for, requester):
    response = api_for(requester).post(
        "/tickets",
        {"subject": "Laptop", "catalog_item": "ICT-LAPTOP-NEW", "form_answers": {"afleverlocatie": "Balie"}},
    )

    assert response.status_code == 422
    assert field_errors(response) == {"reden": "field_required"}
    assert "Reden van de aanvraag" in response.json()["message"]
    assert not Ticket.objects.exists()


def test_a_form_answer_outside_the_options_is_refused_naming_the_form_field(org, api_for, requester):
    response = api_for(requester).post(
        "/tickets",
        {"subject": "Laptop", "catalog_item": "ICT-LAPTOP-NEW", "form_answers": {"reden": "zomaar"}},
    )

    assert response.status_code == 422
    assert field_errors(response) == {"reden": "invalid_field"}


def test_an_item_that_is_no_longer_offered_cannot_be_requested(org, api_for, requester):
    import_catalog(
        data={
            "departments": [],
            "items": [factories.catalog_item_spec(code="ICT-FAX", department="ICT", active=False)],
        }
    )

    response = api_for(requester).post("/tickets", {"subject": "Fax kapot", "catalog_item": "ICT-FAX"})

    assert response.status_code == 422
    assert field_errors(response) == {"catalog_item": "item_inactive"}
    assert not Ticket.objects.exists()


def test_an_unknown_item_is_refused_by_name(org, api_for, requester):
    response = api_for(requester).post("/tickets", {"subject": "Iets", "catalog_item": "BESTAAT-NIET"})

    assert response.status_code == 422
    assert field_errors(response) == {"catalog_item": "unknown_catalog_item"}


# ---------------------------------------------------------------- retrying a create safely


def test_a_create_retried_with_the_same_idempotency_key_registers_one_ticket(org, api_for, requester):
    api = api_for(requester)
    body = {"subject": "Monitor flikkert", "catalog_item": "ICT-STORING"}

    first = api.post("/tickets", body, HTTP_IDEMPOTENCY_KEY="koppeling-42")
    again = api.post("/tickets", body, HTTP_IDEMPOTENCY_KEY="koppeling-42")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"]
    assert Ticket.objects.count() == 1
    assert OutboxMessage.objects.filter(topic="ticket.created").count() == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(org, api_for, requester):
    api = api_for(requester)
    api.post("/tickets", {"subject": "Monitor flikkert"}, HTTP_IDEMPOTENCY_KEY="koppeling-42")

    reused = api.post("/tickets", {"subject": "Muis kapot"}, HTTP_IDEMPOTENCY_KEY="koppeling-42")

    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert field_errors(reused) == {"Idempotency-Key": "idempotency_key_reused"}
    assert list(Ticket.objects.values_list("subject", flat=True)) == ["Monitor flikkert"]


def test_two_people_may_use_the_same_idempotency_key_independently(org, api_for, requester, colleague):
    body = {"subject": "Monitor flikkert"}

    annas = api_for(requester).post("/tickets", body, HTTP_IDEMPOTENCY_KEY="1")
    berts = api_for(colleague).post("/tickets", body, HTTP_IDEMPOTENCY_KEY="1")

    assert annas.status_code == berts.status_code == 201
    assert annas.json()["number"] != berts.json()["number"]
    assert berts.json()["requester"]["employee_number"] == colleague.employee_number


def test_without_an_idempotency_key_every_create_registers_a_ticket(org, api_for, requester):
    api = api_for(requester)

    first = api.post("/tickets", {"subject": "Monitor flikkert"})
    second = api.post("/tickets", {"subject": "Monitor flikkert"})

    assert first.status_code == second.status_code == 201
    assert first.json()["number"] != second.json()["number"]


def test_an_unreadable_idempotency_key_is_refused(org, api_for, requester):
    response = api_for(requester).post("/tickets", {"subject": "Monitor"}, HTTP_IDEMPOTENCY_KEY="x" * 201)

    assert response.status_code == 422
    assert field_errors(response) == {"Idempotency-Key": "invalid_idempotency_key"}
    assert not Ticket.objects.exists()


def test_a_retried_create_with_an_external_reference_returns_the_first_ticket(org, api_for, requester):
    api = api_for(requester)
    body = {"subject": "Gesynchroniseerd uit TOPdesk", "external_ref": "TD-2026-0042"}

    first = api.post("/tickets", body, HTTP_IDEMPOTENCY_KEY="td-sync-0042")
    again = api.post("/tickets", body, HTTP_IDEMPOTENCY_KEY="td-sync-0042")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["number"] == first.json()["number"]


# ---------------------------------------------------------------- what the detail shows


@pytest.fixture
def conversation(storing, ict_agent, media_root):
    """Anna's ticket with a public reply, an internal note and one attachment of each kind."""
    add_comment(ticket=storing, actor=ict_agent, body="We komen vanmiddag langs.")
    add_comment(ticket=storing, actor=ict_agent, body="Leverancier is traag, escaleren.", internal=True)
    public = attach(storing, by=ict_agent, name="werkbon.pdf")
    internal = attach(storing, by=ict_agent, name="offerte-leverancier.pdf", internal=True)
    return public, internal


def test_the_requester_sees_replies_and_public_attachments_but_no_internal_notes(
    org, api_for, storing, requester, conversation
):
    detail = api_for(requester).get(tickets_url(storing)).json()

    assert [c["body"] for c in detail["comments"]] == ["We komen vanmiddag langs."]
    assert [a["filename"] for a in detail["attachments"]] == ["werkbon.pdf"]
    assert "escaleren" not in str(detail)
    assert detail["history"][0]["action"] == "created"


def test_the_requester_cannot_download_an_internal_attachment(org, api_for, storing, requester, conversation):
    public, internal = conversation
    api = api_for(requester)

    assert api.get(f"{tickets_url(storing)}/attachments/{public.pk}").status_code == 200
    assert api.get(f"{tickets_url(storing)}/attachments/{internal.pk}").status_code == 404


def test_the_requester_cannot_learn_the_name_of_an_internal_attachment(
    org, api_for, storing, requester, conversation
):
    detail = api_for(requester).get(tickets_url(storing))

    assert "offerte-leverancier" not in detail.content.decode()


def test_an_agent_sees_replies_internal_notes_all_attachments_and_the_history(
    org, api_for, storing, ict_agent, conversation
):
    detail = api_for(ict_agent).get(tickets_url(storing)).json()

    assert [(c["body"], c["visibility"]) for c in detail["comments"]] == [
        ("We komen vanmiddag langs.", "public"),
        ("Leverancier is traag, escaleren.", "internal"),
    ]
    assert [(a["filename"], a["internal"]) for a in detail["attachments"]] == [
        ("werkbon.pdf", False),
        ("offerte-leverancier.pdf", True),
    ]
    assert [line["action"] for line in detail["history"]] == [
        "created",
        "commented",
        "commented",
        "attached",
        "attached",
    ]


# ---------------------------------------------------------------- the workflow through the API


def test_a_ticket_goes_from_new_to_closed_through_the_api(org, api_for, storing, ict_agent, requester):
    agent, anna = api_for(ict_agent), api_for(requester)
    url = tickets_url(storing)

    assigned = agent.post(url + "/assign", {"team": "ICT-NETWERK", "reason": "Netwerkprinter", "version": 1})
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["team"] == "ICT-NETWERK"

    waiting = agent.post(
        url + "/status",
        {"status": "waiting_customer", "note": "Welke printer?", "version": assigned.json()["version"]},
    )
    assert waiting.status_code == 200, waiting.content
    assert waiting.json()["status"] == Status.WAITING_CUSTOMER

    resolved = agent.post(url + "/resolve", {"resolution": "Printer opnieuw gekoppeld."})
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["status"] == Status.RESOLVED
    assert resolved.json()["resolution"] == "Printer opnieuw gekoppeld."

    reopened = anna.post(url + "/reopen", {"reason": "Hij print nog steeds niet."})
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == Status.REOPENED
    assert reopened.json()["reopen_count"] == 1

    agent.post(url + "/resolve", {"resolution": "Driver bijgewerkt."})
    accepted = anna.post(url + "/accept", {})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == Status.CLOSED
    assert accepted.json()["closed_at"] is not None
    statuses = [line["new_value"] for line in accepted.json()["history"] if line["action"] == "status"]
    assert statuses == ["waiting_customer", "resolved", "reopened", "resolved", "closed"]


@pytest.mark.parametrize(("body", "code"), [({}, "missing"), ({"resolution": "   "}, "resolution_required")])
def test_resolving_needs_a_resolution(org, api_for, storing, ict_agent, body, code):
    before = state(storing)

    response = api_for(ict_agent).post(tickets_url(storing) + "/resolve", body)

    assert response.status_code == 422
    assert field_errors(response) == {"resolution": code}
    assert state(storing) == before


def test_reopening_needs_a_reason(org, api_for, storing, ict_agent, requester):
    mark_resolved(ticket=storing, actor=ict_agent, resolution="Toner vervangen.")
    before = state(storing)

    response = api_for(requester).post(tickets_url(storing) + "/reopen", {"reason": ""})

    assert response.status_code == 422
    assert "reason" in field_errors(response)
    assert state(storing) == before


def test_the_requester_cannot_work_on_their_own_ticket(org, api_for, storing, requester):
    before = state(storing)

    response = api_for(requester).post(tickets_url(storing) + "/status", {"status": "in_progress"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert state(storing) == before


def test_a_change_based_on_a_stale_version_is_refused_as_a_conflict(
    org, api_for, storing, ict_agent, desk_agent
):
    seen = api_for(ict_agent).get(tickets_url(storing)).json()["version"]
    api_for(desk_agent).post(tickets_url(storing) + "/status", {"status": "in_progress", "version": seen})
    before = state(storing)

    late = api_for(ict_agent).patch(tickets_url(storing), {"impact": 1, "version": seen})

    assert late.status_code == 409
    assert late.json()["code"] == "conflict"
    assert storing.number in late.json()["message"]
    assert state(storing) == before


def test_an_agent_reclassifies_a_ticket_and_the_priority_follows(org, api_for, storing, ict_agent):
    response = api_for(ict_agent).patch(tickets_url(storing), {"impact": 1, "urgency": 1, "version": 1})

    assert response.status_code == 200, response.content
    assert response.json()["priority"] == 1
    changed = {line["field"] for line in response.json()["history"] if line["action"] == "changed"}
    assert {"impact", "urgency", "priority"} <= changed


def test_a_reply_of_the_requester_appears_on_the_ticket(org, api_for, storing, requester, ict_agent):
    response = api_for(requester).post(tickets_url(storing) + "/comments", {"body": "Het is printer 3B."})

    assert response.status_code == 201
    assert response.json()["visibility"] == "public"
    bodies = [c["body"] for c in api_for(ict_agent).get(tickets_url(storing)).json()["comments"]]
    assert bodies == ["Het is printer 3B."]


def test_the_requester_cannot_write_an_internal_note(org, api_for, storing, requester):
    before = state(storing)

    response = api_for(requester).post(
        tickets_url(storing) + "/comments", {"body": "Stiekem", "internal": True}
    )

    assert response.status_code == 403
    assert state(storing) == before


# ---------------------------------------------------------------- attachments


def test_an_uploaded_pdf_downloads_as_the_same_bytes(org, api_for, storing, requester, media_root):
    api = api_for(requester)

    uploaded = api.upload(tickets_url(storing) + "/attachments", "printerlog.pdf", A_PDF)

    assert uploaded.status_code == 201, uploaded.content
    assert uploaded.json()["filename"] == "printerlog.pdf"
    assert uploaded.json()["size"] == len(A_PDF)
    download = api.client.get(uploaded.json()["url"], HTTP_AUTHORIZATION=f"Bearer {api.token}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == A_PDF
    assert "printerlog.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("setup.exe", b"MZ\x90\x00", "file_type_not_allowed"),
        ("factuur.pdf", b"MZ\x90\x00 not a pdf", "file_content_mismatch"),
        ("leeg.pdf", b"", "file_empty"),
    ],
)
def test_an_unsafe_upload_is_refused_naming_the_file(
    org, api_for, storing, requester, media_root, name, content, code
):
    before = state(storing)

    response = api_for(requester).upload(tickets_url(storing) + "/attachments", name, content)

    assert response.status_code == 422
    assert field_errors(response) == {"file": code}
    assert state(storing) == before


# ---------------------------------------------------------------- listing and paging


def test_paging_with_a_cursor_returns_every_visible_ticket_exactly_once(org, api_for, requester, colleague):
    moment = timezone.now() - timedelta(hours=1)
    mine = [
        # Several at the same moment: the cursor must not skip or repeat tickets that tie.
        factories.ticket(requester=requester, item=org.items["ICT-STORING"], now=moment)
        for _ in range(4)
    ] + [factories.ticket(requester=requester, item=org.items["FAC-OVERIG"]) for _ in range(3)]
    factories.ticket(requester=colleague, item=org.items["ICT-STORING"], now=moment)

    pages = all_pages(api_for(requester), {"limit": 3})

    assert [len(page) for page in pages] == [3, 3, 1]
    listed = [number for page in pages for number in page]
    assert sorted(listed) == sorted(ticket.number for ticket in mine)


def test_a_page_exactly_full_has_no_next_cursor(org, api_for, requester):
    for _ in range(3):
        factories.ticket(requester=requester, item=org.items["ICT-STORING"])

    response = api_for(requester).get("/tickets", {"limit": 3})

    assert len(numbers(response)) == 3
    assert response.json()["next_cursor"] is None


@pytest.mark.parametrize("cursor", ["onzin", "MjAyNi0wMy0wMnxhYmM", "bm9nIGVlbiBrZWVy"])
def test_an_invalid_cursor_is_refused(org, api_for, requester, cursor):
    response = api_for(requester).get("/tickets", {"cursor": cursor})

    assert response.status_code == 422
    assert field_errors(response) == {"cursor": "invalid_cursor"}


@pytest.mark.parametrize(("limit", "code"), [(0, "greater_than_equal"), (101, "less_than_equal")])
def test_a_page_size_out_of_range_is_refused(org, api_for, requester, limit, code):
    response = api_for(requester).get("/tickets", {"limit": limit})

    assert response.status_code == 422
    assert field_errors(response) == {"limit": code}


def test_the_list_filters_on_status_kwis_channel_and_creation_time(
    org, api_for, requester, desk_agent, ict_agent
):
    long_ago = timezone.now() - timedelta(days=30)
    old = factories.ticket(requester=requester, item=org.items["ICT-STORING"], kwis="S", now=long_ago)
    done = factories.ticket(requester=requester, item=org.items["ICT-STORING"], kwis="I")
    mark_resolved(ticket=done, actor=ict_agent, resolution="Opgelost.")
    complaint = factories.ticket(requester=requester, item=org.items["FAC-OVERIG"], kwis="K")
    phoned = factories.ticket(
        requester=requester, actor=desk_agent, item=org.items["FAC-OVERIG"], kwis="W", channel="phone"
    )
    api = api_for(requester)

    def listed(**params):
        return sorted(numbers(api.get("/tickets", params)))

    assert listed(status="open") == sorted([old.number, complaint.number, phoned.number])
    assert listed(status="done") == [done.number]
    assert listed(status=["resolved", "new"]) == sorted(t.number for t in (old, done, complaint, phoned))
    assert listed(kwis="K") == [complaint.number]
    assert listed(channel="phone") == [phoned.number]
    assert listed(channel="portal", kwis="S") == [old.number]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert listed(created_after=since) == sorted([done.number, complaint.number, phoned.number])
    assert listed(created_before=since) == [old.number]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "kwijt"}, "status.0"),
        ({"created_after": "gisteren"}, "created_after"),
        ({"kwis": "X"}, "kwis"),
    ],
)
def test_a_wrong_filter_is_refused_naming_it(org, api_for, requester, params, field):
    response = api_for(requester).get("/tickets", params)

    assert response.status_code == 422
    assert field in field_errors(response)


def test_the_list_takes_the_same_few_queries_for_many_tickets(
    org, api_for, requester, colleague, ict_agent, desk_agent, django_assert_max_num_queries
):
    """Every related row a summary shows is filled in: units, assignees, parents of child tasks."""
    unit = upsert_org_unit(code="BZ", name="Burgerzaken")
    upsert_employee(
        employee_number=requester.employee_number,
        first_name=requester.first_name,
        last_name=requester.last_name,
        email=requester.email,
        unit=unit,
    )

    def add_tickets(count: int) -> None:
        for n in range(count):
            ticket = factories.ticket(
                requester=requester, item=org.items["ICT-STORING"], subject=f"Storing {n}"
            )
            assign_ticket(ticket=ticket, actor=ict_agent, assignee=ict_agent)
            create_child_task(parent=ticket, actor=ict_agent, team=org.ict_network, subject=f"Kabel {n}")
            factories.ticket(
                requester=colleague,
                actor=desk_agent,
                item=org.items["FAC-OVERIG"],
                channel="phone",
                subject=f"V {n}",
            )

    api = api_for(ict_agent)
    api.get("/tickets")  # the first use of a token is recorded once; not part of every call
    add_tickets(1)
    with django_assert_max_num_queries(9) as few:
        assert len(numbers(api.get("/tickets", {"limit": 100}))) == 3

    add_tickets(10)
    with django_assert_max_num_queries(len(few)):
        assert len(numbers(api.get("/tickets", {"limit": 100}))) == 33
