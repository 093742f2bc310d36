"""Untrusted text made safe for Streamlit's markdown-parsing widgets."""

from __future__ import annotations

import re

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it also disarms
# Streamlit's own extensions (`:red[...]`, `:material/x:`, `$latex$`).
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Markdown renderers turn bare addresses into links even when their punctuation is escaped; a
# zero-width space after the scheme or `www` keeps them text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|www)(?=\\?[:.])")
_ZERO_WIDTH_SPACE = "\u200b"


def escape_markdown(text: str) -> str:
    """Escape `text` so markdown shows it literally: no links, images, HTML or styling."""
    return _PUNCTUATION.sub(r"\\\1", text)


def escape_untrusted(text: str) -> str:
    """Escape text a user or a remote server wrote: as escape_markdown, and no autolinks."""
    return _AUTOLINK.sub(lambda match: match.group(1) + _ZERO_WIDTH_SPACE, escape_markdown(text))


def one_line(text: str, limit: int = 200) -> str:
    """Collapse whitespace and cut `text` to `limit` characters, for labels and captions."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
