"""The fast way through a plain UTF-8 CSV: pyarrow's reader, every column as text, in C++.

Taken when the rows below the header hold no blank line (a blank line would shift the rows'
file lines) and pyarrow reads every row; anything else is read by pandas, which pads short rows
and names the line of a long one.
"""

from __future__ import annotations

import io

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

# pandas' own text dtype, so a table read either way holds the same kind of columns.
TEXT = pd.Series([], dtype=str).dtype


def _offset(content: bytes, lines: int) -> int:
    """The byte where line `lines` + 1 starts."""
    position = 0
    for _ in range(lines):
        position = content.index(b"\n", position) + 1
    return position


def arrow_csv(
    content: bytes, separator: str, names: list[str], skipped: int
) -> pd.DataFrame | None:
    """The rows below the header as text columns named `names`, or None: read them otherwise."""
    try:
        body = content[_offset(content, skipped) :]
    except ValueError:
        return None
    if b"\n\n" in body or b"\n\r\n" in body or not body.strip():
        return None
    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=separator),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    frame: pd.DataFrame = table.to_pandas(types_mapper={pa.string(): TEXT}.get)
    return frame
