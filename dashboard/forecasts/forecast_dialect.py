"""How a forecast file's text is laid out: encoding, separator, decimal mark and header lines."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from dashboard.forecasts.forecast_data import Dialect, ForecastCsvError, ReadOptions
from dashboard.tables.table_reading import decimal_mark
from dashboard.tables.text_encoding import sample_text

SAMPLE_LINES = 400
SEPARATORS = (",", ";", "\t", "|")
# Excel writes, and reads, a first line "sep=;" naming the separator.
_EXCEL_SEP = re.compile(r"^\"?sep=(.)\"?$")


@dataclass(frozen=True)
class Layout:
    """The dialect, the column names (header lines joined) and the first data rows as text."""

    dialect: Dialect
    names: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def sample(self, name: str) -> list[str]:
        """A column's values in the first data rows, trimmed."""
        index = self.names.index(name)
        return [row[index].strip() for row in self.rows if index < len(row)]


def sniff_layout(content: bytes, options: ReadOptions) -> Layout:
    """Tell the layout from the file's first lines; raise ForecastCsvError when it cannot."""
    text, encoding = sample_text(content)
    lines = [line for line in text.splitlines()[:SAMPLE_LINES] if line.strip()]
    if not lines:
        raise ForecastCsvError("The forecast file is empty. Check that the right file was sent.")
    skip = 0
    excel_sep = _EXCEL_SEP.match(lines[0].strip())
    if excel_sep:
        skip, lines = 1, lines[1:]
    separator = options.separator or (excel_sep.group(1) if excel_sep else _separator(lines))
    rows = [tuple(row) for row in csv.reader(lines, delimiter=separator)]
    header_rows = _header_rows(rows)
    data_rows = tuple(rows[header_rows:])
    decimal = options.decimal or decimal_mark(data_rows, separator)
    dialect = Dialect(separator, decimal, header_rows, skip, encoding)
    return Layout(dialect, _names(rows[:header_rows]), data_rows)


def _separator(lines: list[str]) -> str:
    """The separator that splits the header into most fields, with rows that agree with it."""
    scored = []
    for separator in SEPARATORS:
        counts = [len(row) for row in csv.reader(lines, delimiter=separator)]
        agreeing = sum(count == counts[0] for count in counts) / len(counts)
        if counts[0] > 1:
            scored.append((agreeing, counts[0], separator))
    if not scored:
        raise ForecastCsvError(
            f"The first line ({lines[0][:80]!r}) is one single column with every separator tried "
            "(comma, semicolon, tab, |). A forecast needs at least a time column and a value "
            "column: check the separator (choose it under 'Read as') or the file itself."
        )
    return max(scored)[2]


def _header_rows(rows: list[tuple[str, ...]]) -> int:
    """Header lines: one, or more where pandas wrote a column MultiIndex (sktime, darts)."""
    header = rows[0]
    named = [name for name in header if name.strip()]
    if len(set(named)) == len(named):
        return 1
    count = 1
    while count < len(rows) and rows[count] and not rows[count][0].strip():
        count += 1
    # pandas adds one more line holding the index name alone.
    if 1 < count < len(rows) and not any(cell.strip() for cell in rows[count][1:]):
        count += 1
    return count


def _names(header: list[tuple[str, ...]]) -> tuple[str, ...]:
    """One name a column: its header lines joined by spaces; unnamed ones get a placeholder."""
    width = max(len(row) for row in header)
    names = []
    for index in range(width):
        parts = [row[index].strip() for row in header if index < len(row) and row[index].strip()]
        names.append(" ".join(parts) or f"(unnamed column {index + 1})")
    return tuple(names)


def layout_note(layout: Layout) -> str:
    """Sentences to add when the columns make no sense: a joined header, a likelier separator."""
    dialect = layout.dialect
    note = ""
    if dialect.header_rows > 1:
        note = f" The column names were joined from a {dialect.header_rows}-line header."
    inside = [sep for sep in SEPARATORS if any(sep in name for name in layout.names)]
    if inside and inside[0] != dialect.separator:
        note += (
            f" The names hold {inside[0]!r}: if that is the separator, choose it (--separator, "
            f"separator=) instead of {dialect.separator!r}."
        )
    return note
