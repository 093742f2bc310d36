"""Wiring in one place: the shared HTTP pool, the built-in demo API, the session's client and data.

Pages ask this module; components never do: they receive data, or a function that fetches.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets as _secrets
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

import httpx
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException
from streamlit.runtime import Runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

import store as team_store
from dashboard.forecast_csv import ForecastData, ReadOptions
from dashboard.isolated_reading import read_forecast_file
from dashboard.job_history import (
    DEMO_ORIGIN,
    KnownTenant,
    Sighting,
    WriteThrottle,
    facts_of,
    history_origin,
)
from dashboard.polling import JOB_PAGE_POLICY, WATCHLIST_POLICY
from dashboard.session_data import DemoJob, SessionData
from dashboard.settings import Connection, SettingsError, SignedOutError
from dashboard.shared_cache import JobAnswers, SharedForecasts
from dashboard.snapshots import SnapshotContent, content_body
from dashboard.token_acceptance import TokenAcceptance
from dashboard.upload_limits import REFUSED_TYPE, UploadLedger, UploadRefusedError
from eomer_client.client import EomerClient, Fetched
from eomer_client.errors import EomerError, ResponseError
from eomer_client.models import Job
from eomer_client.pools import OriginPools
from eomer_client.retry import RetryPolicy, never_abandoned
from store import Store, StoreError, open_store

_log = logging.getLogger(__name__)
DEMO_TOKEN = "demo-token"
SESSION_KEY = "deps_session"
_SCENARIOS_MAX_BYTES = 1024 * 1024
LINK_DEADLINE_SECONDS = 10.0
# Requests one session may have in flight: a watch list refresh asks 8 jobs at once.
SESSION_IN_FLIGHT = 8


@dataclass(frozen=True)
class ClientTiming:
    """How long a session's client waits: each read, and the retries of one call."""

    read_timeout: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)


# The API's real waits. Page tests of the fault matrix put a short read timeout and a retry
# policy on a fake clock here, so no test waits out the production deadlines.
client_timing = ClientTiming()


# Said on the page by the app shell, which waits for it (components/waiting.py).
@st.cache_resource(show_spinner=False)
def demo_api_url() -> str:
    """One built-in demo API per dashboard process, started on first use."""
    from demo_api.server import start_background_server

    url: str = start_background_server()
    return url


def _close_store(opened: Store) -> None:
    opened.close()


# Opened once per process; each replica opens its own engine on the shared database.
@st.cache_resource(show_spinner=False, on_release=_close_store)
def _open_store() -> Store:
    return open_store()


# Store errors already written to the log, so a store that stays down is logged once.
_LOGGED_STORE_ERRORS: set[str] = set()


def store() -> Store | StoreError:
    """The team store (SQLite in the data folder, or EOMER_DATABASE_URL), or why it cannot open.

    An error is not cached: the next run tries again, once the deployment fixed its settings.
    Its message is for viewers (no URL, no path); its detail goes to the server log once.
    """
    try:
        return _open_store()
    except StoreError as err:
        if err.detail not in _LOGGED_STORE_ERRORS:
            _LOGGED_STORE_ERRORS.add(err.detail)
            _log.error("The team store cannot open: %s", err.detail)
        return err


def _close_pools(pools: OriginPools) -> None:
    pools.close()


# Closed when the cache lets it go, so their sockets are not left for the garbage collector.
@st.cache_resource(show_spinner=False, on_release=_close_pools)
def http_pools() -> OriginPools:
    """Connection pools shared by every session, one per API origin; none holds a token.

    One per origin, so a session pointed at a slow or hostile API exhausts that API's pool
    only, never the connections of another analyst's healthy one.
    """
    return OriginPools()


