"""Every bound on what one dashboard process keeps in memory, declared together.

The wiring (`deps/resources.py`) builds the process's caches from `BUDGETS`, and nothing else
sets a size: a cache class takes its budget as an argument. The memos of pure functions over
short texts (`lru_cache` in `dashboard/safety/`) are sized at their functions: they hold a few
hundred strings, not data.
"""

from __future__ import annotations

from dataclasses import dataclass

_MB = 1024 * 1024


@dataclass(frozen=True)
class Budgets:
    """Bytes, or entries, that each cache and pool of a process may hold at most."""

    # Plots, reports and artifacts of every session together (dashboard/caching/content_budget.py).
    # One item is at most 20 MB (render_policy), so a page of a dozen fits beside other sessions.
    content_bytes: int = 512 * _MB
    # Job answers of every tenant: about 2 KB per job plus 1 KB per artifact, so thousands.
    job_answers_bytes: int = 64 * _MB
    # Forecast files and their readings: the largest allowed forecast (200 MB of file, about
    # 160 MB of table) fits with room for a few smaller ones.
    forecast_files_bytes: int = 512 * _MB
    forecast_readings_bytes: int = 512 * _MB
    # One forecast's file and the table read from it, together. The table takes about 0.8 x the
    # file (a 200 MB file kept 430 MB in all).
    forecast_bytes: int = 400 * _MB
    # Uploaded files Streamlit holds until a session ends: per session, and in all.
    upload_session_bytes: int = 64 * _MB
    upload_process_bytes: int = 400 * _MB
    # Tenants whose token's last acceptance is remembered; a forgotten one asks the API again.
    tenants: int = 10_000
    # Browsers mid-sign-in whose page to return to is remembered.
    pending_returns: int = 10_000
    # Jobs whose last history write is remembered; an older one is simply written again.
    written_jobs: int = 20_000
    # Explainability summaries whose artifacts are kept sorted (components/job/).
    explained_summaries: int = 8
    # HTTP pools kept for reuse, one per API origin; an origin beyond this gets a fresh one.
    origins: int = 32

    @property
    def max_forecast_file_bytes(self) -> int:
        """A bigger forecast file leaves no room for its table, so it is refused before it is
        read in full: about 1.7 million rows with nine quantiles."""
        return self.forecast_bytes // 2


# The process's budgets: the one place they are set.
BUDGETS = Budgets()
