"""Secret keys: the generated key file, passphrases, rotation, wrong keys and tenant names."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from store import SecretKeyError, StoreConfigError, api_origin, load_connection, save_connection
from store.keys import Secrets, fernet_key, load_secrets
from tests.store.conftest import Database, OpenStore

PASSPHRASE = "correct horse battery staple, and then some"


def test_a_generated_key_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    first = load_secrets(tmp_path, shared_database=False)
    key_file = tmp_path / "secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert load_secrets(tmp_path, shared_database=False) == first
    assert os.listdir(tmp_path) == ["secret.key"]


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    load_secrets(tmp_path, shared_database=False)
    (tmp_path / "secret.key").chmod(0o644)
    with pytest.raises(StoreConfigError, match="chmod 600"):
        load_secrets(tmp_path, shared_database=False)


def test_a_damaged_key_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("not a key\n")
    (tmp_path / "secret.key").chmod(0o600)
    with pytest.raises(StoreConfigError, match="does not hold a Fernet key"):
        load_secrets(tmp_path, shared_database=False)


def test_the_environment_key_wins_over_the_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("EOMER_SECRET_KEY", key)
    assert load_secrets(tmp_path, shared_database=True).keys == (key.encode(),)
    assert not (tmp_path / "secret.key").exists()


def test_a_long_passphrase_becomes_the_same_fernet_key_every_time() -> None:
    derived = fernet_key(PASSPHRASE)
    assert derived == fernet_key(PASSPHRASE) != fernet_key(PASSPHRASE + "!")
    assert Fernet(derived).decrypt(Fernet(derived).encrypt(b"x")) == b"x"


def test_a_short_passphrase_is_refused_with_the_length_needed() -> None:
    with pytest.raises(StoreConfigError, match="at least 32 characters; one entry has 5"):
        fernet_key("short")


def test_after_rotation_old_tokens_still_open_and_new_ones_use_the_first_key() -> None:
    old, new = Fernet.generate_key(), Fernet.generate_key()
    analyst, api_url = "idp|ana", "https://api.example"
    saved = Secrets((old,)).seal("token-1", analyst=analyst, api_url=api_url)
    rotated = Secrets((new, old))
    assert rotated.unseal(saved, analyst=analyst, api_url=api_url) == "token-1"
    resealed = rotated.seal("token-2", analyst=analyst, api_url=api_url)
    assert Secrets((new,)).unseal(resealed, analyst=analyst, api_url=api_url) == "token-2"
    with pytest.raises(SecretKeyError):
        Secrets((old,)).unseal(resealed, analyst=analyst, api_url=api_url)


def test_a_seal_opens_only_for_its_analyst_and_address() -> None:
    secrets = Secrets((Fernet.generate_key(),))
    sealed = secrets.seal("token-1", analyst="idp|ana", api_url="https://api.example")
    assert "token-1" not in sealed
    for analyst, api_url in (
        ("idp|bob", "https://api.example"),
        ("idp|ana", "https://attacker.example"),
        ("idp|ana", "https://api.example/"),
    ):
        with pytest.raises(SecretKeyError, match="failed its check"):
            secrets.unseal(sealed, analyst=analyst, api_url=api_url)
    with pytest.raises(SecretKeyError):  # a byte of the seal changed
        secrets.unseal(sealed[:-2] + "AA", analyst="idp|ana", api_url="https://api.example")


def test_a_token_saved_under_another_key_is_never_returned_and_is_logged(
    database: Database,
    open_on: OpenStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("EOMER_SECRET_KEY", Fernet.generate_key().decode())
    save_connection(open_on(), "analyst", "https://api.example", "token-under-key-a")
    monkeypatch.setenv("EOMER_SECRET_KEY", Fernet.generate_key().decode())
    with caplog.at_level(logging.WARNING, logger="store.connections"):
        assert load_connection(open_on(), "analyst") is None
    assert "saved under another EOMER_SECRET_KEY" in caplog.text
    assert "token-under-key-a" not in caplog.text


def test_several_comma_separated_keys_are_read_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("EOMER_SECRET_KEY", f"{first}, {second}")
    keys = load_secrets(Path("/nonexistent"), shared_database=True).keys
    assert keys == (first.encode(), second.encode())


def test_a_tenant_is_named_by_a_keyed_hash_of_its_origin_and_token() -> None:
    secrets = Secrets((Fernet.generate_key(),))
    name = secrets.tenant_key("https://API.example:443/v1", "token-1")
    assert name == secrets.tenant_key("https://api.example", "token-1")
    assert len(name) == 64
    assert "token-1" not in name
    assert name != secrets.tenant_key("https://api.example", "token-2")
    assert name != secrets.tenant_key("https://other.example", "token-1")
    assert name != Secrets((Fernet.generate_key(),)).tenant_key("https://api.example", "token-1")


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://API.Example.com/v1/jobs", "https://api.example.com"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("http://127.0.0.1:8765/", "http://127.0.0.1:8765"),
        ("https://[::1]:8443/x", "https://[::1]:8443"),
    ],
)
def test_api_origin_is_one_name_per_api(url: str, origin: str) -> None:
    assert api_origin(url) == origin
