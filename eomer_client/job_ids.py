"""Job ID validation: one safe path segment, checked after percent-decoding."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from eomer_client.errors import InvalidJobIdError

MAX_LENGTH = 128
# Generous for anything still encoded; a longer raw value cannot decode to a valid ID anyway.
_MAX_RAW_LENGTH = MAX_LENGTH * 9
# Decoding stops changing after a few rounds for any honest input; more rounds means layering.
_MAX_DECODE_ROUNDS = 4
_ALLOWED = re.compile(r"[A-Za-z0-9._~:-]+")
_FORBIDDEN_NAMED = {
    "/": "a slash (/)",
    "\\": "a backslash (\\)",
    "?": "a question mark (?)",
    "#": "a hash (#)",
    "%": "a percent sign (%) that does not decode",
}


def _decoded(raw: str) -> str:
    """Percent-decode until stable, so `%252f` cannot smuggle a slash past the checks."""
    text = raw
    for _ in range(_MAX_DECODE_ROUNDS):
        decoded = unquote(text, errors="strict") if "%" in text else text
        if decoded == text:
            return text
        text = decoded
    raise InvalidJobIdError("Job ID is percent-encoded too many times over.")


def _first_problem(job_id: str) -> str | None:
    """Describe the first rule `job_id` breaks, or None when it is usable."""
    if not job_id.strip():
        return "Job ID is empty."
    if len(job_id) > MAX_LENGTH:
        return f"Job ID is {len(job_id)} characters long; at most {MAX_LENGTH} are allowed."
    if job_id in {".", ".."}:
        return "Job ID cannot be '.' or '..'."
    for char, name in _FORBIDDEN_NAMED.items():
        if char in job_id:
            return f"Job ID contains {name}; it must be a single path segment."
    for char in job_id:
        if not char.isprintable() or char.isspace():
            return f"Job ID contains a space or control character ({char!a})."
    if not _ALLOWED.fullmatch(job_id):
        bad = next(char for char in job_id if not _ALLOWED.fullmatch(char))
        return f"Job ID contains {bad!a}; use letters, digits and . _ ~ : - only."
    return None


def validate_job_id(raw: str) -> str:
    """Return the decoded job ID, or raise InvalidJobIdError saying which rule it breaks."""
    if len(raw) > _MAX_RAW_LENGTH:
        raise InvalidJobIdError(f"Job ID is far too long ({len(raw)} characters).")
    try:
        job_id = _decoded(raw)
    except UnicodeDecodeError as exc:
        raise InvalidJobIdError("Job ID contains percent-encoded bytes that are not text.") from exc
    problem = _first_problem(job_id)
    if problem is not None:
        raise InvalidJobIdError(problem)
    return job_id


def job_path(raw: str, suffix: str = "") -> str:
    """The API path `/jobs/{id}{suffix}` with the validated ID as one percent-encoded segment."""
    return f"/jobs/{quote(validate_job_id(raw), safe='')}{suffix}"
