"""The signed-in user's own profile and preferences."""

from flask.views import MethodView

from api.extensions.smorest import Blueprint, current_user
from api.models.user import ReminderPreferences
from api.resources.me.schemas import UserPatchSchema, UserSchema

blp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="My profile and preferences.")


@blp.route("")
class Me(MethodView):
    @blp.login_required()
    @blp.response(200, UserSchema)
    def get(self):
        """My profile: name, time zone and reminder preferences."""
        return current_user()

    @blp.login_required()
    @blp.arguments(UserPatchSchema)
    @blp.response(200, UserSchema)
    def patch(self, data):
        """Change my display name, time zone or reminder preferences."""
        user = current_user()
        reminders = data.pop("reminders", None)
        if reminders:
            current = user.reminders.to_mongo().to_dict() if user.reminders else {}
            user.reminders = ReminderPreferences(**{**current, **reminders})
        for key, value in data.items():
            setattr(user, key, value)
        user.save()
        return user