def _abandonment_check() -> Callable[[], bool]:
    """True once this run's browser session has gone, so its requests stop at their next check."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return never_abandoned
    runtime, session_id = Runtime.instance(), ctx.session_id
    # Streamlit documents is_active_session as safe from any thread: fetch workers call it too.
    return lambda: not runtime.is_active_session(session_id)


@dataclass
class Session:
    """The connection this browser session uses, its client (None until usable), and its data."""

    connection: Connection
    client: EomerClient | None
    data: SessionData
    pools: OriginPools
    pool: httpx.Client | None = None
    problem: EomerError | None = None


def _unconnected(url: str, max_bytes: int, accept: Collection[str] | None) -> Fetched:
    raise ResponseError("No API is connected: choose one in the sidebar.")


def _new_session(connection: Connection, pools: OriginPools) -> Session:
    problem = None
    client = None
    pool = None
    if connection.api_url is not None and connection.token is not None:
        try:
            pool = pools.for_api(connection.api_url)
            client = EomerClient(
                connection.api_url,
                connection.token,
                http=pool,
                timeout=client_timing.read_timeout,
                retry=client_timing.retry,
                max_in_flight=SESSION_IN_FLIGHT,
                abandoned=_abandonment_check(),
            )
        except EomerError as err:
            problem = err
    fetch = _unconnected
    if client is not None:
        bound = client

        def fetch(url: str, max_bytes: int, accept: Collection[str] | None) -> Fetched:
            # A page run waits for its links: one try with a short deadline, and the failure
            # shown in place with its own Retry button, instead of the API's retry policy.
            return bound.fetch(
                url, max_bytes=max_bytes, accept=accept, deadline=LINK_DEADLINE_SECONDS, attempts=1
            )

    data = SessionData.start(connection.identity, fetch)
    return Session(connection, client, data, pools, pool, problem)


def connect(choice: Connection) -> EomerError | None:
    """Make `choice` the session's connection; keep client and data while it is the same one.

    Returns why no client could be made for it (for the sidebar to show), else None.
    """
    if choice.is_demo:
        choice = Connection(demo_api_url(), DEMO_TOKEN, is_demo=True)
    pools = http_pools()
    current = st.session_state.get(SESSION_KEY)
    # Released pools are closed: the session then needs a client on a new one.
    if not (
        isinstance(current, Session)
        and current.connection.identity == choice.identity
        and current.pools is pools
        and not (current.pool is not None and current.pool.is_closed)
    ):
        current = _new_session(choice, pools)
        st.session_state[SESSION_KEY] = current
    return current.problem


def session() -> Session:
    """The session's connection, client and data, as the app shell's sidebar left them."""
    current = st.session_state.get(SESSION_KEY)
    if not isinstance(current, Session):
        # Only a page run outside the app shell gets here: nothing is connected yet.
        current = _new_session(Connection(None), http_pools())
        st.session_state[SESSION_KEY] = current
    return current


def demo_jobs() -> list[DemoJob]:
    """The built-in demo's jobs when the session is on it, else an empty list."""
    current = session()
    if not current.connection.is_demo or current.client is None:
        return []
    if current.data.demo_jobs is None:
        client = current.client
        fetched = client.fetch(
            client.base_url + "/_demo/scenarios",
            max_bytes=_SCENARIOS_MAX_BYTES,
            accept=["application/json"],
        )
        rows = json.loads(fetched.content)
        current.data.demo_jobs = [
            DemoJob(*(str(row.get(key, "")) for key in ("job_id", "scenario", "status")))
            for row in rows
            if isinstance(row, dict)
        ]
    return current.data.demo_jobs


# What one session may keep of a forecast while its page is open: the file and the table read
# from it, together. The table takes about 0.8 x the file (a 200 MB file kept 430 MB in all).
FORECAST_BUDGET_BYTES = 400 * 1024 * 1024
# A bigger file leaves no room for its table, so it is refused before it is read in full. About
# 1.7 million rows with nine quantiles.
MAX_FORECAST_BYTES = FORECAST_BUDGET_BYTES // 2


def forecast_data(
    client: EomerClient, job: Job, options: ReadOptions, *, budget: int = FORECAST_BUDGET_BYTES
) -> ForecastData:
    """The job's forecast file read with `options`, downloaded once per connection.

    Only the latest job's file and reading are kept; a new reading of the same file (the viewer
    corrected a guess) parses the kept bytes again instead of downloading them. A forecast whose
    file and reading together exceed `budget` is refused with ContentError, and nothing is kept.
    """
    data = session().data
    if job.job_id not in data.forecast_files:
        data.forecast_files.clear()  # free the previous job's file and frame first
        data.forecasts.clear()
        fetched = client.download_forecast(job, max_bytes=min(MAX_FORECAST_BYTES, budget))
        data.forecast_files[job.job_id] = fetched.content
    key = (job.job_id, options)
    if key not in data.forecasts:
        data.forecasts.clear()
        reading = read_forecast_file(data.forecast_files[job.job_id], options)  # in a worker
        data.keep_forecast(key, reading, budget)
    return data.forecasts[key]


