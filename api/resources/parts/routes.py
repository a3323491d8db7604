"""A client's parts: create, list, read, update, archive."""

from flask.views import MethodView

from api.extensions.smorest import Blueprint, QuerySetPage, current_user
from api.models import Part
from api.models.base import utcnow
from api.resources.ownership import get_owned_or_404
from api.resources.parts.schemas import (
    PartCreateSchema,
    PartPatchSchema,
    PartQueryArgsSchema,
    PartSchema,
)
from api.resources.refusals import refused
from api.services import parts

blp = Blueprint("parts", __name__, url_prefix="/api/v1/parts", description="My inner parts.")


@blp.route("")
class Parts(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(PartQueryArgsSchema, location="query")
    @blp.response(200, PartSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=100, max_page_size=200)
    def get(self, args):
        """List my parts (archived ones only when asked)."""
        return parts.listed(current_user().id, args["include_archived"])

    @blp.login_required(role="client")
    @blp.arguments(PartCreateSchema)
    @blp.response(201, PartSchema)
    @blp.documents(409)
    def post(self, data):
        """Name a new part."""
        with refused(409, parts.PartNameTaken):
            return parts.create(current_user().id, data)


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
        part = get_owned_or_404(Part, part_id, current_user())
        with refused(409, parts.PartNameTaken):
            return parts.change(part, data, utcnow())

    @blp.login_required(role="client")
    @blp.response(204)
    @blp.documents(404, 409)
    def delete(self, part_id):
        """Delete a part named by mistake. A part that check-ins mention can only be archived."""
        part = get_owned_or_404(Part, part_id, current_user())
        with refused(409, parts.PartMentioned):
            parts.delete(part)
