"""Untrusted content made harmless, and what may come in: API addresses, uploads, tokens."""
