"""For operators: how deliveries are going. Needs OPS_TOKEN; without one it does not exist."""

from __future__ import annotations

import hmac

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields

from api.extensions.smorest import Blueprint
from api.models.delivery import STATUSES, status_counts

blp = Blueprint("ops", __name__, url_prefix="/api/v1/ops", description="Operations.")


def _counts() -> dict:
    return {status: fields.Integer(required=True) for status in STATUSES}


StatusCountsSchema = Schema.from_dict(_counts(), name="DeliveryStatusCountsSchema")
DeliveryCountsSchema = Schema.from_dict(
    {
        **_counts(),
        "by_kind": fields.Dict(
            keys=fields.String(), values=fields.Nested(StatusCountsSchema), required=True
        ),
    },
    name="DeliveryCountsSchema",
)


def _require_operator() -> None:
    expected = current_app.config.get("OPS_TOKEN") or ""
    if not expected:
        abort(404)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        token.strip().encode(), expected.encode()
    ):
        abort(
            401,
            message="Send the operator token: 'Authorization: Bearer <OPS_TOKEN>'.",
            headers={"WWW-Authenticate": 'Bearer realm="partwise-ops"'},
        )


@blp.route("/deliveries")
class Deliveries(MethodView):
    @blp.response(200, DeliveryCountsSchema)
    @blp.documents(401, 404)
    def get(self):
        """Deliveries by status (pending, sent, failed, missed, skipped), in all and by kind.

        Authorization: `Bearer <OPS_TOKEN>` (the operator token, not a user's).
        """
        _require_operator()
        return status_counts()
