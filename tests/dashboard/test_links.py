"""Share links carry the dashboard's address and job IDs only, and read back what they carry."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from dashboard.jobs.job_input import read_job_ids
from dashboard.session.links import (
    ShareLinkError,
    app_base,
    job_page_query,
    share_url,
    snapshot_url,
)

JOB = "3f2b6a1e-8c1d-4b2a-9e3f-0a1b2c3d4e5f"
OTHER = "9d8c7b6a-1111-4222-8333-444455556666"


def test_job_page_query_names_the_job() -> None:
    assert job_page_query(JOB) == {"job": JOB}


@pytest.mark.parametrize(
    ("app_url", "base"),
    [
        ("http://localhost:8501", "http://localhost:8501/"),
        ("http://localhost:8501/", "http://localhost:8501/"),
        ("http://localhost:8501/watchlist", "http://localhost:8501/"),
        ("http://localhost:8501/forecast?job=x#y", "http://localhost:8501/"),
        ("https://apps.example/eomer/watchlist", "https://apps.example/eomer/"),
        ("https://apps.example/eomer", "https://apps.example/eomer/"),
        ("HTTPS://Apps.Example:8443/a/b/job", "https://apps.example:8443/a/b/"),
        ("http://[::1]:8501/forecast", "http://[::1]:8501/"),
    ],
)
def test_app_base_keeps_scheme_host_port_and_base_path_only(app_url: str, base: str) -> None:
    assert app_base(app_url) == base


def test_share_url_never_carries_credentials_query_or_fragment_of_the_current_url() -> None:
    url = share_url(
        "https://alice:secret-token@apps.example/eomer/watchlist?token=sentinel&api=https://x#f",
        "forecast",
        [JOB],
    )
    assert url == f"https://apps.example/eomer/forecast?job={JOB}"
    for leaked in ("alice", "secret-token", "sentinel", "api=", "#"):
        assert leaked not in url


def test_share_url_of_the_job_page_is_the_app_root() -> None:
    assert share_url("http://localhost:8501/watchlist", "", [JOB]) == (
        f"http://localhost:8501/?job={JOB}"
    )


def test_share_url_repeats_job_and_item_parameters_in_order() -> None:
    url = share_url("http://localhost:8501", "watchlist", [JOB, OTHER], items=["store 1", "a&b"])
    query = parse_qs(urlsplit(url).query)
    assert query == {"job": [JOB, OTHER], "item": ["store 1", "a&b"]}
    assert urlsplit(url).path == "/watchlist"


def test_share_url_without_jobs_has_no_query() -> None:
    assert share_url("http://localhost:8501", "watchlist", []) == "http://localhost:8501/watchlist"


@pytest.mark.parametrize("page", ["admin", "/watchlist", "job"])
def test_share_url_refuses_unknown_pages(page: str) -> None:
    with pytest.raises(ShareLinkError):
        share_url("http://localhost:8501", page, [JOB])


@pytest.mark.parametrize("app_url", ["javascript:alert(1)", "file:///tmp/x", "", "http://[::1"])
def test_share_url_refuses_an_app_address_that_is_not_http(app_url: str) -> None:
    with pytest.raises(ShareLinkError):
        share_url(app_url, "", [JOB])


def test_read_job_ids_keeps_valid_ids_in_order_without_duplicates() -> None:
    result = read_job_ids([JOB, OTHER, JOB, f" {OTHER} "])
    assert result.ids == [JOB, OTHER]
    assert result.duplicates == 2


def test_read_job_ids_sets_invalid_values_aside_with_reasons() -> None:
    result = read_job_ids([JOB, "../../admin", "", "<script>alert(1)</script>"])
    assert result.ids == [JOB]
    assert [rejected.entry for rejected in result.rejected] == [
        "../../admin",
        "",
        "<script>alert(1)</script>",
    ]
    assert all(rejected.reason for rejected in result.rejected)


def test_a_snapshot_link_keeps_the_apps_base_and_drops_the_current_page_and_credentials() -> None:
    link = snapshot_url("https://ana:pw@dash.example:8443/eomer/snapshot?id=old#x", "a-b_c")
    assert link == "https://dash.example:8443/eomer/snapshot?id=a-b_c"
    assert snapshot_url("", "abc") == "/snapshot?id=abc"
