"""A job answer is read element by element: what cannot be read is dropped with a note."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from eomer_client.models import Job

Body = dict[str, object]


def job(**fields: object) -> Job:
    """A job read from JSON, the way the client reads answers."""
    return Job.model_validate_json(json.dumps({"job_id": "j", "status": "running", **fields}))


def explained(**fields: object) -> Body:
    return {"explainability": fields}


def in_artifact(**fields: object) -> Body:
    return explained(artifacts=[{"artifact_id": "a", **fields}])


def read_back(job: Job, field: str) -> list[object]:
    """The list `field` of the job's explainability summary, or of its first artifact."""
    summary = job.explainability
    if summary is None:
        return []
    owner = summary.artifacts[0] if field == "highlights" else summary
    return list(getattr(owner, field))


# Every list that can hold a bad element: its field, where it goes, and its note's nouns.
LISTS: dict[str, tuple[Callable[..., Body], tuple[str, str]]] = {
    "warnings": (explained, ("warning", "warnings")),
    "selected_analyses": (explained, ("selected analysis", "selected analyses")),
    "completed_analyses": (explained, ("completed analysis", "completed analyses")),
    "highlights": (in_artifact, ("artifact highlight", "artifact highlights")),
}
BAD_TEXT: list[object] = [None, [], {}, ["nested"], {"a": 1}]


@pytest.mark.parametrize("bad", BAD_TEXT, ids=repr)
@pytest.mark.parametrize("name", LISTS)
def test_an_unreadable_element_of_a_text_list_is_dropped_with_a_note(
    name: str, bad: object
) -> None:
    place, (singular, _) = LISTS[name]
    read = job(**place(**{name: ["first", bad, "second"]}))
    assert read_back(read, name) == ["first", "second"]
    assert f"1 {singular} could not be read" in read.notes


@pytest.mark.parametrize("name", LISTS)
def test_several_unreadable_elements_are_counted_in_one_note(name: str) -> None:
    place, (_, plural) = LISTS[name]
    read = job(**place(**{name: [None, "kept", None, None]}))
    assert read_back(read, name) == ["kept"]
    assert f"3 {plural} could not be read" in read.notes


@pytest.mark.parametrize("bad", [None, [], "artifact", 3, True], ids=repr)
def test_a_malformed_artifact_is_dropped_and_the_others_kept(bad: object) -> None:
    read = job(**explained(artifacts=[{"artifact_id": "a"}, bad, {"artifact_id": "b"}]))
    assert read.explainability is not None
    assert [artifact.artifact_id for artifact in read.explainability.artifacts] == ["a", "b"]
    assert read.notes == ["1 artifact could not be read"]


@pytest.mark.parametrize(
    ("fields", "note"),
    [
        ({"explainability": []}, "explainability could not be read"),
        ({"explainability": "yes"}, "explainability could not be read"),
        ({"external_covariate_metadata": []}, "external_covariate_metadata was not an object"),
        (explained(skipped_analyses=[]), "explainability skipped_analyses was not an object"),
        (explained(warnings={"a": "b"}), "explainability warnings was not a list"),
        (explained(artifacts={}), "explainability artifacts was not a list"),
    ],
)
def test_the_wrong_kind_of_container_is_ignored_with_a_note(fields: Body, note: str) -> None:
    assert any(text.startswith(note) for text in job(**fields).notes)


@pytest.mark.parametrize(
    ("fields", "note"),
    [
        ({"num_items": "many"}, "num_items could not be read"),
        ({"prediction_length": {}}, "prediction_length could not be read"),
        ({"elapsed_seconds": "fast"}, "elapsed_seconds could not be read"),
        ({"created_at": "yesterday"}, "created_at could not be read"),
        ({"completed_at": []}, "completed_at could not be read"),
        ({"request_id": {"id": 1}}, "request_id could not be read"),
        (in_artifact(display_order="first"), "artifact display_order could not be read"),
        (in_artifact(render_inline="maybe"), "artifact render_inline could not be read"),
        (explained(enabled=[]), "explainability enabled could not be read"),
    ],
)
def test_an_unreadable_field_is_dropped_with_a_note_not_the_job(fields: Body, note: str) -> None:
    read = job(**fields)
    assert read.job_id == "j"
    assert read.notes == [note]


def test_the_same_note_from_many_elements_is_given_once_with_a_count() -> None:
    artifacts = [{"display_order": "x"} for _ in range(3)]
    assert job(**explained(artifacts=artifacts)).notes == [
        "artifact display_order could not be read (3 times)"
    ]


def test_a_clean_job_has_no_notes() -> None:
    read = job(created_at="2023-11-07T05:31:56Z", **explained(warnings=["w"]))
    assert read.notes == []


def test_the_whole_job_still_fails_without_job_id_or_a_text_status() -> None:
    with pytest.raises(ValidationError, match="job_id"):
        Job.model_validate_json(b'{"status": "running"}')
    with pytest.raises(ValidationError, match="status must be a string"):
        Job.model_validate_json(b'{"job_id": "j", "status": {"a": 1}}')


