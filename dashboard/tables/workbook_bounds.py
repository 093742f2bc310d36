"""What a spreadsheet (a zip of XML parts) will hold once read, found in its parts beforehand.

A 32 KB XLSX can hold a shared string of thousands of characters and a million cells referring
to it: 10 MB unpacked, gigabytes once each cell holds its copy; an ODS repeats a cell or a row a
million times in one attribute. So before a workbook is read: its parts' sizes, each sheet's
extent (rows x columns, from references and repeats) and characters once read (each reference
counts its shared string, each repeat its text), its longest cell and its shared strings. XML
with a document type is refused, and XLSB, whose binary records are not inspected here.
"""

from __future__ import annotations

import io
import zipfile
from array import array
from collections.abc import Callable, Iterable

from dashboard.tables.table_bounds import BoundsError
from dashboard.tables.xml_parts import (
    Attributes,
    Extent,
    attribute,
    count_of,
    local_name,
    parse_part,
)

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000


def check_workbook(what: str, content: bytes) -> None:
    """Raise BoundsError if the workbook is too big once read (zipfile.BadZipFile: damaged)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        declared = sum(entry.file_size for entry in archive.infolist())
        if declared > MAX_UNPACKED_BYTES:
            raise BoundsError(
                f"{what} unpacks to {declared >> 20:,} MB, more than the "
                f"{MAX_UNPACKED_BYTES >> 20} MB a spreadsheet may hold here. Save the series "
                "alone as CSV and send that."
            )
        names = set(archive.namelist())
        if any(name.lower().endswith(".bin") and name.startswith("xl/") for name in names):
            raise BoundsError(
                f"{what} is a binary workbook (XLSB), which is not read here. Save it as XLSX "
                "or CSV and send that."
            )
        if "content.xml" in names:
            parse_part(what, archive, "content.xml", _OdsTables(what))
        elif "xl/workbook.xml" in names:
            _check_xlsx(what, archive, names)


class _SharedStrings:
    """The length of each shared string (`si`), in order."""

    def __init__(self, what: str) -> None:
        self.what, self.lengths, self._current, self._inside = what, array("q"), 0, False

    def start(self, name: str, attributes: Attributes) -> None:
        local = local_name(name)
        if local == "si":
            self._current = 0
        self._inside = self._inside or local == "t"

    def end(self, name: str) -> None:
        local = local_name(name)
        if local == "t":
            self._inside = False
        elif local == "si":
            self.lengths.append(self._current)
            if len(self.lengths) > MAX_SHARED_STRINGS:
                raise BoundsError(
                    f"{self.what} has more than {MAX_SHARED_STRINGS:,} shared "
                    "strings, the most read here. Save the series alone as CSV and send that."
                )

    def text(self, data: str) -> None:
        if self._inside:
            self._current += len(data)


def _column_of(reference: str) -> tuple[int, int]:
    """ "AB12" -> (column 28, row 12); (0, 0) when it is no cell reference."""
    column, digits = 0, ""
    for char in reference[:16]:
        if "A" <= char <= "Z" and not digits:
            column = column * 26 + ord(char) - 64
        elif char.isdigit():
            digits += char
        else:
            return 0, 0
    return column, count_of(digits, 0)


class _Worksheet:
    """Each cell's position and characters (a shared string counts its length)."""

    def __init__(self, extent: Extent, shared: array[int]) -> None:
        self.extent, self.shared = extent, shared
        self._row = self._column = self._chars = 0
        self._type, self._index, self._value, self._inside = "n", "", False, False

    def start(self, name: str, attributes: Attributes) -> None:
        local = local_name(name)
        if local == "row":
            self._row, self._column = count_of(attributes.get("r", ""), self._row + 1), 0
        elif local == "c":
            column, row = _column_of(attributes.get("r", ""))
            self._column = column or self._column + 1
            self._row = row or self._row
            self._type, self._index, self._chars = attributes.get("t", "n"), "", 0
            self._value = False
        elif local in ("v", "t"):
            self._inside = self._value = True

    def end(self, name: str) -> None:
        local = local_name(name)
        if local in ("v", "t"):
            self._inside = False
        elif local == "c" and self._value:
            chars = self._chars
            if self._type == "s":
                index = count_of(self._index, -1)
                chars = self.shared[index] if 0 <= index < len(self.shared) else 0
            self.extent.cell(self._row, self._column, chars)

    def text(self, data: str) -> None:
        if self._inside:
            self._chars += len(data)
            if len(self._index) < 16:
                self._index += data[:16]


def _check_xlsx(what: str, archive: zipfile.ZipFile, names: Iterable[str]) -> None:
    shared = _SharedStrings(what)
    if "xl/sharedStrings.xml" in names:
        parse_part(what, archive, "xl/sharedStrings.xml", shared)
    # Every sheet, not just the first: which one is first is the workbook's to say.
    for part in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
        extent = Extent(what, part.rpartition("/")[2].removesuffix(".xml"))
        parse_part(what, archive, part, _Worksheet(extent, shared.lengths))
        extent.check()


class _OdsTables:
    """Rows and cells with their repeats, and the text of each cell (spaces of `text:s` too)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._extent = Extent(what, "")
        self._row = self._row_repeat = self._column = self._repeat = self._chars = 0
        self._in_cell = False
        self._row_cells: list[tuple[int, int, int]] = []  # (column, chars, repeat) of filled cells
        self._starts: dict[str, Callable[[Attributes], None]] = {"table": self._table}
        self._starts |= {"table-row": self._start_row, "table-cell": self._start_cell}
        self._starts["covered-cell"] = self._start_cell

    def start(self, name: str, attributes: Attributes) -> None:
        local = local_name(name)
        if local in self._starts:
            self._starts[local](attributes)
        elif self._in_cell and local == "s":
            self._chars += count_of(attribute(attributes, "c"))
        elif self._in_cell and local in ("tab", "line-break"):
            self._chars += 1

    def _table(self, attributes: Attributes) -> None:
        self._extent.check()
        self._extent = Extent(self.what, attribute(attributes, "name")[:80])
        self._row = 0

    def _start_row(self, attributes: Attributes) -> None:
        self._row_repeat = count_of(attribute(attributes, "number-rows-repeated"))
        self._column, self._row_cells = 0, []

    def _start_cell(self, attributes: Attributes) -> None:
        self._repeat = count_of(attribute(attributes, "number-columns-repeated"))
        self._chars = len(attribute(attributes, "value"))
        self._in_cell = True

    def end(self, name: str) -> None:
        local = local_name(name)
        if local in ("table-cell", "covered-cell"):
            self._in_cell = False
            self._column += self._repeat
            if self._chars:
                self._row_cells.append((self._column, self._chars, self._repeat))
        elif local == "table-row":
            self._row += self._row_repeat
            for column, chars, repeat in self._row_cells:
                self._extent.cell(self._row, column, chars, repeat * self._row_repeat)
        elif local == "table":
            self._extent.check()

    def text(self, data: str) -> None:
        if self._in_cell:
            self._chars += len(data)
