"""A session's API and token, what it keeps, and the pages and links it moves between."""
