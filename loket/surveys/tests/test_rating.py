"""The requester scores a handled ticket with one click (1-5), optionally with a comment."""

from loket.surveys.models import SatisfactionScore
from loket.tickets.services import close_ticket, mark_resolved
from tests import factories


def handled(org, requester, agent):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    return mark_resolved(ticket=ticket, actor=agent, resolution="Opgelost.")


def test_the_requester_scores_a_resolved_ticket_in_one_click(org, client, requester, ict_agent):
    ticket = handled(org, requester, ict_agent)
    client.force_login(requester.user)

    page = client.get(f"/meldingen/{ticket.number}/").content.decode()
    response = client.post(
        f"/meldingen/{ticket.number}/beoordelen/", {"score": "4", "comment": "Snel geholpen."}, follow=True
    )

    assert "Hoe tevreden ben je over de afhandeling?" in page
    assert "Dank je wel voor je beoordeling." in response.content.decode()
    score = SatisfactionScore.objects.get(ticket=ticket)
    assert (score.score, score.comment, score.respondent) == (4, "Snel geholpen.", requester)


def test_scoring_again_replaces_the_score(org, client, requester, ict_agent):
    ticket = close_ticket(ticket=handled(org, requester, ict_agent), actor=requester)
    client.force_login(requester.user)

    client.post(f"/meldingen/{ticket.number}/beoordelen/", {"score": "2"})
    client.post(f"/meldingen/{ticket.number}/beoordelen/", {"score": "5"})

    assert SatisfactionScore.objects.get(ticket=ticket).score == 5


def test_a_score_outside_one_to_five_is_refused_with_a_message(org, client, requester, ict_agent):
    ticket = handled(org, requester, ict_agent)
    client.force_login(requester.user)

    response = client.post(f"/meldingen/{ticket.number}/beoordelen/", {"score": "9"})

    assert response.status_code == 422
    assert "Kies een cijfer van 1 tot en met 5." in response.content.decode()
    assert not SatisfactionScore.objects.exists()


def test_an_open_ticket_cannot_be_scored_and_a_colleague_never_can(
    org, client, requester, colleague, ict_agent
):
    open_ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    resolved = handled(org, requester, ict_agent)
    client.force_login(requester.user)
    assert "Hoe tevreden" not in client.get(f"/meldingen/{open_ticket.number}/").content.decode()
    refused = client.post(f"/meldingen/{open_ticket.number}/beoordelen/", {"score": "3"})
    assert refused.status_code == 422
    assert "Alleen de aanvrager kan een afgehandelde melding beoordelen." in refused.content.decode()

    client.force_login(colleague.user)
    assert client.post(f"/meldingen/{resolved.number}/beoordelen/", {"score": "1"}).status_code == 404
    assert not SatisfactionScore.objects.exists()
