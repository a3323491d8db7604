"""What the check-in asks: scales and vocabularies, so clients never hard-code them."""

from flask.views import MethodView
from marshmallow import Schema, fields

from api.domain import consent, scales
from api.extensions.smorest import Blueprint

blp = Blueprint("meta", __name__, url_prefix="/api/v1/meta", description="Scales and vocabularies.")


class ScopeSchema(Schema):
    scope = fields.String()
    label = fields.String(metadata={"description": "What it lets a therapist see, for the client."})
    default = fields.Boolean(metadata={"description": "Offered ticked when inviting."})


class CheckinStepSchema(Schema):
    key = fields.String(metadata={"description": "As in /me checkin_steps."})
    label = fields.String(metadata={"description": "The step's name, for the client."})


class ScalesSchema(Schema):
    scale_min = fields.Integer()
    scale_max = fields.Integer()
    self_energy_cs = fields.List(fields.String())
    part_roles = fields.List(fields.String())
    regulation_strategies = fields.List(fields.String())
    suggested_emotions = fields.List(fields.String())
    note_max_chars = fields.Integer()
    minutes_to_settle_max = fields.Integer()
    sharing_scopes = fields.List(fields.Nested(ScopeSchema))
    checkin_steps = fields.List(
        fields.Nested(CheckinStepSchema),
        metadata={
            "description": "The full check-in's steps, in order; a person may leave some out."
        },
    )
    acute_change_threshold = fields.Integer(
        metadata={"description": "A day-to-day change of at least this many points is acute."}
    )


@blp.route("/scales")
class Scales(MethodView):
    @blp.response(200, ScalesSchema)
    def get(self):
        """The check-in's scales, the 8 Cs, part roles, strategies and suggested emotions."""
        return {
            "scale_min": scales.SCALE_MIN,
            "scale_max": scales.SCALE_MAX,
            "self_energy_cs": scales.SELF_ENERGY_CS,
            "part_roles": scales.PART_ROLES,
            "regulation_strategies": scales.REGULATION_STRATEGIES,
            "suggested_emotions": scales.SUGGESTED_EMOTIONS,
            "note_max_chars": scales.NOTE_MAX_CHARS,
            "minutes_to_settle_max": scales.MINUTES_TO_SETTLE_MAX,
            "acute_change_threshold": scales.ACUTE_CHANGE_THRESHOLD,
            "checkin_steps": [{"key": k, "label": label} for k, label in scales.CHECKIN_STEPS],
            "sharing_scopes": [
                {
                    "scope": s,
                    "label": consent.SCOPE_LABELS[s],
                    "default": s in consent.DEFAULT_SCOPES,
                }
                for s in consent.SCOPES
            ],
        }
