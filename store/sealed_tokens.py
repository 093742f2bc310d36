"""Saved tokens sealed with AES-GCM, bound to their analyst and API address.

The analyst's subject and the API address are the associated data: whoever can write the store
but holds no key cannot move a token to another address or another analyst, because any change
to either makes the seal fail to open. Each configured key (EOMER_SECRET_KEY, first one seals)
gives its own AES-256 key through HKDF, so rotation works as for the tenant keys.
"""

from __future__ import annotations

import base64
import binascii
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from store.errors import SecretKeyError

# Every sealed token starts with this; a saved token without it predates the binding.
SEAL_PREFIX = "v2."
_SALT = b"eomer-dashboard saved token v2"
_INFO = b"aes-256-gcm"
_NONCE_BYTES = 12
_PURPOSE = "eomer saved token v2"


def _aes_key(fernet_key: bytes) -> AESGCM:
    secret = base64.urlsafe_b64decode(fernet_key)
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=_INFO).derive(secret)
    return AESGCM(derived)


def _bound_to(analyst: str, api_url: str) -> bytes:
    # JSON keeps the two apart: no analyst and address can spell another pair.
    return json.dumps([_PURPOSE, analyst, api_url]).encode("utf-8")


def seal_token(keys: tuple[bytes, ...], token: str, *, analyst: str, api_url: str) -> str:
    """`token` sealed under the first key, openable only for this analyst and address."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _aes_key(keys[0]).encrypt(nonce, token.encode("utf-8"), _bound_to(analyst, api_url))
    return SEAL_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def unseal_token(keys: tuple[bytes, ...], sealed: str, *, analyst: str, api_url: str) -> str:
    """The token, if `sealed` was made by one of `keys` for this very analyst and address."""
    if not sealed.startswith(SEAL_PREFIX):
        raise SecretKeyError(
            "A saved token predates tokens bound to their API address; it is not used. "
            "Connect again once to save it anew."
        )
    try:
        raw = base64.urlsafe_b64decode(sealed[len(SEAL_PREFIX) :].encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    nonce, body = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
    bound = _bound_to(analyst, api_url)
    for key in keys:
        try:
            return _aes_key(key).decrypt(nonce, body, bound).decode("utf-8")
        except (InvalidTag, ValueError):
            continue
    raise SecretKeyError(
        "A saved token failed its check: it was saved under another EOMER_SECRET_KEY, or its "
        "API address or analyst was changed in the store. It is not used; connect again."
    )
