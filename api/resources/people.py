"""Who is who: the name and email shown for the other side of a grant."""

from __future__ import annotations

from collections.abc import Iterable

from bson import ObjectId

from api.models import User


def person(user: User) -> dict:
    """{"id", "display_name", "email"}: how one side of a grant sees the other."""
    return {"id": str(user.id), "display_name": user.display_name, "email": user.email}


def people_by_id(ids: Iterable[ObjectId | None]) -> dict[ObjectId, dict]:
    """{id: {"id", "display_name", "email"}} for these users, in one query (missing ones absent)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    found = User.objects(id__in=list(wanted)).only("id", "display_name", "email")
    return {u.id: person(u) for u in found}