# ------------------------------------------------------------------------------------------------
# Sign-in and the analyst's saved settings
#
# The signed-in analyst's subject is kept in the browser session; every function below acts for
# that analyst only, so no page can name another's. Without sign-in nothing is saved. A store
# that cannot open or answer becomes SettingsError: the sidebar says so and the dashboard goes on.
# ------------------------------------------------------------------------------------------------

ANALYST_KEY = "deps_analyst"
# When the analyst row this session signed in to was created: another row (or none) means the
# analyst was forgotten meanwhile, in another session.
ANALYST_SINCE_KEY = "deps_analyst_since"
# The subject whose sign-in ended elsewhere: this session's st.user still names it until it
# logs out, and must not sign it in (and create its row) again.
FORGOTTEN_KEY = "deps_analyst_forgotten"
FORGOTTEN_ELSEWHERE = (
    "You were signed out: Forget me deleted your saved connection and watch lists, perhaps in "
    "another tab. Sign in again to start afresh."
)


@contextmanager
def _saving(what: str) -> Iterator[Store]:
    """The open store; a store error or an unreachable database becomes SettingsError."""
    opened = store()
    if isinstance(opened, StoreError):
        raise SettingsError(f"{what} is off: {opened}") from opened
    try:
        yield opened
    except team_store.AnalystGoneError as err:
        _signed_out_elsewhere()
        raise SignedOutError(str(err)) from err
    except StoreError as err:
        raise SettingsError(f"{what} failed: {err}") from err
    except SQLAlchemyError as err:
        raise SettingsError(
            f"{what} failed: the store's database did not answer ({type(err).__name__}). "
            "Try again in a moment; the dashboard works meanwhile, without saving."
        ) from err


def analyst() -> str | None:
    """The signed-in analyst's subject in this browser session, or None."""
    subject = st.session_state.get(ANALYST_KEY)
    return subject if isinstance(subject, str) else None


def _since() -> datetime | None:
    """When the analyst row this session signed in to was created (None: not recorded yet)."""
    since = st.session_state.get(ANALYST_SINCE_KEY)
    return since if isinstance(since, datetime) else None


def _signed_out_elsewhere() -> None:
    st.session_state[FORGOTTEN_KEY] = analyst()
    sign_out()


def sign_in(issuer: str, sub: str, email: str | None, name: str | None) -> None:
    """Make the analyst this session's own, recorded in the store once per session.

    On every later run, check the analyst was not forgotten meanwhile in another session
    (any tab, any replica): then SignedOutError, and this session is signed out.
    """
    subject = team_store.analyst_subject(issuer, sub)
    if st.session_state.get(FORGOTTEN_KEY) == subject:
        raise SignedOutError(FORGOTTEN_ELSEWHERE)
    since = _since()
    if analyst() == subject and since is not None:
        if _forgotten_since(subject, since):
            _signed_out_elsewhere()
            raise SignedOutError(FORGOTTEN_ELSEWHERE)
        return
    # Set first: a store that cannot record the sign-in must not sign the session out.
    st.session_state[ANALYST_KEY] = subject
    with _saving("Saving your settings") as opened:
        profile = team_store.record_sign_in(opened, subject, email=email, name=name)
    st.session_state[ANALYST_SINCE_KEY] = profile.created_at


def _forgotten_since(subject: str, since: datetime) -> bool:
    """True when the analyst row this session signed in to is gone (or made anew since)."""
    try:
        with _saving("Checking your sign-in") as opened:
            profile = team_store.load_analyst(opened, subject)
    except SettingsError as err:
        # A store that cannot answer now signs nobody out; writes are checked by the store.
        _log.warning("Sign-in not checked: %s", err)
        return False
    return profile is None or profile.created_at != since


def sign_out() -> None:
    """Forget the analyst in this session (before `st.logout`)."""
    st.session_state.pop(ANALYST_KEY, None)
    st.session_state.pop(ANALYST_SINCE_KEY, None)


def forget_me() -> None:
    """Delete the analyst's saved connection and watch lists, then end the session's sign-in.

    Her other sessions find the row gone on their next run and sign out (sign_in), and their
    writes create nothing (the store checks the row they signed in to).
    """
    subject = analyst()
    if subject is None:
        return
    with _saving("Forgetting you") as opened:
        team_store.forget_analyst(opened, subject)
    st.session_state[FORGOTTEN_KEY] = subject
    sign_out()


