"""The store's errors: one base, so the wiring can catch what the store raises and nothing else.

StoreError
 ├── StoreConfigError      the database URL, data folder or secret key settings are unusable
 ├── StoreUnansweredError  the database did not answer a query (any SQLAlchemy error)
 ├── SecretKeyError        a saved token's seal does not open (another key, or a changed row)
 ├── AnalystGoneError      the signed-in analyst was forgotten meanwhile (another tab)
 ├── WatchlistError        a watch list cannot be saved as given
 └── SnapshotError         a snapshot cannot be saved as given
"""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the store raises; its message says what to do next.

    The message may be shown to any viewer: it never names the database URL, any part of it,
    or a path on the server. `detail` is for the server's log only and may name them (never a
    password).
    """

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail or message


class StoreConfigError(StoreError):
    """The settings of the store (URL, data folder, secret key) cannot be used."""


class StoreUnansweredError(StoreError):
    """The database did not answer a query; `kind` names the SQLAlchemy error that said so.

    Made in one place, `Store.transaction`, so nothing above the store catches SQLAlchemy.
    """

    def __init__(self, kind: str, *, detail: str) -> None:
        super().__init__(
            f"The store's database did not answer ({kind}). Try again in a moment.",
            detail=detail,
        )
        self.kind = kind


class SecretKeyError(StoreError):
    """A saved token's seal does not open: another key sealed it, or its row was changed."""


class AnalystGoneError(StoreError):
    """A session acted for an analyst whose row was deleted (Forget me) after it signed in."""


class WatchlistError(StoreError):
    """A watch list cannot be saved as given (empty or long name, too many jobs)."""


class SnapshotError(StoreError):
    """A snapshot cannot be saved as given (title, size or expiry out of bounds)."""
