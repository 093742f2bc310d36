"""The job IDs a browser session watches: one owner, and one way to add, remove or replace them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import streamlit as st

# Kept in session state, not in the connection's data: switching API or token keeps the IDs.
WATCHED_KEY = "watchlist_jobs"


@dataclass
class WatchedJobs:
    """Job IDs in the order they were first watched, each once."""

    ids: list[str] = field(default_factory=list)

    def __contains__(self, job_id: object) -> bool:
        return job_id in self.ids

    def add(self, job_ids: Iterable[str]) -> list[str]:
        """Watch `job_ids`; returns the ones that were not watched before."""
        added = [job_id for job_id in dict.fromkeys(job_ids) if job_id not in self.ids]
        self.ids.extend(added)
        return added

    def remove(self, job_id: str) -> bool:
        """Stop watching `job_id`; says whether it was watched."""
        if job_id not in self.ids:
            return False
        self.ids.remove(job_id)
        return True

    def replace(self, job_ids: Iterable[str]) -> None:
        """Watch exactly `job_ids` (a shared link, a saved list, the editor's result)."""
        self.ids = list(dict.fromkeys(job_ids))


def watched_jobs() -> WatchedJobs:
    """The session's watched jobs, made empty on first use."""
    found = st.session_state.get(WATCHED_KEY)
    if not isinstance(found, WatchedJobs):
        found = WatchedJobs()
        st.session_state[WATCHED_KEY] = found
    return found
