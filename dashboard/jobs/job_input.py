"""What an analyst pastes (an ID, a job URL, POST /forecast's JSON, or many) read as job IDs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from dashboard.safety.markdown_safety import safe_plain_text
from dashboard.session.routes import JOB_PARAM
from eomer_client.errors import InvalidJobIdError
from eomer_client.job_ids import validate_job_id

MAX_INPUT_CHARS = 4096
MAX_LIST_CHARS = 200_000
MAX_LIST_ENTRIES = 500
PREVIEW_CHARS = 60
# JSON is tried where an entry starts with { or [; each failed try may read to the end of the
# text, so after this many the rest is split as plain text and a paste costs linear time.
MAX_JSON_FAILURES = 16

_WRAPPERS = {'"': '"', "'": "'", "`": "`", "<": ">", "\u201c": "\u201d", "\u2018": "\u2019"}
_EDGE_PUNCTUATION = ",;|"
_SEPARATOR = re.compile(r"[\s,;|]")
_JOBS_SEGMENT = re.compile(r"/jobs/([^/]*)", re.IGNORECASE)
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class Rejected:
    """One entry that is not a job ID: a short, printable preview of it and why."""

    entry: str
    reason: str


@dataclass(frozen=True)
class JobList:
    """Job IDs in first-seen order, the entries refused, and how many repeats were dropped."""

    ids: list[str] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: int = 0


def preview(text: str) -> str:
    """A short printable rendering of untrusted input, safe to show in a message."""
    return safe_plain_text(text, PREVIEW_CHARS)


def _unwrapped(text: str) -> str:
    """Strip blanks, list punctuation at the ends, and matching quotes or angle brackets."""
    current = text.strip().strip(_EDGE_PUNCTUATION).strip()
    while len(current) >= 2 and _WRAPPERS.get(current[0]) == current[-1]:
        current = current[1:-1].strip()
    return current


def _validated(candidate: str, context: str = "") -> str:
    try:
        return validate_job_id(candidate)
    except InvalidJobIdError as exc:
        raise InvalidJobIdError(f"{context}{exc.message}") from exc


def _from_json_value(value: object) -> str:
    if isinstance(value, str):
        return parse_job_input(value)
    if isinstance(value, list):
        if len(value) == 1:
            return _from_json_value(value[0])
        raise InvalidJobIdError(
            f"That JSON is a list of {len(value)} entries; paste one job here "
            "(the watch list takes several)."
        )
    if not isinstance(value, dict):
        raise InvalidJobIdError("That JSON is not an object with a job_id field.")
    job_id = value.get("job_id")
    if job_id is None:
        raise InvalidJobIdError("That JSON has no job_id field.")
    if not isinstance(job_id, str):
        raise InvalidJobIdError("The job_id in that JSON is not a string.")
    return _validated(job_id.strip(), "The job_id in that JSON is not usable: ")


def _from_json(text: str) -> str:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InvalidJobIdError(
            "That looks like JSON but could not be read; paste the whole POST /forecast answer."
        ) from exc
    return _from_json_value(value)


def _from_url(text: str) -> str:
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise InvalidJobIdError("That looks like a URL but could not be read.") from exc
    match = _JOBS_SEGMENT.search(parts.path)
    if match is not None:
        if not match.group(1):
            raise InvalidJobIdError("That URL has /jobs/ but no job ID after it.")
        return _validated(match.group(1), "The job ID in that URL is not usable: ")
    # A dashboard link a colleague shared carries the job as ?job=<id>.
    shared = parse_qs(parts.query).get(JOB_PARAM, [])
    if len(shared) == 1:
        return _validated(shared[0], "The job ID in that link is not usable: ")
    if len(shared) > 1:
        raise InvalidJobIdError(
            f"That link holds {len(shared)} jobs; open it as a watch list, or paste one job."
        )
    raise InvalidJobIdError("That looks like a URL, but it has no /jobs/<id> in it.")


def parse_job_input(text: str) -> str:
    """The job ID in `text`, or InvalidJobIdError saying what is wrong with it."""
    cleaned = _unwrapped(text)
    if not cleaned:
        raise InvalidJobIdError(
            "Nothing to look up: paste a job ID, a job URL or the JSON from POST /forecast."
        )
    if len(cleaned) > MAX_INPUT_CHARS:
        raise InvalidJobIdError(
            f"That is {len(cleaned):,} characters long; a job ID, job URL or "
            "POST /forecast answer is much shorter."
        )
    if cleaned[0] in "{[":
        return _from_json(cleaned)
    if "/" in cleaned or "\\" in cleaned:
        return _from_url(cleaned)
    return _validated(cleaned)


def _json_at(text: str, pos: int) -> tuple[list[str], int] | None:
    """Entries of a JSON object or array starting at `pos`, and where it ends; None if not JSON."""
    try:
        value, end = _DECODER.raw_decode(text, pos)
    except (ValueError, RecursionError):
        return None
    values = value if isinstance(value, list) else [value]
    return [item if isinstance(item, str) else json.dumps(item) for item in values], end


def split_entries(text: str) -> list[str]:
    """Cut `text` into entries at commas, semicolons, pipes and blanks, keeping JSON whole."""
    entries: list[str] = []
    pos = failures = 0
    while pos < len(text):
        if _SEPARATOR.match(text, pos):
            pos += 1
            continue
        tried = text[pos] in "{[" and failures < MAX_JSON_FAILURES
        decoded = _json_at(text, pos) if tried else None
        if decoded is not None:
            entries.extend(decoded[0])
            pos = decoded[1]
            continue
        failures += tried
        separator = _SEPARATOR.search(text, pos)
        end = separator.start() if separator else len(text)
        entries.append(text[pos:end])
        pos = end
    return entries


def collect_job_ids(entries: Sequence[str], parse: Callable[[str], str]) -> JobList:
    """Parse each entry (up to MAX_LIST_ENTRIES), keeping IDs in first-seen order."""
    ids: dict[str, None] = {}
    rejected: list[Rejected] = []
    duplicates = 0
    for entry in entries[:MAX_LIST_ENTRIES]:
        try:
            job_id = parse(entry)
        except InvalidJobIdError as exc:
            rejected.append(Rejected(preview(entry), exc.message))
            continue
        duplicates += job_id in ids
        ids.setdefault(job_id)
    if len(entries) > MAX_LIST_ENTRIES:
        extra = len(entries) - MAX_LIST_ENTRIES
        reason = f"Only the first {MAX_LIST_ENTRIES} entries are read."
        rejected.append(Rejected(f"{extra} more entries", reason))
    return JobList(list(ids), rejected, duplicates)


def parse_job_list(text: str) -> JobList:
    """Every job ID in `text`, de-duplicated in first-seen order, with each refused entry."""
    if len(text) > MAX_LIST_CHARS:
        reason = f"The list is {len(text):,} characters long; at most {MAX_LIST_CHARS:,} are read."
        return JobList(rejected=[Rejected(preview(text), reason)])
    return collect_job_ids(split_entries(text), parse_job_input)


def _query_job_id(value: str) -> str:
    return validate_job_id(value.strip())


def read_job_ids(query_values: list[str]) -> JobList:
    """Valid job IDs from `?job=` values, de-duplicated in order; the invalid ones set aside."""
    return collect_job_ids(query_values, _query_job_id)
