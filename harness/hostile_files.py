"""Files built to hurt a server that reads them (issue 20): spreadsheet bombs, a regex CSV, a wide
CSV; and small honest spreadsheets of the same kinds, for tests and bench/isolation.py."""

from __future__ import annotations

import io
import zipfile

_XLSX_PARTS: dict[str, str | bytes] = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        '-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
        'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/office'
        'Document/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _zipped(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def xlsx(rows: list[str], shared: list[str], prolog: str = "") -> bytes:
    """A workbook whose first sheet holds `rows` (each a `<row>` element's XML)."""
    strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
    return _zipped(
        _XLSX_PARTS
        | {
            "xl/sharedStrings.xml": f'{prolog}<sst xmlns="{_MAIN}">{strings}</sst>',
            "xl/worksheets/sheet1.xml": (
                f'{prolog}<worksheet xmlns="{_MAIN}"><sheetData>{"".join(rows)}</sheetData>'
                "</worksheet>"
            ),
        }
    )


def shared_string_bomb(cells: int = 400_000, chars: int = 30_000) -> bytes:
    """About 32 KB: a header, then `cells` cells that all refer to one `chars`-long string.

    It declares about 10 MB unpacked (under any unpacked-size check); read, every cell holds
    its own copy of the string: 12 billion characters with the defaults.
    """
    header = '<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row>'
    row = '<row><c t="s"><v>2</v></c><c t="s"><v>2</v></c></row>'
    return xlsx([header, row * (cells // 2)], ["timestamp", "target", "A" * chars])


def sparse_bomb() -> bytes:
    """Two cells, at A1 and at the last cell of a sheet: a range of 17 billion cells."""
    cells = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    cells += '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return xlsx([cells], ["timestamp"])


def ods(content_body: str) -> bytes:
    """An OpenDocument spreadsheet whose content.xml body (inside office:spreadsheet) is given."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{content_body}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
        'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-'
        'type="text/xml"/></manifest:manifest>'
    )
    return _zipped(
        {
            "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
            "META-INF/manifest.xml": manifest,
            "content.xml": content,
        }
    )


def ods_cell(text: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}><text:p>{text}</text:p>'
        "</table:table-cell>"
    )


def ods_rows(rows: list[list[str]], repeat_last: int = 1) -> str:
    """A table of `rows` (cell texts); the last row repeated `repeat_last` times."""
    body = []
    for number, cells in enumerate(rows, 1):
        repeated = repeat_last if number == len(rows) else 1
        attribute = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
        body.append(
            f"<table:table-row{attribute}>{''.join(map(ods_cell, cells))}</table:table-row>"
        )
    return f'<table:table table:name="Sheet1">{"".join(body)}</table:table>'


def repeat_bomb() -> bytes:
    """A few hundred bytes of ODS: a 1,000-character cell repeated 1,000 times across and down
    a million rows, a billion copies once read."""
    row = f'<table:table-row table:number-rows-repeated="1000000">{ods_cell("A" * 1000, 1000)}'
    header = f"<table:table-row>{ods_cell('timestamp')}{ods_cell('target')}</table:table-row>"
    return ods(f'<table:table table:name="Sheet1">{header}{row}</table:table-row></table:table>')


def regex_csv(rows: int = 8, spaces: int = 3_000) -> bytes:
    """About 24 KB: times each followed by thousands of spaces and a letter, which a time
    pattern with two adjacent `\\s*` tries split by split."""
    lines = ["timestamp,target"]
    lines += [f"2024-01-{day:02d} 10:00{' ' * spaces}x,{day}" for day in range(1, rows + 1)]
    return ("\n".join(lines) + "\n").encode()


def wide_csv(columns: int = 2_000, rows: int = 200) -> bytes:
    """A table of `columns` columns of text and numbers, nothing named like a series."""
    header = ",".join(f"c{index}" for index in range(columns))
    body = [",".join(f"v{row}x{index % 7}" for index in range(columns)) for row in range(rows)]
    return ("\n".join([header, *body]) + "\n").encode()
