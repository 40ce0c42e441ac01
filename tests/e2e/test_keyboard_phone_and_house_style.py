"""The portal for everyone: by keyboard alone, on a phone, in an organisation's own house style;
a case split over teams told as one story; browsing by theme; the pages that say no."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings

import loket
from loket.catalog.models import CatalogItem
from loket.catalog.services import import_catalog, import_themes, set_task_template
from loket.people.models import TeamMembership
from loket.people.services import grant_login, upsert_employee
from loket.surveys.models import SatisfactionScore
from loket.tickets.models import Ticket
from loket.tickets.services import mark_resolved
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "een-lang-wachtwoord"
PROJECT = Path(loket.__file__).resolve().parent
DEMO_THEME = PROJECT / "demo" / "theme"
Role = TeamMembership.Role


# ---------------------------------------------------------------- helpers


def _sign_in(page, live_server, employee):
    """A session for the employee's login without typing a password (that is test 1's job)."""
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


def _is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def _tab_to(page, locator, *, max_presses: int = 40):
    """Press Tab until the element the locator names has the focus; fail after max_presses."""
    target = locator.element_handle()
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return locator
    focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{locator} not reached in {max_presses} Tab presses; focus is on {focused}")


def _press_and_load(page, key: str):
    """Press a key that submits a form or follows a link, and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _focus_indicator(locator) -> str:
    """The focused element's visible focus indicator (its outline or box-shadow), or ''."""
    return locator.evaluate(
        """el => {
            const s = getComputedStyle(el);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
                ? `outline ${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : '';
            const shadow = s.boxShadow && s.boxShadow !== 'none' ? `box-shadow ${s.boxShadow}` : '';
            return [outline, shadow].filter(Boolean).join('; ');
        }"""
    )


def _assert_focus_visible(locator):
    assert _is_focused(locator)
    assert locator.is_visible()
    assert _focus_indicator(locator), f"{locator} has the focus but shows no outline or box-shadow"


def _status(page) -> str:
    return page.get_by_role("status").first.inner_text()


# ---------------------------------------------------------------- 1. keyboard only


