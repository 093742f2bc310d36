"""`python3 -m eomer_client.models FILE` prints how a job answer was read, as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from eomer_client.models.__main__ import main
from tests.conftest import ROOT

Run = Callable[..., tuple[int, dict[str, object]]]


def command(*args: str) -> tuple[int, dict[str, object]]:
    """The command in a process of its own: its exit status and the JSON it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "eomer_client.models", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stderr == ""
    printed: dict[str, object] = json.loads(done.stdout)
    return done.returncode, printed


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """The command's main() in this process (a process each took ~0.5 s): status and JSON."""

    def main_of(*args: str) -> tuple[int, dict[str, object]]:
        code = main(list(args))
        out, err = capsys.readouterr()
        assert err == ""
        printed: dict[str, object] = json.loads(out)
        return code, printed

    return main_of


def saved(tmp_path: Path, content: bytes) -> str:
    path = tmp_path / "job.json"
    path.write_bytes(content)
    return str(path)


def test_a_readable_job_prints_the_job_as_understood_and_its_notes(tmp_path: Path) -> None:
    body = {
        "job_id": "j1",
        "status": "COMPLETED",
        "created_at": "2023-11-07T05:31:56",
        "completed_at": "2023-11-07T07:41:56+02:00",
        "explainability": {"warnings": ["w", None]},
        "surprise": "ignored",
    }
    code, printed = command(saved(tmp_path, json.dumps(body).encode()))
    assert code == 0
    assert printed["ok"] is True
    job = printed["job"]
    assert isinstance(job, dict)
    assert (job["job_id"], job["status"], job["status_raw"]) == ("j1", "completed", "COMPLETED")
    assert job["created_at"] == "2023-11-07T05:31:56+00:00"
    assert job["completed_at"] == "2023-11-07T05:41:56+00:00"
    assert job["explainability"]["warnings"] == ["w"]
    assert "surprise" not in job
    assert "notes" not in job
    assert printed["notes"] == [
        "created_at had no time zone; read as UTC",
        "1 warning could not be read",
    ]


def test_an_unknown_status_is_printed_as_written(tmp_path: Path, run: Run) -> None:
    code, printed = run(saved(tmp_path, b'{"job_id": "j", "status": "Queued"}'))
    assert code == 0
    assert printed["notes"] == ["unknown status, as written: 'Queued'"]


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (b"{oops", "is not valid JSON"),
        (b"", "is not valid JSON"),
        (b"\xff\xfe\x00{", "is not"),
        (b'[{"job_id": "j", "status": "running"}]', "holds a list, not a JSON object"),
        (b'"running"', "holds a string, not a JSON object"),
        (b"null", "holds null, not a JSON object"),
        (b"{}", "job_id: Field required"),
        (b'{"status": "running"}', "job_id: Field required"),
        (b'{"job_id": "j"}', "status: Field required"),
        (b'{"job_id": "j", "status": {"a": 1}}', "status must be a string"),
    ],
)
def test_an_unreadable_file_prints_why_and_exits_2(
    tmp_path: Path, run: Run, content: bytes, cause: str
) -> None:
    code, printed = run(saved(tmp_path, content))
    assert code == 2
    assert printed["ok"] is False
    assert cause in str(printed["error"])


def test_a_missing_file_exits_2(tmp_path: Path, run: Run) -> None:
    code, printed = run(str(tmp_path / "absent.json"))
    assert (code, printed["ok"]) == (2, False)
    assert "could not be opened" in str(printed["error"])


def test_no_file_prints_the_usage_and_exits_2() -> None:
    code, printed = command()
    assert (code, printed["ok"]) == (2, False)
    assert "usage:" in str(printed["error"])
