import pytest
from marshmallow import ValidationError

from api.resources.fields import Text, TimeZone


@pytest.mark.parametrize(
    "name", ["Europe/Berlin", "America/Argentina/Buenos_Aires", "UTC", "Etc/UTC", "Asia/Kolkata"]
)
def test_a_place_is_a_time_zone(name):
    assert TimeZone().deserialize(name) == name


@pytest.mark.parametrize("name", ["localtime", "Factory", "EST", "GMT", "EST5EDT", "posixrules"])
def test_what_is_not_a_place_is_refused(name):
    with pytest.raises(ValidationError, match="IANA name"):
        TimeZone().deserialize(name)


def test_registering_with_the_servers_localtime_is_a_422(client):
    response = client.post(
        "/api/v1/auth/register",
        json={
            "email": "x@example.org",
            "password": "a long passphrase",
            "role": "client",
            "timezone": "localtime",
        },
    )
    assert response.status_code == 422
    assert "timezone" in response.json["errors"]["json"]


def test_text_takes_whole_characters_of_any_kind():
    assert Text().deserialize("🙂 \x00 \ufeff") == "🙂 \x00 \ufeff"


@pytest.mark.parametrize("cut", ["I felt \ud83d", "\ude42 after", "\ud800"])
def test_text_refuses_half_of_a_character(cut):
    with pytest.raises(ValidationError, match="half of a character"):
        Text().deserialize(cut)
