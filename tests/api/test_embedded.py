import json
import stat

from api import crypto, embedded
from webpush import VapidSigner


def test_first_start_generates_an_encryption_key_in_an_owner_only_file(tmp_path):
    secrets, path = embedded.ensure_secrets(tmp_path)
    crypto.KeyRing(secrets["ENCRYPTION_KEYS"])  # a valid key ring
    assert path == tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_later_starts_keep_the_same_key(tmp_path):
    first, _ = embedded.ensure_secrets(tmp_path)
    again, _ = embedded.ensure_secrets(tmp_path)
    assert again == first


def test_first_start_generates_a_vapid_key_and_later_starts_keep_it(tmp_path):
    first, _ = embedded.ensure_secrets(tmp_path)
    VapidSigner(first["VAPID_PRIVATE_KEY"], "mailto:partwise@localhost")  # a usable key
    again, _ = embedded.ensure_secrets(tmp_path)
    assert again["VAPID_PRIVATE_KEY"] == first["VAPID_PRIVATE_KEY"]


def test_a_secrets_file_from_before_web_push_gets_a_vapid_key_and_keeps_its_encryption_key(
    tmp_path,
):
    (tmp_path / "secrets.json").write_text(json.dumps({"ENCRYPTION_KEYS": "k1:kept"}))
    secrets, _ = embedded.ensure_secrets(tmp_path)
    assert secrets["ENCRYPTION_KEYS"] == "k1:kept"
    assert secrets["VAPID_PRIVATE_KEY"]
