"""A table file read once per file and sheet, and the choice of sheet when a workbook has several.

/new and the viewer's history and actuals read files the same way, through this module.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from dashboard.isolation.isolated_reading import SeriesTable, read_series_table
from dashboard.tables.table_attrs import SeriesFileError


@dataclass(frozen=True)
class TableKeys:
    """One page's session keys: the table kept, and the prefix of its sheet choice."""

    table: str
    sheet: str


def _sheet_key(keys: TableKeys, digest: str) -> str:
    # Keyed by the file: a new workbook starts from its own first table, not another's sheet.
    return f"{keys.sheet}_{digest[:16]}"


def read_once(content: bytes, filename: str, max_bytes: int, keys: TableKeys) -> SeriesTable:
    """The file's table, read in a worker once per file and sheet: reruns reuse it.

    Raises SeriesFileError; the sheet choice then stays offered (a sheet may hold no table).
    """
    digest = hashlib.sha256(content).hexdigest()
    chosen = st.session_state.get(_sheet_key(keys, digest))
    sheet = None if chosen is None else str(chosen)
    kept = st.session_state.get(keys.table)
    if (
        isinstance(kept, SeriesTable)
        and kept.digest == digest
        and kept.filename == filename
        and sheet in (None, kept.sheet)
    ):
        sheet_choice(kept, keys)
        return kept
    try:
        table = read_series_table(content, filename, max_bytes, sheet)
    except SeriesFileError:
        if isinstance(kept, SeriesTable) and kept.digest == digest:
            sheet_choice(kept, keys)
        raise
    st.session_state[keys.table] = table
    sheet_choice(table, keys)
    return table


def sheet_choice(table: SeriesTable, keys: TableKeys) -> None:
    """A select box of the workbook's sheets, on the one read, when it has more than one."""
    sheets = table.sheets
    if len(sheets) < 2:
        return
    read = table.sheet if table.sheet in sheets else sheets[0]
    st.selectbox(
        "Sheet",
        sheets,
        index=sheets.index(read),
        key=_sheet_key(keys, table.digest),
        help="The workbook's sheets: the first that holds a table is read until you choose.",
    )
