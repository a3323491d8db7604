"""A user's own data as one archive: gathered for export, and restored by import without loss.

The archive is what `ArchiveSchema` (api.resources.account.schemas) dumps. Import restores the
journal (parts, check-ins, questionnaire responses) into the current account and is idempotent:
- a part is matched to an existing part of the same name (case-insensitive) in the same state:
  an active one to the active part, an archived one to an archived part not matched yet; else
  created, with the archive's ids mapped to the account's for the check-ins that name it;
- a check-in or a response whose `client_id` the account already has is left as it is (a deleted
  check-in stays deleted); questionnaire answers are scored again by the server.
Profile, grants and the access log are exported for the record but not imported: importing a
grant would open access to a therapist, which only the client's own invitation may do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from bson import ObjectId
from mongoengine import NotUniqueError

from api.digests.staleness import checkins_changed
from api.domain import consent as rules
from api.domain import questionnaires as q
from api.models import AccessLog, Checkin, Consent, Part, QuestionnaireResponse, User
from api.models.checkin import ActivePart, Attachment, Emotion, Regulation, SelfEnergy
from api.resources.checkins.writing import payload_hash
from api.resources.people import people_by_id

FORMAT = "partwise-export"
VERSION = 1

#: User fields that are not the user's data: secrets and the worker's bookkeeping.
_NOT_PROFILE = {"_id", "password_hash", "next_reminder_at", "next_digest_at"}
_EMBEDDED = {"self_energy": SelfEnergy, "regulation": Regulation, "attachment": Attachment}
_KEPT = ("client_id", "payload_hash", "created_at", "updated_at")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, ObjectId):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def profile(user: User) -> dict:
    """Everything stored about the user except secrets and scheduling bookkeeping."""
    stored = user.to_mongo().to_dict()
    return {k: _plain(v) for k, v in stored.items() if k not in _NOT_PROFILE}


def gather(user: User, now: dt.datetime) -> dict:
    """The whole archive of `user`, for `ArchiveSchema` to dump."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now,
        "profile": profile(user),
        "parts": list(Part.objects(owner=user.id).order_by("created_at")),
        "checkins": list(
            Checkin.objects(owner=user.id, deleted_at=None).order_by("local_date", "recorded_at")
        ),
        "questionnaire_responses": list(
            QuestionnaireResponse.objects(owner=user.id).order_by("local_date", "recorded_at")
        ),
        "grants": _grants(user, now),
        "access_log": _access_log(user),
    }


def _grants(user: User, now: dt.datetime) -> list[dict]:
    grants = list(Consent.objects(client=user.id)) + list(Consent.objects(therapist=user.id))
    people = people_by_id([g.therapist for g in grants] + [g.client for g in grants])
    return [
        {
            "id": str(g.id),
            "client": people.get(g.client),
            "therapist": people.get(g.therapist),
            "scopes": list(g.scopes),
            "status": rules.status(g, now),
            "accepted_at": g.accepted_at,
            "ends_at": g.ends_at,
            "revoked_at": g.revoked_at,
        }
        for g in sorted(grants, key=lambda g: g.created_at)
    ]


def _access_log(user: User) -> list[dict]:
    entries = list(AccessLog.objects(client=user.id)) + list(AccessLog.objects(therapist=user.id))
    people = people_by_id([e.therapist for e in entries] + [e.client for e in entries])
    return [
        {
            "at": e.at,
            "what": e.what,
            "scopes": list(e.scopes),
            "grant_id": str(e.consent) if e.consent else None,
            "client": people.get(e.client),
            "therapist": people.get(e.therapist),
        }
        for e in sorted(entries, key=lambda e: e.at)
    ]


