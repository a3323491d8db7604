"""A one-page A4 PDF for a therapist's session preparation, from plain data. Pure: no Flask, no DB.

What it holds is what `api.resources.therapist.shared.for_export` gives, and nothing more:
- weekly means per metric (0-10), one chart each: a dot per week with ratings, a grey bar from
  the week's lowest to its highest day, and n (days with a rating) under every week; a week
  without ratings is a gap in the line, never a zero;
- after the means, mood's variability per week (SD and RMSSD) for the latest weeks that fit,
  under one line that says what they are;
- questionnaire totals with their bands, newest first, as many rows as the page has room for
  ("and N earlier" says how many are left out).
A section whose scope is not granted says "Not shared". The numbers are not interpreted: no
"better" or "worse", only what was recorded. The client is named as `api.exports.labels` says.

Text is set in the core font Helvetica, which holds Latin-1 only: anything else is replaced.
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from api.domain import crisis
from api.domain import questionnaires as q
from api.domain.scales import SCALE_MAX, SCALE_MIN
from api.exports.labels import VARIABILITY

TITLE = "Session preparation summary"
NOT_SHARED = "Not shared"

#: Chart titles per metric of `api.insights.series.METRICS`, in the words of the PWA.
METRIC_LABELS: Mapping[str, str] = {
    "mood": "Mood",
    "energy": "Energy",
    "self_energy": "Self-energy (mean of the Cs rated)",
    "anxiety": "Worry about closeness (attachment anxiety)",
    "avoidance": "Pulling away (attachment avoidance)",
}

_FONT = "Helvetica"
_MARGIN = 14.0
_PAGE_W, _PAGE_H = 210.0, 297.0
_WIDTH = _PAGE_W - 2 * _MARGIN
_GAP = 8.0  # between two charts side by side
_AXIS_W = 7.0  # left of a plot: the scale's numbers
_ROW_H = 4.6  # a table row
_WEEK_COLUMN = 13.0  # the narrowest column of a week in the variability table
_INK, _GREY, _LIGHT = (30, 30, 30), (150, 150, 150), (215, 215, 215)
_LINE = (31, 90, 160)


def latin1(text: Any) -> str:
    """`text` as the core fonts can set it: compatibility forms first, then "?" for the rest."""
    normal = unicodedata.normalize("NFKC", str(text))
    return normal.encode("latin-1", "replace").decode("latin-1")


def sets_whole(text: str) -> bool:
    """Can the core fonts set every character of `text` (after compatibility forms)?"""
    return latin1(text).count("?") == unicodedata.normalize("NFKC", text).count("?")


class _Page(FPDF):
    def write_line(self, text: str, size: float, style: str = "", height: float = 5.0) -> None:
        self.set_font(_FONT, style, size)
        self.cell(_WIDTH, height, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str, size: float = 8.0) -> None:
        self.set_text_color(*_GREY)
        self.set_font(_FONT, "", size)
        self.multi_cell(_WIDTH, 3.6, latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*_INK)

    def heading(self, text: str) -> None:
        self.set_y(self.get_y() + 2.5)
        self.write_line(text, 11.5, "B", 6.0)

    def label(self, x: float, y: float, text: str, size: float, align: str = "L") -> None:
        """Text with its baseline at y: left-aligned at x, centred on it ("C") or ending at it."""
        self.set_font(_FONT, "", size)
        text = latin1(text)
        width = self.get_string_width(text)
        self.text(x - {"L": 0.0, "C": width / 2, "R": width}[align], y, text)


def runs(values: Sequence[float | None]) -> list[list[int]]:
    """The indices of each run of consecutive weeks with a value: a line joins a run only, so
    a week without ratings is a gap, never bridged and never drawn as a zero."""
    found: list[list[int]] = []
    for i, value in enumerate(values):
        if value is None:
            continue
        if found and found[-1][-1] == i - 1:
            found[-1].append(i)
        else:
            found.append([i])
    return found


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _short_day(day: str) -> str:
    """ "3 Mar", whatever the server's locale."""
    d = dt.date.fromisoformat(day)
    return f"{d.day} {_MONTHS[d.month - 1]}"


