import datetime as dt

import pytest

from api.exports import labels

PSEUDONYM = "3f9a1c2b7d4e4f6a8b0c1d2e3f4a5b6c"


@pytest.mark.parametrize(
    ("label", "display_name", "expected"),
    [
        ("Maya R.", "Maya", "Maya R."),  # the therapist's label first
        (None, "Maya", "Maya"),  # else the name the client chose
        ("   ", "Maya", "Maya"),
        (None, "", "Client 3f9a1c2b"),  # else a neutral word and the pseudonym's start
    ],
)
def test_the_client_is_named_by_label_then_chosen_name_then_pseudonym(
    label, display_name, expected
):
    assert labels.client_name(label, display_name, PSEUDONYM) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zoë Ng (Tuesdays)", "zoe-ng-tuesdays"),
        ("../../etc/passwd", "etc-passwd"),
        ('a"b;c\r\nd', "a-b-c-d"),
        ("Анна 李", ""),
        ("x" * 60, "x" * 40),
    ],
)
def test_a_slug_is_safe_in_a_file_name(name, expected):
    assert labels.slug(name) == expected


def test_a_file_is_named_by_the_name_else_by_the_pseudonym():
    start, end = dt.date(2026, 3, 2), dt.date(2026, 3, 29)
    named = labels.file_name("Maya R.", PSEUDONYM, start, end, "csv")
    assert named == "partwise-maya-r-2026-03-02-2026-03-29.csv"
    unnamed = labels.file_name("Анна", PSEUDONYM, start, end, "pdf")
    assert unnamed == "partwise-client-3f9a1c2b-2026-03-02-2026-03-29.pdf"
