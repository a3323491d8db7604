"""My trends: daily and weekly series for charts, in my own time zone."""

from flask.views import MethodView
from flask_smorest import abort

from api import records
from api.domain.local_time import local_today
from api.extensions.smorest import Blueprint, current_user
from api.insights import daily_points, summarize_window, weekly_points
from api.insights.summary import weekly_parts
from api.resources.trends.schemas import (
    MAX_DAYS,
    TrendsQueryArgsSchema,
    TrendsSchema,
    default_range,
)

blp = Blueprint("trends", __name__, url_prefix="/api/v1/trends", description="My trends.")


@blp.route("")
class Trends(MethodView):
    @blp.login_required(role="client")
    @blp.arguments(TrendsQueryArgsSchema, location="query")
    @blp.response(200, TrendsSchema)
    def get(self, args):
        """Daily and weekly series of my check-ins (weeks are my local ISO weeks)."""
        user = current_user()
        start, end = default_range(args, local_today(user.timezone))
        if start > end or (end - start).days + 1 > MAX_DAYS:
            abort(
                422,
                errors={"query": {"from": [f"Give 'from' within {MAX_DAYS} days before 'to'."]}},
            )
        checkins = records.read_owner(user.id, start, end)
        return {
            "timezone": user.timezone,
            "date_from": start,
            "date_to": end,
            "daily": {m: daily_points(checkins, m, start, end) for m in args["metrics"]},
            "weekly": {m: weekly_points(checkins, m, start, end) for m in args["metrics"]},
            "weekly_parts": weekly_parts(checkins, start, end),
            "summary": summarize_window(checkins, start, end),
        }
