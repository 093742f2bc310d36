"""Reading a file of observed series (CSV or spreadsheet) into text columns and then Observations.

`read_table` (dashboard/tables/table_reading.py) keeps every value as text, indexed by file line;
`guess_columns` (dashboard/series/series_guess.py) says which column is which; `to_observations`
(dashboard/series/series_rows.py) parses them. `python3 -m dashboard.series_files FILE` says how a
file reads, as JSON (dashboard/series/series_cli.py).
"""

from __future__ import annotations

import sys

from dashboard.series.series_columns import SeriesColumns
from dashboard.series.series_guess import guess_columns
from dashboard.series.series_rows import to_observations
from dashboard.tables.table_attrs import SeriesFileError
from dashboard.tables.table_reading import read_table

__all__ = [
    "SeriesColumns",
    "SeriesFileError",
    "guess_columns",
    "read_table",
    "to_observations",
]

if __name__ == "__main__":
    from dashboard.series.series_cli import main

    sys.exit(main(sys.argv[1:]))
