"""Reading job IDs from what analysts paste: IDs, URLs, POST /forecast JSON, lists of them."""

from __future__ import annotations

import json
import time

import pytest

from dashboard.jobs.job_input import (
    MAX_INPUT_CHARS,
    MAX_LIST_CHARS,
    MAX_LIST_ENTRIES,
    PREVIEW_CHARS,
    parse_job_input,
    parse_job_list,
)
from eomer_client.errors import InvalidJobIdError

JOB = "3f2b6a1e-8c1d-4b2a-9e3f-0a1b2c3d4e5f"
OTHER = "9d8c7b6a-1111-4222-8333-444455556666"
POST_ANSWER = {
    "job_id": JOB,
    "status": "pending",
    "created_at": "2026-11-29T13:03:12Z",
    "prediction_length": 24,
}


@pytest.mark.parametrize(
    "text",
    [
        JOB,
        f"  {JOB}\n",
        f'"{JOB}"',
        f"'{JOB}'",
        f"`{JOB}`",
        f"\u201c{JOB}\u201d",
        f"{JOB},",
        f"https://eomer-api.onrender.com/jobs/{JOB}",
        f"https://eomer-api.onrender.com/jobs/{JOB}/",
        f"https://eomer-api.onrender.com/jobs/{JOB}/download",
        f"https://eomer-api.onrender.com/jobs/{JOB}?x=1#top",
        f"<https://eomer-api.onrender.com/jobs/{JOB}>",
        f"eomer-api.onrender.com/jobs/{JOB}",
        f"/jobs/{JOB}",
        f"http://127.0.0.1:8765/JOBS/{JOB}",
        f"https://dashboard.example/?job={JOB}",
        json.dumps(POST_ANSWER),
        json.dumps(POST_ANSWER, indent=2),
        json.dumps([POST_ANSWER]),
    ],
)
def test_every_accepted_form_yields_the_job_id(text: str) -> None:
    assert parse_job_input(text) == JOB


def test_percent_encoded_id_in_a_url_is_decoded() -> None:
    assert parse_job_input("https://x.example/jobs/abc%2Ddef") == "abc-def"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "Nothing to look up"),
        ("   \n\t", "Nothing to look up"),
        ('""', "Nothing to look up"),
        ("x" * (MAX_INPUT_CHARS + 1), "characters long"),
        ("a" * 200, "at most 128"),
        ("https://eomer-api.onrender.com/forecast", "no /jobs/<id>"),
        ("https://eomer-api.onrender.com/jobs/", "no job ID after it"),
        ("https://eomer-api.onrender.com/jobs/a%2Fb", "slash"),
        ("http://[::1/jobs/x", "could not be read"),
        (f"https://dash.example/watchlist?job={JOB}&job={OTHER}", "holds 2 jobs"),
        ('{"status": "pending"}', "no job_id"),
        ('{"job_id": 42}', "not a string"),
        ('{"job_id": "../etc"}', "The job_id in that JSON is not usable"),
        ('{"job_id": ', "could not be read"),
        ("[1, 2]", "list of 2 entries"),
        ("[" * 3000, "could not be read"),
        ("abc def", "space"),
        ("abc?x", "question mark"),
    ],
)
def test_unusable_input_is_refused_with_a_message_saying_why(text: str, expected: str) -> None:
    with pytest.raises(InvalidJobIdError) as caught:
        parse_job_input(text)
    assert expected in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "<script>" + "A" * 500 + "</script>",
        "https://evil.example/" + "x" * 500,
        '{"job_id": "' + "y" * 500 + '"}',
        "z" * 500,
    ],
)
def test_refusal_never_echoes_much_of_the_input(text: str) -> None:
    with pytest.raises(InvalidJobIdError) as caught:
        parse_job_input(text)
    assert "A" * 61 not in caught.value.message
    for letter in "xyz":
        assert letter * (PREVIEW_CHARS + 1) not in caught.value.message


