"""Key rotation: re-encrypt every sealed field that another key than the primary sealed."""

from __future__ import annotations

from api import crypto, db
from api.models import Checkin, Part
from api.models.fields import EncryptedStringField

_BATCH = 500


def _encrypted_fields(model) -> list[EncryptedStringField]:
    return [f for f in model._fields.values() if isinstance(f, EncryptedStringField)]


def rotate(model) -> int:
    """Re-seal `model`'s encrypted fields under the primary key; returns documents changed."""
    primary = crypto.keyring().primary
    encrypted = _encrypted_fields(model)
    stale = {
        "$or": [
            {f"{f.db_field}.enc": {"$exists": True, "$not": {"$regex": f"^pw1:{primary}:"}}}
            for f in encrypted
        ]
    }
    changed = 0
    with db.store_lock():
        collection = model._get_collection()
        ids = [doc["_id"] for doc in collection.find(stale, {"_id": 1})]
    for start in range(0, len(ids), _BATCH):
        with db.store_lock():
            for doc in model.objects(id__in=ids[start : start + _BATCH]):
                updates = {f"set__{f.name}": getattr(doc, f.name) for f in encrypted}
                model.objects(id=doc.id).update_one(**updates)
                changed += 1
    return changed


def rotate_all() -> dict[str, int]:
    return {m._get_collection_name(): rotate(m) for m in (Part, Checkin)}
