"""For therapists: redeem a client's invitation, my consenting clients, my caseload in aggregate."""

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from api import records
from api.digests import last_complete_week
from api.domain import consent as rules
from api.domain.local_time import local_today
from api.extensions.limiter import redeem_throttle
from api.extensions.smorest import Blueprint, current_user
from api.insights import week_range
from api.insights.caseload import any_shown, caseload
from api.models import Consent, User
from api.models.base import utcnow
from api.resources.paging import page_of
from api.resources.people import person
from api.resources.refusals import refused
from api.resources.therapist import overview
from api.resources.therapist.access import reads
from api.resources.therapist.schemas import (
    CaseloadSchema,
    ClientLabelSchema,
    ConsentingClientSchema,
    DateRangeArgsSchema,
    RedeemedSchema,
    RedeemSchema,
    default_weeks,
)
from api.resources.trends.schemas import DEFAULT_WEEKS, MAX_DAYS
from api.services import consents

blp = Blueprint(
    "therapist",
    __name__,
    url_prefix="/api/v1/therapist",
    description="For therapists: clients who share with me, and only what they share.",
)

#: Clients whose check-ins are read in one query.
BATCH = 1000


@blp.route("/invitations/redeem")
class Redeem(MethodView):
    @blp.login_required(role="therapist")
    @redeem_throttle
    @blp.arguments(RedeemSchema)
    @blp.response(201, RedeemedSchema)
    @blp.documents(404, 429)
    def post(self, data):
        """Redeem a client's code: from now on I see what they chose to share, until they stop."""
        with refused(404, rules.CodeDoesNotWork):
            grant = consents.redeem(current_user(), data["code"], utcnow())
        return {**overview.grant_view(grant), "client": person(User.objects.get(id=grant.client))}


@blp.route("/clients")
class Clients(MethodView):
    @blp.login_required(role="therapist")
    @blp.response(200, ConsentingClientSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, pagination_parameters):
        """Clients who share with me now: those with something that may need attention first
        (within the page), then the newest grants first; the last complete week, and what may
        need attention, from the scopes each shares."""
        therapist, now = current_user(), utcnow()
        grants = page_of(
            consents.active(Consent.objects(therapist=therapist.id), now).order_by("-accepted_at"),
            pagination_parameters,
        )
        clients = {u.id: u for u in User.objects(id__in=[g.client for g in grants])}
        listed = [g for g in grants if g.client in clients]
        found = overview.rows(listed, clients, now)
        consents.log_reads(therapist.id, listed, "clients.list", now)
        return sorted(found, key=lambda row: not row["attention"])


@blp.route("/clients/<client_id>")
class ClientById(MethodView):
    @blp.login_required(role="therapist")
    @reads("clients.list")
    @blp.response(200, ConsentingClientSchema)
    @blp.documents(404)
    def get(self, grant, client):
        """One client who shares with me, as my list shows them (and logged as a list read)."""
        return overview.rows([grant], {client.id: client}, utcnow())[0]

    @blp.login_required(role="therapist")
    @reads("clients.list")
    @blp.arguments(ClientLabelSchema)
    @blp.response(200, ConsentingClientSchema)
    @blp.documents(404)
    def patch(self, data, grant, client):
        """Name the client in my records and downloads; empty: the name the client chose."""
        now = utcnow()
        consents.set_label(grant, data["label"], now)
        return overview.rows([grant], {client.id: client}, now)[0]


@blp.route("/caseload")
class Caseload(MethodView):
    @blp.login_required(role="therapist")
    @blp.arguments(DateRangeArgsSchema, location="query")
    @blp.response(200, CaseloadSchema)
    def get(self, args):
        """Weekly figures over all my clients who share weekly trends; small groups suppressed."""
        therapist, now = current_user(), utcnow()
        last_week = week_range(last_complete_week(local_today(therapist.timezone)))[1]
        start, end = default_weeks(args, last_week, DEFAULT_WEEKS)
        if start > end or (end - start).days + 1 > MAX_DAYS:
            message = f"Give 'from' within {MAX_DAYS} days before 'to'."
            abort(422, errors={"query": {"from": [message]}})
        grants = consents.latest_active(therapist.id, "caseload", now)
        checkins = {}
        for batch in records.batched([g.client for g in grants], BATCH):
            checkins.update(records.read_owners(batch, start, end))
        k = current_app.config["CASELOAD_MIN_CLIENTS"]
        result = caseload(checkins, start, end, k)
        if any_shown(result):
            consents.log_reads(therapist.id, grants, "caseload", now)
        return {"date_from": start, "date_to": end, **result}
