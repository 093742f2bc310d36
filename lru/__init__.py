"""The one least-recently-used cache, below every package that keeps something in memory."""