def test_list_accepts_every_separator_and_keeps_first_order() -> None:
    ids = [f"job-{n}" for n in range(6)]
    text = f"{ids[0]}, {ids[1]};{ids[2]}|{ids[3]}\n{ids[4]}\t {ids[5]}"
    assert parse_job_list(text).ids == ids


def test_list_drops_duplicates_and_counts_them() -> None:
    result = parse_job_list(f"{JOB} {OTHER} {JOB}\nhttps://x.example/jobs/{JOB}")
    assert result.ids == [JOB, OTHER]
    assert result.duplicates == 2
    assert result.rejected == []


def test_list_reports_each_junk_entry_with_a_reason() -> None:
    result = parse_job_list(f"{JOB} https://x.example/nothing a/b/c {OTHER}")
    assert result.ids == [JOB, OTHER]
    assert [rejected.entry for rejected in result.rejected] == [
        "https://x.example/nothing",
        "a/b/c",
    ]
    assert all(rejected.reason for rejected in result.rejected)


def test_list_reads_urls_and_post_answers_together() -> None:
    answers = json.dumps([POST_ANSWER, {**POST_ANSWER, "job_id": OTHER}], indent=2)
    result = parse_job_list(f"{answers}\nhttps://x.example/jobs/third/download")
    assert result.ids == [JOB, OTHER, "third"]


def test_list_reads_pretty_printed_post_answers_one_after_another() -> None:
    text = json.dumps(POST_ANSWER, indent=2) + "\n" + json.dumps({**POST_ANSWER, "job_id": OTHER})
    assert parse_job_list(text).ids == [JOB, OTHER]


def test_list_reads_a_json_array_of_strings() -> None:
    assert parse_job_list(json.dumps([JOB, OTHER])).ids == [JOB, OTHER]


def test_empty_list_is_empty_not_an_error() -> None:
    result = parse_job_list(" ,;\n ")
    assert (result.ids, result.rejected, result.duplicates) == ([], [], 0)


def test_rejected_entries_are_shown_short_and_printable() -> None:
    result = parse_job_list("bad/\u202e" + "q" * 300 + "\x07")
    (rejected,) = result.rejected
    assert len(rejected.entry) <= PREVIEW_CHARS
    assert rejected.entry.isprintable()


def test_overlong_list_is_refused_as_a_whole() -> None:
    result = parse_job_list("a " * (MAX_LIST_CHARS // 2 + 1))
    assert result.ids == []
    assert "characters long" in result.rejected[0].reason


def test_entries_beyond_the_limit_are_reported_not_read() -> None:
    result = parse_job_list(" ".join(f"j{n}" for n in range(MAX_LIST_ENTRIES + 7)))
    assert len(result.ids) == MAX_LIST_ENTRIES
    assert result.rejected[-1].entry == "7 more entries"


def _cpu_seconds(text: str) -> float:
    started = time.process_time()
    parse_job_list(text)
    return time.process_time() - started


@pytest.mark.parametrize("hostile", ["[ " * 99_000, "{ " * 99_000, "[" * 50_000 + " x" * 50_000])
def test_a_paste_of_open_brackets_costs_about_what_plain_text_of_its_size_costs(
    hostile: str,
) -> None:
    plain = "a " * (len(hostile) // 2)
    # CPU time, as a ratio to plain text of the same size: quadratic work would be thousands.
    ratio = min(_cpu_seconds(hostile) for _ in range(3)) / min(
        _cpu_seconds(plain) for _ in range(3)
    )
    assert ratio < 20


def test_json_entries_after_a_few_broken_ones_are_still_read_as_json_up_to_the_cap() -> None:
    job = "0b6f4c2e-7d1a-4c3b-9e8f-123456789abc"
    text = "[ " * 3 + f'{{"job_id": "{job}"}}'
    assert parse_job_list(text).ids == [job]
