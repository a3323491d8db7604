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
from enum import StrEnum

import bson
from marshmallow import ValidationError
from mongoengine import NotUniqueError

from api.digests.staleness import checkins_changed
from api.domain.local_time import possible_local_days
from api.models import Checkin, Part, User
from api.models.base import utcnow
from api.models.checkin import ActivePart, Attachment, Emotion, Regulation, SelfEnergy

#: A clock a little ahead on the phone is normal; a check-in from tomorrow is not.
FUTURE_SKEW = dt.timedelta(minutes=10)


def check_local_date(local_date: dt.date, recorded_at: dt.datetime | None) -> None:
    """A local date must be a day on which `recorded_at` falls in some time zone."""
    if recorded_at is None:
        return
    earliest, latest = possible_local_days(recorded_at)
    if not earliest <= local_date <= latest:
        raise ValidationError(
            "local_date is not a day on which recorded_at falls in any time zone.", "local_date"
        )


def check_local_date_has_begun(local_date: dt.date) -> None:
    """A day written down now (no recorded_at) may lie in the past, never in the future."""
    if local_date > possible_local_days(utcnow())[1]:
        raise ValidationError("local_date is a day that has not begun yet.", "local_date")


_EMBEDDED = {"self_energy": SelfEnergy, "regulation": Regulation, "attachment": Attachment}


class Written(StrEnum):
    """What became of a check-in (or a questionnaire response) sent to be stored."""

    #: Stored now.
    CREATED = "created"
    #: Stored before with the same body (a replay): the stored one.
    REPLAYED = "replayed"
    #: Another body with the same client_id is stored: the stored one stays.
    CONFLICT = "conflict"
    #: It was deleted: a replay does not bring it back.
    DELETED = "deleted"
    #: Refused: see the errors.
    INVALID = "invalid"


#: The outcomes that hand back a stored check-in.
STORED = frozenset({Written.CREATED, Written.REPLAYED})


@dataclass
class Outcome:
    result: Written
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
        return invalid(err)
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
    return Outcome(Written.CREATED, doc)


def invalid(error: ValidationError) -> Outcome:
    """The outcome of a check-in refused as invalid (by `create` or by its schema)."""
    return Outcome(
        Written.INVALID, message="Some fields are invalid.", errors=error.normalized_messages()
    )


def _replay(existing: Checkin, digest: str) -> Outcome:
    if existing.deleted_at is not None:
        return Outcome(
            Written.DELETED, message="This check-in was deleted; it is not created again."
        )
    if existing.payload_hash != digest:
        message = "Another check-in with this client_id is already stored."
        return Outcome(Written.CONFLICT, existing, message)
    return Outcome(Written.REPLAYED, existing)


def correct(doc: Checkin, data: dict, owned_parts: set[str]) -> Checkin:
    """Apply a PATCH; raises ValidationError when the result is not a valid check-in."""
    _check_parts(data, owned_parts)
    if "recorded_at" in data:
        _check_not_future(data["recorded_at"])
        if "local_date" not in data:
            data["local_date"] = _local_date(data["recorded_at"], doc.timezone or "UTC")
    elif "local_date" in data:
        # The schema checked the pair when both came; here the stored time is the other half.
        check_local_date(data["local_date"], doc.recorded_at)
    was_dated = doc.local_date
    _apply(doc, data)
    if not doc.has_an_answer():
        raise ValidationError("A check-in needs at least one answer.", "_schema")
    saved = doc.save()
    checkins_changed(doc.owner, [was_dated, doc.local_date])
    return saved


def delete(doc: Checkin) -> None:
    """Delete a check-in's content, keeping a tombstone: a replay of it is DELETED."""
    tombstone = {"owner", "client_id", "payload_hash", "created_at", "id"}
    was_dated = doc.local_date
    for name in doc._fields:
        if name not in tombstone:
            setattr(doc, name, None)
    doc.deleted_at = doc.updated_at = utcnow()
    doc.save(validate=False)
    checkins_changed(doc.owner, [was_dated])
