"""A thin layer over flask-smorest so that error behaviour and the OpenAPI spec cannot drift.

- `Api` always answers errors as `{"code", "status", "message", "errors"?}`, and turns
  mongoengine's errors into 404 / 409 / 422 instead of a 500.
- `Blueprint.login_required` authenticates the bearer token, optionally checks the role, and
  documents 401 (and 403) on the operation.
- `Blueprint.documents` adds error responses an operation may give (404, 409, 422, ...).
- `QuerySetPage` paginates a mongoengine QuerySet with one count and one skip/limit query.
"""

from __future__ import annotations

import functools
import http

import flask_smorest
import mongoengine
from flask import g, request
from flask_limiter.errors import RateLimitExceeded
from flask_smorest import abort
from flask_smorest.pagination import Page
from werkzeug.exceptions import HTTPException, InternalServerError

from api import security
from api.extensions.limiter import retry_after_seconds


class Api(flask_smorest.Api):
    def _register_error_handlers(self):
        super()._register_error_handlers()
        app = self._app
        app.register_error_handler(mongoengine.DoesNotExist, self._not_found)
        app.register_error_handler(mongoengine.NotUniqueError, self._conflict)
        app.register_error_handler(mongoengine.ValidationError, self._invalid)
        app.register_error_handler(RecursionError, self._too_deep)

    def handle_http_exception(self, error: HTTPException):
        payload, code, headers = super().handle_http_exception(error)
        payload.setdefault("message", _message_for(error))
        if isinstance(error, RateLimitExceeded) and (wait := retry_after_seconds()):
            headers = {**(headers if isinstance(headers, dict) else {}), "Retry-After": str(wait)}
        # Werkzeug attaches headers such as Retry-After (429) or Allow (405) to the exception.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                headers = {**headers, name: value} if isinstance(headers, dict) else headers
        return payload, code, headers

    @staticmethod
    def _not_found(_error):
        return {"code": 404, "status": "Not Found", "message": "Not found."}, 404

    @staticmethod
    def _conflict(_error):
        message = "This conflicts with something already stored."
        return {"code": 409, "status": "Conflict", "message": message}, 409

    @staticmethod
    def _invalid(error: mongoengine.ValidationError):
        errors = {"json": {k: [str(v)] for k, v in (error.to_dict() or {}).items()}}
        payload = {"code": 422, "status": "Unprocessable Entity", "message": "Invalid data."}
        return {**payload, "errors": errors}, 422

    @staticmethod
    def _too_deep(error: RecursionError):
        # Python's JSON decoder recurses once per level: a body nested thousands of levels deep
        # (in every parser: webargs', Flask's, the login throttle's) is the client's error.
        if request.get_data(cache=True).lstrip()[:1] not in (b"[", b"{"):
            raise InternalServerError(original_exception=error)
        message = "The JSON body is nested too deeply to read."
        return {"code": 400, "status": "Bad Request", "message": message}, 400


def _message_for(error: HTTPException) -> str:
    default = type(error).description
    if error.description and error.description != default:
        return error.description
    return {
        400: "The request could not be read (is the body valid JSON?).",
        401: "Log in first: send 'Authorization: Bearer <token>'.",
        403: "You are not allowed to do this.",
        404: "Not found.",
        405: "This method is not allowed here.",
        413: "The request body is too large.",
        415: "Send the body as application/json.",
        422: "Some fields are invalid: see 'errors'.",
        429: "Too many attempts: wait and try again (see Retry-After).",
    }.get(error.code or 500, http.HTTPStatus(error.code or 500).phrase + ".")


def current_user():
    """The authenticated user of this request (only inside `login_required` views)."""
    return g.current_user


class Blueprint(flask_smorest.Blueprint):
    def login_required(self, role: str | None = None):
        """Require a valid bearer token (and the given role); documents 401/403."""

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                scheme, _, token = request.headers.get("Authorization", "").partition(" ")
                found = security.authenticate(token.strip()) if scheme.lower() == "bearer" else None
                if found is None:
                    abort(
                        401,
                        message="Log in first: the bearer token is missing, expired or revoked.",
                        headers={"WWW-Authenticate": 'Bearer realm="partwise"'},
                    )
                g.current_user, g.current_token = found
                if role is not None and g.current_user.role != role:
                    abort(403, message=f"Only a {role} account can do this.")
                return func(*args, **kwargs)

            wrapper = self.doc(security=[{"bearerAuth": []}])(wrapper)
            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            if role is not None:
                wrapper = self.alt_response(403, response="FORBIDDEN")(wrapper)
            return wrapper

        return decorator

    def documents(self, *statuses: int):
        """Document error responses an operation may give, by HTTP status."""

        def decorator(func):
            for status in statuses:
                func = self.alt_response(status, response=http.HTTPStatus(status).name)(func)
            return func

        return decorator


class QuerySetPage(Page):
    """Pager for a mongoengine QuerySet: `count()` then one skip/limit query."""

    @property
    def item_count(self):
        return self.collection.count()
