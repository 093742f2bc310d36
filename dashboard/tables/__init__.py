"""Tables read from files (CSV, spreadsheets) as text within bounds, and CSVs handed out."""
