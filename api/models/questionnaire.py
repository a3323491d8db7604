"""A client's answers to a standard questionnaire, scored by the server when stored.

`client_id` is the PWA's UUID, as for check-ins: replaying it never stores a second response.
"""

from __future__ import annotations

from mongoengine import DateField, DateTimeField, IntField, ListField, ObjectIdField, StringField

from api.domain.questionnaires import ANSWER_MAX, ANSWER_MIN, INSTRUMENTS, ITEM9_POSITIVE
from api.models.base import TimestampedDocument


class QuestionnaireResponse(TimestampedDocument):
    owner = ObjectIdField(required=True)
    client_id = StringField(required=True)
    #: SHA-256 of the canonical create body: the same UUID with other answers is a conflict.
    payload_hash = StringField(required=True)
    instrument = StringField(required=True, choices=tuple(INSTRUMENTS))
    answers = ListField(IntField(min_value=ANSWER_MIN, max_value=ANSWER_MAX), required=True)
    #: PHQ-9's functional-difficulty answer (0-3), not part of the score.
    difficulty = IntField(min_value=ANSWER_MIN, max_value=ANSWER_MAX)
    total = IntField(required=True, min_value=0)
    band = StringField(required=True)
    flags = ListField(StringField(choices=(ITEM9_POSITIVE,)))
    local_date = DateField(required=True)
    recorded_at = DateTimeField(required=True)
    timezone = StringField()

    meta = {
        "collection": "questionnaire_responses",
        "indexes": [
            {"fields": ["owner", "client_id"], "unique": True},
            ("owner", "instrument", "local_date"),
        ],
    }
