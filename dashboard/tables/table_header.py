"""Where a table starts and ends in what people export: preamble lines, header rows, footers.

Statistics offices, central banks and spreadsheets put a title, a source and notes above the
header, split the header over several rows (a name and a unit, a field and a ticker), and end
with totals or footnotes. These functions find the header among the first rows and the footer
among the last, so the reader can skip them and say so.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence

SEPARATORS = (",", ";", "\t", "|")
# The header is looked for among this many first lines.
HEADER_SEARCH = 60
# A number or a date: a value, not a column's name.
LOOKS_LIKE_DATA = re.compile(r"^(?=.*\d)[+-]?[\d.,:/\-\sTZ]+$")
_DIGIT = re.compile(r"\d")
_FOOTER_WORDS = re.compile(
    r"^(?:grand total|total|totals|sum|source|sources|note|notes|footnote|\*|©|\(c\))\b",
    re.IGNORECASE,
)
Row = Sequence[str]


def split_lines(lines: Sequence[str], separator: str) -> list[list[str]]:
    """Each line split into fields (quotes as CSV writes them)."""
    return list(csv.reader(lines, delimiter=separator))


def modal_width(rows: Sequence[Row]) -> int:
    """The number of fields most rows of more than one field have (0: none has more)."""
    widths = Counter(len(row) for row in rows if len(row) > 1)
    if not widths:
        return 0
    return max(widths.items(), key=lambda pair: (pair[1], pair[0]))[0]


def separator_of(lines: Sequence[str]) -> str | None:
    """The separator most lines agree on (preamble lines have other widths); None: one column."""
    scored = []
    for separator in SEPARATORS:
        rows = split_lines(lines, separator)
        width = modal_width(rows)
        if width > 1:
            agreeing = sum(len(row) == width for row in rows)
            scored.append((agreeing, width, -SEPARATORS.index(separator), separator))
    return max(scored)[3] if scored else None


def _filled(row: Row) -> list[str]:
    return [cell.strip() for cell in row if cell.strip()]


def _is_full(row: Row, width: int) -> bool:
    """A row filled enough to be the header: at least two cells and half the table's width."""
    return len(_filled(row)) >= max(2, (width + 1) // 2)


def header_start(rows: Sequence[Row]) -> int:
    """The index of the header: the first full row (a preamble line fills one or two cells)."""
    width = modal_width(rows[:HEADER_SEARCH])
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        if _is_full(row, width):
            return index
    return 0


def header_count(rows: Sequence[Row], start: int) -> int:
    """Header rows from `start`: the first, and those after it holding no digit (units, tickers).

    At most four, and never the last rows: a table needs rows of data below its header.
    """
    count = 1
    while count < 4 and start + count < len(rows) - 1:
        cells = _filled(rows[start + count])
        if not cells or any(_DIGIT.search(cell) for cell in cells):
            break
        count += 1
    return count


def joined_names(header: Sequence[Row]) -> list[str]:
    """One name a column: its header rows' parts joined by spaces; unnamed ones get a placeholder.

    A part that only repeats the one to its left (a merged cell as exported) is not repeated.
    """
    width = max(len(row) for row in header)
    names = []
    for index in range(width):
        parts = [row[index].strip() for row in header if index < len(row) and row[index].strip()]
        names.append(" ".join(dict.fromkeys(parts)) or f"(unnamed column {index + 1})")
    return names


def is_footer(cells: Sequence[str]) -> bool:
    """A totals row, a source or a footnote: a footer word first, or one cell of words."""
    filled = _filled(cells)
    if not filled:
        return True
    if _FOOTER_WORDS.match(filled[0]):
        return True
    return len(filled) == 1 and len(filled[0].split()) >= 3 and not LOOKS_LIKE_DATA.match(filled[0])


def looks_unnamed(names: Sequence[str]) -> bool:
    """A header mostly of values (no header at all) or of blanks cannot name the columns."""
    cleaned = [name.strip() for name in names]
    if _counts_steps(cleaned):
        return False
    values = sum(bool(LOOKS_LIKE_DATA.match(name)) for name in cleaned)
    return not any(cleaned) or 2 * values >= len(cleaned)


def _counts_steps(names: Sequence[str]) -> bool:
    """Names 1, 2, 3... (or 0, 1, 2...) after a first name or two: columns of steps."""
    steps = [name for name in names if name.isdigit()]
    numbers = [int(name) for name in steps]
    return len(steps) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
