"""The service desk at work, in the browser: a phone call registered, routed, picked up, answered
by the registration guide and resolved; a call solved at once (without JavaScript); an onboarding
case split over three teams; two agents changing the same ticket; the queue page."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from loket.catalog.models import CatalogItem
from loket.catalog.services import import_catalog, set_task_template
from loket.people.models import TeamMembership
from loket.people.services import grant_login
from loket.tickets.models import Channel, Impact, Status, Ticket, Urgency
from loket.tickets.services import assign_ticket, change_status
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "een-lang-wachtwoord"
Role = TeamMembership.Role
CALLER_FIELD = "Naam, personeelsnummer, e-mail of telefoon"


# ---------------------------------------------------------------- helpers


def _sign_in(page, live_server, employee):
    """A session for the employee's login without typing a password (a cookie in the context)."""
    client = Client()
    client.force_login(employee.user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def _switch_to(page, live_server, employee):
    """Someone else at the same browser: drop the session, sign the other one in."""
    page.context.clear_cookies()
    _sign_in(page, live_server, employee)


def _new_page(browser, *, javascript: bool = True):
    context = browser.new_context(locale="nl-NL", java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _check_without_javascript(browser, page, assert_accessible):
    """axe-core is JavaScript, which a context with JavaScript disabled cannot run (the check
    hangs): replay the page's HTML at its own address in a context with JavaScript, with the
    same style sheets, and check that."""
    html, url = page.content(), page.url
    replay = _new_page(browser)
    try:
        replay.route(url, lambda route: route.fulfill(status=200, content_type="text/html", body=html))
        replay.goto(url)
        assert_accessible(replay)
    finally:
        replay.context.close()


def _status(page) -> str:
    return page.get_by_role("status").first.inner_text()


def _heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def _meta(page, term: str) -> str:
    """The value after a <dt> in the ticket's facts list."""
    return (
        page.locator("dl.loket-meta dt", has_text=re.compile(f"^{term}$"))
        .first.locator("xpath=following-sibling::dd[1]")
        .inner_text()
    )


def _section(page, heading: str):
    """One of the ticket page's action sections (a region named by its heading)."""
    return page.get_by_role("region", name=heading, exact=True)


def _submit(page, button, *, status: int | None = None):
    """Click a submit button and wait for the page the server answers with; check its status."""
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    if status is not None:
        assert response.status == status, f"{page.url}: HTTP {response.status}, expected {status}"
    return response


def _queue_numbers(page) -> list[str]:
    return page.locator("#queue-table tbody a").all_inner_texts()


def _queue_link(page, label: str):
    return page.get_by_role("navigation", name="Wachtrijen").get_by_role(
        "link", name=re.compile(rf"^{label} \d+$")
    )


# ---------------------------------------------------------------- 1. a phone call, start to end


def test_a_phone_call_is_registered_routed_picked_up_answered_and_resolved(
    browser, page, live_server, assert_accessible
):
    org = factories.small_org()
    caller = factories.employee(first_name="Karin", last_name="Jansen", employee_number="E7001", login=False)
    grant_login(employee=caller, username="karin", password=PASSWORD)
    factories.employee(first_name="Karel", last_name="Jansma", employee_number="E7002")
    agent = factories.staff(first_name="Fleur", teams={org.servicedesk: Role.AGENT})
    specialist = factories.staff(first_name="Nadia", teams={org.ict_network: Role.SPECIALIST})

    # The front office: find the caller with the type-ahead (htmx).
    _sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/desk/aanmelden/")
    assert _heading(page) == "Contact registreren"
    assert_accessible(page)
    page.get_by_label(CALLER_FIELD).press_sequentially("Jans", delay=20)
    karin = page.get_by_role("radio", name=re.compile(r"^Karin Jansen \(E7001\)"))
    expect(karin).to_be_visible()
    expect(page.get_by_role("radio", name=re.compile(r"^Karel Jansma \(E7002\)"))).to_be_visible()
    assert page.url.endswith("/desk/aanmelden/"), "the type-ahead reloaded the page"
    assert_accessible(page)
    karin.check()

    page.get_by_label("Product of dienst").select_option(label="Storing melden")
    page.get_by_label("Impact").select_option(str(Impact.MEDIUM))
    page.get_by_label("Urgentie").select_option(str(Urgency.HIGH))
    page.get_by_label("Omschrijving").fill("Geen netwerk op kamer 2.14 sinds vanochtend.")

    # Forgot the subject: the error, with everything already chosen kept.
    _submit(page, page.get_by_role("button", name="Registreren"), status=422)
    assert page.get_by_role("alert").inner_text().startswith("Controleer de gemarkeerde velden.")
    subject = page.get_by_label("Onderwerp")
    assert subject.get_attribute("aria-invalid") == "true"
    assert page.get_by_text("Geef de vraag een onderwerp.").is_visible()
    assert page.get_by_text("Karin Jansen").first.is_visible()
    assert page.get_by_label("Product of dienst").input_value() == "ICT-STORING"
    assert page.get_by_label("Urgentie").input_value() == str(Urgency.HIGH)
    assert_accessible(page)

    subject.fill("Geen netwerk op kamer 2.14")
    _submit(page, page.get_by_role("button", name="Registreren"), status=200)
    ticket = Ticket.objects.get(requester=caller)
    assert page.url.endswith(f"/desk/meldingen/{ticket.number}/")
    assert _heading(page) == f"{ticket.number}: Geen netwerk op kamer 2.14"
    assert f"Melding {ticket.number} is geregistreerd." in _status(page)
    assert (ticket.channel, ticket.kwis, ticket.priority) == (Channel.PHONE, "S", 2)
    assert ticket.created_by == agent
    assert _meta(page, "Team") == "Werkplekbeheer"
    assert_accessible(page)

    # Routed to the back office, with a reason.
    routing = _section(page, "Toewijzen of doorzetten")
    routing.get_by_label("Team", exact=True).select_option(label="Netwerkbeheer")
    routing.get_by_label("Reden (bij doorzetten)").fill("Netwerkpunt, niet de laptop.")
    _submit(page, routing.get_by_role("button", name="Toewijzen", exact=True), status=200)
    assert f"Melding {ticket.number} is bijgewerkt." in _status(page)
    assert _meta(page, "Team") == "Netwerkbeheer"
    ticket.refresh_from_db()
    assert (ticket.team, ticket.assignee) == (org.ict_network, None)
    assert "Netwerkpunt, niet de laptop." in page.locator("ol.utrecht-ordered-list").inner_text()

    # The back office: the specialist finds it in "Mijn teams" and picks it up.
    back_office = _new_page(browser)
    try:
        _sign_in(back_office, live_server, specialist)
        back_office.goto(f"{live_server.url}/desk/")
        _queue_link(back_office, "Mijn teams").click()
        back_office.wait_for_url(re.compile(r"wachtrij=team"))
        assert _queue_numbers(back_office) == [ticket.number]
        back_office.get_by_role("link", name=ticket.number).click()
        back_office.wait_for_url(f"**/desk/meldingen/{ticket.number}/")
        _submit(back_office, back_office.get_by_role("button", name="Zelf oppakken"), status=200)
        assert _meta(back_office, "Behandelaar") == specialist.full_name
        ticket.refresh_from_db()
        assert ticket.assignee == specialist

        # A reply without greeting or next step: the registration guide stops it.
        body = back_office.get_by_label("Tekst", exact=True)
        body.fill("Het netwerkpunt is kapot.")
        _submit(back_office, back_office.get_by_role("button", name="Plaatsen"), status=422)
        warnings = back_office.locator("#id_body_error")
        assert "Registratiegids: controleer je reactie" in warnings.inner_text()
        assert "Begin met een begroeting en de naam van de klant." in warnings.inner_text()
        assert "Vertel wat de volgende stap is en wanneer." in warnings.inner_text()
        assert body.input_value() == "Het netwerkpunt is kapot."
        assert body.get_attribute("aria-invalid") == "true"
        assert ticket.comments.count() == 0
        assert_accessible(back_office)

        reply = "Beste Karin,\n\nHet netwerkpunt op je kamer is kapot; we komen morgen langs."
        body.fill(reply)
        _submit(back_office, back_office.get_by_role("button", name="Plaatsen"), status=200)
        assert back_office.get_by_text("Registratiegids: controleer je reactie").count() == 0
        assert back_office.locator("article.loket-comment").get_by_text("we komen morgen langs.").is_visible()
        comment = ticket.comments.get()
        assert (comment.visibility, comment.author) == ("public", specialist)
        assert comment.body.replace("\r\n", "\n") == reply

        resolving = _section(back_office, "Gereed melden")
        resolving.get_by_label("Oplossing (de aanvrager leest dit)").fill(
            "Netwerkpunt vervangen; je kunt weer werken."
        )
        _submit(back_office, resolving.get_by_role("button", name="Gereed melden"), status=200)
        assert _meta(back_office, "Status") == "gereed"
        ticket.refresh_from_db()
        assert (ticket.status, ticket.resolution) == (
            Status.RESOLVED,
            "Netwerkpunt vervangen; je kunt weer werken.",
        )
    finally:
        back_office.context.close()

    # The requester logs in to the portal and is asked whether it is solved.
    requester = _new_page(browser)
    try:
        requester.goto(f"{live_server.url}/inloggen/")
        requester.get_by_label("Gebruikersnaam").fill("karin")
        requester.get_by_label("Wachtwoord").fill(PASSWORD)
        _submit(requester, requester.get_by_role("button", name="Inloggen"))
        requester.goto(f"{live_server.url}/meldingen/{ticket.number}/")
        assert _heading(requester) == f"{ticket.number}: Geen netwerk op kamer 2.14"
        assert requester.get_by_role("heading", name="Is je vraag opgelost?").is_visible()
        assert (
            requester.locator("h2#oplossing + p").inner_text()
            == "Netwerkpunt vervangen; je kunt weer werken."
        )
        assert requester.get_by_text("we komen morgen langs.").is_visible()
        assert requester.get_by_role("button", name="Ja, akkoord").is_visible()
        assert_accessible(requester)
    finally:
        requester.context.close()


# ---------------------------------------------------------------- 2. solved during the call, without JS


def test_a_call_solved_at_first_contact_is_closed_at_once_even_without_javascript(
    browser, live_server, assert_accessible
):
    org = factories.small_org()
    caller = factories.employee(first_name="Pieter", last_name="Smits", employee_number="E7101")
    agent = factories.staff(first_name="Fleur", teams={org.servicedesk: Role.AGENT})

    page = _new_page(browser, javascript=False)
    try:
        _sign_in(page, live_server, agent)
        page.goto(f"{live_server.url}/desk/aanmelden/")
        page.get_by_label(CALLER_FIELD).fill("Smits")
        _submit(page, page.get_by_role("button", name="Zoek medewerker"), status=200)
        pieter = page.get_by_role("radio", name=re.compile(r"^Pieter Smits \(E7101\)"))
        assert pieter.is_checked(), "the only match is not chosen"
        assert page.get_by_label(CALLER_FIELD).input_value() == "Smits"
        _check_without_javascript(browser, page, assert_accessible)

        page.get_by_label("Kanaal").select_option(label="balie")
        page.get_by_label("Product of dienst").select_option(label="Laptop aanvragen of vervangen")
        page.get_by_label("Soort (KWIS)").select_option(label="informatie")
        page.get_by_label("Onderwerp").fill("Hoe koppel ik een tweede scherm?")
        page.get_by_label("Direct opgelost tijdens het contact").check()

        # Ticked "solved" without saying how: the error, the rest kept.
        _submit(page, page.get_by_role("button", name="Registreren"), status=422)
        resolution = page.get_by_label("Oplossing (bij direct opgelost)")
        assert resolution.get_attribute("aria-invalid") == "true"
        assert page.get_by_text("Geef aan hoe de vraag direct is opgelost.").is_visible()
        assert page.get_by_label("Direct opgelost tijdens het contact").is_checked()
        assert page.get_by_label("Onderwerp").input_value() == "Hoe koppel ik een tweede scherm?"
        assert not Ticket.objects.exists()
        _check_without_javascript(browser, page, assert_accessible)

        resolution.fill("Samen het scherm via het dockingstation aangesloten.")
        _submit(page, page.get_by_role("button", name="Registreren"), status=200)
        ticket = Ticket.objects.get(requester=caller)
        assert page.url.endswith("/desk/aanmelden/")
        assert _status(page) == f"Melding {ticket.number} is geregistreerd en direct opgelost."
        assert (ticket.status, ticket.solved_at_first_contact) == (Status.CLOSED, True)
        assert ticket.resolution == "Samen het scherm via het dockingstation aangesloten."
        assert (ticket.channel, ticket.kwis, ticket.children.count()) == (Channel.WALK_IN, "I", 0)
        assert ticket.closed_at is not None
        _check_without_javascript(browser, page, assert_accessible)
    finally:
        page.context.close()


# ---------------------------------------------------------------- 3. onboarding over three teams


ONBOARDING = factories.catalog_item_spec(
    code="FAC-INDIENST",
    department="FAC",
    name="Nieuwe collega in dienst",
    kwis_types=["W"],
    fields=[{"name": "naam", "label": "Naam nieuwe collega", "type": "text", "required": True}],
)
ONBOARDING_TASKS = [
    {"department": "ICT", "team": "ICT-WERKPLEK", "subject": "Laptop en account voor {naam}"},
    {"department": "HRM", "team": "HRM-ADVIES", "subject": "Contract en salaris voor {naam}"},
    {"department": "FAC", "team": "FAC-GEBOUW", "subject": "Toegangspas en bureau voor {naam}"},
]


def test_an_onboarding_case_is_gereed_only_when_all_three_teams_are_done(
    page, live_server, assert_accessible
):
    org = factories.small_org()
    import_catalog(data={"items": [ONBOARDING]})
    set_task_template(item=CatalogItem.objects.get(code="FAC-INDIENST"), tasks=ONBOARDING_TASKS)
    manager = factories.employee(first_name="Wim", last_name="Claassen")
    specialists = {
        "ICT": factories.staff(first_name="Ivo", teams={org.ict_team: Role.SPECIALIST}),
        "HRM": factories.staff(first_name="Hanna", teams={org.hr_team: Role.SPECIALIST}),
        "FAC": factories.staff(first_name="Frits", teams={org.fac_team: Role.SPECIALIST}),
    }

    # The manager requests it in the portal.
    _sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/producten/FAC-INDIENST/")
    page.get_by_label("Naam nieuwe collega").fill("Sara Öztürk")
    page.get_by_label("Je vraag").fill("Sara begint op 1 april.")
    _submit(page, page.get_by_role("button", name="Aanvraag versturen"), status=200)
    assert "is ontvangen" in _status(page)
    case = Ticket.objects.get(requester=manager, parent__isnull=True)
    parts = {part.department.code: part for part in case.children.select_related("department", "team")}
    assert {code: (part.team.code, part.subject) for code, part in parts.items()} == {
        "ICT": ("ICT-WERKPLEK", "Laptop en account voor Sara Öztürk"),
        "HRM": ("HRM-ADVIES", "Contract en salaris voor Sara Öztürk"),
        "FAC": ("FAC-GEBOUW", "Toegangspas en bureau voor Sara Öztürk"),
    }

    # Facilities sees the case with the parts it may see; gereed melden the case is refused.
    _switch_to(page, live_server, specialists["FAC"])
    page.goto(f"{live_server.url}/desk/meldingen/{case.number}/")
    part_list = page.get_by_role("heading", name="Deeltaken").locator("xpath=following-sibling::ul[1]")
    listed = part_list.get_by_role("listitem").all_inner_texts()
    assert [line.split(" ")[0] for line in listed] == [parts["ICT"].number, parts["FAC"].number]
    assert parts["HRM"].confidential, "the HR part is confidential by default"
    assert page.get_by_text(parts["HRM"].subject).count() == 0  # not for facilities' eyes
    resolving = _section(page, "Gereed melden")
    resolving.get_by_label("Oplossing (de aanvrager leest dit)").fill("Alles geregeld.")
    _submit(page, resolving.get_by_role("button", name="Gereed melden"), status=422)
    assert page.get_by_text("Deze melding heeft nog 3 openstaande deeltaken.").is_visible()
    assert page.get_by_label("Oplossing (de aanvrager leest dit)").input_value() == "Alles geregeld."
    assert_accessible(page)
    case.refresh_from_db()
    assert case.status == Status.NEW

    resolutions = {
        "ICT": "Laptop en account liggen klaar.",
        "HRM": "Contract is getekend.",
        "FAC": "Pas en bureau 3.07 geregeld.",
    }
    for done, code in enumerate(("ICT", "HRM", "FAC"), start=1):
        part = parts[code]
        _switch_to(page, live_server, specialists[code])
        if code == "ICT":  # from the queue, as a specialist would
            page.goto(f"{live_server.url}/desk/?wachtrij=team")
            page.get_by_role("link", name=part.number).click()
            page.wait_for_url(f"**/desk/meldingen/{part.number}/")
        else:
            page.goto(f"{live_server.url}/desk/meldingen/{part.number}/")
        assert _heading(page) == f"{part.number}: {part.subject}"
        assert page.get_by_role("link", name=f"{case.number}: {case.subject}").is_visible()
        resolving = _section(page, "Gereed melden")
        resolving.get_by_label("Oplossing (de aanvrager leest dit)").fill(resolutions[code])
        _submit(page, resolving.get_by_role("button", name="Gereed melden"), status=200)
        assert _meta(page, "Status") == "gereed"
        part.refresh_from_db()
        case.refresh_from_db()
        assert part.status == Status.RESOLVED
        if done < 3:
            assert case.status in (Status.NEW, Status.IN_PROGRESS), f"case {case.status} after part {done}"
            assert case.resolved_at is None
        else:
            assert case.status == Status.RESOLVED
            assert case.resolution.startswith("Alle onderdelen zijn gereed:")
            for text in resolutions.values():
                assert text in case.resolution

    page.goto(f"{live_server.url}/desk/meldingen/{case.number}/")
    assert _meta(page, "Status") == "gereed"
    assert "Pas en bureau 3.07 geregeld." in page.locator("h2:text-is('Oplossing') + p").inner_text()


# ---------------------------------------------------------------- 4. two agents, one ticket


def test_a_conflicting_change_is_shown_and_what_was_typed_is_kept(
    browser, page, live_server, assert_accessible
):
    org = factories.small_org()
    requester = factories.employee(first_name="Sanne")
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Printer weigert")
    agent_a = factories.staff(first_name="Anouk", teams={org.servicedesk: Role.AGENT})
    agent_b = factories.staff(first_name="Bram", teams={org.servicedesk: Role.AGENT})
    url = f"{live_server.url}/desk/meldingen/{ticket.number}/"

    _sign_in(page, live_server, agent_a)
    page_b = _new_page(browser)
    try:
        _sign_in(page_b, live_server, agent_b)
        page.goto(url)
        page_b.goto(url)
        assert _meta(page_b, "Status") == "nieuw"

        # A moves it to "in behandeling".
        status_form = _section(page, "Status")
        status_form.get_by_label("Nieuwe status").select_option(label="in behandeling")
        status_form.get_by_label("Toelichting").fill("Ik bel Sanne terug.")
        _submit(page, status_form.get_by_role("button", name="Status wijzigen"), status=200)
        assert _meta(page, "Status") == "in behandeling"

        # B, on the page loaded before, resolves it: refused, with A's change shown.
        typed = "Toner vervangen en een testpagina afgedrukt."
        resolving = _section(page_b, "Gereed melden")
        resolving.get_by_label("Oplossing (de aanvrager leest dit)").fill(typed)
        _submit(page_b, resolving.get_by_role("button", name="Gereed melden"), status=409)
        assert "is intussen door iemand anders gewijzigd" in page_b.get_by_role("alert").first.inner_text()
        changes = _section(page_b, "Intussen gewijzigd")
        assert changes.is_visible()
        listed = changes.get_by_role("listitem").all_inner_texts()
        assert any(agent_a.full_name in line and "nieuw → in behandeling" in line for line in listed), (
            f"A's status change is not listed: {listed}"
        )
        assert page_b.get_by_label("Oplossing (de aanvrager leest dit)").input_value() == typed
        assert _meta(page_b, "Status") == "in behandeling"
        ticket.refresh_from_db()
        assert (ticket.status, ticket.resolution) == (Status.IN_PROGRESS, "")
        assert_accessible(page_b)

        # B has seen it and sends again: now it goes through.
        _submit(
            page_b, _section(page_b, "Gereed melden").get_by_role("button", name="Gereed melden"), status=200
        )
        assert f"Melding {ticket.number} is bijgewerkt." in _status(page_b)
        assert page_b.get_by_role("heading", name="Intussen gewijzigd").count() == 0
        ticket.refresh_from_db()
        assert (ticket.status, ticket.resolution) == (Status.RESOLVED, typed)
    finally:
        page_b.context.close()


# ---------------------------------------------------------------- 5. the queue page


def test_the_queue_counts_filters_with_and_without_javascript_and_shortcuts(
    browser, page, live_server, assert_accessible
):
    org = factories.small_org()
    requester = factories.employee(first_name="Lotte")
    agent = factories.staff(first_name="Fleur", teams={org.servicedesk: Role.AGENT})
    outage = factories.ticket(
        requester=requester,
        item=org.items["ICT-STORING"],
        kwis="S",
        impact=Impact.HIGH,
        urgency=Urgency.HIGH,
        subject="Niemand kan inloggen",
    )
    facilities = factories.ticket(
        requester=requester, item=org.items["FAC-OVERIG"], kwis="W", subject="Lamp kapot"
    )
    mine = factories.ticket(
        requester=requester, item=org.items["ICT-LAPTOP-NEW"], kwis="I", subject="Laptop?"
    )
    assign_ticket(ticket=mine, actor=agent, team=org.servicedesk, assignee=agent)
    waiting = factories.ticket(requester=requester, item=org.items["FAC-OVERIG"], kwis="K", subject="Koffie")
    change_status(ticket=waiting, actor=agent, to=Status.WAITING_CUSTOMER, note="Welke automaat?")
    factories.ticket(requester=requester, item=org.items["HRM-VERLOF"], subject="Vertrouwelijk")  # HR only

    _sign_in(page, live_server, agent)
    page.goto(f"{live_server.url}/desk/")
    assert _heading(page) == "Werkvoorraad"
    counts = {
        label: _queue_link(page, label).locator(".loket-count").inner_text()
        for label in (
            "Niet toegewezen",
            "Van mij",
            "Mijn teams",
            "Wachtend",
            "Dreigt te verlopen",
            "Verlopen",
            "Heropend",
        )
    }
    assert counts == {
        "Niet toegewezen": "3",
        "Van mij": "1",
        "Mijn teams": "4",
        "Wachtend": "1",
        "Dreigt te verlopen": "0",
        "Verlopen": "0",
        "Heropend": "0",
    }
    assert _queue_link(page, "Niet toegewezen").get_attribute("aria-current") == "page"
    assert sorted(_queue_numbers(page)) == sorted([outage.number, facilities.number, waiting.number])
    assert_accessible(page)

    # htmx: changing a select replaces the table (no page load) and puts the filter in the address.
    page.goto(f"{live_server.url}/desk/?wachtrij=team")
    page.evaluate("() => { window.loketMarker = 'same page'; }")
    page.get_by_label("Prioriteit").select_option(label="P1 kritiek")
    expect(page.locator("#queue-table tbody a")).to_have_count(1)
    assert _queue_numbers(page) == [outage.number]
    expect(page).to_have_url(re.compile(r"prio=1"))
    assert page.evaluate("() => window.loketMarker") == "same page", "the filter reloaded the whole page"
    page.get_by_label("Prioriteit").select_option(label="alle")
    expect(page.locator("#queue-table tbody a")).to_have_count(4)
    page.get_by_label("Soort (KWIS)").select_option(label="wens")
    expect(page.locator("#queue-table tbody a")).to_have_count(1)
    assert _queue_numbers(page) == [facilities.number]
    assert_accessible(page)

    # Shortcut "2": "Van mij".
    page.goto(f"{live_server.url}/desk/")
    with page.expect_navigation():
        page.keyboard.press("2")
    assert "wachtrij=mine" in page.url
    assert _queue_link(page, "Van mij").get_attribute("aria-current") == "page"
    assert page.locator("#queue-table caption").inner_text() == "Van mij"
    assert _queue_numbers(page) == [mine.number]

    # On a ticket, "g" goes to the gereed form and "c" to the reply: nothing is sent.
    page.goto(f"{live_server.url}/desk/meldingen/{mine.number}/")
    page.keyboard.press("g")
    assert page.evaluate("() => document.activeElement.id") == "id_resolution"
    page.keyboard.type("x")
    assert page.get_by_label("Oplossing (de aanvrager leest dit)").input_value() == "x"
    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("c")
    assert page.evaluate("() => document.activeElement.id") == "id_body"

    # Without JavaScript: the filter form submits with "Toepassen".
    no_js = _new_page(browser, javascript=False)
    try:
        _sign_in(no_js, live_server, agent)
        no_js.goto(f"{live_server.url}/desk/?wachtrij=team")
        assert len(_queue_numbers(no_js)) == 4
        no_js.get_by_label("Soort (KWIS)").select_option(label="storing")
        assert len(_queue_numbers(no_js)) == 4, "the table changed without JavaScript or a submit"
        _submit(no_js, no_js.get_by_role("button", name="Toepassen"), status=200)
        assert "kwis=S" in no_js.url and "wachtrij=team" in no_js.url
        assert _queue_numbers(no_js) == [outage.number]
        assert no_js.get_by_label("Soort (KWIS)").input_value() == "S"
        assert _queue_link(no_js, "Mijn teams").get_attribute("aria-current") == "page"
        no_js.get_by_label("Afdeling (code)").fill("FAC")
        no_js.get_by_label("Soort (KWIS)").select_option(label="alle")
        _submit(no_js, no_js.get_by_role("button", name="Toepassen"), status=200)
        assert sorted(_queue_numbers(no_js)) == sorted([facilities.number, waiting.number])
    finally:
        no_js.context.close()
