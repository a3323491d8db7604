"""Insights: trends and the weekly digest, as pure functions over check-in records (INSIGHTS.md).

No database, no Flask, no I/O. Modules:

- `stats`: numeric measures over a daily series, each enforcing its "shown when" rule once;
- `weeks`: local ISO week keys and ranges;
- `series`: check-ins to daily series, and daily and weekly trend points for charts;
- `summary`: everything measured over a window of check-ins;
- `change`: the reliable-change rule for week-to-week comparisons;
- `digest`: the weekly digest dict;
- `text`: the digest in plain language.
"""

from api.insights.digest import build_digest, weekly_history
from api.insights.series import daily_points, daily_series, weekly_points
from api.insights.summary import summarize_window
from api.insights.text import render_headline, render_summary, render_text
from api.insights.weeks import week_key, week_range

__all__ = [
    "build_digest",
    "daily_points",
    "daily_series",
    "render_headline",
    "render_summary",
    "render_text",
    "summarize_window",
    "week_key",
    "week_range",
    "weekly_history",
    "weekly_points",
]
