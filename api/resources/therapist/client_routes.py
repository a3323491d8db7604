"""For therapists: one consenting client's data, within the scopes granted, every read logged.

Every view here is wrapped in `access.reads(...)`: the grant is checked on each request and the
read is written to the client's access log.
"""

from flask.views import MethodView
from mongoengine import Q

from api import records
from api.exports import fhir, labels, summary_pdf, table
from api.extensions.smorest import Blueprint, QuerySetPage
from api.insights import weekly_points
from api.models import Checkin, Digest
from api.models.base import utcnow
from api.resources.digests.schemas import DigestSchema
from api.resources.downloads import csv_response, json_response, pdf_response
from api.resources.therapist import shared
from api.resources.therapist.access import reads
from api.resources.therapist.schemas import (
    ClientTrendsQueryArgsSchema,
    ClientTrendsSchema,
    DateRangeArgsSchema,
    NoteSchema,
    QuestionnaireHistorySchema,
)

blp = Blueprint(
    "therapist_client",
    __name__,
    url_prefix="/api/v1/therapist/clients/<client_id>",
    description="For therapists: one client's shared data (aggregates; notes only if shared).",
)


def _filename(grant, data, extension: str) -> str:
    """Named like the client in the file (see `api.exports.labels`)."""
    name = labels.client_name(data["name"], None, grant.pseudonym)
    return labels.file_name(name, grant.pseudonym, data["start"], data["end"], extension)


def _pdf_name(grant, data) -> str:
    """The client's name in the PDF; with "Client" and the pseudonym beside a name that the
    PDF's font cannot set whole (it would be partly "?"), so that the page still says who."""
    name = labels.client_name(data["name"], None, grant.pseudonym)
    if summary_pdf.sets_whole(name):
        return name
    return f"{name} ({labels.client_name(None, None, grant.pseudonym)})"


@blp.route("/trends")
class ClientTrends(MethodView):
    @blp.login_required(role="therapist")
    @reads("weekly_trends")
    @blp.arguments(ClientTrendsQueryArgsSchema, location="query")
    @blp.response(200, ClientTrendsSchema)
    @blp.documents(404)
    def get(self, args, grant, client):
        """The client's weekly series (aggregates per local ISO week, never single days)."""
        start, end = shared.date_range(args, client)
        checkins = records.read_owner(client.id, start, end)
        return {
            "client_id": str(client.id),
            "timezone": client.timezone,
            "date_from": start,
            "date_to": end,
            "weeks": shared.weeks(checkins, start, end),
            "weekly": {m: weekly_points(checkins, m, start, end) for m in args["metrics"]},
        }


@blp.route("/digests")
class ClientDigests(MethodView):
    @blp.login_required(role="therapist")
    @reads("digests")
    @blp.response(200, DigestSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=12, max_page_size=60)
    @blp.documents(404)
    def get(self, grant, client):
        """The client's stored weekly digests, newest week first."""
        return Digest.objects(owner=client.id).order_by("-week")


@blp.route("/questionnaires")
class ClientQuestionnaires(MethodView):
    @blp.login_required(role="therapist")
    @reads("questionnaires")
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, QuestionnaireHistorySchema)
    @blp.documents(404)
    def get(self, args, grant, client):
        """Totals, bands and flags over time per questionnaire (not the answers to each item)."""
        return {"client_id": str(client.id), "instruments": shared.score_history(client, args)}


@blp.route("/notes")
class ClientNotes(MethodView):
    @blp.login_required(role="therapist")
    @reads("notes")
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, NoteSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=50, max_page_size=200)
    @blp.documents(404)
    def get(self, args, grant, client):
        """The client's check-in and inner-child notes with their local dates, newest first."""
        query = Checkin.objects(owner=client.id, deleted_at=None).filter(
            Q(note__ne=None) | Q(inner_child_note__ne=None)
        )
        if args.get("date_from"):
            query = query.filter(local_date__gte=args["date_from"])
        if args.get("date_to"):
            query = query.filter(local_date__lte=args["date_to"])
        return query.only("local_date", "note", "inner_child_note").order_by(
            "-local_date", "-recorded_at"
        )


def _export(what: str, content_type: str, description: str):
    """An export's view: for therapists, through the grant check and the log, over a date range."""
    stack = (
        blp.login_required(role="therapist"),
        reads(what),
        blp.arguments(DateRangeArgsSchema, location="query"),
        blp.response(200, content_type=content_type, description=description),
        blp.documents(404),
    )

    def decorator(func):
        for decorate in reversed(stack):
            func = decorate(func)
        return func

    return decorator


@blp.route("/export.csv")
class ClientExportCsv(MethodView):
    @_export("export.csv", "text/csv", "Weekly figures and totals.")
    def get(self, args, grant, client):
        """The shared weekly figures and questionnaire totals as CSV, one figure per row."""
        data = shared.for_export(grant, client, args)
        header, rows = table.shared_rows(data["weekly"], data["weeks"], data["responses"])
        return csv_response(header, rows, _filename(grant, data, "csv"))


@blp.route("/export.fhir")
class ClientExportFhir(MethodView):
    @_export("export.fhir", "application/fhir+json", "A FHIR R4 Bundle.")
    def get(self, args, grant, client):
        """The shared weekly mood means and questionnaire totals as a FHIR R4 Bundle."""
        data = shared.for_export(grant, client, args)
        mood = data["weekly"]["mood"] if data["weekly"] else []
        responses = data["responses"] or []
        bundle = fhir.bundle(grant.pseudonym, data["name"], mood, responses, utcnow())
        return json_response(bundle, _filename(grant, data, "json"), "application/fhir+json")


@blp.route("/export.pdf")
class ClientExportPdf(MethodView):
    @_export("export.pdf", "application/pdf", "One A4 page.")
    def get(self, args, grant, client):
        """A one-page summary for session preparation: weekly charts and questionnaire totals."""
        data = shared.for_export(grant, client, args)
        summary = summary_pdf.summary(
            _pdf_name(grant, data),
            data["start"],
            data["end"],
            data["weekly"],
            data["weeks"],
            data["responses"],
            utcnow(),
        )
        return pdf_response(summary, _filename(grant, data, "pdf"))
