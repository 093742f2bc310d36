"""Settings of one demo API instance; every app built from them owns its own state."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

DEFAULT_TOKENS: Mapping[str, str] = {"demo-token": "demo"}
TOKENS_ENV = "EOMER_DEMO_TOKENS"
HOSTILE_ENV = "EOMER_DEMO_HOSTILE"
BEACON_ENV = "EOMER_DEMO_BEACON_URL"
# Nothing listens on the discard port: hostile links default to somewhere harmless.
DEFAULT_BEACON_URL = "http://127.0.0.2:9"


def tokens_from_env(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The default token plus `EOMER_DEMO_TOKENS="tok:tenant,tok2:tenant2"`."""
    raw = (os.environ if env is None else env).get(TOKENS_ENV, "")
    tokens = dict(DEFAULT_TOKENS)
    for pair in filter(None, (part.strip() for part in raw.split(","))):
        token, sep, tenant = pair.partition(":")
        if not sep or not token.strip() or not tenant.strip():
            raise ValueError(f"{TOKENS_ENV} entries must look like token:tenant, got {pair!r}")
        tokens[token.strip()] = tenant.strip()
    return tokens


def hostile_from_env(env: Mapping[str, str] | None = None) -> tuple[bool, str]:
    """`EOMER_DEMO_HOSTILE=1` and `EOMER_DEMO_BEACON_URL`, for a demo started without arguments."""
    source = os.environ if env is None else env
    enabled = source.get(HOSTILE_ENV, "").strip().lower() in {"1", "true", "yes"}
    return enabled, source.get(BEACON_ENV, "").strip() or DEFAULT_BEACON_URL


@dataclass(frozen=True)
class Settings:
    """What one server instance does; `tokens` maps bearer token -> tenant."""

    faults: bool = False
    # Jobs whose every text and URL field is an attack (demo_api.hostile); off unless asked for.
    hostile: bool = False
    # Where the hostile jobs' links point: a recorder on another loopback address (tests).
    hostile_beacon_url: str = DEFAULT_BEACON_URL
    tokens: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TOKENS))
    # Seconds from start until the progressing scenarios complete (1.5 min keeps them watchable).
    progress_seconds: float = 90.0
    # Seconds an uploaded job waits in each of pending and running, so live refresh can see them.
    upload_step_seconds: float = 2.0
    max_upload_bytes: int = 10 * 1024 * 1024
    # Uploaded forecasts fitted at once, and accepted to wait; past that 503 with Retry-After.
    fit_workers: int = 1
    fit_waiting: int = 4
    fit_retry_after_seconds: int = 30
    large_job_items: int = 2500
    # Compute the seeded forecasts in a background thread at start instead of on first request.
    warm_up: bool = True
