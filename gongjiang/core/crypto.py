"""Personal data at rest: Fernet encryption (MultiFernet, so keys can rotate) and a keyed hash for
look-up and de-duplication. The ID number is never stored in clear."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


@lru_cache(maxsize=4)
def _hash_key(keys: str) -> bytes:
    # The look-up hash must survive key rotation, so it derives from the oldest (last) key.
    oldest = base64.urlsafe_b64decode(keys.split(",")[-1].strip().encode())
    return hashlib.sha256(b"gongjiang-lookup-hash:" + oldest).digest()


def encrypt(value: str) -> str:
    return _fernet(settings.GONGJIANG_DATA_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.GONGJIANG_DATA_KEY).decrypt(token.encode()).decode()


def lookup_hash(value: str) -> str:
    """HMAC-SHA256 hex of a normalised value: equal inputs give equal hashes, nothing reversible."""
    return hmac.new(_hash_key(settings.GONGJIANG_DATA_KEY), value.encode(), hashlib.sha256).hexdigest()