INSTANT = datetime(2023, 11, 7, 5, 31, 56, tzinfo=UTC)
AWARE = {
    "Z": "2023-11-07T05:31:56Z",
    "+00:00": "2023-11-07T05:31:56+00:00",
    "+02:00": "2023-11-07T07:31:56+02:00",
    "-05:30": "2023-11-07T00:01:56-05:30",
    "epoch": 1699335116,
}
NAIVE = {
    "isoformat": "2023-11-07T05:31:56",
    "space": "2023-11-07 05:31:56",
    "micro": "2023-11-07T05:31:56.000000",
}


@pytest.mark.parametrize("field", ["created_at", "completed_at"])
@pytest.mark.parametrize("written", list(AWARE.values()), ids=list(AWARE))
def test_a_time_with_a_zone_is_the_same_instant_in_utc_without_a_note(
    field: str, written: object
) -> None:
    read = job(**{field: written})
    moment = getattr(read, field)
    assert moment == INSTANT
    assert moment.utcoffset() == timedelta(0)
    assert moment.tzinfo is UTC
    assert read.notes == []


@pytest.mark.parametrize("field", ["created_at", "completed_at"])
@pytest.mark.parametrize("written", list(NAIVE.values()), ids=list(NAIVE))
def test_a_time_without_a_zone_is_read_as_utc_with_a_note(field: str, written: str) -> None:
    read = job(**{field: written})
    assert getattr(read, field) == INSTANT
    assert getattr(read, field).tzinfo is UTC
    assert read.notes == [f"{field} had no time zone; read as UTC"]


def test_python_datetimes_are_made_utc_too() -> None:
    east = timezone(timedelta(hours=3))
    read = Job(
        job_id="j", status="running", created_at=datetime(2023, 11, 7, 8, 31, 56, tzinfo=east)
    )
    naive = Job(job_id="j", status="running", completed_at=datetime(2023, 11, 7, 5, 31, 56))
    assert (read.created_at, naive.completed_at) == (INSTANT, INSTANT)
    assert naive.notes == ["completed_at had no time zone; read as UTC"]


def test_times_serialise_with_a_numeric_offset() -> None:
    dumped = job(created_at="2023-11-07T05:31:56", completed_at=None).model_dump(mode="json")
    assert (dumped["created_at"], dumped["completed_at"]) == ("2023-11-07T05:31:56+00:00", None)


def test_reading_a_dumped_job_again_keeps_its_notes_once() -> None:
    read = job(status="Queued", created_at="2023-11-07T05:31:56", **explained(warnings=[None]))
    again = Job.model_validate(read.model_dump())
    assert again.notes == read.notes
    assert again.status_raw == "Queued"


def test_notes_of_jobs_read_at_the_same_time_do_not_mix() -> None:
    bodies = [
        {"job_id": f"j{i}", "status": "running", "num_items": "x" if i % 2 else 3}
        for i in range(40)
    ]
    with ThreadPoolExecutor(max_workers=8) as pool:
        jobs = list(pool.map(Job.model_validate, bodies))
    assert [bool(read.notes) for read in jobs] == [i % 2 == 1 for i in range(40)]
    assert all(len(read.notes) <= 1 for read in jobs)


@pytest.mark.parametrize(
    ("place", "noun"),
    [
        (lambda entries: {"external_covariate_metadata": entries}, "covariate setting"),
        (lambda entries: explained(skipped_analyses=entries), "skipped analysis"),
    ],
)
def test_an_unreadable_entry_of_an_object_is_dropped_with_a_note(
    place: Callable[[Body], Body], noun: str
) -> None:
    # JSON always holds JSON values; an object handed over from Python may not.
    body = {"job_id": "j", "status": "running", **place({"kept": {"a": [1]}, "bad": {1, 2}})}
    read = Job.model_validate(body)
    kept = read.external_covariate_metadata or (
        read.explainability.skipped_analyses if read.explainability else {}
    )
    assert kept == {"kept": {"a": [1]}}
    assert read.notes == [f"1 {noun} could not be read"]


def test_a_job_read_from_json_keeps_the_answer_as_parsed_unknown_fields_included() -> None:
    body = {"job_id": "j", "status": "RUNNING", "num_items": "x", "extra": [1, {"a": None}]}
    read = Job.model_validate_json(json.dumps(body))
    assert read.raw_answer == body
    assert read.num_items is None  # what the job says is still its tolerant reading


def test_a_field_called_raw_in_the_answer_cannot_replace_the_answer() -> None:
    body = {"job_id": "j", "status": "running", "raw": {"body": "forged"}}
    assert job(raw={"body": "forged"}).raw_answer == body


def test_the_raw_answer_changes_neither_equality_nor_repr_nor_the_dump() -> None:
    one = job(num_items=3, extra="one")
    other = job(num_items=3, extra="other")
    built = Job(job_id="j", status="running", status_raw="running", num_items=3)
    assert one == other == built
    assert one != job(num_items=4)
    assert "extra" not in repr(one)
    assert "raw" not in one.model_dump(mode="json")
    assert built.raw_answer is None
