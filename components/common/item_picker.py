"""The one item picker: search, then pick up to MAX_ITEMS, the choice kept in `?item=`.

The viewer picks among a forecast's items, /compare among the items every run shares; each has
its own session keys (a `PickerKeys`), so the two pages never overwrite each other's choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from components.common.plain_text import escape_untrusted
from dashboard.session.routes import ITEM_PARAM

# A multiselect over every item sends all of them to the browser on each rerun and slows the
# page past ~10,000 options (bench figures in the report); search narrows the list first.
MAX_MATCHES = 200
# Items drawn at once, one panel each: the charts (components/forecast/) draw what is picked.
MAX_ITEMS = 5


@dataclass(frozen=True)
class PickerKeys:
    """One page's picker: its session keys and the words it uses."""

    prefix: str  # session keys: <prefix>_items, <prefix>_search, ...
    chosen_label: str  # "Items to draw", "Items to compare"
    placeholder: str  # says how many items there are: "{count:,}" is filled in
    unknown: str  # the start of the note on items a link names that are not here
    instead: str  # what to do about them

    @property
    def items(self) -> str:
        return f"{self.prefix}_items"

    @property
    def search(self) -> str:
        return f"{self.prefix}_search"


def matching_items(items: Sequence[str], query: str, limit: int = MAX_MATCHES) -> list[str]:
    """The first `limit` items containing `query` (case-insensitive), in order."""
    needle = query.strip().lower()
    matches: list[str] = []
    for item in items:
        if needle in item.lower():
            matches.append(item)
            if len(matches) == limit:
                break
    return matches


def _adopt_url(keys: PickerKeys, items: Sequence[str], owner: str) -> None:
    """Take the choice from the URL for a new owner, or when the URL changed behind our back."""
    in_url = st.query_params.get_all(ITEM_PARAM)
    owner_key, url_key = f"{keys.items}_owner", f"{keys.items}_in_url"
    if st.session_state.get(owner_key) == owner and in_url == st.session_state.get(url_key):
        return
    known = set(items)
    wanted = [item for item in dict.fromkeys(in_url) if item in known]
    unknown = [item for item in in_url if item not in known]
    if unknown:
        st.warning(
            f"{keys.unknown}, so not shown: {escape_untrusted(', '.join(unknown[:10]))}. "
            f"{keys.instead}",
            icon=":material/search_off:",
        )
    if len(wanted) > MAX_ITEMS:
        st.info(f"The link names {len(wanted)} items; the first {MAX_ITEMS} are shown.")
    st.session_state[keys.items] = wanted[:MAX_ITEMS] or list(items[:1])
    st.session_state[owner_key] = owner


def pick_items(keys: PickerKeys, items: Sequence[str], owner: str) -> list[str]:
    """Search plus multiselect over `items` of `owner` (a job, a set of runs), kept in `?item=`."""
    _adopt_url(keys, items, owner)
    query = st.text_input(
        "Search items", key=keys.search, placeholder=keys.placeholder.format(count=len(items))
    )
    matches = matching_items(items, query)
    chosen: list[str] = st.session_state.get(keys.items, [])
    chosen = st.multiselect(
        f"{keys.chosen_label} (up to {MAX_ITEMS}; {len(matches):,} of {len(items):,} listed)",
        list(dict.fromkeys([*chosen, *matches])),
        key=keys.items,
        max_selections=MAX_ITEMS,
    )
    if st.query_params.get_all(ITEM_PARAM) != chosen:
        if chosen:
            st.query_params[ITEM_PARAM] = chosen
        else:
            del st.query_params[ITEM_PARAM]
    st.session_state[f"{keys.items}_in_url"] = chosen
    return chosen
