"""Announcements: the desk tells everyone about a known outage or planned maintenance for a
period, so that nobody needs to report what the desk already knows."""

from datetime import timedelta

import pytest

from loket.core.errors import DomainError, PermissionDenied
from loket.knowledge.models import Announcement
from loket.knowledge.selectors import current_announcements
from loket.knowledge.services import end_announcement, publish_announcement
from loket.people.selectors import actor_for
from tests import factories

NOW = factories.A_MONDAY_MORNING
Kind = Announcement.Kind


@pytest.fixture
def desk(desk_agent):
    return actor_for(desk_agent.user)


def publish(
    actor, title: str, *, kind=Kind.INFO, starts: timedelta = timedelta(hours=-1), ends=None, **kwargs
):
    """An announcement that starts `starts` from NOW and ends `ends` from NOW (None: open-ended)."""
    return publish_announcement(
        actor=actor,
        title=title,
        kind=kind,
        starts_at=NOW + starts,
        ends_at=NOW + ends if ends is not None else None,
        **kwargs,
    )


def shown(now=NOW) -> list[str]:
    return [announcement.title for announcement in current_announcements(now=now)]


# ---------------------------------------------------------------- publishing


def test_the_desk_publishes_an_outage_with_who_placed_it(org, desk, desk_agent):
    announcement = publish_announcement(
        actor=desk,
        title="  Storing e-mail  ",
        body="Mail komt vertraagd binnen. We werken eraan.",
        kind=Kind.OUTAGE,
        department=org.ict,
        starts_at=NOW,
    )

    announcement.refresh_from_db()
    assert (announcement.title, announcement.kind, announcement.department) == (
        "Storing e-mail",
        "outage",
        org.ict,
    )
    assert announcement.body == "Mail komt vertraagd binnen. We werken eraan."
    assert announcement.created_by == desk_agent
    assert shown(NOW) == ["Storing e-mail"]


def test_an_announcement_without_a_start_is_shown_from_now_on(org, desk):
    publish_announcement(actor=desk, title="Nieuwe koffieautomaat")

    assert [announcement.title for announcement in current_announcements()] == ["Nieuwe koffieautomaat"]


def test_an_employee_cannot_publish_an_announcement(org, requester):
    with pytest.raises(PermissionDenied):
        publish_announcement(actor=actor_for(requester.user), title="Iedereen vrij vandaag")

    assert not Announcement.objects.exists()


@pytest.mark.parametrize("title", ["", "   "])
def test_an_announcement_needs_a_title(org, desk, title):
    with pytest.raises(DomainError) as refused:
        publish(desk, title)

    assert (refused.value.field, refused.value.message) == ("title", "Geef de mededeling een titel.")
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(
    "ends", [timedelta(hours=-1), timedelta(hours=-2)], ids=["at-the-start", "before-the-start"]
)
def test_an_announcement_cannot_end_before_it_starts(org, desk, ends):
    with pytest.raises(DomainError) as refused:
        publish(desk, "Onderhoud", starts=timedelta(hours=-1), ends=ends)

    assert (refused.value.field, refused.value.message) == ("ends_at", "Het einde moet na het begin liggen.")
    assert not Announcement.objects.exists()


# ---------------------------------------------------------------- what is shown now


def test_only_announcements_that_have_started_and_not_ended_are_shown(org, desk):
    publish(desk, "Loopt nog", starts=timedelta(days=-1), ends=timedelta(hours=2))
    publish(desk, "Zonder einde", starts=timedelta(days=-2))
    publish(desk, "Al voorbij", starts=timedelta(days=-2), ends=timedelta(hours=-1))
    publish(desk, "Nog niet begonnen", starts=timedelta(hours=1), ends=timedelta(hours=3))

    assert shown(NOW) == ["Loopt nog", "Zonder einde"]
    assert shown(NOW + timedelta(hours=1)) == ["Nog niet begonnen", "Loopt nog", "Zonder einde"]
    assert shown(NOW + timedelta(hours=3)) == ["Zonder einde"]


def test_outages_come_first_then_maintenance_then_the_newest_news(org, desk):
    publish(desk, "Nieuw intranet", kind=Kind.INFO, starts=timedelta(minutes=-5))
    publish(desk, "Onderhoud zaaksysteem", kind=Kind.MAINTENANCE, starts=timedelta(minutes=-10))
    publish(desk, "Storing printers", kind=Kind.OUTAGE, starts=timedelta(days=-1))
    publish(desk, "Storing telefonie", kind=Kind.OUTAGE, starts=timedelta(hours=-1))
    publish(desk, "Kerstborrel", kind=Kind.INFO, starts=timedelta(days=-3))

    assert shown(NOW) == [
        "Storing telefonie",
        "Storing printers",
        "Onderhoud zaaksysteem",
        "Nieuw intranet",
        "Kerstborrel",
    ]


# ---------------------------------------------------------------- ending


def test_ending_an_announcement_takes_it_off_now_and_keeps_the_record(org, desk):
    outage = publish(desk, "Storing e-mail", kind=Kind.OUTAGE, starts=timedelta(hours=-3))
    later = NOW + timedelta(minutes=30)

    end_announcement(actor=desk, announcement=outage, now=later)

    assert shown(later) == []
    assert shown(NOW) == ["Storing e-mail"]  # it was on before it ended
    outage.refresh_from_db()
    assert outage.ends_at == later


def test_ending_shortens_a_planned_end_but_never_lengthens_a_past_one(org, desk):
    planned = publish(desk, "Onderhoud", starts=timedelta(hours=-1), ends=timedelta(hours=5))
    over = publish(desk, "Gisteren", starts=timedelta(days=-1), ends=timedelta(hours=-20))

    end_announcement(actor=desk, announcement=planned, now=NOW)
    end_announcement(actor=desk, announcement=over, now=NOW)

    planned.refresh_from_db()
    over.refresh_from_db()
    assert planned.ends_at == NOW
    assert over.ends_at == NOW - timedelta(hours=20)


def test_an_employee_cannot_end_an_announcement(org, desk, requester):
    outage = publish(desk, "Storing e-mail", kind=Kind.OUTAGE)

    with pytest.raises(PermissionDenied):
        end_announcement(actor=actor_for(requester.user), announcement=outage, now=NOW)

    assert shown(NOW) == ["Storing e-mail"]
