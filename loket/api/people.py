"""/api/v1/people: find an employee by name, employee number or e-mail (desk staff only)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from loket.core.errors import PermissionDenied
from loket.people.selectors import actor_for, employee_search

from .schemas import Error, Person, Text

router = Router(tags=["people"])


class PeopleFilters(Schema):
    q: Text = Field(..., min_length=1, max_length=100, description="Name, employee number or e-mail.")
    limit: int = Field(20, ge=1, le=50)


class PeoplePage(Schema):
    items: list[Person]


@router.get(
    "/people",
    response={200: PeoplePage, 400: Error, 401: Error, 403: Error, 422: Error},
    summary="Find employees",
)
def search_people(request, filters: Query[PeopleFilters]):
    if not actor_for(request.user).is_staff_member:
        raise PermissionDenied(
            _("Alleen medewerkers van de servicedesk en de vakafdelingen kunnen personen opzoeken.")
        )
    people = employee_search(query=filters.q, limit=filters.limit)
    return {
        "items": [
            {
                "employee_number": person.employee_number,
                "name": person.full_name,
                "first_name": person.first_name,
                "last_name": person.last_name,
                "email": person.email,
                "phone": person.phone,
                "unit": person.unit.name if person.unit_id else None,
                "location": str(person.location) if person.location_id else None,
            }
            for person in people
        ]
    }
