"""Secret keys: the configured Fernet keys, sealing saved tokens, and the keyed hash of tenants."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from store.errors import StoreConfigError
from store.sealed_tokens import seal_token, unseal_token

SECRET_KEY_ENV = "EOMER_SECRET_KEY"
KEY_FILE_NAME = "secret.key"
MIN_PASSPHRASE_LENGTH = 32
# Fixed salts: derivation must give every replica the same keys from the same secret.
_FERNET_SALT = b"eomer-dashboard fernet key v1"
_TENANT_INFO = b"eomer-dashboard tenant key v1"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Secrets:
    """The configured keys: the first seals and names tenants, the others still open seals."""

    keys: tuple[bytes, ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise StoreConfigError(f"{SECRET_KEY_ENV} holds no key; set at least one.")

    def seal(self, token: str, *, analyst: str, api_url: str) -> str:
        """The token sealed for this analyst and API address (store/sealed_tokens.py)."""
        return seal_token(self.keys, token, analyst=analyst, api_url=api_url)

    def unseal(self, sealed: str, *, analyst: str, api_url: str) -> str:
        """The token; SecretKeyError when another key sealed it or the row was changed."""
        return unseal_token(self.keys, sealed, analyst=analyst, api_url=api_url)

    def tenant_key(self, origin: str, token: str) -> str:
        """The keyed hash naming a tenant (an API origin and a token) under the first key."""
        return _tenant_hash(self.keys[0], origin, token)

    def previous_tenant_keys(self, origin: str, token: str) -> tuple[str, ...]:
        """The tenant's names under the older keys, to move its history after a rotation."""
        return tuple(_tenant_hash(key, origin, token) for key in self.keys[1:])


def api_origin(url: str) -> str:
    """`scheme://host[:port]` in lower case without a default port: one name per API."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    return (
        f"{scheme}://{host}"
        if port in (None, _DEFAULT_PORTS.get(scheme))
        else (f"{scheme}://{host}:{port}")
    )


def load_secrets(data_dir: Path, *, shared_database: bool) -> Secrets:
    """Keys from EOMER_SECRET_KEY, else from (or generated into) `<data_dir>/secret.key`."""
    configured = os.environ.get(SECRET_KEY_ENV, "").strip()
    if configured:
        return Secrets(tuple(fernet_key(part.strip()) for part in configured.split(",")))
    if shared_database:
        raise StoreConfigError(
            f"EOMER_DATABASE_URL points to PostgreSQL but {SECRET_KEY_ENV} is not set: every "
            'replica must encrypt with the same key. Generate one with `python3 -c "from '
            'cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"` and '
            f"set {SECRET_KEY_ENV} to it in every replica."
        )
    return Secrets((key_from_file(data_dir / KEY_FILE_NAME),))


def fernet_key(secret: str) -> bytes:
    """A Fernet key as given, or derived from a long passphrase with HKDF-SHA256."""
    if not secret:
        raise StoreConfigError(f"{SECRET_KEY_ENV} has an empty entry; remove the extra comma.")
    if _is_fernet_key(secret):
        return secret.encode("ascii")
    if len(secret) < MIN_PASSPHRASE_LENGTH:
        raise StoreConfigError(
            f"{SECRET_KEY_ENV} must be a Fernet key or a passphrase of at least "
            f"{MIN_PASSPHRASE_LENGTH} characters; one entry has {len(secret)}."
        )
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=_FERNET_SALT, info=b"fernet")
    return base64.urlsafe_b64encode(derived.derive(secret.encode("utf-8")))


def key_from_file(path: Path) -> bytes:
    """The key kept in `path`, generated with owner-only permissions the first time."""
    if not path.exists():
        _write_new_key(path)
    status = path.lstat()
    mode = status.st_mode & 0o777
    if not stat.S_ISREG(status.st_mode) or status.st_uid != os.geteuid():
        raise StoreConfigError(
            f"The key file {KEY_FILE_NAME} in the data folder is not a file of this user's; "
            f"move it away, or set {SECRET_KEY_ENV}.",
            detail=f"The key file {path} is not a regular file owned by uid {os.geteuid()}.",
        )
    if mode & 0o077:
        raise StoreConfigError(
            f"The key file {KEY_FILE_NAME} in the data folder can be read by other users (mode "
            f"{mode:o}); run `chmod 600` on it and start again.",
            detail=f"The key file {path} has mode {mode:o}: run `chmod 600 {path}`.",
        )
    key = path.read_text(encoding="ascii").strip()
    if not _is_fernet_key(key):
        raise StoreConfigError(
            f"The key file {KEY_FILE_NAME} in the data folder does not hold a Fernet key. "
            f"Restore it from a backup, or set {SECRET_KEY_ENV}; saved tokens can only be read "
            "with the key they were saved with.",
            detail=f"The key file {path} does not hold a Fernet key.",
        )
    return key.encode("ascii")


def _write_new_key(path: Path) -> None:
    """Write a fresh key atomically: another process starting at once keeps the first one."""
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(Fernet.generate_key().decode("ascii") + "\n")
    try:
        os.link(staging, path)
    except FileExistsError:
        pass
    finally:
        staging.unlink()


def _is_fernet_key(text: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(text.encode("ascii"))) == 32 and len(text) == 44
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False


def _tenant_hash(key: bytes, origin: str, token: str) -> str:
    hmac_key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_TENANT_INFO).derive(
        base64.urlsafe_b64decode(key)
    )
    message = f"{api_origin(origin)}\n{token}".encode()
    return hmac.new(hmac_key, message, hashlib.sha256).hexdigest()
