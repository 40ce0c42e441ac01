"""Gereed melden in the portal: the requester accepts the resolution or reopens with a reason."""

from datetime import timedelta

from django.utils import timezone

from loket.tickets.models import Status
from loket.tickets.services import mark_resolved
from tests import factories


def resolved_ticket(org, requester, agent, *, days_ago: int = 0):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    return mark_resolved(
        ticket=ticket,
        actor=agent,
        resolution="Printer opnieuw gestart.",
        now=timezone.now() - timedelta(days=days_ago),
    )


def test_the_requester_sees_the_resolution_and_accepts_it(org, client, requester, ict_agent):
    ticket = resolved_ticket(org, requester, ict_agent)
    client.force_login(requester.user)

    page = client.get(f"/meldingen/{ticket.number}/").content.decode()
    assert "Printer opnieuw gestart." in page
    assert "Is je vraag opgelost?" in page

    response = client.post(f"/meldingen/{ticket.number}/akkoord/", follow=True)

    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    assert f"De melding {ticket.number} is afgesloten." in response.content.decode()


def test_the_requester_reopens_with_a_reason_and_it_counts_as_rework(org, client, requester, ict_agent):
    ticket = resolved_ticket(org, requester, ict_agent)
    client.force_login(requester.user)

    client.post(f"/meldingen/{ticket.number}/heropenen/", {"reason": "Hij print nog steeds strepen."})

    ticket.refresh_from_db()
    assert (ticket.status, ticket.reopen_count) == (Status.REOPENED, 1)


def test_reopening_without_a_reason_is_refused_with_a_message(org, client, requester, ict_agent):
    ticket = resolved_ticket(org, requester, ict_agent)
    client.force_login(requester.user)

    response = client.post(f"/meldingen/{ticket.number}/heropenen/", {"reason": "  "})

    assert response.status_code == 422
    assert "Geef aan waarom de melding nog niet is opgelost." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_after_the_reopen_period_only_accepting_is_offered_and_reopening_is_refused(
    org, client, requester, ict_agent, settings
):
    settings.LOKET_REOPEN_DAYS = 14
    ticket = resolved_ticket(org, requester, ict_agent, days_ago=20)
    client.force_login(requester.user)

    page = client.get(f"/meldingen/{ticket.number}/").content.decode()
    refused = client.post(f"/meldingen/{ticket.number}/heropenen/", {"reason": "Toch niet goed."})

    assert "Heropenen" not in page
    assert refused.status_code == 422
    assert "De termijn om deze melding te heropenen is voorbij." in refused.content.decode()


def test_a_colleague_cannot_accept_or_reopen_someone_elses_ticket(
    org, client, requester, colleague, ict_agent
):
    ticket = resolved_ticket(org, requester, ict_agent)
    client.force_login(colleague.user)

    assert client.post(f"/meldingen/{ticket.number}/akkoord/").status_code == 404
    assert client.post(f"/meldingen/{ticket.number}/heropenen/", {"reason": "x"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED


def test_the_requester_adds_a_reaction_with_a_file_to_an_open_ticket(org, client, requester, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    client.force_login(requester.user)

    response = client.post(
        f"/meldingen/{ticket.number}/reageren/",
        {
            "body": "Hier is een foto van de foutmelding.",
            "attachment": SimpleUploadedFile("fout.pdf", b"%PDF-1.4"),
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Je reactie is toegevoegd." in page
    assert "Hier is een foto van de foutmelding." in page
    comment = ticket.comments.get()
    assert (comment.author, comment.visibility, comment.attachments.get().filename) == (
        requester,
        "public",
        "fout.pdf",
    )


def test_an_empty_reaction_is_refused_and_nothing_is_added(org, client, requester):
    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    client.force_login(requester.user)

    response = client.post(f"/meldingen/{ticket.number}/reageren/", {"body": "  "})

    assert response.status_code == 422
    assert "Schrijf een reactie." in response.content.decode()
    assert not ticket.comments.exists()


def test_the_requester_reads_the_progress_in_plain_words_without_internal_notes(
    org, client, requester, ict_agent
):
    from loket.tickets.models import Status
    from loket.tickets.services import add_comment, change_status

    ticket = factories.ticket(requester=requester, item=org.items["ICT-STORING"])
    change_status(ticket=ticket, actor=ict_agent, to=Status.WAITING_CUSTOMER)
    add_comment(ticket=ticket, actor=ict_agent, body="Interne notitie", internal=True)
    mark_resolved(ticket=ticket, actor=ict_agent, resolution="Opgelost.")
    client.force_login(requester.user)

    page = client.get(f"/meldingen/{ticket.number}/").content.decode()

    timeline = page[page.index('id="verloop"') :]
    assert (
        timeline.index("Ontvangen")
        < timeline.index("Wacht op jouw reactie")
        < timeline.index("Gereed gemeld")
    )
    assert "Interne notitie" not in page
