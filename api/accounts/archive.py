"""A user's own data as one archive: gathered for export, and restored by import without loss.

The archive is what `ArchiveSchema` (api.resources.account.schemas) dumps. Import restores the
journal (parts, check-ins, questionnaire responses) into the current account, all of it or
nothing, and is idempotent:
- a part is matched to a part of the account with the same name (case-insensitive, the exact
  name first) in the same state, active or archived, that no other part of the archive matched;
  else created, with the archive's ids mapped to the account's for the check-ins that name it;
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
from mongoengine import ValidationError as MongoValidationError

from api import db
from api.accounts import erasure, insertion
from api.digests.staleness import checkins_changed
from api.domain import consent as rules
from api.domain import questionnaires as q
from api.models import AccessLog, Checkin, Consent, Part, QuestionnaireResponse, User
from api.models.checkin import ActivePart, Attachment, Emotion, Regulation, SelfEnergy
from api.resources.people import people_by_id
from api.services import questionnaire_responses
from api.services.checkins import payload_hash

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
        instrument = q.INSTRUMENTS[response["instrument"]]
        if problems := questionnaire_responses.input_errors(instrument, response):
            errors.setdefault("questionnaire_responses", {})[index] = problems
    return errors


class InvalidArchive(ValueError):
    """Items the schema let through but a document refuses, by kind and index: nothing written."""

    def __init__(self, errors: dict[str, Any]):
        super().__init__("invalid archive")
        self.errors = errors


class AccountGone(RuntimeError):
    """The account was deleted while its import ran: nothing of the import is kept."""


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


#: What an import writes, in this order (check-ins name the parts written before them).
_KINDS = (
    ("parts", Part),
    ("checkins", Checkin),
    ("questionnaire_responses", QuestionnaireResponse),
)


def restore(user: User, data: Mapping[str, Any]) -> ImportCounts:
    """Import a loaded, checked archive (see `archive_errors`) into `user`'s account: all of it,
    or on any error nothing.

    Every document is built and validated before the first write (InvalidArchive: nothing is
    written). The writes let other requests use the embedded store between runs of them; if one
    fails, or the account is deleted meanwhile (AccountGone), what this import wrote is removed.
    """
    counts = ImportCounts()
    existing = list(Part.objects(owner=user.id).order_by("created_at"))
    stored = {
        "checkins": set(Checkin.objects(owner=user.id).scalar("client_id")),
        "questionnaire_responses": set(
            QuestionnaireResponse.objects(owner=user.id).scalar("client_id")
        ),
    }
    with db.store_released():  # building and checking thousands of documents needs no store
        documents = _documents(user, data, existing, stored, counts)
    _write(user, documents, counts)
    checkins_changed(user.id, [item.get("local_date") for item in data["checkins"]])
    return counts


def _documents(
    user: User,
    data: Mapping[str, Any],
    existing: list[Part],
    stored: Mapping[str, set[str]],
    counts: ImportCounts,
) -> dict[str, list[dict]]:
    """Per kind, the new documents as stored (raw), all valid; the rest counted as existing."""
    matches = _match_parts(existing, data["parts"])
    built: dict[str, dict[int, Any]] = {"parts": {}, "checkins": {}, "questionnaire_responses": {}}
    part_ids = {}
    for index, (item, match) in enumerate(zip(data["parts"], matches, strict=True)):
        if match is None:
            match = built["parts"][index] = _part(user, item)
        part_ids[item["id"]] = match.id
    for index, item in enumerate(data["checkins"]):
        built["checkins"][index] = _checkin(user, item, part_ids)
    for index, item in enumerate(data["questionnaire_responses"]):
        built["questionnaire_responses"][index] = _response(user, item)
    if errors := _model_errors(built):
        raise InvalidArchive(errors)
    counts.parts.existing = len(data["parts"]) - len(built["parts"])
    documents = {"parts": [doc.to_mongo() for doc in built["parts"].values()]}
    for kind in ("checkins", "questionnaire_responses"):
        seen = set(stored[kind])
        documents[kind] = []
        for doc in built[kind].values():
            if doc.client_id in seen:
                getattr(counts, kind).existing += 1  # left as it is (a deleted one stays so)
            else:
                seen.add(doc.client_id)
                documents[kind].append(doc.to_mongo())
    return documents


def _model_errors(built: Mapping[str, Mapping[int, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    for kind, docs in built.items():
        for index, doc in docs.items():
            try:
                doc.validate()
            except MongoValidationError as error:
                found = {name: [str(message)] for name, message in error.to_dict().items()}
                errors.setdefault(kind, {})[index] = found
    return errors


def _write(user: User, documents: Mapping[str, list[dict]], counts: ImportCounts) -> None:
    """Insert the documents; on any failure take back everything this import wrote."""
    pacer = insertion.Pacer()
    tried: dict[str, list[ObjectId]] = {kind: [] for kind, _model in _KINDS}
    try:
        for kind, model in _KINDS:
            collection = model._get_collection()
            created = insertion.insert_new(collection, documents[kind], tried[kind], pacer)
            getattr(counts, kind).created = created
            getattr(counts, kind).existing += len(documents[kind]) - created  # written meanwhile
        if not User.objects(id=user.id).only("id").first():
            erasure.erase(user.id)  # what the deletion did not find, written after it
            raise AccountGone()
    except BaseException:
        for kind, model in reversed(_KINDS):
            insertion.remove(model._get_collection(), user.id, tried[kind], pacer)
        raise


def _match_parts(existing: list[Part], parts: Iterable[dict]) -> list[Part | None]:
    """For each archive part, the account's part it is, or None (to be created).

    A part matches a part of the account in the same state (active or archived) with the same
    name up to case, the exact name first; each part of the account matches once at most, so
    two parts of an archive stay two.
    """
    free: dict[tuple[str, bool], list[Part]] = defaultdict(list)
    for part in existing:
        free[_key(part.name), part.archived_at is not None].append(part)
    matches: list[Part | None] = []
    for item in parts:
        candidates = free[_key(item["name"]), item.get("archived_at") is not None]
        exact = [p for p in candidates if p.name == item["name"].strip()]
        match = (exact or candidates or [None])[0]
        if match is not None:
            candidates.remove(match)
        matches.append(match)
    return matches


def _key(name: str) -> str:
    return name.strip().casefold()


def _fields(item: Mapping[str, Any]) -> dict:
    """The archive item's fields a document takes, without the archive's own id."""
    return {k: v for k, v in item.items() if k != "id" and v is not None}


def _part(user: User, item: Mapping[str, Any]) -> Part:
    return Part(id=ObjectId(), owner=user.id, **{**_fields(item), "name": item["name"].strip()})


def _checkin(user: User, item: Mapping[str, Any], part_ids: Mapping[str, ObjectId]) -> Checkin:
    doc = Checkin(id=ObjectId(), owner=user.id, timezone=user.timezone)
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
    doc = QuestionnaireResponse(
        **{"id": ObjectId(), "owner": user.id, "timezone": user.timezone, **_fields(item)}
    )
    doc.total, doc.band, doc.flags = score.total, score.band.key, list(score.flags)
    doc.payload_hash = item.get("payload_hash") or payload_hash(
        {k: v for k, v in item.items() if k not in _KEPT}
    )
    return doc
