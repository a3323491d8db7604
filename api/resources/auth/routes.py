"""Accounts: register, log in (bearer token), log out."""

from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import abort

from api import security
from api.extensions.limiter import login_throttle, register_throttle
from api.extensions.smorest import Blueprint
from api.models import User
from api.models.base import utcnow
from api.resources.auth.schemas import LoginSchema, RegisterSchema, SessionSchema
from worker.schedule import refresh_due_times

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
        """Log in with email and password; returns a bearer token."""
        user = User.objects(email=data["email"]).first()
        if not security.verify_password(user, data["password"]):
            abort(401, message="Email or password is wrong.")
        return _session(user)


@blp.route("/logout")
class Logout(MethodView):
    @blp.login_required()
    @blp.response(204)
    def post(self):
        """Revoke the token this request was made with."""
        security.revoke(g.current_token)
