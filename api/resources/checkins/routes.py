"""Daily check-ins: create (idempotent, also in batches), list, read, correct, delete."""

from flask import url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from api.extensions.smorest import Blueprint, QuerySetPage, current_user
from api.models import Checkin
from api.resources.checkins.schemas import (
    CheckinBatchResponseSchema,
    CheckinBatchSchema,
    CheckinCreateSchema,
    CheckinPatchSchema,
    CheckinQueryArgsSchema,
    CheckinSchema,
)
from api.resources.ownership import get_owned_or_404
from api.services import checkins
from api.services.checkins import Written

blp = Blueprint("checkins", __name__, url_prefix="/api/v1/checkins", description="Daily check-ins.")


#: The HTTP status of each outcome, also per item of a batch.
STATUS = {
    Written.CREATED: 201,
    Written.REPLAYED: 200,
    Written.CONFLICT: 409,
    Written.DELETED: 410,
    Written.INVALID: 422,
}


def _abort_for(outcome: checkins.Outcome):
    kwargs = {"errors": {"json": outcome.errors}} if outcome.errors else {}
    abort(STATUS[outcome.result], message=outcome.message, **kwargs)


@blp.route("")
class Checkins(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(CheckinQueryArgsSchema, location="query")
    @blp.response(200, CheckinSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=50, max_page_size=200)
    def get(self, args):
        """List my check-ins, newest first, optionally between two local dates."""
        query = Checkin.objects(owner=current_user().id, deleted_at=None)
        if args.get("date_from"):
            query = query.filter(local_date__gte=args["date_from"])
        if args.get("date_to"):
            query = query.filter(local_date__lte=args["date_to"])
        return query.order_by("-local_date", "-recorded_at")

    @blp.login_required(role="client")
    @blp.arguments(CheckinCreateSchema)
    @blp.response(201, CheckinSchema)
    @blp.alt_response(200, schema=CheckinSchema, description="Already stored: a replay.")
    @blp.documents(409, 410)
    def post(self, data):
        """Record a check-in. Posting the same client_id again returns the stored one."""
        user = current_user()
        outcome = checkins.create(user, data, checkins.owned_part_ids(user))
        if outcome.result not in checkins.STORED:
            _abort_for(outcome)
        location = url_for("checkins.CheckinById", checkin_id=str(outcome.checkin.id))
        return outcome.checkin, STATUS[outcome.result], {"Location": location}


@blp.route("/batch")
class CheckinBatch(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(CheckinBatchSchema)
    @blp.response(200, CheckinBatchResponseSchema)
    def post(self, data):
        """Replay up to 100 check-ins (the offline queue); each item gets its own status."""
        user = current_user()
        owned = checkins.owned_part_ids(user)
        schema = CheckinCreateSchema()
        results = []
        for index, item in enumerate(data["checkins"]):
            client_id = item.get("client_id") if isinstance(item, dict) else None
            client_id = client_id if isinstance(client_id, str) else None
            try:
                if not isinstance(item, dict):
                    raise ValidationError("Each check-in must be a JSON object.", "_schema")
                outcome = checkins.create(user, schema.load(item), owned)
            except ValidationError as err:
                outcome = checkins.invalid(err)
            result = {"index": index, "client_id": client_id, "status": STATUS[outcome.result]}
            if outcome.checkin is not None and outcome.result in checkins.STORED:
                result["checkin"] = outcome.checkin
            if outcome.message:
                result["message"] = outcome.message
            if outcome.errors:
                result["errors"] = outcome.errors
            results.append(result)
        return {"results": results}


@blp.route("/<checkin_id>")
class CheckinById(MethodView):
    @blp.login_required(role="client")
    @blp.response(200, CheckinSchema)
    @blp.documents(404)
    def get(self, checkin_id):
        """One of my check-ins."""
        return get_owned_or_404(Checkin, checkin_id, current_user(), deleted_at=None)

    @blp.login_required(role="client")
    @blp.arguments(CheckinPatchSchema)
    @blp.response(200, CheckinSchema)
    @blp.documents(404)
    def patch(self, data, checkin_id):
        """Correct a check-in: send only what changes; null clears an answer."""
        user = current_user()
        doc = get_owned_or_404(Checkin, checkin_id, user, deleted_at=None)
        try:
            return checkins.correct(doc, data, checkins.owned_part_ids(user))
        except ValidationError as err:
            abort(
                422, message="Some fields are invalid.", errors={"json": err.normalized_messages()}
            )

    @blp.login_required(role="client")
    @blp.response(204)
    @blp.documents(404)
    def delete(self, checkin_id):
        """Delete a check-in for good (a late offline replay of it will not bring it back)."""
        checkins.delete(get_owned_or_404(Checkin, checkin_id, current_user(), deleted_at=None))
