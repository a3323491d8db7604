"""Liveness and readiness probes."""

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields

from api import db
from api.extensions.smorest import Blueprint

blp = Blueprint("health", __name__, description="Probes for load balancers and orchestrators.")


class HealthSchema(Schema):
    status = fields.String(required=True)


@blp.route("/healthz")
class Healthz(MethodView):
    @blp.response(200, HealthSchema)
    def get(self):
        """The process is up."""
        return {"status": "ok"}


@blp.route("/readyz")
class Readyz(MethodView):
    @blp.response(200, HealthSchema)
    @blp.documents(503)
    def get(self):
        """The process is up and its database answers."""
        if not db.ping():
            abort(503, message="The database does not answer.")
        return {"status": "ready"}