def saved_connection() -> Connection | None:
    """The API and token the signed-in analyst last connected with, or None."""
    subject = analyst()
    if subject is None:
        return None
    with _saving("Your saved connection") as opened:
        saved = team_store.load_connection(opened, subject)
    return None if saved is None else Connection(saved.api_url, saved.token)


def remember_connection(choice: Connection | None) -> None:
    """Save `choice` as the analyst's connection; None (the built-in demo) forgets it."""
    subject = analyst()
    if subject is None:
        return
    with _saving("Saving your connection") as opened:
        if choice is None or choice.api_url is None or choice.token is None:
            team_store.forget_connection(opened, subject)
        else:
            team_store.save_connection(
                opened, subject, choice.api_url, choice.token, since=_since()
            )


def saved_watchlists() -> list[team_store.SavedWatchlist]:
    """The signed-in analyst's watch lists by name; empty without sign-in."""
    subject = analyst()
    if subject is None:
        return []
    with _saving("Your saved watch lists") as opened:
        return team_store.list_watchlists(opened, subject)


def save_watchlist(name: str, job_ids: Sequence[str]) -> None:
    """Save (or replace) the analyst's watch list called `name`."""
    subject = analyst()
    if subject is None:
        raise SettingsError("Sign in to save watch lists.")
    with _saving("Saving the watch list") as opened:
        team_store.save_watchlist(opened, subject, name, job_ids, since=_since())


def delete_watchlist(name: str) -> None:
    subject = analyst()
    if subject is None:
        raise SettingsError("Sign in to delete saved watch lists.")
    with _saving("Deleting the watch list") as opened:
        team_store.delete_watchlist(opened, subject, name)


# ------------------------------------------------------------------------------------------------
# Snapshots (issue 25)
#
# A snapshot is kept in the team store under a random ID; whoever holds the link reads it, and
# nothing of the session's connection goes in. Its owner is a keyed hash of the signed-in
# analyst, else of this browser (as the demo's history is kept), so only its creator lists and
# deletes it, and the store holds neither the subject nor the browser's secret.
# ------------------------------------------------------------------------------------------------

_SNAPSHOT_OWNERS = "snapshots"


def _snapshot_owner(opened: Store) -> str:
    return opened.tenant_key(_SNAPSHOT_OWNERS, analyst() or _browser_key())


def _author(opened: Store) -> str | None:
    """The signed-in analyst's name (or email) to show on the snapshot; None without sign-in."""
    subject = analyst()
    profile = None if subject is None else team_store.load_analyst(opened, subject)
    return None if profile is None else (profile.name or profile.email)


def create_snapshot(
    title: str, content: SnapshotContent, expires_in_days: int | None
) -> team_store.SavedSnapshot:
    """Keep `content` as a new snapshot of this analyst (or browser). Raises SettingsError."""
    with _saving("Saving the snapshot") as opened:
        return team_store.create_snapshot(
            opened,
            _snapshot_owner(opened),
            title,
            content_body(content),
            created_by=_author(opened),
            expires_in_days=expires_in_days,
        )


def snapshot(snapshot_id: str) -> team_store.SnapshotLookup:
    """The snapshot a link names, for anyone holding it. Raises SettingsError."""
    with _saving("Reading the snapshot") as opened:
        return team_store.get_snapshot(opened, snapshot_id)


def own_snapshots() -> list[team_store.SavedSnapshot]:
    """This analyst's (or browser's) snapshots, newest first. Raises SettingsError."""
    with _saving("Your snapshots") as opened:
        return team_store.list_snapshots(opened, _snapshot_owner(opened))


def delete_snapshot(snapshot_id: str) -> bool:
    """Delete one of this analyst's (or browser's) snapshots. Raises SettingsError."""
    with _saving("Deleting the snapshot") as opened:
        return team_store.delete_snapshot(opened, _snapshot_owner(opened), snapshot_id)


# ------------------------------------------------------------------------------------------------
# Job history and caches shared across sessions
#
# Every job answer a page receives goes through here: it is shared with the other sessions of
# this process that hold the same tenant (API origin and token), and written to the tenant's
# history in the store (at most once per job per status change or minute). Keys always carry
# the tenant, so nothing crosses tokens. Memory: job answers at most 64 MB, forecast files and
# readings at most 512 MB each (dashboard/shared_cache.py).
# ------------------------------------------------------------------------------------------------

