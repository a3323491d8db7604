"""Standard questionnaires (PHQ-9, GAD-7, PHQ-2, GAD-2): answer, history, trend; crisis resources.

The instruments and the crisis resources are public: they are published text with no personal
data, and the PWA must be able to show them before login and offline. Responses are the client's
own: a therapist reads totals and bands only, through /therapist/clients/<id>/questionnaires
and only under a grant.
"""

import functools

from flask import current_app, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import abort
from werkzeug.exceptions import UnprocessableEntity

from api.domain import crisis
from api.domain import questionnaires as q
from api.extensions.smorest import Blueprint, QuerySetPage, current_user
from api.models import QuestionnaireResponse
from api.resources.ownership import get_owned_or_404
from api.resources.questionnaires.schemas import (
    AnswersRefusedSchema,
    CrisisResourcesSchema,
    LocaleArgsSchema,
    QuestionnaireResponseCreatedSchema,
    QuestionnaireResponseCreateSchema,
    QuestionnaireResponseQueryArgsSchema,
    QuestionnaireResponseSchema,
    QuestionnaireSchema,
    QuestionnaireTrendSchema,
)
from api.services import questionnaire_responses
from api.services.checkins import Written

blp = Blueprint(
    "questionnaires",
    __name__,
    url_prefix="/api/v1",
    description="Standard questionnaires (PHQ-9, GAD-7, PHQ-2, GAD-2) and crisis resources.",
)

#: The instrument in the path, documented with its possible values.
INSTRUMENT = [
    {
        "in": "path",
        "name": "instrument",
        "required": True,
        "schema": {"type": "string", "enum": list(q.INSTRUMENTS)},
    }
]


def _instrument_or_404(instrument: str) -> q.Instrument:
    if instrument not in q.INSTRUMENTS:
        abort(404, message=f"No such questionnaire: use one of {', '.join(q.INSTRUMENTS)}.")
    return q.INSTRUMENTS[instrument]


def _crisis_resources(locale: str | None, message: str = crisis.MESSAGE) -> dict:
    """The configured resources for `?locale=`, else Accept-Language, else the default list."""
    preferred = [locale] if locale else []
    preferred += [tag for tag, quality in request.accept_languages if quality > 0]
    chosen, resources = crisis.choose(current_app.config["CRISIS_RESOURCES"], preferred)
    return {"locale": chosen, "message": message, "resources": resources}


def _refused(errors: dict, resources: dict | None):
    """A 422 in the usual error shape, with the crisis resources when the answers call for them."""
    body = {
        "code": 422,
        "status": "Unprocessable Entity",
        "message": "Some answers are invalid or missing: see 'errors'.",
        "errors": errors,
    }
    response = jsonify({**body, **({"crisis_resources": resources} if resources else {})})
    response.status_code = 422
    return response


def _crisis_resources_for_refused(instrument: str) -> dict | None:
    """The resources for a refused body whose crisis item was answered above 0, else None."""
    body = request.get_json(silent=True)
    answers = body.get("answers") if isinstance(body, dict) else None
    questionnaire = q.INSTRUMENTS.get(instrument)
    if questionnaire is None or not isinstance(answers, list):
        return None
    if not q.crisis_answered(questionnaire, answers):
        return None
    locale = request.args.get("locale")
    return _crisis_resources(
        locale if isinstance(locale, str) else None, crisis.AFTER_ANSWER_MESSAGE
    )


