"""A client's parts: naming one, changing, archiving or bringing it back, and deleting it.

The rules: a part's name is stored without surrounding spaces; no two of a client's active parts
share a name (case-insensitive), while an archived part keeps its name out of the way; a part
that check-ins mention cannot be deleted, only archived (deleting it would change those
check-ins).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from bson import ObjectId

from api.models import Checkin, Part


class PartNameTaken(Exception):
    """Another of the client's active parts has this name."""

    def __init__(self, name: str):
        super().__init__(f"You already have a part called {name!r}.")
        self.name = name


class PartMentioned(Exception):
    """Check-ins mention the part: it can be archived, not deleted."""

    def __init__(self) -> None:
        super().__init__("Check-ins mention this part: archive it instead of deleting it.")


def clean_name(name: str) -> str:
    """A part's name as stored: without surrounding spaces."""
    return name.strip()


def listed(owner_id: ObjectId, include_archived: bool = False):
    """A client's parts, oldest first (archived ones only if asked)."""
    parts = Part.objects(owner=owner_id)
    if not include_archived:
        parts = parts.filter(archived_at=None)
    return parts.order_by("created_at")


def refuse_taken_name(owner_id: ObjectId, name: str, exclude_id: ObjectId | None = None) -> None:
    """Raise PartNameTaken if another active part of this client has `name` (any case)."""
    same = Part.objects(owner=owner_id, archived_at=None, name__iexact=clean_name(name))
    if exclude_id is not None:
        same = same.filter(id__ne=exclude_id)
    if same.first() is not None:
        raise PartNameTaken(clean_name(name))


def create(owner_id: ObjectId, fields: Mapping[str, Any]) -> Part:
    """Name a new part (`fields`: name, role, fears, needs, body_location, notes)."""
    refuse_taken_name(owner_id, fields["name"])
    return Part(owner=owner_id, **{**fields, "name": clean_name(fields["name"])}).save()


def change(part: Part, fields: Mapping[str, Any], now: dt.datetime) -> Part:
    """Change a part's fields; `archived` True archives it (since `now`, or since it already
    was), False brings it back. Renaming or bringing back an active part checks its name."""
    fields = dict(fields)
    archived = fields.pop("archived", None)
    if archived is not None:
        part.archived_at = (part.archived_at or now) if archived else None
    if "name" in fields:
        fields["name"] = clean_name(fields["name"])
    if part.archived_at is None and ("name" in fields or archived is False):
        refuse_taken_name(part.owner, fields.get("name", part.name), exclude_id=part.id)
    for key, value in fields.items():
        setattr(part, key, value)
    return part.save()


def delete(part: Part) -> None:
    """Delete a part named by mistake; PartMentioned if a check-in mentions it."""
    if Checkin.objects(owner=part.owner, parts__part=part.id, deleted_at=None).first():
        raise PartMentioned()
    part.delete()
