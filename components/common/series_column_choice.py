"""Choosing which column of an uploaded table is which (composite keys and wide files offered
as guessed), and the "Read as" line that says what the reader assumed."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.common.plain_text import escape_untrusted, one_line
from dashboard.series.series_columns import SeriesColumns
from dashboard.tables.table_attrs import NOTES

NO_ITEM = "(none: one series)"
Choice = str | tuple[str, ...] | None


def choice_label(value: Choice, role: str = "item") -> str:
    """What a choice is called in its select box."""
    if value is None:
        return NO_ITEM
    if isinstance(value, str):
        return value
    if role == "item":
        return " + ".join(value)
    return f"{value[0]} … {value[-1]} ({len(value):,} columns: one series each)"


def choose(
    label: str,
    names: Sequence[str],
    guess: Choice,
    key: str,
    *,
    role: str,
    help: str | None = None,
) -> Choice:
    """A select box of the table's columns, the guess first when it is several together."""
    options: dict[str, Choice] = {}
    if role == "item":
        options[NO_ITEM] = None
    if isinstance(guess, tuple):
        options[choice_label(guess, role)] = guess
    options.update({name: name for name in names})
    labels = list(options)
    wanted = choice_label(guess, role)
    index = labels.index(wanted) if wanted in options else 0
    chosen = st.selectbox(label, labels, index=index, key=key, help=help)
    return options[str(chosen)]


def with_guess_notes(chosen: SeriesColumns, guess: SeriesColumns) -> SeriesColumns:
    """The columns chosen, with the guess's notes when they are the guess."""
    return dataclasses.replace(chosen, notes=guess.notes) if chosen == guess else chosen


def table_notes(frame: pd.DataFrame, columns: SeriesColumns | None) -> list[str]:
    """What reading the table and guessing its columns assumed."""
    notes = list(frame.attrs.get(NOTES, []))
    return notes + (list(columns.notes) if columns is not None else [])


def read_as(notes: Sequence[str]) -> None:
    """ "Read as": every assumption, in one line (the notes quote the file: untrusted)."""
    if notes:
        text = one_line("; ".join(dict.fromkeys(notes)), 600)
        st.caption(f":material/table_view: **Read as** {escape_untrusted(text)}")
