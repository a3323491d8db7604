import datetime as dt

from api.insights.caseload import any_shown, caseload, cell, client_week, count_cell

MONDAY = dt.date(2026, 3, 2)


def day(offset: int, **answers) -> dict:
    return {"local_date": MONDAY + dt.timedelta(days=offset), **answers}


def test_client_week_counts_days_and_means_of_days():
    week = client_week([day(0, mood=4), day(0, mood=6), day(2, mood=8)], MONDAY)
    assert week["checkin_days"] == 2 and week["adherence"] == 2 / 7
    assert week["mood"] == {"mean": 6.5, "n": 2}  # day means 5 and 8
    assert week["self_energy"] == {"mean": None, "n": 0}


def test_client_week_keeps_to_the_range():
    end = MONDAY + dt.timedelta(days=1)
    week = client_week([day(0, mood=4), day(3, mood=9)], MONDAY, end=end)
    assert week["end"] == end.isoformat() and week["adherence"] == 1 / 2
    assert week["mood"]["mean"] == 4


def test_a_cell_from_fewer_than_k_clients_is_suppressed():
    assert cell([1.0, 2.0], k=3) == {"value": None, "clients": "fewer than 3", "suppressed": True}
    assert cell([1.0, 2.0, 3.0], k=3) == {"value": 2.0, "clients": 3, "suppressed": False}


def test_a_count_below_k_is_not_shown():
    assert count_cell(2, k=3)["value"] is None and count_cell(3, k=3)["value"] == 3


def test_caseload_averages_client_means_not_days():
    clients = {"a": [day(0, mood=2), day(1, mood=2), day(2, mood=2)], "b": [day(0, mood=8)]}
    result = caseload(clients, MONDAY, MONDAY + dt.timedelta(days=6), k=2)
    (week,) = result["weeks"]
    assert week["mood_mean"]["value"] == 5.0  # not (2 + 2 + 2 + 8) / 4
    assert week["adherence"]["value"] == (3 / 7 + 1 / 7) / 2


def test_a_client_without_checkins_counts_for_adherence_only():
    clients = {"a": [day(0, mood=4)], "b": []}
    (week,) = caseload(clients, MONDAY, MONDAY + dt.timedelta(days=6), k=2)["weeks"]
    assert week["adherence"]["clients"] == 2 and week["mood_mean"]["suppressed"]
    assert week["clients_with_data"]["suppressed"]


def test_any_shown_tells_whether_a_figure_left_the_server():
    clients = {"a": [day(0, mood=4)]}
    span = (MONDAY, MONDAY + dt.timedelta(days=6))
    assert not any_shown(caseload(clients, *span, k=2))
    assert any_shown(caseload(clients, *span, k=1))
