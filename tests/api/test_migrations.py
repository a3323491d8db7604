import runpy
import subprocess
import sys
from pathlib import Path

import mongoengine

from api import migrations
from tests.support.collections import all_collections

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def _indexes() -> dict:
    database = mongoengine.get_db()
    return {name: database[name].index_information() for name in database.list_collection_names()}


def test_every_collection_gets_its_indexes(app):
    names = migrations.ensure_indexes()
    assert set(names) == all_collections()
    indexes = mongoengine.get_db()["checkins"].index_information()
    assert any(
        info.get("unique") and [k for k, _ in info["key"]] == ["owner", "client_id"]
        for info in indexes.values()
    )


def test_a_fresh_process_knows_every_collection():
    """gunicorn's hook and `partwise migrate` run in a process that imported nothing else."""
    script = (
        "from api import migrations; "
        "print(*sorted(c._get_collection_name() for c in migrations.documents()))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert set(found) == all_collections()
    assert "deliveries" in found  # its unique key is what makes a send happen at most once


def test_migrating_twice_is_harmless(app, monkeypatch):
    runs = []
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [("0001-example", "an example", lambda: runs.append(1))]
    )
    first = list(migrations.migrate())
    indexes = _indexes()
    second = list(migrations.migrate())
    assert first[0] == second[0] and second[1] == "data migrations applied: none pending"
    assert _indexes() == indexes and runs == [1]


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


class _Server:
    def __init__(self):
        self.log = self
        self.lines = []

    def info(self, line):
        self.lines.append(line)


def test_gunicorn_migrates_before_it_forks(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "")  # the embedded store: no server here
    server = _Server()
    runpy.run_path(str(GUNICORN_CONF))["on_starting"](server)
    assert server.lines[0].startswith(f"indexes ensured on {len(all_collections())} collections")
    pending = ", ".join(m[0] for m in migrations.MIGRATIONS) or "none pending"
    assert server.lines[1] == f"data migrations applied: {pending}"  # a fresh store: all of them


def test_the_redundant_digest_index_of_earlier_versions_is_dropped_once(app):
    digests = mongoengine.get_db()["digests"]
    digests.create_index([("owner", 1), ("week", -1)])  # as an earlier version made it
    assert migrations.REDUNDANT_DIGEST_INDEX in digests.index_information()

    assert "0001-drop-redundant-digest-index" in list(migrations.migrate())[1]
    after = digests.index_information()
    assert migrations.REDUNDANT_DIGEST_INDEX not in after
    assert any(i.get("unique") and i["key"] == [("owner", 1), ("week", 1)] for i in after.values())
    assert list(migrations.migrate())[1] == "data migrations applied: none pending"


def test_a_fresh_database_migrates_without_the_redundant_digest_index(app):
    list(migrations.migrate())
    assert (
        migrations.REDUNDANT_DIGEST_INDEX not in mongoengine.get_db()["digests"].index_information()
    )