KNOWN_TENANTS_KEY = "deps_known_tenants"
HISTORY_WARNED_KEY = "deps_history_warned"
_TENANT_KEY = "deps_tenant"
_SIGHTINGS_LIMIT = 5


@dataclass
class SharedAnswers:
    """Per process: job answers, forecasts, which history writes are due, a key for caches."""

    jobs: JobAnswers
    forecasts: SharedForecasts
    throttle: WriteThrottle
    cache_key: bytes


@st.cache_resource(show_spinner=False)
def shared_answers() -> SharedAnswers:
    """The caches every session of this process shares (keyed by tenant).

    Both serve what they keep only to a token the API accepted within the last 10 s.
    """
    acceptance = TokenAcceptance()
    jobs, forecasts = JobAnswers(acceptance=acceptance), SharedForecasts(acceptance=acceptance)
    return SharedAnswers(jobs, forecasts, WriteThrottle(), _secrets.token_bytes(32))


def _tenant_of(origin: str, token: str) -> str:
    """The store's name for the tenant; without a store, a name private to this process."""
    opened = store()
    if isinstance(opened, Store):
        return opened.tenant_key(origin, token)
    message = f"{origin}\n{token}".encode()
    return "process:" + hmac.new(shared_answers().cache_key, message, hashlib.sha256).hexdigest()


DEMO_HISTORY_KEY = "deps_demo_history"


def _history_tenant(known: KnownTenant) -> str:
    """The tenant a connection's job history is kept under (issue 20, item 11).

    Everyone on the built-in demo holds the same token, so its history is kept per browser
    instead (per analyst when signed in): one viewer's uploads never show in another's Recent
    jobs. Caches stay shared under `known.tenant` (the demo answers everyone alike).
    """
    if known.origin != DEMO_ORIGIN:
        return known.tenant
    owner = analyst() or _browser_key()
    return _tenant_of(known.origin, f"{known.token}\n{owner}")


def _browser_key() -> str:
    """This browser's own secret: the token of Streamlit's XSRF cookie (made once per browser,
    kept across reloads and tabs; the cookie masks it anew each time), else the session's."""
    parts = st.context.cookies.get("_streamlit_xsrf", "").strip("\"'").split("|")
    if len(parts) == 4 and parts[0] == "2":
        try:
            mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
        except ValueError:
            mask = masked = b""
        if mask and masked:
            return bytes(byte ^ mask[i % len(mask)] for i, byte in enumerate(masked)).hex()
    kept: str = st.session_state.setdefault(DEMO_HISTORY_KEY, _secrets.token_hex(16))
    return kept


def session_tenant() -> KnownTenant | None:
    """The tenant of the session's connection (remembered among those it held), or None."""
    connection = session().connection
    origin = history_origin(connection.api_url, connection.is_demo)
    if origin is None or connection.token is None:
        return None
    kept = st.session_state.get(_TENANT_KEY)
    if isinstance(kept, tuple) and kept[0] == connection.identity:
        remembered = kept[1]
        if isinstance(remembered, KnownTenant):
            return remembered
    api_url = None if connection.is_demo else connection.api_url
    known = KnownTenant(_tenant_of(origin, connection.token), origin, api_url, connection.token)
    st.session_state[_TENANT_KEY] = (connection.identity, known)
    st.session_state.setdefault(KNOWN_TENANTS_KEY, {})[known.tenant] = known
    return known


def record_answers(jobs: Sequence[Job]) -> None:
    """Write what the API said of `jobs` to the tenant's history; failures are said once."""
    known = session_tenant()
    opened = store()
    if known is None or not jobs or not isinstance(opened, Store):
        return
    throttle = shared_answers().throttle
    facts = facts_of(jobs, session().data.started)
    # Throttled per history, not per API tenant: on the demo every browser has its own history,
    # and another browser's write of a job must not stop this one's.
    history = _history_tenant(known)
    due = throttle.due(history, known.origin, facts, datetime.now(UTC))
    if not due:
        return
    try:
        team_store.record_jobs(opened, history, known.origin, due)
    except (StoreError, SQLAlchemyError) as err:
        throttle.forget(history, known.origin, due)
        _log.warning("Job history not written (%s): %s", type(err).__name__, err)
        if not st.session_state.get(HISTORY_WARNED_KEY):
            st.session_state[HISTORY_WARNED_KEY] = True
            st.toast(
                "Job history could not be saved just now; the page works as before.",
                icon=":material/history_toggle_off:",
            )


