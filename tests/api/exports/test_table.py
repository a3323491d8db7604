import datetime as dt

from api.exports import table
from api.exports.labels import VARIABILITY
from api.insights import weekly_points

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 15)  # two whole weeks
MOODS = [4, 6, 5, 7, 6]  # a week's first five days


def weekly():
    checkins = [
        {"local_date": START + dt.timedelta(days=i), "mood": m, "energy": 5}
        for i, m in enumerate(MOODS)
    ]
    return {m: weekly_points(checkins, m, START, END) for m in ("mood", "energy")}


def test_every_mean_comes_before_the_line_on_variability_and_its_figures():
    header, rows = table.shared_rows(weekly(), None, None)
    assert header == table.SHARED_HEADER
    measures = [r[1] for r in rows]
    assert measures == (
        ["mood_mean"] * 2
        + ["energy_mean"] * 2
        + ["variability"]
        + ["mood_sd"] * 2
        + ["mood_rmssd"] * 2
        + ["energy_sd"] * 2
        + ["energy_rmssd"] * 2
    )
    note = rows[4]
    assert note[0] == "note" and note[5] == VARIABILITY


def test_variability_rows_say_how_many_days_or_pairs_they_stand_on():
    _, rows = table.shared_rows(weekly(), None, None)
    by_measure = {(r[1], r[2]): r for r in rows}
    sd = by_measure[("mood_sd", "2026-W10")]
    rmssd = by_measure[("mood_rmssd", "2026-W10")]
    assert round(sd[5], 3) == 1.140 and sd[6] == 5
    assert rmssd[6] == 4
    assert by_measure[("mood_sd", "2026-W11")][5:7] == [None, 0]  # a week without days


def test_nothing_of_a_scope_not_shared():
    response = {"instrument": "phq9", "local_date": START, "total": 8, "band": "mild"}
    _, rows = table.shared_rows(None, None, [response])
    assert rows == [
        ["questionnaire", "phq9_total", "2026-W10", "2026-03-02", "2026-03-02", 8, None, "mild"]
    ]


def test_a_check_in_row_says_whether_a_hard_moment_happened():
    checkins = [
        {"client_id": "a", "regulation": {"occurred": False}},
        {"client_id": "b", "regulation": {"occurred": True, "peak_intensity": 7}},
        {"client_id": "c"},  # no regulation record
        {"client_id": "d", "regulation": {"strategies": ["breathing"]}},  # from before `occurred`
    ]
    header, rows = table.checkin_rows(checkins, {})
    column = header.index("regulation_occurred")
    assert header[column + 1] == "regulation_peak_intensity"
    assert [r[column] for r in rows] == [False, True, None, True]
    assert rows[1][column + 1] == 7
