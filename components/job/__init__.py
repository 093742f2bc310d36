"""The job page: its picker, status, facts, results, explainability and downloads."""
