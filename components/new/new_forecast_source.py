"""Where a new forecast's series come from: an uploaded file or a demo data set, previewed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted, one_line
from components.common.series_column_choice import choose, with_guess_notes
from components.common.table_file import TableKeys, read_once
from components.common.upload_field import kept_upload
from components.new.new_forecast_form import WEEKDAYS
from dashboard.isolation.isolated_reading import SeriesTable, checked_series
from dashboard.series.observations import ITEM, TIME, Observations
from dashboard.series.sample_series import Sample
from dashboard.series.series_checks import Problem
from dashboard.series_files import SeriesColumns, SeriesFileError
from dashboard.tables.table_reading import TABLE_TYPES

SOURCE_KEY = "new_source"
UPLOAD_KEY = "new_upload"
SAMPLE_KEY = "new_sample"
KEYS = TableKeys(table="new_table", sheet="new_sheet")
CHECKED_KEY = "new_checked"
COLUMN_KEYS = ("new_item_column", "new_timestamp_column", "new_target_column", "new_date_order")
UPLOAD, SAMPLE = "Upload a file", "Use a demo data set"
# None: read from the dates themselves; asked for only when no day in the column passes 12.
DATE_ORDERS: dict[bool | None, str] = {
    None: "Automatic",
    True: "Day first (31/01/2024)",
    False: "Month first (01/31/2024)",
}
# The API does not document its upload limit; the demo API's is 10 MB. Larger files are refused
# here, before they are read, with the same words whatever the API would have said.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
PREVIEW_ROWS = 5
_FREQUENCY_WORDS = (
    ("min", "every minute"),
    ("h", "hourly"),
    ("D", "daily"),
    *((f"W-{day}", f"weekly ({day.title()})") for day in WEEKDAYS),
    ("MS", "monthly (month start)"),
    ("ME", "monthly (month end)"),
    ("QS", "quarterly (quarter start)"),
    ("QE", "quarterly (quarter end)"),
    ("YS", "yearly (year start)"),
    ("YE", "yearly (year end)"),
)


@dataclass(frozen=True)
class SeriesSource:
    """A file to forecast: bytes, name, its table read in a worker, and origin."""

    content: bytes
    filename: str
    table: SeriesTable
    # For captions: "the uploaded file sales.csv", "the demo data set Airline passengers".
    label: str

    @property
    def frame(self) -> pd.DataFrame:
        """The table: every value as text, indexed by file line."""
        return self.table.frame


def _read(content: bytes, filename: str, label: str) -> SeriesSource:
    """The file read (in a worker) once per file and sheet: reruns reuse the table and guess."""
    return SeriesSource(
        content, filename, read_once(content, filename, MAX_UPLOAD_BYTES, KEYS), label
    )


def _uploaded() -> tuple[bytes, str, str] | None:
    upload = kept_upload(
        st.file_uploader(
            f"CSV, TSV, TXT, XLSX, XLS or ODS file, up to {MAX_UPLOAD_MB} MB",
            type=list(TABLE_TYPES),
            key=UPLOAD_KEY,
            max_upload_size=MAX_UPLOAD_MB,
            help=(
                "Long format: one row per series, time and value. The API does not publish its "
                f"size limit; this dashboard sends files of up to {MAX_UPLOAD_MB} MB."
            ),
        )
    )
    if upload is None:
        st.info("Choose a file, or use a demo data set.", icon=":material/upload_file:")
        return None
    return upload.getvalue(), upload.name, f"the uploaded file {one_line(upload.name, 80)}"


def _sampled(samples: Mapping[str, Sample]) -> tuple[bytes, str, str]:
    name = st.selectbox(
        "Demo data set", list(samples), format_func=lambda key: samples[key].title, key=SAMPLE_KEY
    )
    sample = samples[name]
    st.caption(escape_markdown(sample.description))
    return sample.csv(), sample.filename, f"the demo data set {sample.title}"


def series_source(samples: Mapping[str, Sample]) -> SeriesSource | None:
    """The file or demo data set chosen, read as a table; None (with the reason shown) if none."""
    kind = st.radio("Source", [UPLOAD, SAMPLE], horizontal=True, key=SOURCE_KEY)
    chosen = _uploaded() if kind == UPLOAD else _sampled(samples)
    if chosen is None:
        return None
    try:
        return _read(*chosen)
    except SeriesFileError as err:
        st.error(escape_untrusted(str(err)), icon=":material/error:")
        return None


def _guessed(table: SeriesTable) -> SeriesColumns:
    """The columns by name and content; the first ones when nothing looks like a series."""
    if table.guess is not None:
        return table.guess
    names = [str(name) for name in table.frame.columns]
    return SeriesColumns(None, names[0], names[-1])


def _choice(label: str, options: Sequence[str], guess: str, key: str, help: str) -> str:
    return str(st.selectbox(label, options, index=list(options).index(guess), key=key, help=help))


@dataclass(frozen=True)
class SeriesReading:
    """Which column is which, and the date order for dates such as 01/02/2024 (None: auto)."""

    columns: SeriesColumns
    dayfirst: bool | None


def column_choice(source: SeriesSource) -> SeriesReading:
    """The first rows, which column is which (guessed, changeable) and the date order."""
    st.dataframe(source.frame.head(PREVIEW_ROWS), key="new_preview")
    st.caption(f"The first {PREVIEW_ROWS} rows; on the left, their lines in the file.")
    names = [str(name) for name in source.frame.columns]
    guess = _guessed(source.table)
    # Keyed by the file, so a new file starts from its own guess, and reruns keep a choice.
    keys = [f"{key}_{source.table.reading_key}" for key in COLUMN_KEYS]
    item_column, time_column, target_column, order_column = st.columns(4)
    with item_column:
        item = choose(
            "Item column", names, guess.item, keys[0], role="item", help="Names each series."
        )
    with time_column:
        time = _choice("Time column", names, guess.timestamp, keys[1], "When each value was seen.")
    with target_column:
        target = choose(
            "Target column",
            names,
            guess.target,
            keys[2],
            role="target",
            help="The values to forecast.",
        )
    with order_column:
        dayfirst = st.selectbox(
            "Date order",
            list(DATE_ORDERS),
            format_func=DATE_ORDERS.__getitem__,
            key=keys[3],
            help="For dates such as 01/02/2024, when no day in the file is above 12.",
        )
    chosen = with_guess_notes(SeriesColumns(item, time, target or guess.target), guess)
    return SeriesReading(chosen, dayfirst)


def checked_history(
    source: SeriesSource, reading: SeriesReading
) -> tuple[Observations | None, list[Problem]]:
    """The series as read, once every check passes; else None and what to fix.

    Checked in a worker once per file, sheet, label and reading: reruns (the settings changed)
    reuse it. The table's reading key names the file's bytes and sheet.
    """
    key = (source.table.reading_key, source.label, reading)
    kept = st.session_state.get(CHECKED_KEY)
    if isinstance(kept, tuple) and kept[0] == key:
        found: tuple[Observations | None, list[Problem]] = kept[1]
        return found
    checked = checked_series(
        source.table,
        reading.columns,
        size_bytes=len(source.content),
        max_bytes=MAX_UPLOAD_BYTES,
        label=source.label,
        dayfirst=reading.dayfirst,
    )
    st.session_state[CHECKED_KEY] = (key, checked)
    return checked


def frequency_word(times: pd.Series) -> str:
    """How often one series is observed, in words ("daily"), or "irregular"."""
    stamps = pd.DatetimeIndex(times.dropna().sort_values().unique())
    if len(stamps) < 2:
        return "a single time"
    for code, word in _FREQUENCY_WORDS:
        if pd.date_range(stamps[0], periods=len(stamps), freq=code).equals(stamps):
            return word
    return "irregular"


def _span(times: pd.Series) -> str:
    first, last = times.min(), times.max()
    if pd.api.types.is_datetime64_any_dtype(times):
        return f"{first:%Y-%m-%d} … {last:%Y-%m-%d}"
    return f"steps {first:g} … {last:g}"


def series_summary(observed: Observations, rows: int) -> str:
    """One line: "3 series, 1,234 rows, 2019-01-01 … 2024-06-30, daily"."""
    frame = observed.frame
    count = len(observed.items)
    parts = [f"{count:,} series" if count != 1 else "1 series", f"{rows:,} rows"]
    if frame.empty:
        return ", ".join(parts)
    parts.append(_span(frame[TIME]))
    if pd.api.types.is_datetime64_any_dtype(frame[TIME]):
        longest = frame.groupby(ITEM)[TIME].size().idxmax()
        parts.append(frequency_word(frame.loc[frame[ITEM] == longest, TIME]))
    return ", ".join(parts)


def series_problems(problems: Sequence[Problem]) -> None:
    """The checks that failed, one per line; each message names its lines and columns."""
    lines = [f"- {escape_untrusted(one_line(problem.message, 400))}" for problem in problems]
    st.error(
        "**The data cannot be sent yet.** Fix these in the file, or choose other columns:\n\n"
        + "\n".join(lines),
        icon=":material/rule:",
    )
