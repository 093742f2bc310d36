"""The store's errors: one base, so the wiring can catch what the store raises and nothing else.

StoreError
 ├── StoreConfigError   the database URL, data folder or secret key settings are unusable
 ├── SecretKeyError     a saved token cannot be decrypted with the configured keys
 └── WatchlistError     a watch list cannot be saved as given
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises; its message says what to do next."""


class StoreConfigError(StoreError):
    """The settings of the store (URL, data folder, secret key) cannot be used."""


class SecretKeyError(StoreError):
    """A saved token was encrypted with a key that is not among the configured keys."""


class WatchlistError(StoreError):
    """A watch list cannot be saved as given (empty or long name, too many jobs)."""
