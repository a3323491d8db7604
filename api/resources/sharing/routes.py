"""What I share with my therapists: invitations, grants (see, narrow, revoke) and who looked."""

import datetime as dt

from bson import ObjectId
from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from api.domain import consent as rules
from api.extensions.smorest import Blueprint, QuerySetPage, current_user
from api.models import AccessLog, Consent, Invitation
from api.models.base import utcnow
from api.resources.paging import page_of
from api.resources.people import people_by_id
from api.resources.refusals import refused
from api.resources.sharing.schemas import (
    AccessLogEntrySchema,
    AccessLogQueryArgsSchema,
    GrantPatchSchema,
    GrantQueryArgsSchema,
    GrantSchema,
    InvitationCreatedSchema,
    InvitationCreateSchema,
    InvitationSchema,
)
from api.services import consents

blp = Blueprint(
    "sharing",
    __name__,
    url_prefix="/api/v1/sharing",
    description="What I share with my therapists, and every time they looked.",
)


def _mine_or_404(model, doc_id: str, **filters):
    doc = None
    if ObjectId.is_valid(doc_id):
        doc = model.objects(id=doc_id, client=current_user().id, **filters).first()
    if doc is None:
        abort(404, message=f"No such {'grant' if model is Consent else 'invitation'}.")
    return doc


def _grant_view(grant: Consent, people: dict, now: dt.datetime) -> dict:
    return {
        "id": str(grant.id),
        "therapist": people.get(grant.therapist),
        "scopes": rules.in_order(grant.scopes),
        "status": rules.status(grant, now),
        "accepted_at": grant.accepted_at,
        "ends_at": grant.ends_at,
        "revoked_at": grant.revoked_at,
    }


@blp.route("/invitations")
class Invitations(MethodView):
    @blp.login_required(role="client")
    @blp.response(200, InvitationSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=20, max_page_size=100)
    def get(self):
        """My invitations that can still be redeemed (their codes are never shown again)."""
        return consents.pending_invitations(current_user().id, utcnow())

    @blp.login_required(role="client")
    @blp.arguments(InvitationCreateSchema)
    @blp.response(201, InvitationCreatedSchema)
    @blp.documents(409)
    def post(self, data):
        """Invite a therapist: a one-time code that grants these scopes (notes only if chosen)."""
        ttl = dt.timedelta(hours=current_app.config["INVITATION_TTL_HOURS"])
        with refused(409, rules.TooManyInvitations):
            invitation, code = consents.invite(
                current_user(), data["scopes"], data.get("grant_ends_at"), ttl
            )
        invitation.code = code
        return invitation


@blp.route("/invitations/<invitation_id>")
class InvitationById(MethodView):
    @blp.login_required(role="client")
    @blp.response(204)
    @blp.documents(404)
    def delete(self, invitation_id):
        """Cancel an invitation that has not been redeemed."""
        now = utcnow()
        invitation = _mine_or_404(Invitation, invitation_id, **rules.pending_conditions(now))
        consents.cancel(invitation, now)


@blp.route("/grants")
class Grants(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(GrantQueryArgsSchema, location="query")
    @blp.response(200, GrantSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Everyone I share with or shared with: what, since when, until when; newest first."""
        now = utcnow()
        grants = Consent.objects(client=current_user().id)
        if args.get("status"):
            grants = consents.with_status(grants, args["status"], now)
        page = page_of(grants.order_by("-created_at"), pagination_parameters)
        people = people_by_id(g.therapist for g in page)
        return [_grant_view(g, people, now) for g in page]


@blp.route("/grants/<grant_id>")
class GrantById(MethodView):
    @blp.login_required(role="client")
    @blp.response(200, GrantSchema)
    @blp.documents(404)
    def get(self, grant_id):
        """One grant."""
        grant = _mine_or_404(Consent, grant_id)
        return _grant_view(grant, people_by_id([grant.therapist]), utcnow())

    @blp.login_required(role="client")
    @blp.arguments(GrantPatchSchema)
    @blp.response(200, GrantSchema)
    @blp.documents(404, 409)
    def patch(self, data, grant_id):
        """Narrow a grant: fewer scopes, or an earlier end. Sharing more needs a new invitation."""
        now = utcnow()
        grant = _mine_or_404(Consent, grant_id)
        try:
            with refused(409, rules.GrantNotActive):
                consents.narrow(grant, data, now)
        except rules.NarrowingRefused as refusal:
            abort(422, message=str(refusal), errors={"json": refusal.errors})
        return _grant_view(grant, people_by_id([grant.therapist]), now)

    @blp.login_required(role="client")
    @blp.response(204)
    @blp.documents(404)
    def delete(self, grant_id):
        """Revoke a grant: the therapist's next request is refused."""
        consents.revoke(_mine_or_404(Consent, grant_id), utcnow())


@blp.route("/access-log")
class AccessLogList(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(AccessLogQueryArgsSchema, location="query")
    @blp.response(200, AccessLogEntrySchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """Every time a therapist read my data: who, what, when, under which grant; newest first."""
        entries = AccessLog.objects(client=current_user().id)
        if args.get("therapist"):
            entries = entries.filter(therapist=ObjectId(args["therapist"]))
        page = page_of(entries.order_by("-at", "-id"), pagination_parameters)
        people = people_by_id(e.therapist for e in page)
        return [
            {
                "id": str(e.id),
                "at": e.at,
                "what": e.what,
                "scopes": e.scopes,
                "grant_id": str(e.consent) if e.consent else None,
                "therapist": people.get(e.therapist),
            }
            for e in page
        ]
