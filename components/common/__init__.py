"""What several features draw alike: errors, waits, paging, uploads, plain text."""