def _asker() -> str:
    """This browser session's ID: a session never reuses a running job's answer it got itself."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def job_reader() -> Callable[[str], Job]:
    """GET /jobs/{id} for the session, shared with same-tenant sessions, recorded in history."""
    client, known = session().client, session_tenant()
    if client is None:
        raise ResponseError("No API is connected: choose one in the sidebar.")
    if known is None:
        return client.get_job
    answers, tenant, asker = shared_answers().jobs, known.tenant, _asker()

    def read(job_id: str) -> Job:
        job = answers.get(tenant, job_id, client.get_job, asker, fresh_for=JOB_PAGE_POLICY.interval)
        record_answers([job])
        return job

    return read


def read_jobs(job_ids: Sequence[str]) -> dict[str, Job | EomerError]:
    """Several jobs at once (at most SESSION_IN_FLIGHT), shared and recorded like job_reader."""
    client, known = session().client, session_tenant()
    if client is None:
        raise ResponseError("No API is connected: choose one in the sidebar.")
    if known is None:
        return client.get_jobs(job_ids)
    answers, tenant, asker = shared_answers().jobs, known.tenant, _asker()
    # The watch list is what asks for several jobs again and again; others ask once.
    interval = WATCHLIST_POLICY.interval

    def one(job_id: str) -> Job | EomerError:
        try:
            return answers.get(tenant, job_id, client.get_job, asker, fresh_for=interval)
        except EomerError as err:
            return err

    unique = list(dict.fromkeys(job_ids))
    workers = max(1, min(SESSION_IN_FLIGHT, len(unique)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eomer-shared-job") as pool:
        results = dict(zip(unique, pool.map(one, unique), strict=True))
    record_answers([job for job in results.values() if isinstance(job, Job)])
    return results


def shared_forecast_data(
    client: EomerClient, job: Job, options: ReadOptions, *, budget: int = FORECAST_BUDGET_BYTES
) -> ForecastData:
    """Like forecast_data, but one copy per process for every session of the same tenant."""
    known = session_tenant()
    if known is None:
        return forecast_data(client, job, options, budget=budget)

    def download() -> bytes:
        return client.download_forecast(job, max_bytes=min(MAX_FORECAST_BYTES, budget)).content

    def revalidate() -> object:
        return client.get_job(job.job_id)

    return shared_answers().forecasts.reading(
        known.tenant, job.job_id, options, download, budget, revalidate
    )


def _history_store() -> Store:
    opened = store()
    if isinstance(opened, StoreError):
        raise opened
    return opened


def job_history(
    *,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[team_store.HistoryEntry]:
    """The session tenant's jobs, newest first; empty when not connected. Raises StoreError."""
    known = session_tenant()
    if known is None:
        return []
    try:
        return team_store.recent_jobs(
            _history_store(),
            _history_tenant(known),
            known.origin,
            id_prefix=id_prefix,
            status=status,
            since=since,
            until=until,
            limit=limit,
        )
    except SQLAlchemyError as err:
        raise StoreError(_unanswered(err)) from err


