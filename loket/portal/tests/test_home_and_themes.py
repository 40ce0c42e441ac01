"""The portal's front door and a case split over teams, as an employee reads them: what the desk
already knows, what others ask most, the catalogue by theme, and one story per request."""

import copy
import html
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import dateformat, timezone, translation

from loket.catalog.models import CatalogItem
from loket.catalog.services import import_catalog, import_themes, set_task_template
from loket.knowledge.models import Announcement
from loket.knowledge.services import publish_announcement
from loket.people.models import TeamMembership
from loket.people.selectors import actor_for
from loket.surveys.models import SatisfactionScore
from loket.surveys.services import can_rate
from loket.tickets.models import Status, Ticket
from loket.tickets.services import close_ticket, mark_resolved
from tests import factories

NOW = factories.A_MONDAY_MORNING
Role = TeamMembership.Role


@pytest.fixture(autouse=True)
def _no_remembered_popular_items():
    """The popular items are cached for an hour; each test counts its own tickets."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anna(client, requester):
    client.force_login(requester.user)
    return client


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: the words, without tags."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def section(page: str, heading_id: str) -> str:
    """The section labelled by the heading with this id, up to the end of that section."""
    start = page.index(f'id="{heading_id}"')
    return page[start : page.index("</section>", start)]


def link_texts(fragment: str) -> list[str]:
    return [text(name) for name in re.findall(r'<a class="utrecht-link" href="[^"]*">(.*?)</a>', fragment)]


# ---------------------------------------------------------------- announcements on the home page


def test_the_home_page_shows_a_current_outage_and_not_an_ended_one(org, anna, desk_agent):
    desk = actor_for(desk_agent.user)
    now = timezone.now()
    publish_announcement(
        actor=desk,
        title="Storing e-mail",
        body="Mail komt vertraagd binnen.",
        kind=Announcement.Kind.OUTAGE,
        department=org.ict,
        starts_at=now - timedelta(hours=1),
    )
    publish_announcement(
        actor=desk,
        title="Storing telefonie",
        kind=Announcement.Kind.OUTAGE,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=1),
    )

    page = page_of(anna, "/")

    shown = text(section(page, "announcements"))
    assert "Bekende storing (Informatievoorziening & ICT): Storing e-mail" in shown
    assert "Mail komt vertraagd binnen." in shown
    assert "Storing telefonie" not in page


def test_the_home_page_has_no_announcements_when_there_are_none(org, anna):
    assert 'id="announcements"' not in page_of(anna, "/")


# ---------------------------------------------------------------- asked most


def test_the_home_page_shows_the_items_asked_most_in_the_last_90_days(org, anna, requester, colleague):
    def asked(code: str, times: int, **kwargs):
        for _ in range(times):
            factories.ticket(requester=colleague, item=org.items[code], **kwargs)

    asked("FAC-OVERIG", 2)
    asked("ICT-STORING", 3)
    asked("ICT-LAPTOP-NEW", 1)
    asked("HRM-VERLOF", 5)  # confidential: not counted
    asked("ICT-LAPTOP-NEW", 4, now=timezone.now() - timedelta(days=91))  # too long ago

    popular = link_texts(section(page_of(anna, "/"), "popular"))

    assert popular == ["Storing melden", "Overige facilitaire vragen", "Laptop aanvragen of vervangen"]


def test_an_item_withdrawn_from_the_catalogue_leaves_the_cached_list_at_once(org, anna, colleague):
    factories.ticket(requester=colleague, item=org.items["ICT-STORING"])
    factories.ticket(requester=colleague, item=org.items["FAC-OVERIG"])
    assert len(link_texts(section(page_of(anna, "/"), "popular"))) == 2  # now cached

    item = org.items["FAC-OVERIG"]
    item.active = False
    item.save()

    assert link_texts(section(page_of(anna, "/"), "popular")) == ["Storing melden"]


def test_the_home_page_has_no_asked_most_list_before_anyone_asked_anything(org, anna):
    assert "Veelgevraagd" not in page_of(anna, "/")


# ---------------------------------------------------------------- themes


@pytest.fixture
def themes(org):
    """Two themes; one item of the first is no longer offered."""
    data = copy.deepcopy(factories.SMALL_CATALOG)
    next(item for item in data["items"] if item["code"] == "ICT-STORING")["active"] = False
    import_catalog(data=data)
    import_themes(
        themes=[
            {
                "code": "WERKPLEK",
                "name": "Je werkplek",
                "description": "Laptop, printer en bureau.",
                "items": ["ICT-LAPTOP-NEW", "ICT-STORING", "FAC-OVERIG"],
            },
            {"code": "VERLOF", "name": "Vrij en verlof", "items": ["HRM-VERLOF"]},
        ]
    )


def test_the_home_page_links_to_each_theme(themes, anna):
    by_theme = section(page_of(anna, "/"), "themes")

    assert link_texts(by_theme) == ["Je werkplek", "Vrij en verlof"]
    assert 'href="/producten/thema/WERKPLEK/"' in by_theme


def test_the_catalogue_lists_the_themes_and_the_departments(themes, anna):
    page = page_of(anna, "/producten/")
    by_theme = page[page.index('id="by-theme"') : page.index('id="by-department"')]
    by_department = text(page[page.index('id="by-department"') :])

    assert link_texts(by_theme) == ["Je werkplek", "Vrij en verlof"]
    assert "Laptop, printer en bureau." in text(by_theme)
    for name in ("Informatievoorziening & ICT", "Personeel & Organisatie", "Facilitair bedrijf"):
        assert name in by_department


def test_a_theme_page_lists_the_themes_items_that_are_still_offered(themes, anna):
    page = page_of(anna, "/producten/thema/WERKPLEK/")

    assert "Je werkplek" in text(page)
    assert "Laptop aanvragen of vervangen (Informatievoorziening & ICT)" in text(page)
    assert "Overige facilitaire vragen (Facilitair bedrijf)" in text(page)
    assert "Storing melden" not in page  # no longer offered
    assert 'href="/producten/HRM-VERLOF/"' not in page  # in another theme
    assert 'href="/producten/ICT-LAPTOP-NEW/"' in page


def test_the_home_page_does_not_link_to_a_theme_without_items_on_offer(themes, anna):
    import_themes(themes=[{"code": "STORINGEN", "name": "Als iets niet werkt", "items": ["ICT-STORING"]}])

    assert "Als iets niet werkt" not in page_of(anna, "/producten/")
    assert "Als iets niet werkt" not in page_of(anna, "/")


def test_the_catalogue_shows_no_theme_heading_when_there_are_no_themes(org, anna):
    page = page_of(anna, "/producten/")

    assert "Per afdeling" in page
    assert "Per thema" not in page


def test_an_unknown_theme_is_not_found(themes, anna):
    assert anna.get("/producten/thema/BESTAATNIET/").status_code == 404


# ---------------------------------------------------------------- own requests on the home page


def test_the_home_page_lists_only_the_employees_open_requests(org, anna, requester, colleague, ict_agent):
    factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Scherm flikkert")
    done = factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Muis kapot")
    close_ticket(ticket=mark_resolved(ticket=done, actor=ict_agent, resolution="Vervangen."), actor=requester)
    factories.ticket(requester=colleague, item=org.items["ICT-STORING"], subject="Van een collega")

    page = page_of(anna, "/")

    assert "Scherm flikkert" in page
    assert "Muis kapot" not in page
    assert "Van een collega" not in page


# ---------------------------------------------------------------- a case split over teams


TASKS = [
    {"department": "HRM", "subject": "Contract voor {naam}"},
    {"department": "ICT", "team": "ICT-NETWERK", "subject": "Account voor {naam}"},
    {"department": "FAC", "subject": "Toegangspas voor {naam}"},
]


@pytest.fixture
def onboarding(org):
    """An HRM item split over HR-advies (HRM's default team), Netwerkbeheer and Gebouwbeheer."""
    import_catalog(
        data={
            "items": [
                factories.catalog_item_spec(
                    code="HRM-ONBOARDING",
                    department="HRM",
                    name="Nieuwe medewerker in dienst",
                    kwis_types=["W"],
                    fields=[
                        {"name": "naam", "label": "Naam", "type": "text", "required": True},
                        {"name": "laptop", "label": "Laptop nodig", "type": "boolean"},
                    ],
                )
            ]
        }
    )
    return set_task_template(item=CatalogItem.objects.get(code="HRM-ONBOARDING"), tasks=TASKS)


@pytest.fixture
def case(onboarding, requester):
    """Anna's onboarding request for Piet."""
    return factories.ticket(
        requester=requester,
        item=onboarding,
        subject="Nieuwe collega Piet",
        form_answers={"naam": "Piet"},
        now=NOW,
    )


@pytest.fixture
def network_agent(org):
    return factories.staff(first_name="Noor", teams={org.ict_network: Role.SPECIALIST})


def part(case, department: str):
    return case.children.get(department__code=department)


def expected_date(ticket) -> str:
    with translation.override("nl"):
        return dateformat.format(timezone.localtime(ticket.clock.resolution_due), "j F Y")


def parts_table(page: str) -> list[str]:
    """The rows of the table 'Onderdelen van je aanvraag', as read."""
    start = page.index("Onderdelen van je aanvraag")
    body = page[page.index("<tbody", start) : page.index("</tbody>", start)]
    return [text(row) for row in body.split("</tr>") if text(row)]


def timeline(page: str) -> list[str]:
    """The lines of the Verloop list, without their times."""
    start = page.index('id="verloop"')
    items = re.findall(r"<li[^>]*>(.*?)</li>", page[start : page.index("</ol>", start)], flags=re.S)
    return [text(item).split(": ", 1)[1] for item in items]


def test_a_split_request_shows_who_works_on_each_part_how_far_and_when(case, anna, network_agent):
    mark_resolved(
        ticket=part(case, "ICT"),
        actor=network_agent,
        resolution="Account aangemaakt.",
        now=NOW + timedelta(hours=1),
    )
    hrm, fac = part(case, "HRM"), part(case, "FAC")

    page = page_of(anna, f"/meldingen/{case.number}/")

    assert "Je aanvraag is verdeeld over 3 onderdelen." in page
    assert parts_table(page) == [
        f"Contract voor Piet HR-advies Ontvangen; verwacht uiterlijk {expected_date(hrm)}",
        "Account voor Piet Netwerkbeheer Gereed gemeld Account aangemaakt.",
        f"Toegangspas voor Piet Gebouwbeheer Ontvangen; verwacht uiterlijk {expected_date(fac)}",
    ]


def test_the_timeline_of_a_split_request_names_the_parts(case, anna, network_agent):
    mark_resolved(
        ticket=part(case, "ICT"),
        actor=network_agent,
        resolution="Account aangemaakt.",
        now=NOW + timedelta(hours=1),
    )

    page = page_of(anna, f"/meldingen/{case.number}/")

    assert timeline(page) == [
        "Ontvangen",
        "Contract voor Piet: Gestart",
        "Account voor Piet: Gestart",
        "Toegangspas voor Piet: Gestart",
        "Account voor Piet: Gereed gemeld",
    ]


def test_the_page_of_a_part_says_which_request_it_belongs_to(case, anna):
    page = page_of(anna, f"/meldingen/{part(case, 'ICT').number}/")

    assert f"Onderdeel van {case.number}: Nieuwe collega Piet" in text(page)


def test_another_employee_finds_neither_the_case_nor_its_parts(case, client, colleague):
    client.force_login(colleague.user)

    for ticket in (case, *case.children.all()):
        assert client.get(f"/meldingen/{ticket.number}/").status_code == 404


def test_the_ict_team_opens_its_part_but_not_the_hr_case(case, client, network_agent):
    client.force_login(network_agent.user)

    assert client.get(f"/meldingen/{part(case, 'ICT').number}/").status_code == 200
    assert client.get(f"/meldingen/{part(case, 'HRM').number}/").status_code == 404
    assert client.get(f"/meldingen/{case.number}/").status_code == 404


@pytest.fixture
def all_parts_resolved(case, org, network_agent):
    agents = {
        "HRM": factories.staff(first_name="Hanna", teams={org.hr_team: Role.SPECIALIST}),
        "ICT": network_agent,
        "FAC": factories.staff(first_name="Frits", teams={org.fac_team: Role.SPECIALIST}),
    }
    for code, agent in agents.items():
        mark_resolved(ticket=part(case, code), actor=agent, resolution="Geregeld.", now=timezone.now())
    case.refresh_from_db()
    assert case.status == Status.RESOLVED
    return case


def test_the_requester_accepts_and_rates_the_whole_request_not_a_part(all_parts_resolved, anna, requester):
    case = all_parts_resolved
    ict = part(case, "ICT")
    me = actor_for(requester.user)

    case_page = page_of(anna, f"/meldingen/{case.number}/")
    part_page = page_of(anna, f"/meldingen/{ict.number}/")

    assert "Is je vraag opgelost?" in case_page
    assert "Hoe tevreden ben je over de afhandeling?" in case_page
    assert can_rate(me, case)
    assert "Is je vraag opgelost?" not in part_page
    assert "Hoe tevreden ben je over de afhandeling?" not in part_page
    assert not can_rate(me, ict)


def test_accepting_a_part_is_refused_and_accepting_the_request_closes_every_part(all_parts_resolved, anna):
    case = all_parts_resolved
    ict = part(case, "ICT")

    refused = anna.post(f"/meldingen/{ict.number}/akkoord/")
    ict.refresh_from_db()
    assert refused.status_code == 422
    assert ict.status == Status.RESOLVED

    anna.post(f"/meldingen/{case.number}/akkoord/")
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert set(case.children.values_list("status", flat=True)) == {Status.CLOSED}


def test_rating_a_part_is_refused(all_parts_resolved, anna):
    ict = part(all_parts_resolved, "ICT")

    response = anna.post(f"/meldingen/{ict.number}/beoordelen/", {"score": "5"})

    assert response.status_code == 422
    assert "Alleen de aanvrager kan een afgehandelde melding beoordelen." in response.content.decode()
    assert not SatisfactionScore.objects.filter(ticket=ict).exists()


def test_the_home_page_lists_a_split_request_once(case, anna):
    page = page_of(anna, "/")

    assert case.number in page
    for child in case.children.all():
        assert child.number not in page


# ---------------------------------------------------------------- asking through the request form


def ask_for_onboarding(client, **answers) -> None:
    form = {"description": "Piet begint op 1 april.", "kwis": "W", "submission": "onb-1", "f_naam": "Piet"}
    response = client.post("/producten/HRM-ONBOARDING/", {**form, **answers})
    assert response.status_code == 302, response.content.decode()


def test_a_request_through_the_form_is_split_with_a_ticked_box_read_as_ja(onboarding, anna, requester):
    set_task_template(
        item=onboarding, tasks=[{"department": "ICT", "subject": "Account voor {naam}, laptop: {laptop}"}]
    )

    ask_for_onboarding(anna, f_laptop="on")

    (part_,) = Ticket.objects.filter(parent__requester=requester)
    assert part_.subject == "Account voor Piet, laptop: ja"
    assert "Laptop nodig: ja" in part_.description


def test_a_request_through_the_form_reads_an_unticked_box_as_nee_in_the_parts(onboarding, anna, requester):
    set_task_template(
        item=onboarding, tasks=[{"department": "ICT", "subject": "Account voor {naam}, laptop: {laptop}"}]
    )

    ask_for_onboarding(anna)

    (part_,) = Ticket.objects.filter(parent__requester=requester)
    assert part_.subject == "Account voor Piet, laptop: nee"
    assert "Laptop nodig: nee" in part_.description


# ---------------------------------------------------------------- a constant number of queries


def test_a_theme_page_takes_the_same_few_queries_for_many_items(org, anna, django_assert_max_num_queries):
    data = {
        "items": [
            factories.catalog_item_spec(code=f"ITEM-{n:02d}", department=department)
            for n, department in enumerate(["FAC", "ICT", "HRM"] * 10)
        ]
    }
    import_catalog(data=data)
    import_themes(themes=[{"code": "ALLES", "name": "Alles", "items": [i["code"] for i in data["items"]]}])

    # Session, user, the theme, its items with their departments: never per item.
    with django_assert_max_num_queries(6):
        page = page_of(anna, "/producten/thema/ALLES/")

    assert page.count('href="/producten/ITEM-') == 30


def test_the_page_of_a_split_request_takes_the_same_few_queries_for_many_parts(
    onboarding, anna, requester, django_assert_max_num_queries
):
    set_task_template(
        item=onboarding,
        tasks=[
            {"department": department, "subject": f"Deel {n}"}
            for n, department in enumerate(["HRM", "ICT", "FAC"] * 4)
        ],
    )
    case = factories.ticket(requester=requester, item=onboarding, form_answers={"naam": "Piet"}, now=NOW)

    # Session, user, actor, the case, its parts with teams and clocks, comments, history: never per part.
    with django_assert_max_num_queries(14):
        page = page_of(anna, f"/meldingen/{case.number}/")

    assert len(parts_table(page)) == 12
