"""Accounts: register, log in (bearer token), log out here or everywhere, change the password."""

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import abort

from api import security
from api.accounts import login_guard
from api.domain.schedule import refresh_due_times
from api.extensions.limiter import login_throttle, register_throttle
from api.extensions.smorest import Blueprint
from api.models import User
from api.models.base import utcnow
from api.models.user import ReminderPreferences
from api.resources.auth.schemas import (
    LoginSchema,
    LogoutEverywhereSchema,
    PasswordChangeSchema,
    RegisterSchema,
    SessionSchema,
)

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and sessions.")


def _session(user: User) -> dict:
    ttl = current_app.config["TOKEN_TTL_SECONDS"]
    token, record = security.issue_token(user, ttl, request.headers.get("User-Agent", ""))
    return {"token": token, "expires_at": record.expires_at, "user": user}


@blp.route("/register")
class Register(MethodView):
    decorators = [register_throttle]

    @blp.arguments(RegisterSchema)
    @blp.response(201, SessionSchema)
    @blp.documents(409, 429)
    def post(self, data):
        """Create a client or therapist account and log it in."""
        if User.objects(email=data["email"]).first() is not None:
            abort(409, message="An account with this email already exists.")
        user = User(
            email=data["email"],
            password_hash=security.hash_password(data["password"]),
            role=data["role"],
            display_name=data["display_name"],
            timezone=data["timezone"],
            # Off until the person turns them on (with a device that can receive them): a new
            # account that looked as if it got reminders would get none.
            reminders=ReminderPreferences(enabled=False),
        )
        refresh_due_times(user, utcnow())
        user.save()  # a concurrent duplicate raises NotUniqueError: 409 too
        return _session(user)


@blp.route("/login")
class Login(MethodView):
    decorators = [login_throttle]

    @blp.arguments(LoginSchema)
    @blp.response(200, SessionSchema)
    @blp.documents(401, 429)
    def post(self, data):
        """Log in with email and password; returns a bearer token.

        Wrong passwords slow down the next try (429 with Retry-After), never lock the account.
        """
        user = User.objects(email=data["email"]).first()
        if not login_guard.password_checked(
            data["email"],
            lambda: security.verify_password(user, data["password"]),
            user.id if user else None,
        ):
            abort(401, message="Email or password is wrong.")
        return _session(user)


@blp.route("/logout")
class Logout(MethodView):
    @blp.login_required()
    @blp.response(204)
    def post(self):
        """Revoke the token this request was made with."""
        security.revoke(g.current_token)


@blp.route("/logout-everywhere")
class LogoutEverywhere(MethodView):
    @blp.login_required()
    @blp.response(200, LogoutEverywhereSchema)
    def post(self):
        """Revoke every token of mine, this one included: every device must log in again."""
        return {"revoked": security.revoke_all(g.current_user.id)}


@blp.route("/password")
class Password(MethodView):
    @blp.login_required()
    @blp.arguments(PasswordChangeSchema)
    @blp.response(204)
    @blp.documents(401, 429)
    def post(self, data):
        """Change my password (confirm with the current one); my other devices are logged out."""
        user = g.current_user
        if not login_guard.password_checked(
            user.email, lambda: security.verify_password(user, data["current_password"]), user.id
        ):
            abort(401, message="The current password is wrong: nothing was changed.")
        user.password_hash = security.hash_password(data["new_password"])
        user.save()
        security.revoke_all(user.id, keep=g.current_token)