def history_trends(
    *,
    days: int,
    by_preset: bool,
    zone: tzinfo,
    id_prefix: str | None = None,
    status: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[team_store.DailyTrend]:
    """The session tenant's daily figures in `zone`, of the jobs `job_history` lists with the
    same filters (over `days` days without `since`). Raises StoreError."""
    known = session_tenant()
    if known is None:
        return []
    try:
        return team_store.daily_trends(
            _history_store(),
            _history_tenant(known),
            known.origin,
            days=days,
            by_preset=by_preset,
            zone=zone,
            id_prefix=id_prefix,
            status=status,
            since=since,
            until=until,
        )
    except SQLAlchemyError as err:
        raise StoreError(_unanswered(err)) from err


def _unanswered(err: SQLAlchemyError) -> str:
    return (
        f"The job history's database did not answer ({type(err).__name__}). "
        "Try again in a moment; the rest of the dashboard works meanwhile."
    )


def _known_tenants() -> list[KnownTenant]:
    """Every connection this session held, and the signed-in analyst's saved one."""
    known: dict[str, KnownTenant] = dict(st.session_state.get(KNOWN_TENANTS_KEY, {}))
    try:
        saved = saved_connection()
    except SettingsError:
        saved = None
    origin = history_origin(saved.api_url, False) if saved is not None else None
    if saved is not None and origin is not None and saved.token is not None:
        tenant = _tenant_of(origin, saved.token)
        known.setdefault(tenant, KnownTenant(tenant, origin, saved.api_url, saved.token))
    return list(known.values())


def sightings(job_id: str) -> list[Sighting]:
    """Where else (another API or token this session held) the job was seen; newest first."""
    current = session_tenant()
    opened = store()
    if not isinstance(opened, Store):
        return []
    found: list[Sighting] = []
    for known in _known_tenants():
        if current is not None and known.tenant == current.tenant:
            continue
        # The built-in demo's history is the session's own; what was seen before it was, shared.
        tenants = dict.fromkeys((_history_tenant(known), known.tenant))
        try:
            entries = [
                entry
                for tenant in tenants
                for entry in team_store.recent_jobs(
                    opened, tenant, known.origin, id_prefix=job_id, limit=_SIGHTINGS_LIMIT
                )
            ]
        except (StoreError, SQLAlchemyError) as err:
            _log.warning("Job history not read (%s): %s", type(err).__name__, err)
            return found
        found += [Sighting(known, e) for e in entries if e.facts.job_id.lower() == job_id.lower()]
    return sorted(found, key=lambda sighting: sighting.entry.last_seen, reverse=True)


# ------------------------------------------------------------------------------------------------
# Uploads (issue 20)
#
# Streamlit's upload route keeps a file for any live session before any script runs, until the
# session ends. The ledger (dashboard/upload_limits.py) goes in front of Streamlit's store of
# uploads once per process: only a session the shell let past the sign-in gate may upload, one
# session holds at most 64 MB (32 files) and the process 400 MB, a file over a cap is kept as a
# note saying why (the page shows it), and a file no widget holds is dropped.
# ------------------------------------------------------------------------------------------------


def _guard_uploads(manager: MemoryUploadedFileManager, ledger: UploadLedger) -> None:
    """Ask the ledger before the store keeps a file; tell it when files go."""
    add, remove, end = manager.add_file, manager.remove_file, manager.remove_session_files

    def add_file(session_id: str, file: UploadedFileRec) -> None:
        try:
            ledger.admit(session_id, file.file_id, len(file.data))
        except UploadRefusedError as err:
            _log.warning("Upload of %d bytes refused: %s", len(file.data), err)
            if not err.noted:
                raise HTTPException(status_code=err.status, detail=str(err)) from err
            # The widget gets a note saying why in place of the bytes: the page shows it.
            file = UploadedFileRec(file.file_id, file.name, REFUSED_TYPE, str(err).encode())
            ledger.note(session_id, file.file_id, len(file.data))
        add(session_id, file)

    def remove_file(session_id: str, file_id: str) -> None:
        remove(session_id, file_id)
        ledger.release(session_id, file_id)

    def remove_session_files(session_id: str) -> None:
        end(session_id)
        ledger.end_session(session_id)

    manager.add_file = add_file  # type: ignore[method-assign]
    manager.remove_file = remove_file  # type: ignore[method-assign]
    manager.remove_session_files = remove_session_files  # type: ignore[method-assign]


@st.cache_resource(show_spinner=False)
def upload_ledger() -> UploadLedger:
    """The process's ledger of uploads, in front of Streamlit's store (when a server runs)."""
    ledger = UploadLedger()
    manager = _upload_store()
    if manager is not None:
        _guard_uploads(manager, ledger)
    return ledger


def _upload_store() -> MemoryUploadedFileManager | None:
    """Streamlit's store of uploads; None under AppTest, which runs scripts without a server."""
    if not Runtime.exists():
        return None
    manager = Runtime.instance().uploaded_file_mgr
    if isinstance(manager, MemoryUploadedFileManager):
        return manager
    # tests/test_deps.py fails the day Streamlit keeps uploads elsewhere.
    _log.error("Uploads are not limited: Streamlit keeps them in a %s", type(manager).__name__)
    return None


def open_uploads(allowed: bool) -> None:
    """Put the ledger in front of the upload route (once), and let this browser session's
    pages take files when it passed the sign-in gate."""
    ledger = upload_ledger()
    if allowed:
        ledger.allow(_asker())


def release_uploads(in_use: set[str]) -> None:
    """Drop this session's uploaded files that no widget holds any more (after a minute)."""
    session_id, manager = _asker(), _upload_store()
    if manager is not None and session_id:
        for file_id in upload_ledger().unused(session_id, in_use):
            manager.remove_file(session_id, file_id)
