"""A client's parts: create, list, read, update, archive."""

from flask.views import MethodView
from flask_smorest import abort

from api.extensions.smorest import Blueprint, QuerySetPage, current_user
from api.models import Checkin, Part
from api.models.base import utcnow
from api.resources.ownership import get_owned_or_404
from api.resources.parts.schemas import (
    PartCreateSchema,
    PartPatchSchema,
    PartQueryArgsSchema,
    PartSchema,
)

blp = Blueprint("parts", __name__, url_prefix="/api/v1/parts", description="My inner parts.")


def _refuse_duplicate_name(user, name: str, exclude_id=None) -> None:
    same = Part.objects(owner=user.id, archived_at=None, name__iexact=name.strip())
    if exclude_id is not None:
        same = same.filter(id__ne=exclude_id)
    if same.first() is not None:
        abort(409, message=f"You already have a part called {name.strip()!r}.")


@blp.route("")
class Parts(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(PartQueryArgsSchema, location="query")
    @blp.response(200, PartSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=100, max_page_size=200)
    def get(self, args):
        """List my parts (archived ones only when asked)."""
        parts = Part.objects(owner=current_user().id)
        if not args["include_archived"]:
            parts = parts.filter(archived_at=None)
        return parts.order_by("created_at")

    @blp.login_required(role="client")
    @blp.arguments(PartCreateSchema)
    @blp.response(201, PartSchema)
    @blp.documents(409)
    def post(self, data):
        """Name a new part."""
        user = current_user()
        _refuse_duplicate_name(user, data["name"])
        return Part(owner=user.id, **{**data, "name": data["name"].strip()}).save()


@blp.route("/<part_id>")
class PartById(MethodView):
    @blp.login_required(role="client")
    @blp.response(200, PartSchema)
    @blp.documents(404)
    def get(self, part_id):
        """One of my parts."""
        return get_owned_or_404(Part, part_id, current_user())

    @blp.login_required(role="client")
    @blp.arguments(PartPatchSchema)
    @blp.response(200, PartSchema)
    @blp.documents(404, 409)
    def patch(self, data, part_id):
        """Change a part, archive it (`archived: true`) or bring it back."""
        user = current_user()
        part = get_owned_or_404(Part, part_id, user)
        archived = data.pop("archived", None)
        if archived is not None:
            part.archived_at = (part.archived_at or utcnow()) if archived else None
        if "name" in data:
            data["name"] = data["name"].strip()
        if part.archived_at is None and ("name" in data or archived is False):
            _refuse_duplicate_name(user, data.get("name", part.name), exclude_id=part.id)
        for key, value in data.items():
            setattr(part, key, value)
        return part.save()

    @blp.login_required(role="client")
    @blp.response(204)
    @blp.documents(404, 409)
    def delete(self, part_id):
        """Delete a part named by mistake. A part that check-ins mention can only be archived."""
        part = get_owned_or_404(Part, part_id, current_user())
        if Checkin.objects(owner=part.owner, parts__part=part.id, deleted_at=None).first():
            abort(409, message="Check-ins mention this part: archive it instead of deleting it.")
        part.delete()
