"""Servers and a browser for tests and benchmarks alike: the dashboard as a process, chromium."""
