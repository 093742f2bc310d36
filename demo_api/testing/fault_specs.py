"""What a fault is, as POSTed to /_demo/faults, and how many requests it has left."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

FaultKind = Literal[
    "latency",
    "status",
    "html",
    "empty",
    "truncated",
    "array",
    "drip",
    "oversized",
    "drop",
    "accept_then_drop",
]


class FaultSpec(BaseModel):
    """One fault, as POSTed to /_demo/faults."""

    kind: FaultKind
    path_prefix: str | None = None
    job_id: str | None = None
    count: Annotated[int | None, Field(ge=1)] = None
    latency_seconds: Annotated[float, Field(ge=0, le=300)] = 1.0
    status: Annotated[int | None, Field(ge=200, le=599)] = None
    retry_after: str | None = None
    error_code: str | None = None
    drip_seconds: Annotated[float, Field(ge=0, le=300)] = 5.0
    chunk_bytes: Annotated[int, Field(ge=1)] = 16
    size_bytes: Annotated[int, Field(ge=1)] = 20 * 1024 * 1024
    declare_length: bool = False

    def matches(self, path: str) -> bool:
        """By path prefix and/or job ID (a path segment); a fault with neither matches all."""
        if self.path_prefix is not None and not path.startswith(self.path_prefix):
            return False
        return self.job_id is None or self.job_id in path.split("/")


class ActiveFault(BaseModel):
    """A registered fault and how many more requests it applies to (None: all)."""

    fault_id: int
    spec: FaultSpec
    remaining: int | None