def test_the_whole_employee_journey_by_keyboard_alone(page, live_server, assert_accessible):
    org = factories.small_org()
    employee = upsert_employee(employee_number="E21", first_name="Kees", last_name="Bos", email="k@x.nl")
    grant_login(employee=employee, username="kees", password=PASSWORD)
    keyboard = page.keyboard

    # Log in: type, Tab to the next field, Enter to submit.
    page.goto(f"{live_server.url}/inloggen/")
    assert_accessible(page)
    _tab_to(page, page.get_by_label("Gebruikersnaam"))
    keyboard.type("kees")
    keyboard.press("Tab")
    assert _is_focused(page.get_by_label("Wachtwoord"))
    keyboard.type(PASSWORD)
    _press_and_load(page, "Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Waarmee kunnen we je helpen?"
    assert_accessible(page)

    # The first Tab stop is the skip link; it shows when focused and leads past the header.
    keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud")
    _assert_focus_visible(skip_link)
    box = skip_link.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0, f"the focused skip link is off screen: {box}"
    keyboard.press("Enter")
    keyboard.press("Tab")
    search = page.get_by_label("Zoek een product, dienst of antwoord")
    assert _is_focused(search), "the skip link does not lead to the first field in the content"

    keyboard.type("laptop")
    keyboard.press("Tab")
    search_button = page.get_by_role("button", name="Zoeken")
    _assert_focus_visible(search_button)
    _press_and_load(page, "Enter")
    assert page.get_by_role("heading", name="Gevonden voor 'laptop'").is_visible()
    assert_accessible(page)

    item_link = _tab_to(page, page.get_by_role("link", name="Laptop aanvragen of vervangen"))
    _assert_focus_visible(item_link)
    _press_and_load(page, "Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Laptop aanvragen of vervangen"
    assert_accessible(page)

    # Submit without the required reason (Space on the button): the error is shown.
    _tab_to(page, page.get_by_label("Je vraag"))
    keyboard.type("Mijn laptop start niet meer op.")
    submit = _tab_to(page, page.get_by_role("button", name="Aanvraag versturen"))
    _assert_focus_visible(submit)
    _press_and_load(page, "Space")
    error = page.get_by_text("Vul 'Reden van de aanvraag' in.")
    assert error.is_visible()
    assert page.get_by_role("alert").inner_text() == "Controleer de gemarkeerde velden."
    reason = page.get_by_label("Reden van de aanvraag")
    assert reason.get_attribute("aria-invalid") == "true"
    assert reason.get_attribute("aria-describedby") == "id_f_reden_error"
    assert page.get_by_label("Je vraag").input_value() == "Mijn laptop start niet meer op."
    assert_accessible(page)

    # Fix it by keyboard: focus the select and pick the third option with the arrow keys.
    _tab_to(page, reason)
    for _ in range(3):
        keyboard.press("ArrowDown")
    assert reason.input_value() == "defect"
    _tab_to(page, page.get_by_role("button", name="Aanvraag versturen"))
    _press_and_load(page, "Enter")
    confirmation = _status(page)
    assert "is ontvangen" in confirmation
    assert "We verwachten hem uiterlijk" in confirmation
    assert_accessible(page)

    # The desk marks it gereed; the employee reopens it with a reason, by keyboard.
    ticket = Ticket.objects.get(requester=employee)
    assert page.get_by_role("heading", level=1).inner_text().startswith(ticket.number)
    assert ticket.form_answers == {"reden": "defect"}
    agent = factories.staff(first_name="Ivo", teams={org.ict_team: Role.SPECIALIST})
    mark_resolved(ticket=ticket, actor=agent, resolution="Nieuwe accu geplaatst.")
    page.reload()
    assert page.get_by_text("Nieuwe accu geplaatst.").is_visible()
    assert_accessible(page)
    _tab_to(page, page.get_by_label("Nee, nog niet opgelost. Wat is er nog mis?"))
    keyboard.type("Hij gaat na tien minuten weer uit.")
    reopen = _tab_to(page, page.get_by_role("button", name="Heropenen"))
    _assert_focus_visible(reopen)
    _press_and_load(page, "Enter")
    assert "is heropend" in _status(page)
    assert_accessible(page)

    # Gereed again: accepted with Space, then a score with Enter.
    mark_resolved(ticket=ticket, actor=agent, resolution="Moederbord vervangen.")
    page.reload()
    accept = _tab_to(page, page.get_by_role("button", name="Ja, akkoord"))
    _assert_focus_visible(accept)
    _press_and_load(page, "Space")
    assert "is afgesloten" in _status(page)
    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == ("closed", 1)
    assert_accessible(page)

    _tab_to(page, page.get_by_label("Toelichting"))
    keyboard.type("Fijn dat het nu werkt.")
    score = _tab_to(page, page.get_by_role("button", name="Cijfer 4 van 5"))
    _assert_focus_visible(score)
    _press_and_load(page, "Enter")
    assert "Dank je wel voor je beoordeling." in _status(page)
    rating = SatisfactionScore.objects.get(ticket=ticket)
    assert (rating.score, rating.comment) == (4, "Fijn dat het nu werkt.")
    assert_accessible(page)


# ---------------------------------------------------------------- 2. phone


class ScrollsSideways(AssertionError):
    """A page is wider than the phone's screen."""


PHONE = {"width": 375, "height": 740}


def test_on_a_phone_no_page_scrolls_sideways(browser, live_server, assert_accessible):
    org = factories.small_org()
    employee = factories.employee(first_name="Lotte", last_name="van den Berg-Hoogendijk")
    ticket = factories.ticket(
        requester=employee,
        item=org.items["ICT-LAPTOP-NEW"],
        subject="Mijn laptop start niet meer op sinds de update van afgelopen dinsdag",
        description="Na de update blijft het scherm zwart.\nIk werk nu op een leenlaptop.",
        form_answers={"reden": "defect", "afleverlocatie": "Stadskantoor, derde verdieping, kamer 3.14"},
    )
    agent = factories.staff(first_name="Ivo", teams={org.ict_team: Role.SPECIALIST})
    mark_resolved(ticket=ticket, actor=agent, resolution="Nieuwe accu geplaatst en de update teruggedraaid.")
    still_open = factories.ticket(requester=employee, subject="Printer op de tweede verdieping doet het niet")

    context = browser.new_context(viewport=PHONE, locale="nl-NL")
    too_wide = []
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        _sign_in(page, live_server, employee)
        for path, heading in (
            ("/", "Waarmee kunnen we je helpen?"),
            ("/producten/", "Producten en diensten"),
            ("/producten/ICT-LAPTOP-NEW/", "Laptop aanvragen of vervangen"),
            ("/meldingen/", "Mijn meldingen"),
            (f"/meldingen/{ticket.number}/", f"{ticket.number}: {ticket.subject}"),
        ):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.get_by_role("heading", level=1).inner_text() == heading
            scroll_width, screen = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            if scroll_width > screen + 1:
                too_wide.append(f"{path}: {scroll_width} px")
            assert_accessible(page)
            if path == "/meldingen/":
                assert page.get_by_role("link", name=still_open.number).is_visible()
    finally:
        context.close()
    if too_wide:
        raise ScrollsSideways(f"wider than the {PHONE['width']} px screen: {', '.join(too_wide)}")


# ---------------------------------------------------------------- 3. house style


def _theme_green() -> str:
    """The brand colour the demo theme gives the primary button (its --utrecht-color-blue-35)."""
    tokens = (DEMO_THEME / "design-tokens.css").read_text(encoding="utf-8")
    return re.search(r"--utrecht-color-blue-35:\s*([^;]+);", tokens).group(1).strip()


def _background_of(button) -> str:
    return button.evaluate("el => getComputedStyle(el).backgroundColor")


def _as_computed_colour(page, css_colour: str) -> str:
    """A CSS colour as getComputedStyle gives it (rgb(...)), resolved by the browser itself."""
    return page.evaluate(
        """colour => {
            const probe = document.createElement('div');
            probe.style.backgroundColor = colour;
            document.body.append(probe);
            const computed = getComputedStyle(probe).backgroundColor;
            probe.remove();
            return computed;
        }""",
        css_colour,
    )


def test_an_organisations_own_house_style_replaces_the_utrecht_colours(page, live_server, assert_accessible):
    factories.small_org()
    _sign_in(page, live_server, factories.employee(first_name="Mila"))
    button = page.get_by_role("button", name="Zoeken")

    page.goto(f"{live_server.url}/")
    utrecht = _background_of(button)
    assert utrecht == _as_computed_colour(page, "hsl(211 60% 35%)")  # Utrecht's blue-35

    with override_settings(
        LOKET_THEME_TOKENS="theme/design-tokens.css",
        LOKET_THEME_CLASS="voorbeeldstad-theme",
        STATICFILES_DIRS=[PROJECT / "static", ("theme", DEMO_THEME)],
    ):
        tokens = page.request.get(f"{live_server.url}/static/theme/design-tokens.css")
        assert tokens.status == 200, "the live server does not serve the theme's tokens file"
        page.goto(f"{live_server.url}/")
        assert "voorbeeldstad-theme" in page.evaluate("() => document.documentElement.className")
        green = _as_computed_colour(page, _theme_green())
        themed = _background_of(button)
        assert themed == green
        assert themed != utrecht
        assert_accessible(page)


# ---------------------------------------------------------------- 4. a split case


WORKPLACE = factories.catalog_item_spec(
    code="FAC-WERKPLEK",
    department="FAC",
    name="Werkplek voor een nieuwe collega",
    kwis_types=["W"],
    fields=[{"name": "naam", "label": "Naam nieuwe collega", "type": "text", "required": True}],
)
WORKPLACE_TASKS = [
    {"department": "ICT", "subject": "Laptop en account voor {naam}"},
    {"department": "FAC", "subject": "Bureau en toegangspas voor {naam}"},
]


def _parts_table(page):
    return page.get_by_role("table", name="Onderdelen van je aanvraag")


def _row_of(page, subject: str):
    return _parts_table(page).get_by_role("row").filter(has_text=subject)


def test_a_case_split_over_teams_is_told_as_one_story(page, live_server, assert_accessible):
    org = factories.small_org()
    import_catalog(data={"items": [WORKPLACE]})
    set_task_template(item=CatalogItem.objects.get(code="FAC-WERKPLEK"), tasks=WORKPLACE_TASKS)
    employee = factories.employee(first_name="Ruud", last_name="Kok")
    _sign_in(page, live_server, employee)

    page.goto(f"{live_server.url}/producten/FAC-WERKPLEK/")
    page.get_by_label("Naam nieuwe collega").fill("Piet Pietersen")
    page.get_by_label("Je vraag").fill("Piet begint op 1 april.")
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert "is ontvangen" in _status(page)

    case = Ticket.objects.get(requester=employee, parent__isnull=True)
    parts = {part.department.code: part for part in case.children.select_related("department")}
    laptop, desk = "Laptop en account voor Piet Pietersen", "Bureau en toegangspas voor Piet Pietersen"
    assert (parts["ICT"].subject, parts["FAC"].subject) == (laptop, desk)
    assert page.get_by_role("heading", level=1).inner_text().startswith(case.number)
    assert _parts_table(page).get_by_role("row").count() == 1 + 2  # the header and a row per part
    for subject in (laptop, desk):
        assert "verwacht uiterlijk" in _row_of(page, subject).inner_text()
    assert page.get_by_role("heading", name="Is je vraag opgelost?").count() == 0
    assert_accessible(page)

    # The back office resolves one part: the story tells which one is done, and with what.
    ict_agent = factories.staff(first_name="Ivo", teams={org.ict_team: Role.SPECIALIST})
    mark_resolved(ticket=parts["ICT"], actor=ict_agent, resolution="Laptop ligt klaar bij de balie.")
    page.reload()
    done = _row_of(page, laptop).inner_text()
    assert "Gereed gemeld" in done
    assert "Laptop ligt klaar bij de balie." in done
    assert "verwacht uiterlijk" not in done
    waiting = _row_of(page, desk).inner_text()
    assert "verwacht uiterlijk" in waiting
    assert "Gereed gemeld" not in waiting
    assert page.get_by_role("heading", name="Is je vraag opgelost?").count() == 0
    assert_accessible(page)

    # The last part done: the case is gereed as a whole, with every part's resolution.
    fac_agent = factories.staff(first_name="Frits", teams={org.fac_team: Role.SPECIALIST})
    mark_resolved(ticket=parts["FAC"], actor=fac_agent, resolution="Bureau 2.07; pas bij de receptie.")
    page.reload()
    assert page.get_by_role("heading", name="Is je vraag opgelost?").is_visible()
    resolution = page.locator("h2#oplossing + p").inner_text()
    assert "Alle onderdelen zijn gereed:" in resolution
    assert f"Werkplekbeheer, {laptop}: Laptop ligt klaar bij de balie." in resolution
    assert f"Gebouwbeheer, {desk}: Bureau 2.07; pas bij de receptie." in resolution
    assert page.get_by_role("button", name="Ja, akkoord").is_visible()
    for subject in (laptop, desk):
        assert "Gereed gemeld" in _row_of(page, subject).inner_text()
    assert_accessible(page)


# ---------------------------------------------------------------- 5. themes and the pages that say no


def test_browse_by_theme_and_the_pages_that_say_no(page, live_server, assert_accessible):
    factories.small_org()
    import_themes(
        themes=[
            {
                "code": "NIEUW-IN-DIENST",
                "name": "Nieuw in dienst",
                "description": "Alles voor je eerste werkdag.",
                "items": ["ICT-LAPTOP-NEW", "HRM-VERLOF"],
            }
        ]
    )
    employee = upsert_employee(employee_number="E25", first_name="Noor", last_name="Amrani", email="n@x.nl")
    grant_login(employee=employee, username="noor", password=PASSWORD)

    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("noor")
    page.get_by_label("Wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("De combinatie van gebruikersnaam en wachtwoord")
    assert "/inloggen/" in page.url
    assert_accessible(page)

    _sign_in(page, live_server, employee)
    page.goto(f"{live_server.url}/producten/")
    by_theme = page.get_by_role("navigation", name="Per thema")
    assert by_theme.get_by_text("Alles voor je eerste werkdag.").is_visible()
    assert_accessible(page)
    by_theme.get_by_role("link", name="Nieuw in dienst").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Nieuw in dienst"
    items = page.get_by_role("main").get_by_role("listitem")
    assert [line.strip() for line in items.all_inner_texts()] == [
        "Laptop aanvragen of vervangen (Informatievoorziening & ICT)",
        "Verlof (Personeel & Organisatie)",
    ]
    assert_accessible(page)

    response = page.goto(f"{live_server.url}/meldingen/M0000-000000/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Deze pagina bestaat niet").is_visible()
    assert_accessible(page)
