"""The registration guide (callregistratiegids): a public reply from the desk greets the customer
by name, says what happens next, avoids internal jargon and stays short; the agent may send it
anyway with a reason, which the history keeps."""

import pytest

from loket.tickets.models import Comment, RegistrationGuide, ReplyTemplate
from loket.tickets.selectors import history_of
from loket.tickets.services import GuideWarnings, add_comment, check_reply, render_reply_template
from tests import factories


@pytest.fixture
def storing(org, requester):
    return factories.ticket(requester=requester, item=org.items["ICT-STORING"], subject="Printer doet niets")


def codes(ticket, body, **guide):
    return [w.code for w in check_reply(ticket=ticket, body=body, guide=RegistrationGuide(**guide))]


def test_a_good_reply_passes(storing, requester):
    body = (
        f"Beste {requester.first_name},\n\nDank je voor je melding. Een collega komt morgen voor 12:00 "
        "langs om de printer te vervangen.\n\nGroet, de servicedesk"
    )
    assert codes(storing, body) == []


def test_a_reply_without_greeting_or_next_step_is_flagged(storing):
    assert codes(storing, "De printer is kapot.") == ["greeting", "next_step"]


def test_a_greeting_without_the_customers_name_is_flagged(storing):
    assert codes(storing, "Hallo,\nwe komen morgen langs.") == ["name"]


def test_internal_jargon_and_length_are_flagged(storing, requester):
    body = f"Beste {requester.first_name}, je incident is naar de backoffice; we komen morgen langs."
    assert codes(storing, body) == ["jargon"]
    assert codes(storing, body, max_length=20, jargon=[]) == ["too_long"]
    assert "backoffice, incident" in check_reply(ticket=storing, body=body)[0].message


def test_words_inside_other_words_are_not_jargon(storing, requester):
    body = f"Beste {requester.first_name}, we gaan je tickets voor de schouwburg bestellen: slash-p1234."
    assert codes(storing, body, jargon=["ticket", "p1"]) == []


def test_the_desk_cannot_send_a_reply_against_the_guide_without_a_reason(storing, ict_agent):
    with pytest.raises(GuideWarnings) as raised:
        add_comment(ticket=storing, actor=ict_agent, body="Printer kapot.", check_guide=True)

    assert [w.code for w in raised.value.warnings] == ["greeting", "next_step"]
    assert not Comment.objects.filter(ticket=storing).exists()


def test_with_a_reason_the_reply_is_sent_and_the_reason_recorded(storing, ict_agent):
    add_comment(
        ticket=storing,
        actor=ict_agent,
        body="Printer kapot.",
        check_guide=True,
        override_reason="Klant belde",
    )

    assert Comment.objects.get(ticket=storing).body == "Printer kapot."
    note = history_of(storing).filter(action="commented").last().note
    assert "greeting, next_step" in note and "Klant belde" in note


def test_internal_notes_and_the_requesters_own_replies_are_not_checked(storing, ict_agent, requester):
    add_comment(ticket=storing, actor=ict_agent, body="kapot", internal=True, check_guide=True)
    add_comment(ticket=storing, actor=requester, body="nog steeds kapot", check_guide=True)

    assert Comment.objects.filter(ticket=storing).count() == 2


def test_a_template_fills_in_the_ticket(storing, requester):
    template = ReplyTemplate(body="Beste {voornaam}, melding {nummer} ({onderwerp}) bij {team}. {onbekend}")

    text = render_reply_template(template=template, ticket=storing)

    assert text == (
        f"Beste {requester.first_name}, melding {storing.number} (Printer doet niets) "
        f"bij {storing.team.name}. {{onbekend}}"
    )
