"""The signed-in analyst's named watch lists: save the current list, open one, delete one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Protocol

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted, one_line
from components.common.watched_ids import watched_jobs
from dashboard.jobs.timing import format_absolute
from dashboard.session.connection_settings import SettingsError

NAME_KEY = "watchlist_saved_name"
CHOSEN_KEY = "watchlist_saved_chosen"
SAVE_KEY = "watchlist_saved_save"
OPEN_KEY = "watchlist_saved_open"
DELETE_KEY = "watchlist_saved_delete"
MESSAGE_KEY = "watchlist_saved_message"


class SavedList(Protocol):
    """A saved watch list as the store returns it."""

    @property
    def name(self) -> str: ...

    @property
    def job_ids(self) -> tuple[str, ...]: ...

    @property
    def updated_at(self) -> datetime: ...


@dataclass(frozen=True)
class Shelf:
    """Where the analyst's lists are kept; each function raises SettingsError when it cannot."""

    load: Callable[[], Sequence[SavedList]]
    save: Callable[[str, Sequence[str]], None]
    delete: Callable[[str], None]


def saved_watchlists(shelf: Shelf, tz: tzinfo) -> None:
    """The "Saved watch lists" panel; opening a list replaces the session's watch list."""
    with st.expander("Saved watch lists", expanded=False, icon=":material/bookmarks:"):
        message = st.session_state.pop(MESSAGE_KEY, None)
        if isinstance(message, tuple):
            kind, text = message
            (st.success if kind == "ok" else st.error)(text)
        try:
            lists = {saved.name: saved for saved in shelf.load()}
        except SettingsError as err:
            st.warning(escape_markdown(str(err)), icon=":material/cloud_off:")
            return
        current = list(watched_jobs().ids)
        st.text_input("Name for the current list", key=NAME_KEY, max_chars=200)
        st.button(
            "Save current list",
            key=SAVE_KEY,
            disabled=not current,
            on_click=_save,
            args=(shelf, current),
            help="Saves the watched job IDs under this name, replacing a list of the same name.",
        )
        if not lists:
            st.caption("No saved watch lists yet.")
            return
        chosen = st.selectbox(
            "Saved lists",
            list(lists),
            key=CHOSEN_KEY,
            format_func=lambda name: _label(lists[name], tz),
        )
        if chosen is None:
            return
        left, right = st.columns(2)
        left.button("Open", key=OPEN_KEY, on_click=_open, args=(lists[chosen],))
        right.button("Delete", key=DELETE_KEY, on_click=_delete, args=(shelf, chosen))


def _label(saved: SavedList, tz: tzinfo) -> str:
    jobs = "1 job" if len(saved.job_ids) == 1 else f"{len(saved.job_ids)} jobs"
    return f"{one_line(saved.name, 80)} ({jobs}, saved {format_absolute(saved.updated_at, tz)})"


def _save(shelf: Shelf, job_ids: Sequence[str]) -> None:
    name = str(st.session_state.get(NAME_KEY, ""))
    try:
        shelf.save(name, job_ids)
    except SettingsError as err:
        st.session_state[MESSAGE_KEY] = ("error", escape_markdown(str(err)))
        return
    st.session_state[CHOSEN_KEY] = name.strip()
    st.session_state[MESSAGE_KEY] = ("ok", f"Saved as {escape_untrusted(name.strip())}.")


def _open(saved: SavedList) -> None:
    # The page reads the list from session state next and mirrors it into the URL.
    watched_jobs().replace(saved.job_ids)
    st.session_state[MESSAGE_KEY] = ("ok", f"Opened {escape_untrusted(saved.name)}.")


def _delete(shelf: Shelf, name: str) -> None:
    try:
        shelf.delete(name)
    except SettingsError as err:
        st.session_state[MESSAGE_KEY] = ("error", escape_markdown(str(err)))
        return
    st.session_state.pop(CHOSEN_KEY, None)
    st.session_state[MESSAGE_KEY] = ("ok", f"Deleted {escape_untrusted(name)}.")
