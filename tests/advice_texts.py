"""What the page said for some codes when it explained a job's failure as an HTTP answer."""

from __future__ import annotations

# A failed job's own error code must never read as advice about the dashboard's request.
HTTP_ADVICE: dict[str, str] = {
    "auth_failed": "Enter a valid API token in the sidebar",
    "job_not_found": "No job with this ID exists",
    "job_not_completed": "download again",
    "rate_limited": "live refresh slows down",
}
