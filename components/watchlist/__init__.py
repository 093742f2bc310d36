"""The watch list page: its editor, tables, charts and saved lists."""
