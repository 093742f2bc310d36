"""Job answers: every one a page receives is shared with same-tenant sessions and recorded.

An answer is shared with the other sessions of this process that hold the same tenant (API
origin and token), and written to the tenant's history in the store at most once per job per
status change or minute. Memory: job answers within their budget (dashboard/caching/budgets.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import streamlit as st

import store as team_store
from dashboard.jobs.job_history import facts_of
from dashboard.jobs.polling import JOB_PAGE_POLICY, WATCHLIST_POLICY
from deps.browser import asker
from deps.resources import caches, store
from deps.sessions import SESSION_IN_FLIGHT, session
from deps.tenants import history_tenant, session_tenant
from eomer_client.errors import EomerError, ResponseError
from eomer_client.models import Job
from store import Store, StoreError

_log = logging.getLogger(__name__)
HISTORY_WARNED_KEY = "deps_history_warned"


def record_answers(jobs: Sequence[Job]) -> None:
    """Write what the API said of `jobs` to the tenant's history; failures are said once."""
    known = session_tenant()
    opened = store()
    if known is None or not jobs or not isinstance(opened, Store):
        return
    throttle = caches().throttle
    facts = facts_of(jobs, session().data.started)
    # Throttled per history, not per API tenant: on the demo every browser has its own history,
    # and another browser's write of a job must not stop this one's.
    history = history_tenant(known)
    due = throttle.due(history, known.origin, facts, datetime.now(UTC))
    if not due:
        return
    try:
        team_store.record_jobs(opened, history, known.origin, due)
    except StoreError as err:
        throttle.forget(history, known.origin, due)
        _log.warning("Job history not written (%s): %s", type(err).__name__, err.detail)
        if not st.session_state.get(HISTORY_WARNED_KEY):
            st.session_state[HISTORY_WARNED_KEY] = True
            st.toast(
                "Job history could not be saved just now; the page works as before.",
                icon=":material/history_toggle_off:",
            )


def job_reader() -> Callable[[str], Job]:
    """GET /jobs/{id} for the session, shared with same-tenant sessions, recorded in history."""
    client, known = session().client, session_tenant()
    if client is None:
        raise ResponseError("No API is connected: choose one in the sidebar.")
    if known is None:
        return client.get_job
    answers, tenant, session_id = caches().jobs, known.tenant, asker()

    def read(job_id: str) -> Job:
        job = answers.get(
            tenant, job_id, client.get_job, session_id, fresh_for=JOB_PAGE_POLICY.interval
        )
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
    answers, tenant, session_id = caches().jobs, known.tenant, asker()
    # The watch list is what asks for several jobs again and again; others ask once.
    interval = WATCHLIST_POLICY.interval

    def one(job_id: str) -> Job | EomerError:
        try:
            return answers.get(tenant, job_id, client.get_job, session_id, fresh_for=interval)
        except EomerError as err:
            return err

    unique = list(dict.fromkeys(job_ids))
    workers = max(1, min(SESSION_IN_FLIGHT, len(unique)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="eomer-shared-job") as pool:
        results = dict(zip(unique, pool.map(one, unique), strict=True))
    record_answers([job for job in results.values() if isinstance(job, Job)])
    return results
