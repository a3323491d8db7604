import mongoengine

from api import migrations


def test_every_collection_gets_its_indexes(app):
    names = migrations.ensure_indexes()
    assert {
        "users",
        "tokens",
        "parts",
        "checkins",
        "digests",
        "deliveries",
        "push_subscriptions",
        "questionnaire_responses",
    } <= set(names)
    indexes = mongoengine.get_db()["checkins"].index_information()
    assert any(
        info.get("unique") and [k for k, _ in info["key"]] == ["owner", "client_id"]
        for info in indexes.values()
    )


def test_migrating_twice_is_harmless(app):
    first = list(migrations.migrate())
    second = list(migrations.migrate())
    assert first == second


def test_a_data_migration_runs_once_even_when_two_processes_start(app, monkeypatch):
    runs = []
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [("0001-example", "an example", lambda: runs.append(1))]
    )
    assert migrations.apply_pending() == ["0001-example"]
    assert migrations.apply_pending() == []  # the second process finds it claimed
    assert runs == [1]
    record = mongoengine.get_db()["migrations"].find_one({"_id": "0001-example"})
    assert record["finished_at"] >= record["started_at"]
