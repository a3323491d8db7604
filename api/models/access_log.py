"""Every therapist read of a client's data: who, what, when, under which grant; the client sees it.

One document per read, written by `api.resources.therapist.access` and nowhere else.
"""

from __future__ import annotations

from mongoengine import DateTimeField, Document, ListField, ObjectIdField, StringField

from api.domain.consent import READS, SCOPES
from api.models.base import utcnow


class AccessLog(Document):
    client = ObjectIdField(required=True)
    #: None once the therapist deleted their account: the client keeps the record of the read.
    therapist = ObjectIdField()
    consent = ObjectIdField()
    #: The kind of read: a key of `api.domain.consent.READS` ("weekly_trends", "export.csv", ...).
    what = StringField(required=True, choices=tuple(READS))
    #: The granted scopes the read drew on (an export can draw on two).
    scopes = ListField(StringField(choices=SCOPES))
    at = DateTimeField(required=True, default=utcnow)

    meta = {
        "collection": "access_log",
        "indexes": [("client", "-at"), ("client", "therapist", "-at"), "therapist"],
    }
