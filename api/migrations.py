"""Start-up migrations: every collection's indexes, then pending data migrations, once each.

Idempotent and safe with several processes starting at once: index creation is a no-op when an
index exists, and each data migration is claimed by inserting its id into the `migrations`
collection (unique `_id`), so exactly one process applies it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import mongoengine
from mongoengine.base import get_document
from pymongo.errors import DuplicateKeyError

from api import db
from api.models.base import utcnow

#: An index that an earlier version made and that (owner, week) unique serves as well (the
#: listing's newest-first sort walks that index backwards): every digest write kept it up to date.
REDUNDANT_DIGEST_INDEX = "owner_1_week_-1"


def _drop_redundant_digest_index() -> None:
    collection = mongoengine.get_db()["digests"]
    with db.store_lock():
        if REDUNDANT_DIGEST_INDEX in collection.index_information():
            collection.drop_index(REDUNDANT_DIGEST_INDEX)


#: Data migrations, in order: (id, what it does, function). Ids are never reused or reordered.
MIGRATIONS: list[tuple[str, str, Callable[[], None]]] = [
    (
        "0001-drop-redundant-digest-index",
        "drop digests (owner, -week): the unique (owner, week) index serves the same reads",
        _drop_redundant_digest_index,
    ),
]


def documents() -> list[type[mongoengine.Document]]:
    """Every concrete document class the application defines (the delivery log included)."""
    from mongoengine.base.common import _document_registry

    import api.models  # noqa: F401 - registers every document

    classes = []
    for name in sorted(_document_registry):
        cls = get_document(name)
        if issubclass(cls, mongoengine.Document) and not cls._meta.get("abstract"):
            classes.append(cls)
    return classes


def ensure_indexes() -> list[str]:
    """Create every document's indexes; returns the collections touched."""
    names = []
    for cls in documents():
        with db.store_lock():
            cls.ensure_indexes()
        names.append(cls._get_collection_name())
    return names


def apply_pending() -> list[str]:
    """Apply the data migrations no process has applied yet; returns their ids."""
    applied = []
    collection = mongoengine.get_db()["migrations"]
    for migration_id, description, function in MIGRATIONS:
        try:
            with db.store_lock():
                collection.insert_one(
                    {"_id": migration_id, "description": description, "started_at": utcnow()}
                )
        except DuplicateKeyError:
            continue  # applied, or being applied, by another process
        function()
        with db.store_lock():
            collection.update_one({"_id": migration_id}, {"$set": {"finished_at": utcnow()}})
        applied.append(migration_id)
    return applied


def migrate() -> Iterator[str]:
    """Indexes, then data migrations; yields a line about each step."""
    collections = ensure_indexes()
    yield f"indexes ensured on {len(collections)} collections: {', '.join(collections)}"
    applied = apply_pending()
    yield f"data migrations applied: {', '.join(applied) or 'none pending'}"


def migrate_from_environment() -> list[str]:
    """Connect with the environment's settings and migrate (gunicorn's on_starting hook)."""
    from api import config

    settings = config.Settings.load()
    db.connect(settings.mongodb_uri, settings.mongodb_db)
    try:
        return list(migrate())
    finally:
        mongoengine.disconnect()
