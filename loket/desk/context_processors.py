"""Whether the header links to the desk: for members of a team (lazily, one query at most)."""

from django.utils.functional import SimpleLazyObject

from loket.people.selectors import actor_for


def desk_link(request):
    return {"is_desk_staff": SimpleLazyObject(lambda: actor_for(request.user).is_staff_member)}
