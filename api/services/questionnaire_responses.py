"""Storing a questionnaire response: scored on the server, idempotent like check-ins.

The unique index on `(owner, client_id)` decides: the first write wins, a replay of the same
answers gets the stored response back (replayed), the same UUID with other answers is a conflict.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass

from mongoengine import NotUniqueError

from api.domain import questionnaires as q
from api.models import QuestionnaireResponse, User
from api.models.base import utcnow
from api.services.checkins import FUTURE_SKEW, Written, payload_hash


@dataclass
class Outcome:
    result: Written  # created, replayed or conflict
    score: q.Score
    response: QuestionnaireResponse


def input_errors(instrument: q.Instrument, data: dict) -> dict[str, list[str]]:
    """What the schema cannot know: the item count, and questions this instrument lacks."""
    errors = {}
    if problems := q.answer_errors(instrument, data["answers"]):
        errors["answers"] = problems
    if data.get("difficulty") is not None and instrument.difficulty_question is None:
        errors["difficulty"] = [f"The {instrument.title} has no difficulty question."]
    recorded_at = data.get("recorded_at")
    if recorded_at is not None and recorded_at > utcnow() + FUTURE_SKEW:
        errors["recorded_at"] = ["This time is in the future."]
    return errors


def create(user: User, instrument: q.Instrument, data: dict) -> Outcome:
    """Score and store validated answers (see `input_errors`), or find the stored replay."""
    data = {k: v for k, v in data.items() if v is not None}
    client_id = str(data.pop("client_id"))
    digest = payload_hash({**data, "instrument": instrument.id})
    score = q.score(instrument, data["answers"])
    recorded_at = data.get("recorded_at") or utcnow()
    doc = QuestionnaireResponse(
        owner=user.id,
        client_id=client_id,
        payload_hash=digest,
        instrument=instrument.id,
        answers=data["answers"],
        difficulty=data.get("difficulty"),
        total=score.total,
        band=score.band.key,
        flags=list(score.flags),
        recorded_at=recorded_at,
        timezone=user.timezone,
        local_date=data.get("local_date")
        or recorded_at.astimezone(zoneinfo.ZoneInfo(user.timezone)).date(),
    )
    try:
        doc.save(force_insert=True)
    except NotUniqueError:  # stored before: by an earlier replay, or a concurrent one
        existing = QuestionnaireResponse.objects.get(owner=user.id, client_id=client_id)
        result = Written.REPLAYED if existing.payload_hash == digest else Written.CONFLICT
        return Outcome(result, score, existing)
    return Outcome(Written.CREATED, score, doc)
