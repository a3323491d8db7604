"""The signed-in user's own profile and preferences."""

from flask.views import MethodView

from api.domain.schedule import refresh_due_times
from api.extensions.smorest import Blueprint, current_user
from api.models.base import utcnow
from api.models.user import DigestPreferences, ReminderPreferences
from api.resources.me.schemas import UserPatchSchema, UserSchema

#: Changing any of these moves the next reminder and digest.
_SCHEDULE_FIELDS = ("timezone", "reminders", "digest")

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="My profile and preferences.")


@blp.route("")
class Me(MethodView):
    @blp.login_required()
    @blp.response(200, UserSchema)
    def get(self):
        """My profile: name, time zone, reminder and digest preferences, check-in steps."""
        return current_user()

    @blp.login_required()
    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, data):
        """Change my display name, time zone, reminders, digest or check-in steps."""
        user = current_user()
        reschedule = any(name in data for name in _SCHEDULE_FIELDS)
        for name, document in (("reminders", ReminderPreferences), ("digest", DigestPreferences)):
            changes = data.pop(name, None)
            if changes:
                current = getattr(user, name)
                current = current.to_mongo().to_dict() if current else {}
                setattr(user, name, document(**{**current, **changes}))
        for key, value in data.items():
            setattr(user, key, value)
        if reschedule:
            refresh_due_times(user, utcnow())
        user.save()
        return user
