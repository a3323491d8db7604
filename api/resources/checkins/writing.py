"""Writing check-ins: idempotent creation (one or a batch), corrections and deletion.

Offline replay can send the same check-in twice, or twice at once. The unique index on
`(owner, client_id)` decides: the first write wins, a replay with the same body gets the stored
check-in back, the same UUID with a different body is a conflict, and a deleted check-in stays
deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from dataclasses import dataclass, field

import bson
from marshmallow import ValidationError
from mongoengine import NotUniqueError

from api.digests.staleness import checkins_changed
from api.models import Checkin, Part, User
from api.models.base import utcnow
from api.models.checkin import ActivePart, Attachment, Emotion, Regulation, SelfEnergy
from api.resources.checkins.schemas import CheckinPatchSchema

#: A clock a little ahead on the phone is normal; a check-in from tomorrow is not.
FUTURE_SKEW = dt.timedelta(minutes=10)

_EMBEDDED = {"self_energy": SelfEnergy, "regulation": Regulation, "attachment": Attachment}


@dataclass
class Outcome:
    status: int  # 201 created, 200 replayed, 409 conflict, 410 deleted, 422 invalid
    checkin: Checkin | None = None
    message: str = ""
    errors: dict = field(default_factory=dict)


def payload_hash(data: dict) -> str:
    """SHA-256 of the validated create body, independent of key order and number spelling."""
    canonical = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def owned_part_ids(user: User) -> set[str]:
    return {str(pid) for pid in Part.objects(owner=user.id).scalar("id")}


def _check_parts(data: dict, owned: set[str]) -> None:
    bad = {
        i: {"part": ["No such part of yours."]}
        for i, item in enumerate(data.get("parts") or [])
        if item["part"] not in owned
    }
    if bad:
        raise ValidationError({"parts": bad})


def _local_date(recorded_at: dt.datetime, timezone: str) -> dt.date:
    return recorded_at.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def _apply(doc: Checkin, data: dict) -> None:
    """Set the answers in `data` on `doc` (None clears one)."""
    for key, value in data.items():
        if key in _EMBEDDED:
            value = _EMBEDDED[key](**value) if value else None
        elif key == "emotions":
            value = [Emotion(name=e["name"].strip(), intensity=e.get("intensity")) for e in value]
        elif key == "parts":
            value = [ActivePart(**{**p, "part": bson.ObjectId(p["part"])}) for p in value]
        setattr(doc, key, value)


def _check_not_future(recorded_at: dt.datetime) -> None:
    if recorded_at > utcnow() + FUTURE_SKEW:
        raise ValidationError({"recorded_at": ["This time is in the future."]})


def create(user: User, data: dict, owned_parts: set[str]) -> Outcome:
    """Create a check-in from a validated create body, or replay a stored one.

    Insert first and let the unique index find replays: a new check-in, the common case, costs
    one write and no read.
    """
    data = dict(data)
    client_id = str(data.pop("client_id"))
    digest = payload_hash(data)
    try:
        _check_parts(data, owned_parts)
        recorded_at = data.pop("recorded_at", None) or utcnow()
        _check_not_future(recorded_at)
    except ValidationError as err:
        return Outcome(422, message="Some fields are invalid.", errors=err.normalized_messages())
    doc = Checkin(
        owner=user.id,
        client_id=client_id,
        payload_hash=digest,
        recorded_at=recorded_at,
        timezone=user.timezone,
        local_date=data.pop("local_date", None) or _local_date(recorded_at, user.timezone),
    )
    _apply(doc, data)
    try:
        doc.save(force_insert=True)
    except NotUniqueError:  # stored before: by an earlier replay, or a concurrent one
        return _replay(Checkin.objects.get(owner=user.id, client_id=client_id), digest)
    checkins_changed(user.id, [doc.local_date])  # a missed day filled in: digests built since
    return Outcome(201, doc)


def _replay(existing: Checkin, digest: str) -> Outcome:
    if existing.deleted_at is not None:
        return Outcome(410, message="This check-in was deleted; it is not created again.")
    if existing.payload_hash != digest:
        return Outcome(409, existing, "Another check-in with this client_id is already stored.")
    return Outcome(200, existing)


def correct(doc: Checkin, data: dict, owned_parts: set[str]) -> Checkin:
    """Apply a PATCH; raises ValidationError when the result is not a valid check-in."""
    _check_parts(data, owned_parts)
    if "recorded_at" in data:
        _check_not_future(data["recorded_at"])
        if "local_date" not in data:
            data["local_date"] = _local_date(data["recorded_at"], doc.timezone or "UTC")
    elif "local_date" in data:
        # The schema checked the pair when both came; here the stored time is the other half.
        CheckinPatchSchema().validate_local_date(data["local_date"], doc.recorded_at)
    was_dated = doc.local_date
    _apply(doc, data)
    if not doc.has_an_answer():
        raise ValidationError("A check-in needs at least one answer.", "_schema")
    saved = doc.save()
    checkins_changed(doc.owner, [was_dated, doc.local_date])
    return saved


def delete(doc: Checkin) -> None:
    """Delete a check-in's content, keeping a tombstone that makes replays answer 410."""
    tombstone = {"owner", "client_id", "payload_hash", "created_at", "id"}
    was_dated = doc.local_date
    for name in doc._fields:
        if name not in tombstone:
            setattr(doc, name, None)
    doc.deleted_at = doc.updated_at = utcnow()
    doc.save(validate=False)
    checkins_changed(doc.owner, [was_dated])
