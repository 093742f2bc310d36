"""Whether a piece of remote text says nothing the page has not already said."""

from __future__ import annotations

import functools
import re

# Markdown's markup, not its words: headings, emphasis, list bullets, quotes, table rules.
_MARKUP = re.compile(r"[#*_>`|\-]+")
_SPACE = re.compile(r"\s+")


# One overview is compared with every highlight, preview and card of its panel, every rerun.
@functools.lru_cache(maxsize=64)
def plain_words(markdown: str) -> str:
    """The words of a markdown text, markup dropped, spaces collapsed, case folded."""
    return _SPACE.sub(" ", _MARKUP.sub(" ", markdown)).strip().casefold()


def already_said(text: str, said: str) -> bool:
    """True when every word of `text`, in order, is a passage of `said` (empty text is not)."""
    words = plain_words(text)
    return bool(words) and words in plain_words(said)
