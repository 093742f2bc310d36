"""Links analysts share: the dashboard's own address plus job IDs, never a token or API address."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit, urlunsplit

from dashboard.session.routes import ITEM_PARAM, JOB_PARAM, SNAPSHOT_PAGE, SNAPSHOT_PARAM, URL_PATHS

# Trailing path segments that name a page rather than the app's base path.
_PAGE_SEGMENTS = frozenset({"job", *URL_PATHS} - {""})


class ShareLinkError(ValueError):
    """The app address cannot be turned into a share link."""


def job_page_query(job_id: str) -> dict[str, str]:
    """Query parameters that open the job page on `job_id` (for st.query_params)."""
    return {JOB_PARAM: job_id}


def _host_and_port(app_url: str) -> str:
    """The netloc without any user name or password."""
    parts = urlsplit(app_url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return host if parts.port is None else f"{host}:{parts.port}"


def app_base(app_url: str) -> str:
    """scheme://host[:port]/base-path/ of the app, from the full URL the browser shows."""
    try:
        parts = urlsplit(app_url.strip())
        netloc = _host_and_port(app_url.strip())
    except ValueError as exc:
        raise ShareLinkError("The dashboard's address could not be read.") from exc
    if parts.scheme.lower() not in {"http", "https"} or not netloc:
        raise ShareLinkError("The dashboard's address is not an http(s) URL.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and segments[-1].lower() in _PAGE_SEGMENTS:
        segments.pop()
    path = "/" + "".join(f"{segment}/" for segment in segments)
    return urlunsplit((parts.scheme.lower(), netloc, path, "", ""))


def share_url(app_url: str, page: str, job_ids: Sequence[str], items: Sequence[str] = ()) -> str:
    """A link to `page` ("", "watchlist" or "forecast") showing `job_ids` (and `items`)."""
    if page not in URL_PATHS:
        raise ShareLinkError(f"Unknown page {page!r}; expected one of {URL_PATHS}.")
    query = urlencode({JOB_PARAM: list(job_ids), ITEM_PARAM: list(items)}, doseq=True)
    return app_base(app_url) + page + (f"?{query}" if query else "")


def snapshot_url(app_url: str, snapshot_id: str) -> str:
    """The link that opens a snapshot; relative when the browser's address cannot be read."""
    query = urlencode({SNAPSHOT_PARAM: snapshot_id})
    try:
        base = app_base(app_url)
    except ShareLinkError:
        base = "/"
    return f"{base}{SNAPSHOT_PAGE.url_path}?{query}"
