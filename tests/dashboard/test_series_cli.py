"""`python3 -m dashboard.series_files FILE`: one JSON object, exit 0 or 2, never a traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.series.series_cli import main

ROOT = Path(__file__).resolve().parents[2]


def _run(tmp_path: Path, content: bytes, *args: str, name: str = "series.csv") -> tuple[int, dict]:  # type: ignore[type-arg]
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    code = main([str(path), *args], out)
    text = out.getvalue()
    assert text.count("\n") == 1  # one JSON object, one line
    return code, json.loads(text)


def test_the_module_prints_one_json_object_and_writes_what_new_would_send(tmp_path: Path) -> None:
    source = tmp_path / "sales.csv"
    source.write_bytes(
        b"Report of store sales\n\nstore,date,sales\n"
        b'A,2024-03-01T10:00:00+05:30,"1,200.5"\nA,2024-03-01T11:00:00+05:30,NA\n'
        b"A,2024-03-01T12:00:00+05:30,3\nB,2024-03-01T10:00:00+05:30,4\n"
        b"B,2024-03-01T11:00:00+05:30,5\n"
    )
    sent = tmp_path / "sent.csv"
    done = subprocess.run(
        [sys.executable, "-m", "dashboard.series_files", str(source), "--observations", str(sent)],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer == {
        "ok": True,
        "names": ["store", "date", "sales"],
        "columns": {"item": "store", "time": "date", "target": "sales"},
        "series": 2,
        "observations": 4,
        "first": "2024-03-01T10:00:00+05:30",
        "last": "2024-03-01T12:00:00+05:30",
        "notes": [
            "skipped 1 line(s) above the header ('Report of store sales'…)",
            "dropped 1 row(s) without a value (empty, NA, ., -...)",
        ],
    }
    assert sent.read_text().splitlines() == [
        "item,time,value",
        "A,2024-03-01T10:00:00+05:30,1200.5",
        "A,2024-03-01T12:00:00+05:30,3",
        "B,2024-03-01T10:00:00+05:30,4",
        "B,2024-03-01T11:00:00+05:30,5",
    ]
    refused = subprocess.run(
        [sys.executable, "-m", "dashboard.series_files", str(tmp_path / "absent.csv")],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert refused.returncode == 2
    assert b"Traceback" not in refused.stdout + refused.stderr
    assert json.loads(refused.stdout)["ok"] is False


def test_columns_given_on_the_command_line_are_read_as_given(tmp_path: Path) -> None:
    content = b"date,Germany,France\n2024-01-01,1,2\n2024-01-02,3,4\n"
    code, answer = _run(tmp_path, content)
    assert code == 2
    assert answer["ok"] is False
    assert "'Germany', 'France'. Choose the value column" in answer["error"]
    assert answer["names"] == ["date", "Germany", "France"]
    code, answer = _run(tmp_path, content, "--target", "Germany", "--target", "France")
    assert (code, answer["series"], answer["observations"]) == (0, 2, 4)
    assert answer["columns"] == {"item": None, "time": "date", "target": ["Germany", "France"]}
    code, answer = _run(tmp_path, content, "--target", "France", "--time", "date")
    assert answer["columns"]["target"] == "France"
    assert answer["series"] == 1


def test_a_composite_key_is_a_list_of_names(tmp_path: Path) -> None:
    content = b"store,dept,date,sales\n1,1,2024-01-01,1\n1,1,2024-01-02,2\n1,2,2024-01-01,3\n"
    content += b"1,2,2024-01-02,4\n2,1,2024-01-01,5\n2,1,2024-01-02,6\n"
    code, answer = _run(tmp_path, content)
    assert code == 0
    assert answer["columns"]["item"] == ["store", "dept"]
    assert answer["series"] == 3


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"", "empty.csv", "is empty"),
        (b"%PDF-1.7\n", "report.pdf", "is a PDF document, not a table"),
        (b"PK\x03\x04 broken", "book.xlsx", "damaged"),
        (b"id,1,2,3\nA,1,2,3\nB,4,5,6\n", "steps.csv", "one row per series"),
        (b"date,value\n1,2\n3,4\n", "steps.csv", "step numbers"),
        (b"timestamp,target\n2024-01-01,x1\n2024-01-02,2\n", "bad.csv", "not a number"),
    ],
)
def test_files_that_cannot_be_read_say_why_with_exit_two(
    tmp_path: Path, content: bytes, name: str, error: str
) -> None:
    code, answer = _run(tmp_path, content, name=name)
    assert code == 2
    assert answer["ok"] is False
    assert error in answer["error"]
    assert set(answer) == {"ok", "error", "names", "columns"}


def test_an_unknown_option_is_said_as_json_too(capsys: pytest.CaptureFixture[str]) -> None:
    out = io.StringIO()
    assert main(["--nonsense"], out) == 2
    assert json.loads(out.getvalue())["ok"] is False
