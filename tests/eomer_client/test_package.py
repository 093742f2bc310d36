"""The package's public names: exactly these, each importable from `eomer_client`."""

from __future__ import annotations

from typing import get_type_hints

import pytest
from pydantic import BaseModel

import eomer_client

# The exact public names, in `__all__`'s order (constants first, then alphabetical); a pin
# repeats the list on purpose.
PUBLIC = [
    "TERMINAL_STATUSES",
    "AcceptedJob",
    "AnswerLostError",
    "ApiError",
    "Artifact",
    "AuthError",
    "ConnectError",
    "ContentError",
    "ContentTooLargeError",
    "ContentTypeError",
    "EomerClient",
    "EomerError",
    "ErrorCode",
    "ExplainabilitySummary",
    "Fetched",
    "ForecastUpload",
    "InvalidJobIdError",
    "InvalidTokenError",
    "Job",
    "JobNotCompletedError",
    "JobStatus",
    "NotFoundError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ResponseError",
    "RetryPolicy",
    "ServerError",
    "TransportError",
    "UnsafeUrlError",
    "UploadTooLargeError",
    "ValidationError",
    "validate_job_id",
]


def test_all_lists_exactly_the_public_names() -> None:
    assert eomer_client.__all__ == PUBLIC


def test_every_public_name_is_importable() -> None:
    assert [name for name in PUBLIC if not hasattr(eomer_client, name)] == []


def _signatures(name: str) -> list[tuple[str, object]]:
    """Each public callable's and model field's type hints below one public name."""
    value = getattr(eomer_client, name)
    if isinstance(value, type) and issubclass(value, BaseModel):
        return [(f"{name}.{field}", info.annotation) for field, info in value.model_fields.items()]
    if isinstance(value, type):
        members = [
            (f"{name}.{attr}", member)
            for attr, member in vars(value).items()
            if callable(member) and (not attr.startswith("_") or attr == "__init__")
        ]
        return [(where, hint) for where, member in members for hint in _hints(member)]
    return [(name, hint) for hint in _hints(value)] if callable(value) else []


def _hints(member: object) -> list[object]:
    try:
        return list(get_type_hints(member).values())
    except TypeError:  # a builtin or a slot wrapper: nothing of ours to check
        return []


@pytest.mark.parametrize("name", PUBLIC)
def test_no_public_signature_or_model_field_uses_any(name: str) -> None:
    loose = [where for where, hint in _signatures(name) if "Any" in repr(hint)]
    assert loose == []
