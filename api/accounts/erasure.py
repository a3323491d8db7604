"""Deleting an account: every document the user owns, in every collection, at once.

Collections are addressed by name through the driver, and every collection in the database is
swept, so that a collection added later is not forgotten. A collection with a model is searched
only on the owner fields that model has (each of them indexed), so that erasing one account
never scans the large collections; any other collection on every field that names an owner.
"""

from __future__ import annotations

import mongoengine
from bson import ObjectId

from api import db, migrations

#: The fields that name the user a document belongs to, in any collection: `owner` (journal
#: data), `user` (tokens, push subscriptions, deliveries), `client` and `therapist` (consents,
#: access log), `client` and `redeemed_by` (invitations).
OWNER_FIELDS = ("owner", "user", "client", "therapist", "redeemed_by")
#: Deleted first: without tokens no request can be made any more, without consents no
#: therapist can read. The user document goes last, so that a failure half-way can be retried.
FIRST = ("tokens", "consents", "invitations")


def owner_fields() -> dict[str, tuple[str, ...]]:
    """Per collection with a model, the fields of OWNER_FIELDS its documents have."""
    found: dict[str, tuple[str, ...]] = {}
    for cls in migrations.documents():
        stored = {field.db_field for field in cls._fields.values()}
        found[cls._get_collection_name()] = tuple(f for f in OWNER_FIELDS if f in stored)
    return found


def erase(user_id: ObjectId) -> dict[str, int]:
    """Delete everything `user_id` owns; returns the number of documents deleted per collection.

    A therapist's reads stay in their clients' access logs, detached from the deleted account
    (therapist None): the log is the client's record of who saw their data.
    """
    database = mongoengine.get_db()
    known = owner_fields()
    deleted: dict[str, int] = {}
    with db.store_lock():
        database["access_log"].update_many({"therapist": user_id}, {"$set": {"therapist": None}})
        names = database.list_collection_names()
        rest = sorted(
            n for n in names if n not in (*FIRST, "users") and not n.startswith("system.")
        )
        for name in [*FIRST, *rest]:
            fields = known.get(name, OWNER_FIELDS)
            if fields:
                query = {"$or": [{field: user_id} for field in fields]}
                deleted[name] = database[name].delete_many(query).deleted_count
        deleted["users"] = database["users"].delete_one({"_id": user_id}).deleted_count
    return {name: count for name, count in deleted.items() if count}
