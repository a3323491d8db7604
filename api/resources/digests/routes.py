"""My weekly digests: one per local ISO week, and this week's so far."""

from flask.views import MethodView
from flask_smorest import abort

from api.digests import ensure_digest, preview
from api.domain.local_time import local_today
from api.extensions.smorest import Blueprint, QuerySetPage, current_user
from api.insights import week_key, week_range
from api.models import Digest
from api.resources.digests.schemas import DigestSchema
from api.resources.fields import EARLIEST_DATE, LATEST_DATE

blp = Blueprint("digests", __name__, url_prefix="/api/v1/digests", description="My weekly digests.")


@blp.route("")
class Digests(MethodView):
    @blp.login_required(role="client")
    @blp.response(200, DigestSchema(many=True))
    @blp.paginate(QuerySetPage, page_size=12, max_page_size=60)
    def get(self):
        """My digests, newest week first."""
        return Digest.objects(owner=current_user().id).order_by("-week")


@blp.route("/<week>")
class DigestByWeek(MethodView):
    @blp.login_required(role="client")
    @blp.response(200, DigestSchema)
    @blp.documents(404)
    def get(self, week):
        """The digest of one week ("2026-W47"), or of the week under way ("current")."""
        user = current_user()
        this_week = week_key(local_today(user.timezone))
        if week == "current":
            return preview(user, this_week)
        try:
            monday, sunday = week_range(week)
        except ValueError:
            monday = sunday = None
        if monday is None or not EARLIEST_DATE <= monday <= sunday <= LATEST_DATE:
            abort(404, message="No such week: use an ISO week such as 2026-W47.")
        if week > this_week:
            abort(404, message="This week has not begun yet.")
        if week == this_week:
            return preview(user, week)
        # A finished week: its stored digest, built now if it is not yet (idempotent) or stale.
        # A week without a check-in (before the journal began, or since) is answered the same
        # way but not stored.
        return ensure_digest(user, week)
