"""A client's grant to one therapist: which scopes, since when, until when, revoked or not.

Checked on every therapist read (`api.domain.consent` decides). At most one grant per
(client, therapist) is active: redeeming a new invitation revokes the old grant.
"""

from __future__ import annotations

from mongoengine import DateTimeField, ListField, ObjectIdField, StringField

from api.domain.consent import SCOPES
from api.models.base import TimestampedDocument

#: The longest name a therapist may give a client in their records (after trimming).
LABEL_MAX = 80


class Consent(TimestampedDocument):
    client = ObjectIdField(required=True)
    therapist = ObjectIdField(required=True)
    scopes = ListField(StringField(choices=SCOPES), required=True)
    #: When the therapist redeemed the invitation (the grant starts then).
    accepted_at = DateTimeField(required=True)
    revoked_at = DateTimeField()
    ends_at = DateTimeField()
    invitation = ObjectIdField()
    #: Stands for the client in this therapist's exports (the FHIR Patient id): the same for
    #: every grant of the pair, different for each therapist, never the account id.
    pseudonym = StringField(required=True)
    #: The name the therapist keeps the client under in their records and downloads (optional;
    #: set by the therapist, carried over like the pseudonym when a grant is replaced).
    label = StringField(max_length=LABEL_MAX)

    meta = {
        "collection": "consents",
        "indexes": [("client", "-created_at"), ("therapist", "client", "-created_at")],
    }