def _crisis_resources_on_refusal(view):
    """A body refused before the view (by the schema) still shows the crisis resources when its
    crisis item is above 0: whatever else is wrong with the form, the person must see them."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except UnprocessableEntity as error:
            resources = _crisis_resources_for_refused(kwargs.get("instrument", ""))
            if resources is None:
                raise
            return _refused((getattr(error, "data", None) or {}).get("messages", {}), resources)

    return wrapper


def _in_date_range(query, args):
    if args.get("date_from"):
        query = query.filter(local_date__gte=args["date_from"])
    if args.get("date_to"):
        query = query.filter(local_date__lte=args["date_to"])
    return query


@blp.route("/crisis-resources")
class CrisisResources(MethodView):
    @blp.arguments(LocaleArgsSchema, location="query")
    @blp.response(200, CrisisResourcesSchema)
    def get(self, args):
        """Where to find someone to talk to now, for my language (Accept-Language or ?locale=)."""
        return _crisis_resources(args.get("locale"))


@blp.route("/questionnaires")
class Questionnaires(MethodView):
    @blp.response(200, QuestionnaireSchema(many=True))
    def get(self):
        """The questionnaires, with their items, answer options and score bands."""
        return list(q.INSTRUMENTS.values())


@blp.route("/questionnaires/<instrument>", parameters=INSTRUMENT)
class QuestionnaireById(MethodView):
    @blp.response(200, QuestionnaireSchema)
    @blp.documents(404)
    def get(self, instrument):
        """One questionnaire."""
        return _instrument_or_404(instrument)


@blp.route("/questionnaires/<instrument>/responses", parameters=INSTRUMENT)
class Responses(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(QuestionnaireResponseQueryArgsSchema, location="query")
    @blp.response(200, QuestionnaireResponseSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=50, max_page_size=200)
    @blp.documents(404)
    def get(self, args, instrument):
        """My answers to this questionnaire, newest first, optionally between two local dates."""
        _instrument_or_404(instrument)
        query = QuestionnaireResponse.objects(owner=current_user().id, instrument=instrument)
        return _in_date_range(query, args).order_by("-local_date", "-recorded_at")

    @blp.login_required(role="client")
    @_crisis_resources_on_refusal
    @blp.arguments(LocaleArgsSchema, location="query")
    @blp.arguments(QuestionnaireResponseCreateSchema)
    @blp.response(201, QuestionnaireResponseCreatedSchema)
    @blp.alt_response(200, schema=QuestionnaireResponseCreatedSchema, description="A replay.")
    @blp.alt_response(
        422,
        schema=AnswersRefusedSchema,
        description="Invalid or missing answers (named in 'errors'); nothing is stored.",
    )
    @blp.alt_response(
        409,
        schema=AnswersRefusedSchema,
        description="Another response with this client_id is already stored; nothing is "
        "stored. The crisis resources come with it as with any answer that calls for them.",
    )
    @blp.documents(404)
    def post(self, args, data, instrument):
        """Answer a questionnaire; the server scores it. Posting a client_id again is a replay.

        If PHQ-9 item 9 is answered above 0, the response carries crisis resources at once,
        even when the answers are refused (422) as unfinished or invalid. Nobody is alerted.
        """
        questionnaire = _instrument_or_404(instrument)
        resources = None
        if q.crisis_answered(questionnaire, data["answers"]):
            resources = _crisis_resources(args.get("locale"), crisis.AFTER_ANSWER_MESSAGE)
        if errors := questionnaire_responses.input_errors(questionnaire, data):
            return _refused({"json": errors}, resources)
        outcome = questionnaire_responses.create(current_user(), questionnaire, data)
        if outcome.result is Written.CONFLICT:
            # Not abort(): the crisis resources must reach the client even on a conflict.
            message = "Another response with this client_id is already stored."
            body = {"code": 409, "status": "Conflict", "message": message}
            response = jsonify({**body, **({"crisis_resources": resources} if resources else {})})
            response.status_code = 409
            return response
        doc = outcome.response
        doc.crisis_resources = resources  # for this answer only; never stored
        location = url_for(
            "questionnaires.ResponseById", instrument=instrument, response_id=str(doc.id)
        )
        return doc, 201 if outcome.result is Written.CREATED else 200, {"Location": location}


@blp.route("/questionnaires/<instrument>/responses/<response_id>", parameters=INSTRUMENT)
class ResponseById(MethodView):
    @blp.login_required(role="client")
    @blp.response(200, QuestionnaireResponseSchema)
    @blp.documents(404)
    def get(self, instrument, response_id):
        """One of my answers to this questionnaire."""
        _instrument_or_404(instrument)
        return get_owned_or_404(
            QuestionnaireResponse, response_id, current_user(), instrument=instrument
        )


@blp.route("/questionnaires/<instrument>/trend", parameters=INSTRUMENT)
class Trend(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(QuestionnaireResponseQueryArgsSchema, location="query")
    @blp.response(200, QuestionnaireTrendSchema)
    @blp.documents(404)
    def get(self, args, instrument):
        """My totals over time, oldest first, and how the last compares with the first."""
        questionnaire = _instrument_or_404(instrument)
        query = QuestionnaireResponse.objects(owner=current_user().id, instrument=instrument)
        query = _in_date_range(query, args).order_by("local_date", "recorded_at")
        series = [
            {"local_date": r.local_date, "total": r.total, "band": r.band}
            for r in query.only("local_date", "total", "band")
        ]
        change = q.describe_change(questionnaire, [point["total"] for point in series])
        return {
            "instrument": instrument,
            "series": series,
            "first": series[0] if series else None,
            "last": series[-1] if series else None,
            "change": change.change,
            "reliable_change": questionnaire.reliable_change,
            "reliable": change.reliable,
            "note": change.note,
        }
