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