def archive_errors(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the schema cannot check: part references, and answers per questionnaire."""
    errors: dict[str, Any] = {}
    known = {p["id"] for p in data["parts"]}
    for index, checkin in enumerate(data["checkins"]):
        if any(p["part"] not in known for p in checkin.get("parts") or ()):
            errors.setdefault("checkins", {})[index] = {"parts": ["No such part in 'parts'."]}
    for index, response in enumerate(data["questionnaire_responses"]):
        problems = q.answer_errors(q.INSTRUMENTS[response["instrument"]], response["answers"])
        if problems:
            errors.setdefault("questionnaire_responses", {})[index] = {"answers": problems}
    return errors


@dataclass
class Counts:
    created: int = 0
    existing: int = 0


@dataclass
class ImportCounts:
    parts: Counts = field(default_factory=Counts)
    checkins: Counts = field(default_factory=Counts)
    questionnaire_responses: Counts = field(default_factory=Counts)

    def as_dict(self) -> dict:
        return asdict(self)


def restore(user: User, data: Mapping[str, Any]) -> ImportCounts:
    """Import a loaded, checked archive (see `archive_errors`) into `user`'s account."""
    counts = ImportCounts()
    part_ids = _restore_parts(user, data["parts"], counts.parts)
    _insert_new(
        Checkin,
        user,
        (_checkin(user, item, part_ids) for item in data["checkins"]),
        counts.checkins,
    )
    _insert_new(
        QuestionnaireResponse,
        user,
        (_response(user, item) for item in data["questionnaire_responses"]),
        counts.questionnaire_responses,
    )
    checkins_changed(user.id, [item.get("local_date") for item in data["checkins"]])
    return counts


def _restore_parts(user: User, parts: Iterable[dict], counts: Counts) -> dict[str, ObjectId]:
    existing = list(Part.objects(owner=user.id).order_by("created_at"))
    active = {p.name.strip().casefold(): p for p in existing if p.archived_at is None}
    archived: dict[str, list[Part]] = defaultdict(list)
    for p in existing:
        if p.archived_at is not None:
            archived[p.name.strip().casefold()].append(p)
    mapping = {}
    for item in parts:
        key = item["name"].strip().casefold()
        is_archived = item.get("archived_at") is not None
        if is_archived:
            match = archived[key].pop(0) if archived[key] else None
        else:
            match = active.get(key)
        if match is None:
            match = Part(owner=user.id, **{**_fields(item), "name": item["name"].strip()}).save()
            counts.created += 1
            if not is_archived:
                active[key] = match
        else:
            counts.existing += 1
        mapping[item["id"]] = match.id
    return mapping


def _fields(item: Mapping[str, Any]) -> dict:
    """The archive item's fields a document takes, without the archive's own id."""
    return {k: v for k, v in item.items() if k != "id" and v is not None}


def _checkin(user: User, item: Mapping[str, Any], part_ids: Mapping[str, ObjectId]) -> Checkin:
    doc = Checkin(owner=user.id, timezone=user.timezone)
    for key, value in _fields(item).items():
        if key in _EMBEDDED:
            value = _EMBEDDED[key](**value)
        elif key == "emotions":
            value = [Emotion(**e) for e in value]
        elif key == "parts":
            value = [ActivePart(**{**p, "part": part_ids[p["part"]]}) for p in value]
        setattr(doc, key, value)
    doc.payload_hash = item.get("payload_hash") or payload_hash(
        {k: v for k, v in item.items() if k not in _KEPT}
    )
    return doc


def _response(user: User, item: Mapping[str, Any]) -> QuestionnaireResponse:
    score = q.score(q.INSTRUMENTS[item["instrument"]], item["answers"])
    doc = QuestionnaireResponse(**{"owner": user.id, "timezone": user.timezone, **_fields(item)})
    doc.total, doc.band, doc.flags = score.total, score.band.key, list(score.flags)
    doc.payload_hash = item.get("payload_hash") or payload_hash(
        {k: v for k, v in item.items() if k not in _KEPT}
    )
    return doc


def _insert_new(model, user: User, docs: Iterable, counts: Counts) -> None:
    """Insert the documents whose client_id the account does not have yet."""
    docs = list(docs)
    have = set(
        model.objects(owner=user.id, client_id__in=[d.client_id for d in docs]).scalar("client_id")
    )
    for doc in docs:
        if doc.client_id in have:
            counts.existing += 1
            continue
        try:
            doc.save(force_insert=True)
        except NotUniqueError:  # imported concurrently, or twice in this archive
            counts.existing += 1
            continue
        have.add(doc.client_id)
        counts.created += 1
