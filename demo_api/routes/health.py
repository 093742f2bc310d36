"""GET /health: the version, the time, and whether faults are on; no token needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

import demo_api
from demo_api.clock import utc_now
from demo_api.dependencies import State

router = APIRouter()


@router.get("/health")
def health(state: State) -> dict[str, Any]:
    return {
        "version": demo_api.__version__,
        "timestamp": utc_now(state.clock).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "status": "ok",
        "commit": "demo",
        "checks": {
            "scenarios": "ok",
            "forecast_worker": "ok",
            "faults": "enabled" if state.settings.faults else "disabled",
        },
    }
