"""The fast way through a plain UTF-8 CSV: pyarrow's reader, every column as text, in C++.

Taken when pyarrow reads a row from every line below the header (it skips blank lines, which
would shift the rows' file lines); anything else is read by pandas, which pads short rows and
names the line of a long one.
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
    content: bytes, separator: str, names: list[str], skipped: int, breaks: int
) -> pd.DataFrame | None:
    """The rows below the header as text columns named `names`, or None: read them otherwise.

    `breaks` is the count of line breaks in `content`, which the caller has already made.
    """
    try:
        body = content[_offset(content, skipped) :]
    except ValueError:
        return None
    if not body or body.isspace():
        return None
    # A line each, counted rather than searched for blank ones: the count is made anyway.
    lines = breaks - skipped + (not body.endswith(b"\n"))
    try:
        table = pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(delimiter=separator),
            convert_options=pa_csv.ConvertOptions(
                # pandas keeps text as large_string: read so, not converted after.
                column_types=dict.fromkeys(names, pa.large_string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if table.num_rows != lines:
        return None
    frame: pd.DataFrame = table.to_pandas(types_mapper={pa.large_string(): TEXT}.get)
    return frame
