"""Loading a document the current user owns: anything else is a 404, never a 403."""

from __future__ import annotations

import bson
from flask_smorest import abort


def get_owned_or_404(model, doc_id: str, owner, **filters):
    """The `model` document with this id owned by `owner`, or abort 404 (also for a bad id)."""
    if not bson.ObjectId.is_valid(doc_id):
        abort(404, message=f"No such {model.__name__.lower()}.")
    doc = model.objects(id=doc_id, owner=owner.id, **filters).first()
    if doc is None:
        abort(404, message=f"No such {model.__name__.lower()}.")
    return doc
