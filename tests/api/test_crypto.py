import pytest

from api import crypto


@pytest.fixture
def ring():
    return crypto.KeyRing("k1:" + crypto.generate_key())


def test_round_trip(ring):
    sealed = ring.encrypt("Little one felt scared", "checkins.note")
    assert "scared" not in sealed
    assert ring.decrypt(sealed, "checkins.note") == "Little one felt scared"


def test_same_text_seals_differently_each_time(ring):
    assert ring.encrypt("same", "p") != ring.encrypt("same", "p")


def test_a_value_moved_to_another_field_does_not_decrypt(ring):
    sealed = ring.encrypt("text", "checkins.note")
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(sealed, "parts.notes")


def test_tampering_is_detected(ring):
    sealed = ring.encrypt("text", "p")
    tampered = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt(tampered, "p")


def test_old_keys_still_decrypt_after_rotation():
    old = crypto.generate_key()
    sealed = crypto.KeyRing(f"old:{old}").encrypt("text", "p")
    rotated = crypto.KeyRing(f"new:{crypto.generate_key()},old:{old}")
    assert rotated.primary == "new"
    assert rotated.decrypt(sealed, "p") == "text"
    assert rotated.encrypt("text", "p").startswith("pw1:new:")


@pytest.mark.parametrize(
    "spec",
    ["", "nokid", "k1:not-base64!!", "k1:" + "A" * 10, "bad kid:" + "A" * 43, "k1:{k},k1:{k}"],
)
def test_bad_key_configuration_fails_fast(spec):
    spec = spec.format(k=crypto.generate_key())
    with pytest.raises(crypto.KeyConfigError):
        crypto.KeyRing(spec)


def test_unknown_key_id_is_a_decryption_error(ring):
    with pytest.raises(crypto.DecryptionError):
        ring.decrypt("pw1:gone:AAAA", "p")
