"""All my data: export it (JSON and CSV), import an export back, delete my account for good."""

import functools

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort

from api import security
from api.accounts import archive, erasure, login_guard
from api.exports import table
from api.extensions.smorest import Blueprint, current_user
from api.models.base import utcnow
from api.resources.account.schemas import (
    AccountDeleteSchema,
    ArchiveSchema,
    CsvExportArgsSchema,
    ImportResultSchema,
)
from api.resources.downloads import csv_response, json_response

blp = Blueprint(
    "account",
    __name__,
    url_prefix="/api/v1/me",
    description="All my data: export, import, and deleting my account.",
)


def _larger_body(func):
    """Let this view read a body up to IMPORT_MAX_CONTENT_LENGTH (a whole export)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        limit = current_app.config["IMPORT_MAX_CONTENT_LENGTH"]
        if (request.content_length or 0) > limit:
            abort(413, message=f"An import may be {limit / 2**20:g} MB at most: this is larger.")
        request.max_content_length = limit
        return func(*args, **kwargs)

    return wrapper


def _filename(extension: str) -> str:
    return f"partwise-export-{utcnow().date().isoformat()}.{extension}"


@blp.route("")
class Account(MethodView):
    @blp.login_required()
    @blp.arguments(AccountDeleteSchema)
    @blp.response(204)
    @blp.documents(401, 429)
    def delete(self, data):
        """Delete my account and everything in it, at once and for good (confirm with password).

        Every therapist I shared with loses access with their next request.
        """
        user = current_user()
        if not login_guard.password_checked(
            user.email, lambda: security.verify_password(user, data["password"]), user.id
        ):
            abort(401, message="The password is wrong: nothing was deleted.")
        erasure.erase(user.id)


@blp.route("/export")
class Export(MethodView):
    @blp.login_required()
    @blp.response(200, ArchiveSchema)
    def get(self):
        """Everything I entered, as one JSON document that POST /me/import takes back."""
        dumped = ArchiveSchema().dump(archive.gather(current_user(), utcnow()))
        return json_response(dumped, _filename("json"))


@blp.route("/export.csv")
class ExportCsv(MethodView):
    @blp.login_required()
    @blp.arguments(CsvExportArgsSchema, location="query")
    @blp.response(200, content_type="text/csv", description="One row per item.")
    def get(self, args):
        """My check-ins as CSV, one row per check-in (`what=parts` or `questionnaires` too)."""
        dumped = ArchiveSchema().dump(archive.gather(current_user(), utcnow()))
        if args["what"] == "parts":
            header, rows = table.part_rows(dumped["parts"])
        elif args["what"] == "questionnaires":
            header, rows = table.questionnaire_rows(dumped["questionnaire_responses"])
        else:
            names = {p["id"]: p["name"] for p in dumped["parts"]}
            header, rows = table.checkin_rows(dumped["checkins"], names)
        return csv_response(header, rows, _filename(f"{args['what']}.csv"))


@blp.route("/import")
class Import(MethodView):
    @blp.login_required(role="client")
    @_larger_body
    @blp.arguments(ArchiveSchema)
    @blp.response(200, ImportResultSchema)
    @blp.documents(410, 413)
    def post(self, data):
        """Take an export back into my account: all of it, or nothing if any of it is invalid.

        Importing it again adds nothing. The server's IMPORT_MAX_CONTENT_LENGTH bounds the body
        (413) and IMPORT_MAX_PARTS, _CHECKINS and _QUESTIONNAIRE_RESPONSES the items (422).
        """
        errors = archive.archive_errors(data)
        if not errors:
            try:
                return archive.restore(current_user(), data).as_dict()
            except archive.InvalidArchive as invalid:
                errors = invalid.errors
            except archive.AccountGone:
                abort(410, message="The account was deleted meanwhile: nothing was imported.")
        abort(422, message="Some items of the export are invalid.", errors={"json": errors})
