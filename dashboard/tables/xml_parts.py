"""The XML parts of a zip, read as a stream: expat in chunks, no document type, bounded inflation.

Used to find what a spreadsheet will hold before it is read (dashboard/tables/workbook_bounds.py).
"""

from __future__ import annotations

import zipfile
from typing import Protocol
from xml.parsers import expat

from dashboard.tables.table_bounds import (
    BoundsError,
    check_cell_chars,
    check_cells,
    check_text_chars,
)

_CHUNK = 1 << 16
Attributes = dict[str, str]


class Handler(Protocol):
    """Element callbacks, as expat calls them (names are "namespace}local")."""

    def start(self, name: str, attributes: Attributes) -> None: ...
    def end(self, name: str) -> None: ...
    def text(self, data: str) -> None: ...


def parse_part(what: str, archive: zipfile.ZipFile, part: str, handler: Handler) -> None:
    """Feed one part to `handler` through expat, in chunks, refusing a DTD and over-inflation."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = handler.start, handler.end
    parser.CharacterDataHandler = handler.text

    def refuse_dtd(*_: object) -> None:
        raise BoundsError(f"{what} has a document type in {part}, which spreadsheets never have.")

    parser.StartDoctypeDeclHandler = refuse_dtd
    declared = archive.getinfo(part).file_size
    read = 0
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            read += len(chunk)
            if read > declared:
                raise BoundsError(f"{what} unpacks to more than it declares in {part}.")
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def local_name(name: str) -> str:
    return name.rpartition("}")[2]  # expat joins namespace and name with "}"


def attribute(attributes: Attributes, local: str, default: str = "") -> str:
    for name, value in attributes.items():
        if local_name(name) == local:
            return value
    return default


def count_of(text: str, default: int = 1) -> int:
    """A repeat count or an index as written (a huge one as 10**18); `default` if no number."""
    if not (text.isascii() and text.isdigit()):
        return default
    return int(text) if len(text) <= 18 else 10**18


class Extent:
    """A sheet's extent and characters, for the bounds."""

    def __init__(self, what: str, sheet: str) -> None:
        self.what, self.sheet = what, sheet
        self.rows = self.columns = self.chars = 0

    def cell(self, row: int, column: int, chars: int, copies: int = 1) -> None:
        if chars > 0 or copies > 1:
            check_cell_chars(self.what, chars, f"sheet {self.sheet!r}, row {row}")
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)
        self.chars += chars * copies

    def check(self) -> None:
        check_cells(self.what, self.rows, self.columns)
        check_text_chars(self.what, self.chars)
