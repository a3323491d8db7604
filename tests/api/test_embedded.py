import stat

from api import crypto, embedded


def test_first_start_generates_an_encryption_key_in_an_owner_only_file(tmp_path):
    secrets, path = embedded.ensure_secrets(tmp_path)
    crypto.KeyRing(secrets["ENCRYPTION_KEYS"])  # a valid key ring
    assert path == tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_later_starts_keep_the_same_key(tmp_path):
    first, _ = embedded.ensure_secrets(tmp_path)
    again, _ = embedded.ensure_secrets(tmp_path)
    assert again == first