def _chart(
    pdf: _Page, x: float, y: float, w: float, title: str, points: Sequence[Mapping[str, Any]]
) -> float:
    """One metric's weekly chart with its top-left corner at (x, y); the height it took."""
    plot_x, plot_w, plot_top = x + _AXIS_W, w - _AXIS_W, y + 5.0
    plot_h = 24.0 if w < _WIDTH else 32.0
    bottom = plot_top + plot_h
    pdf.set_font(_FONT, "B", 9)
    pdf.text(x, y + 3.2, latin1(title))

    def y_of(value: float) -> float:
        return bottom - (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * plot_h

    pdf.set_line_width(0.15)
    for tick in (SCALE_MIN, (SCALE_MIN + SCALE_MAX) / 2, SCALE_MAX):
        pdf.set_draw_color(*_LIGHT)
        pdf.line(plot_x, y_of(tick), plot_x + plot_w, y_of(tick))
        pdf.label(plot_x - 1.2, y_of(tick) + 1.0, f"{tick:g}", 6.5, "R")
    pdf.set_draw_color(*_GREY)
    pdf.line(plot_x, plot_top, plot_x, bottom)
    pdf.line(plot_x, bottom, plot_x + plot_w, bottom)

    slot = plot_w / max(len(points), 1)
    centres = [plot_x + (i + 0.5) * slot for i in range(len(points))]
    # n under each week, in a size that fits the slot (a digit is about 0.2 mm per point).
    n_size = min(6.5, slot * 0.65 / 0.2)
    pdf.set_text_color(*_GREY)
    for cx, p in zip(centres, points, strict=True):
        pdf.label(cx, bottom + 2.8, str(p["n"]), n_size, "C")
    # Week labels (the Monday), as many as fit without overlapping, always the first.
    every = max(1, math.ceil(13.0 / slot))
    for i in range(0, len(points), every):
        pdf.label(centres[i], bottom + 6.0, _short_day(points[i]["start"]), 6.0, "C")
    pdf.set_text_color(*_INK)

    if not any(p["mean"] is not None for p in points):
        pdf.label(plot_x + plot_w / 2, plot_top + plot_h / 2, "No ratings in this period", 8, "C")
        return bottom + 7.0 - y
    pdf.set_draw_color(*_LIGHT)
    pdf.set_line_width(0.9 if slot > 2 else 0.5)
    for cx, p in zip(centres, points, strict=True):
        if p["mean"] is not None and p["min"] is not None and p["max"] > p["min"]:
            pdf.line(cx, y_of(p["min"]), cx, y_of(p["max"]))
    pdf.set_draw_color(*_LINE)
    pdf.set_fill_color(*_LINE)
    pdf.set_line_width(0.45)
    for run in runs([p["mean"] for p in points]):
        line = [(centres[i], y_of(points[i]["mean"])) for i in run]
        if len(line) > 1:
            pdf.polyline(line)
        for px, py in line:
            pdf.circle(px, py, min(0.75, slot / 3), style="F")
    return bottom + 7.0 - y


def _weekly(
    pdf: _Page,
    days_in_range: int,
    weekly: Mapping[str, Sequence[Mapping[str, Any]]] | None,
    weeks: Sequence[Mapping[str, Any]] | None,
) -> None:
    pdf.heading("Weekly trends")
    if weekly is None:
        pdf.write_line(f"{NOT_SHARED}: the client does not share weekly trends with you.", 9.5)
        return
    days = sum(w["checkin_days"] for w in weeks or ())
    pdf.note(
        f"Check-in days in this period: {days} of {days_in_range}. Weekly means of daily "
        f"ratings on the {SCALE_MIN}-{SCALE_MAX} scale; dot: the week's mean, grey bar: its "
        "lowest to highest day; the numbers under the axis are n, the days rated that week "
        "(0: none, a gap in the line)."
    )
    metrics, half = list(weekly), (_WIDTH - _GAP) / 2
    # The first metric (mood) across the page, the others two by two.
    rows = [(metrics[:1], _WIDTH)] + [(metrics[i : i + 2], half) for i in range(1, len(metrics), 2)]
    y = pdf.get_y() + 1.5
    for row, width in rows:
        heights = [
            _chart(pdf, _MARGIN + j * (width + _GAP), y, width, METRIC_LABELS.get(m, m), weekly[m])
            for j, m in enumerate(row)
        ]
        y += max(heights, default=0.0) + 2.0
    pdf.set_y(y)
    if weekly.get("mood"):
        _variability(pdf, weekly["mood"])


def _variability(pdf: _Page, points: Sequence[Mapping[str, Any]]) -> None:
    """Mood's SD and RMSSD for the latest weeks that fit across the page, "-" where a week has
    too few days for the rule."""
    pdf.heading("Mood from day to day")
    label_w = 20.0
    fits = max(1, int((_WIDTH - label_w) // _WEEK_COLUMN))
    shown = list(points)[-fits:]
    left_out = len(points) - len(shown)
    earlier = f" The {len(shown)} latest weeks; the CSV export holds them all." if left_out else ""
    pdf.note(
        f"{VARIABILITY} SD needs 5 days in a week, RMSSD 4 pairs of consecutive days.{earlier}"
    )
    width = (_WIDTH - label_w) / max(len(shown), 1)
    pdf.set_draw_color(*_GREY)
    pdf.set_line_width(0.2)
    pdf.set_font(_FONT, "B", 8)
    pdf.cell(label_w, _ROW_H, "Week of", border="B")
    for p in shown:
        pdf.cell(width, _ROW_H, _short_day(p["start"]), border="B", align="R")
    pdf.ln(_ROW_H)
    pdf.set_font(_FONT, "", 8)
    for name, key in (("SD", "sd"), ("RMSSD", "rmssd")):
        pdf.cell(label_w, _ROW_H, name)
        for p in shown:
            value = p.get(key)
            pdf.cell(width, _ROW_H, "-" if value is None else f"{value:.1f}", align="R")
        pdf.ln(_ROW_H)


def _questionnaires(pdf: _Page, responses: Sequence[Mapping[str, Any]] | None) -> None:
    pdf.heading("Questionnaire totals")
    if responses is None:
        pdf.write_line(
            f"{NOT_SHARED}: the client does not share questionnaire scores with you.", 9.5
        )
        return
    if not responses:
        pdf.write_line("No questionnaires answered in this period.", 9.5)
        return
    columns = (("Date", 28.0), ("Questionnaire", 34.0), ("Total", 26.0), ("Band", _WIDTH - 88.0))
    room = _PAGE_H - _MARGIN - 12.0 - pdf.get_y() - _ROW_H  # the footer, the header row
    fits = max(0, int(room // _ROW_H))
    shown = list(reversed(responses))
    if len(shown) > fits:
        fits = max(0, fits - 1)  # the row that says how many are left out
        shown, left_out = shown[:fits], len(shown) - fits
    else:
        left_out = 0
    pdf.set_draw_color(*_GREY)
    pdf.set_line_width(0.2)
    pdf.set_font(_FONT, "B", 8.5)
    for name, width in columns:
        pdf.cell(width, _ROW_H, name, border="B")
    pdf.ln(_ROW_H)
    pdf.set_font(_FONT, "", 8.5)
    for r in shown:
        instrument = q.INSTRUMENTS.get(r["instrument"])
        title = instrument.title if instrument else r["instrument"]
        total = f"{r['total']} of {instrument.max_total}" if instrument else str(r["total"])
        cells = (r["local_date"].isoformat(), title, total, r["band_label"])
        for (_, width), text in zip(columns, cells, strict=True):
            pdf.cell(width, _ROW_H, latin1(text))
        pdf.ln(_ROW_H)
    if left_out:
        more = f"... and {left_out} earlier" if shown else f"{left_out} responses"
        pdf.note(f"{more} in this period: the CSV export holds them all.")
    flagged = [r["local_date"] for r in responses if q.ITEM9_POSITIVE in (r.get("flags") or ())]
    if flagged:
        pdf.note(crisis.item9_report(flagged))


def summary(
    client: str,
    start: dt.date,
    end: dt.date,
    weekly: Mapping[str, Sequence[Mapping[str, Any]]] | None,
    weeks: Sequence[Mapping[str, Any]] | None,
    responses: Sequence[Mapping[str, Any]] | None,
    generated_at: dt.datetime,
) -> bytes:
    """The PDF for the client named `client`. `weekly` (metric -> weekly points) and `weeks`, or
    `responses` (totals, oldest first): None when that scope is not shared."""
    pdf = _Page(orientation="P", unit="mm", format="A4")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(generated_at)
    pdf.set_title(TITLE)
    pdf.set_creator("Partwise")
    pdf.add_page()
    pdf.set_text_color(*_INK)
    pdf.write_line(TITLE, 17, "B", 9.0)
    pdf.write_line(f"Client: {client}", 10)
    pdf.write_line(
        f"Period: {start.isoformat()} to {end.isoformat()} (the client's local dates)", 10
    )
    stamp = generated_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    pdf.write_line(f"Generated: {stamp}", 10)
    _weekly(pdf, (end - start).days + 1, weekly, weeks)
    _questionnaires(pdf, responses)
    pdf.set_y(_PAGE_H - _MARGIN - 8.0)
    pdf.note(
        "What the client recorded and chose to share, summarised without interpretation. Bands "
        "are the questionnaires' published score ranges, not a diagnosis."
    )
    return bytes(pdf.output())
