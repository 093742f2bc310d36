"""What `read_table` says of a table besides its cells (frame.attrs keys), and its error."""

from __future__ import annotations

# frame.attrs keys set by read_table: the decimal mark of a CSV file, "the index is lines", what
# the reader assumed (skipped lines, joined header rows...) and a spreadsheet's sheets.
DECIMAL, LINES, NOTES, SHEETS = "series_decimal", "series_lines", "series_notes", "series_sheets"
# The name of the sheet a spreadsheet's table was read from (SHEETS: all of its sheets).
SHEET = "series_sheet"


class SeriesFileError(ValueError):
    """A file of series cannot be read; the message says what is wrong and what to do."""
