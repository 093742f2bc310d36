"""Following jobs: polling, their times, history, pasted IDs, the watch list, errors."""
