"""`python3 -m eomer_client.models FILE`: how a saved job answer is read, as one JSON object."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import JsonValue, ValidationError

from eomer_client.models.job import Job, first_problem

USAGE = "usage: python3 -m eomer_client.models FILE (a saved GET /jobs/{job_id} answer)"
_JSON_KINDS = {
    list: "a list",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}


class _Refused(Exception):
    """The file cannot be read as a job; the message says why."""


def _object_in(path: Path) -> bytes:
    """The file's bytes, once they are known to hold one JSON object."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _Refused(f"{path} could not be opened: {exc.strerror or exc}") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _Refused(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    except UnicodeDecodeError as exc:
        raise _Refused(f"{path} is not UTF-8 text") from exc
    if not isinstance(data, dict):
        kind = _JSON_KINDS.get(type(data), "null")
        raise _Refused(f"{path} holds {kind}, not a JSON object with job_id and status")
    return raw


def describe(path: Path) -> dict[str, JsonValue]:
    """`{"ok": true, "job": ..., "notes": [...]}` or `{"ok": false, "error": ...}`."""
    try:
        job = Job.model_validate_json(_object_in(path))
    except _Refused as exc:
        return {"ok": False, "error": str(exc)}
    except ValidationError as exc:
        return {"ok": False, "error": f"{path} is not a readable job ({first_problem(exc)})"}
    understood: dict[str, JsonValue] = job.model_dump(mode="json", exclude={"notes"})
    return {"ok": True, "job": understood, "notes": list(job.notes)}


def main(argv: Sequence[str]) -> int:
    """Print the description of the one FILE named; 0 when it is a readable job, else 2."""
    result: dict[str, JsonValue] = (
        describe(Path(argv[0])) if len(argv) == 1 else {"ok": False, "error": USAGE}
    )
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0 if result["ok"] is True else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
