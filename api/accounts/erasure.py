"""Deleting an account: every document the user owns, in every collection, at once.

Collections are addressed by name through the driver, so that collections whose models live
elsewhere (the worker's push subscriptions and deliveries) are covered whether or not their
module was imported, and every collection in the database is swept for the fields that name an
owner, so that a collection added later is not forgotten.
"""

from __future__ import annotations

import mongoengine
from bson import ObjectId

from api import db

#: The fields that name the user a document belongs to, in any collection: `owner` (journal
#: data), `user` (tokens, push subscriptions, deliveries), `client` and `therapist` (consents,
#: access log), `client` and `redeemed_by` (invitations).
OWNER_FIELDS = ("owner", "user", "client", "therapist", "redeemed_by")
#: Deleted first: without tokens no request can be made any more, without consents no
#: therapist can read. The user document goes last, so that a failure half-way can be retried.
FIRST = ("tokens", "consents", "invitations")


def erase(user_id: ObjectId) -> dict[str, int]:
    """Delete everything `user_id` owns; returns the number of documents deleted per collection.

    A therapist's reads stay in their clients' access logs, detached from the deleted account
    (therapist None): the log is the client's record of who saw their data.
    """
    database = mongoengine.get_db()
    deleted: dict[str, int] = {}
    with db.store_lock():
        database["access_log"].update_many({"therapist": user_id}, {"$set": {"therapist": None}})
        names = database.list_collection_names()
        rest = sorted(
            n for n in names if n not in (*FIRST, "users") and not n.startswith("system.")
        )
        for name in [*FIRST, *rest]:
            query = {"$or": [{field: user_id} for field in OWNER_FIELDS]}
            deleted[name] = database[name].delete_many(query).deleted_count
        deleted["users"] = database["users"].delete_one({"_id": user_id}).deleted_count
    return {name: count for name, count in deleted.items() if count}
