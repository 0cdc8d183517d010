"""Personal data at rest: ID numbers are encrypted, found by a keyed hash, and survive key rotation."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import InvalidToken
from django.test import override_settings

from gongjiang.core.crypto import decrypt, encrypt, lookup_hash

ID = "11010519491231002X"
OLD_KEY = base64.urlsafe_b64encode(b"o" * 32).decode()
NEW_KEY = base64.urlsafe_b64encode(b"n" * 32).decode()
OTHER_KEY = base64.urlsafe_b64encode(b"x" * 32).decode()


def test_encryption_round_trips_and_hides_the_number():
    token = encrypt(ID)
    assert ID not in token
    assert decrypt(token) == ID
    assert encrypt(ID) != token  # Fernet is randomised: equal numbers do not give equal ciphertexts


def test_the_lookup_hash_is_stable_and_not_the_number():
    assert lookup_hash(ID) == lookup_hash(ID)
    assert len(lookup_hash(ID)) == 64
    assert ID not in lookup_hash(ID)
    assert lookup_hash(ID) != lookup_hash("110101199003074258")


def test_the_lookup_hash_is_keyed():
    with override_settings(GONGJIANG_DATA_KEY=OLD_KEY):
        old = lookup_hash(ID)
    with override_settings(GONGJIANG_DATA_KEY=OTHER_KEY):
        other = lookup_hash(ID)
    assert old != other
    # And not a plain, unkeyed SHA-256 that anyone could compute from a list of ID numbers.
    import hashlib

    assert old != hashlib.sha256(ID.encode()).hexdigest()


def test_after_key_rotation_old_ciphertexts_decrypt_and_hashes_stay_the_same():
    with override_settings(GONGJIANG_DATA_KEY=OLD_KEY):
        old_token = encrypt(ID)
        old_hash = lookup_hash(ID)
    with override_settings(GONGJIANG_DATA_KEY=f"{NEW_KEY},{OLD_KEY}"):
        assert decrypt(old_token) == ID
        assert lookup_hash(ID) == old_hash  # people stay findable and de-duplicated
        new_token = encrypt(ID)
    # New data is written with the new key: the old key alone cannot read it.
    with override_settings(GONGJIANG_DATA_KEY=OLD_KEY), pytest.raises(InvalidToken):
        decrypt(new_token)
    with override_settings(GONGJIANG_DATA_KEY=NEW_KEY):
        assert decrypt(new_token) == ID


def test_a_ciphertext_from_another_key_is_not_readable():
    with override_settings(GONGJIANG_DATA_KEY=OTHER_KEY):
        token = encrypt(ID)
    with override_settings(GONGJIANG_DATA_KEY=OLD_KEY), pytest.raises(InvalidToken):
        decrypt(token)
