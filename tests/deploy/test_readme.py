"""deploy/README.md's scaling section against the code: the indexes it names exist, and the
shard keys it gives lead every unique index of their collections."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api import migrations

README = (Path(__file__).resolve().parents[2] / "deploy" / "README.md").read_text()


def _section(title: str) -> str:
    return README.split(f"### {title}", 1)[1].split("\n### ", 1)[0]


def _documented_indexes() -> list[tuple[str, list[tuple[str, int]], str]]:
    """(collection, keys, properties) for each index in the table."""
    found = []
    for line in _section("Which index serves which query").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("collection", "---"):
            continue
        for part in cells[1].split(";"):
            spec, properties = re.fullmatch(r"\s*`([^`]+)`\s*(.*)", part).groups()
            keys = [
                (name.lstrip("-"), -1 if name.startswith("-") else 1)
                for name in spec.strip("()").replace(" ", "").split(",")
            ]
            found.append((cells[0], keys, properties.strip()))
    return found


def _indexes(raw_db, collection: str) -> list[dict]:
    return list(raw_db[collection].index_information().values())


@pytest.fixture
def indexed(app, raw_db):
    migrations.ensure_indexes()
    return raw_db


def test_the_table_names_indexes():
    assert len(_documented_indexes()) >= 20


@pytest.mark.parametrize(
    ("collection", "keys", "properties"),
    _documented_indexes(),
    ids=lambda v: v if isinstance(v, str) else ",".join(f"{k}:{d}" for k, d in v),
)
def test_every_index_in_the_readme_exists(indexed, collection, keys, properties):
    matching = [i for i in _indexes(indexed, collection) if list(i["key"]) == keys]
    assert matching, f"{collection} has no index {keys}"
    (index,) = matching
    assert bool(index.get("unique")) == ("unique" in properties)
    assert ("expireAfterSeconds" in index) == ("TTL" in properties)


def test_every_index_of_the_code_is_in_the_readme(indexed):
    documented = {(c, tuple(k)) for c, k, _ in _documented_indexes()}
    for collection in migrations.ensure_indexes():
        for index in _indexes(indexed, collection):
            keys = tuple(index["key"])
            assert keys == (("_id", 1),) or (collection, keys) in documented, (collection, keys)


def test_each_shard_key_leads_the_unique_indexes_of_its_collection(indexed):
    section = _section("Shard keys for the large collections")
    shard_keys = {
        "checkins": "owner",
        "questionnaire_responses": "owner",
        "digests": "owner",
        "deliveries": "user",
        "access_log": "client",
    }
    for collection, field in shard_keys.items():
        assert f"`{collection}`" in section and f"`{{{field}: 1}}`" in section
        for index in _indexes(indexed, collection):
            if index.get("unique"):
                assert index["key"][0][0] == field, (collection, index["key"])
