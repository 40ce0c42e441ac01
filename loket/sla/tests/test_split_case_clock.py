"""A case split over teams (onboarding): a team answering on its part answers the case, so the
case's response norm is not reported as missed while the teams are at work."""

from datetime import timedelta

from loket.catalog.models import CatalogItem
from loket.catalog.services import import_catalog, set_task_template
from loket.sla.models import TicketClock
from loket.tickets.models import Status
from loket.tickets.services import change_status, create_ticket
from tests import factories

NOW = factories.A_MONDAY_MORNING


def test_a_team_answering_on_its_part_answers_the_case(org, requester, ict_agent):
    import_catalog(
        data={
            "items": [factories.catalog_item_spec(code="FAC-VERHUIZING", department="FAC", name="Verhuizing")]
        }
    )
    item = CatalogItem.objects.get(code="FAC-VERHUIZING")
    set_task_template(
        item=item,
        tasks=[
            {"department": "ICT", "subject": "Werkplek ontkoppelen"},
            {"department": "FAC", "subject": "Dozen klaarzetten"},
        ],
    )
    case = create_ticket(
        requester=requester, actor=requester, subject="Verhuizing", catalog_item=item, now=NOW
    )
    part = case.children.get(department__code="ICT")

    change_status(ticket=part, actor=ict_agent, to=Status.IN_PROGRESS, now=NOW + timedelta(minutes=30))

    clock = TicketClock.objects.get(ticket=case)
    assert clock.responded_at == NOW + timedelta(minutes=30)
    assert clock.response_state == TicketClock.ResponseState.MET
