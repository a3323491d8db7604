"""The one settings source: every setting typed, described and read from its variable once."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from api import config

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _readme_variables() -> set[str]:
    """The variables the README's configuration table names (`_PORT` continues the one before)."""
    section = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    table = section.split("\n|", 1)[1].split("\n\n", 1)[0]
    names: set[str] = set()
    for row in table.splitlines()[2:]:
        prefix = ""
        for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1]):
            if name.startswith("_"):
                name = prefix + name
            else:
                prefix = name.rsplit("_", 1)[0]
            names.add(name)
    return names


def test_every_variable_in_the_readme_is_a_setting():
    variables = {var for _, env, _, _ in config.describe() for var in env}
    assert len(_readme_variables()) >= 20
    assert _readme_variables() - variables == set()


def test_every_setting_has_a_type_a_default_and_a_description():
    for field in dataclasses.fields(config.Settings):
        assert field.metadata["doc"], field.name
        assert config._TYPES[field.name] in (int, str) or field.metadata["json_file"]
    names = [name for name, _, _, _ in config.describe()]
    assert names == list(config.DEFAULTS)


def test_settings_are_read_from_their_variables_and_converted():
    settings = config.Settings.load(
        environ={
            "MONGODB_URI": "mongodb://db/partwise",
            "PARTWISE_WORKER_BATCH_SIZE": " 7 ",
            "PARTWISE_SMTP_HOST": "mail.example",
        }
    )
    assert settings.mongodb_uri == "mongodb://db/partwise"
    assert settings.worker_batch_size == 7
    assert settings.smtp_host == "mail.example"
    assert settings.reminder_grace_seconds == config.DEFAULTS["REMINDER_GRACE_SECONDS"]
    assert config.Settings.load(environ={"PARTWISE_MONGODB_URI": "mongodb://x"}).mongodb_uri


def test_a_bad_number_is_one_line_naming_its_variable():
    with pytest.raises(config.SettingsError) as raised:
        config.Settings.load(environ={"PARTWISE_WORKER_LEASE_SECONDS": "5 minutes"})
    assert (
        str(raised.value) == "PARTWISE_WORKER_LEASE_SECONDS must be a whole number, not '5 minutes'"
    )


def test_overrides_win_and_the_flask_configuration_is_derived(app):
    settings = config.settings_of(app)
    assert config.Settings.from_mapping(app.config) == settings
    assert {name: app.config[name] for name in config.DEFAULTS} == settings.as_config()
    assert config.Settings.load({"WORKER_BATCH_SIZE": 3, "TESTING": True}).worker_batch_size == 3
