from click.testing import CliRunner

from api.cli import main


def test_build_digests_reports_its_counts(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    result = CliRunner().invoke(main, ["build-digests", "--week", "2026-W10"])
    assert result.exit_code == 0, result.output
    assert "2026-W10: 0 created, 0 updated, 0 unchanged" in result.output


def test_build_digests_refuses_a_malformed_week(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    result = CliRunner().invoke(main, ["build-digests", "--week", "week 10"])
    assert result.exit_code == 2
    assert "not an ISO week key" in result.output


def test_generate_encryption_key_prints_a_usable_key():
    from api.crypto import KeyRing

    result = CliRunner().invoke(main, ["generate-encryption-key", "--kid", "k9"])
    assert KeyRing(result.output.strip()).primary == "k9"


def test_run_refuses_a_real_database_without_an_encryption_key(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/partwise")
    monkeypatch.delenv("PARTWISE_ENCRYPTION_KEYS", raising=False)
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 1
    assert "PARTWISE_ENCRYPTION_KEYS" in result.output


def test_rotate_keys_refuses_the_embedded_store_and_says_why(monkeypatch):
    monkeypatch.delenv("MONGODB_URI", raising=False)
    result = CliRunner().invoke(main, ["rotate-keys"])
    assert result.exit_code == 1
    assert "nothing stored to re-encrypt" in result.output


def test_rotate_keys_reencrypts_with_the_configured_keys(monkeypatch):
    import flask

    import api
    from api import rotation

    calls = []
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:1/partwise")
    # No MongoDB here: the command's own wiring is under test, rotation itself in test_rotation.
    monkeypatch.setattr(api, "create_app", lambda *args: flask.Flask("stub"))
    monkeypatch.setattr(rotation, "rotate_all", lambda: calls.append(1) or {"checkins": 3})
    result = CliRunner().invoke(main, ["rotate-keys"])
    assert result.exit_code == 0, result.output
    assert calls == [1] and "checkins: 3 document(s) re-encrypted" in result.output


def test_embedded_mode_takes_the_vapid_key_and_encryption_keys_given_in_the_environment(
    tmp_path, monkeypatch
):
    from api import create_app, crypto, embedded
    from api.cli import _embedded_config
    from webpush import generate_keys

    monkeypatch.setenv("PARTWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    stored, _ = embedded.ensure_secrets(tmp_path)  # an earlier start kept its own keys
    given, encryption_keys = generate_keys(), "k7:" + crypto.generate_key()
    monkeypatch.setenv("PARTWISE_VAPID_PRIVATE_KEY", given.private_key)
    monkeypatch.setenv("PARTWISE_ENCRYPTION_KEYS", encryption_keys)

    app = create_app({**_embedded_config(), "TESTING": True})

    assert app.config["VAPID_PRIVATE_KEY"] == given.private_key != stored["VAPID_PRIVATE_KEY"]
    assert app.config["ENCRYPTION_KEYS"] == encryption_keys
    served = app.test_client().get("/api/v1/push/vapid-public-key").json["public_key"]
    assert served == given.public_key


def test_embedded_mode_uses_its_own_keys_when_the_environment_gives_none(tmp_path, monkeypatch):
    from api import create_app, embedded
    from api.cli import _embedded_config

    monkeypatch.setenv("PARTWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.delenv("PARTWISE_VAPID_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("PARTWISE_ENCRYPTION_KEYS", raising=False)
    stored, _ = embedded.ensure_secrets(tmp_path)

    app = create_app({**_embedded_config(), "TESTING": True})

    assert app.config["VAPID_PRIVATE_KEY"] == stored["VAPID_PRIVATE_KEY"]
    assert app.config["ENCRYPTION_KEYS"] == stored["ENCRYPTION_KEYS"]


def test_run_names_a_setting_that_is_not_a_number_instead_of_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.setenv("PARTWISE_CASELOAD_MIN_CLIENTS", "5 clients")
    result = CliRunner().invoke(main, ["run"])
    assert result.exit_code == 1
    assert "PARTWISE_CASELOAD_MIN_CLIENTS must be a whole number, not '5 clients'" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_build_digests_names_unreadable_crisis_resources(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTWISE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MONGODB_URI", raising=False)
    monkeypatch.setenv("PARTWISE_CRISIS_RESOURCES", str(tmp_path / "missing.json"))
    result = CliRunner().invoke(main, ["build-digests", "--week", "2026-W10"])
    assert result.exit_code == 1
    assert "PARTWISE_CRISIS_RESOURCES: cannot read JSON from" in result.output
