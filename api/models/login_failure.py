"""Failed password attempts for one key (an account, or an account from one address)."""

from __future__ import annotations

from mongoengine import DateTimeField, Document, IntField, ObjectIdField, StringField


class LoginFailures(Document):
    #: SHA-256 of what is counted ("account:<email>", "pair:<email>|<address>"): no email or
    #: address is stored in the clear.
    key = StringField(primary_key=True)
    #: The account tried, when there is one (so that deleting it deletes this too).
    user = ObjectIdField()
    failures = IntField(required=True, default=0)
    #: No attempt for this key is weighed before this time (the growing delay).
    wait_until = DateTimeField()
    last_at = DateTimeField(required=True)

    meta = {
        "collection": "login_failures",
        # MongoDB forgets a key a day after its last failure (the guard does too, in code).
        "indexes": ["user", {"fields": ["last_at"], "expireAfterSeconds": 86400}],
    }
