"""Long lists drawn a page at a time: a first page, then one more page per click."""

from __future__ import annotations

import streamlit as st


def shown_count(key: str, page_size: int) -> int:
    """How many items of the list kept under `key` this run shows (at least a first page)."""
    shown: int = st.session_state.setdefault(key, page_size)
    return shown


def more_button(key: str, total: int, page_size: int, noun: str) -> None:
    """Under the list: "Show N more of M <noun>", which shows one more page when clicked."""
    shown = shown_count(key, page_size)
    hidden = total - shown
    label = f"Show {min(hidden, page_size)} more of {hidden:,} {noun}"
    if hidden > 0 and st.button(label, key=f"{key}_more"):
        st.session_state[key] = shown + page_size
        st.rerun()
