"""The store's notion of now: aware UTC, so both backends keep the same instants."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
