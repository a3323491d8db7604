import pytest

from api.config import INTERNATIONAL_CRISIS_RESOURCES
from api.domain import crisis

HELPLINE = {"name": "Helpline", "description": "Someone to talk to.", "phone": "123"}


def resources(**by_locale):
    return crisis.checked(by_locale, fallback=INTERNATIONAL_CRISIS_RESOURCES)


def test_the_default_list_is_always_there():
    checked = resources(de=[HELPLINE])
    assert checked["default"] == tuple(INTERNATIONAL_CRISIS_RESOURCES)
    assert set(checked) == {"default", "de"}


def test_a_deployment_may_replace_the_default_list():
    assert resources(default=[HELPLINE])["default"] == (HELPLINE,)


def test_the_international_default_is_honest():
    text = " ".join(str(v) for r in INTERNATIONAL_CRISIS_RESOURCES for v in r.values())
    for fact in ("112", "911", "999", "988", "116 123", "findahelpline.com", "immediate danger"):
        assert fact in text


@pytest.mark.parametrize(
    ("preferred", "locale"),
    [
        (["en-GB"], "en-gb"),
        (["en_gb"], "en-gb"),
        (["EN-gb"], "en-gb"),
        (["de-AT"], "de"),
        (["de"], "de"),
        (["fr", "de"], "de"),
        (["en-AU"], "default"),  # another country's helplines would be wrong
        (["en"], "default"),
        (["*"], "default"),
        (["default"], "default"),
        ([], "default"),
    ],
)
def test_choose_matches_locale_then_language_then_default(preferred, locale):
    chosen, _ = crisis.choose(resources(**{"en-GB": [HELPLINE], "de": [HELPLINE]}), preferred)
    assert chosen == locale


@pytest.mark.parametrize(
    "bad",
    [
        [],
        {"de": []},
        {"de": "call 112"},
        {"de": [{"name": "No description"}]},
        {"de": [{**HELPLINE, "name": " "}]},
        {"de": [{**HELPLINE, "phone": 112}]},
        {"de": [{**HELPLINE, "url": "javascript:alert(1)"}]},
        {"de": [{**HELPLINE, "phon": "112"}]},
        {"de": ["Helpline"]},
        {"": [HELPLINE]},
    ],
)
def test_bad_configuration_fails_with_a_clear_error(bad):
    with pytest.raises(ValueError, match="CRISIS_RESOURCES"):
        crisis.checked(bad, fallback=INTERNATIONAL_CRISIS_RESOURCES)


def test_the_message_after_an_answer_does_not_open_with_thanks():
    # The app thanks the person just before it: one thank-you on the screen is enough.
    opening = crisis.AFTER_ANSWER_MESSAGE.split(".")[0].lower()
    assert "thank" not in opening
    assert "you don't have to carry" in crisis.AFTER_ANSWER_MESSAGE
