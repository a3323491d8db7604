import datetime as dt
import re

import pytest

from api.exports import summary_pdf
from api.insights import weekly_points
from tests.support import pdf

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 29)  # four whole weeks
NOW = dt.datetime(2026, 3, 30, 9, 5, tzinfo=dt.UTC)
#: A polyline as fpdf2 writes it: a move, then each vertex on a line of its own, then a stroke.
POLYLINE = re.compile(r"^[\d.]+ [\d.]+ m\n((?:[\d.]+ [\d.]+ l\n)+) S$", re.MULTILINE)


def weekly(checkins):
    return {"mood": weekly_points(checkins, "mood", START, END)}


def weeks(points):
    return [{"checkin_days": p["n"]} for p in points]


def render(weekly_figures=None, responses=None, pseudonym="ab12cd34"):
    week_rows = weeks(weekly_figures["mood"]) if weekly_figures is not None else None
    return summary_pdf.summary(pseudonym, START, END, weekly_figures, week_rows, responses, NOW)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5.0, None, 6.0, 7.0], [[0], [2, 3]]),
        ([None, None], []),
        ([0.0, 0.0], [[0, 1]]),  # a mean of 0 is a value, not a gap
        ([None, 4.0, None], [[1]]),
    ],
)
def test_a_line_joins_only_consecutive_weeks_with_ratings(values, expected):
    assert summary_pdf.runs(values) == expected


def test_weeks_without_ratings_are_gaps_in_the_chart():
    checkins = [{"local_date": START + dt.timedelta(days=d), "mood": 6} for d in (0, 1, 14, 21)]
    figures = weekly(checkins)
    assert [p["n"] for p in figures["mood"]] == [2, 0, 1, 1]
    lines = POLYLINE.findall(pdf.text(render(figures)))
    # One line from week 3 to week 4; week 1 is a lone point, never joined across week 2.
    assert [line.count(" l\n") + 1 for line in lines] == [2]


def test_a_name_the_core_font_cannot_set_does_not_break_the_pdf():
    responses = [
        {"instrument": "phq9", "local_date": START, "total": 3, "band_label": "минимальный ✓"}
    ]
    body = render(None, responses, pseudonym="Zoë 李")
    assert body.startswith(b"%PDF-") and pdf.page_count(body) == 1
    text = pdf.text(body)
    assert "Client: Zo\xeb ?" in text  # Latin-1 kept, the rest replaced


@pytest.mark.parametrize(
    ("text", "whole"), [("Zoë ﬁne", True), ("Who?", True), ("Анна", False), ("Zoë 李", False)]
)
def test_a_text_the_font_sets_whole_loses_no_character(text, whole):
    assert summary_pdf.sets_whole(text) is whole


def test_latin1_keeps_what_it_can():
    assert summary_pdf.latin1("Zoë ﬁne \u2013 李") == "Zoë fine ? ?"


def test_shared_but_empty_sections_say_so():
    text = pdf.text(render(weekly([]), []))
    assert "No ratings in this period" in text
    assert "No questionnaires answered in this period." in text
    assert "Not shared" not in text
    assert "Check-in days in this period: 0 of 28." in text


def test_mood_variability_comes_after_the_means_with_one_line_on_what_it_is():
    checkins = [{"local_date": START + dt.timedelta(days=d), "mood": 4 + d % 3} for d in range(7)]
    text = pdf.text(render(weekly(checkins)))
    assert text.index("(Mood)") < text.index("(Mood from day to day)")
    assert "(Variability, after the means: SD is how far" in text
    # The first week has 7 days: SD 0.9 and RMSSD 1.4; the others have none.
    assert "(SD)" in text and "(0.9)" in text and "(1.4)" in text and "(-)" in text


def test_a_long_range_shows_the_latest_weeks_of_variability():
    start = dt.date(2025, 3, 31)
    checkins = [{"local_date": start + dt.timedelta(days=d), "mood": 5} for d in range(364)]
    points = weekly_points(checkins, "mood", start, END)
    body = summary_pdf.summary("Maya", start, END, {"mood": points}, weeks(points), None, NOW)
    text = pdf.text(body)
    assert pdf.page_count(body) == 1
    assert "The 12 latest" in text and "the CSV export holds them all." in text
    assert "(23 Mar)" in text and text.count("(0.0)") == 24  # SD and RMSSD of 12 weeks
