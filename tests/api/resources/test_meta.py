from api.domain.scales import CHECKIN_STEP_KEYS


def test_the_checkin_steps_are_published_in_order_with_their_labels(client):
    steps = client.get("/api/v1/meta/scales").json["checkin_steps"]
    assert steps == [
        {"key": "feel", "label": "Mood and energy"},
        {"key": "emotions", "label": "Emotions"},
        {"key": "parts", "label": "Parts"},
        {"key": "self", "label": "Self-energy"},
        {"key": "moment", "label": "A hard moment"},
        {"key": "attachment", "label": "Closeness and distance"},
        {"key": "notes", "label": "Notes"},
    ]
    assert tuple(s["key"] for s in steps) == CHECKIN_STEP_KEYS
