"""Session-state keys shared by more than one page."""

# list[str] of job IDs the session watches, in the order they were added.
WATCHLIST_JOBS = "watchlist_jobs"
