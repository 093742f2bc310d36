"""The facts of one job: status, failure, provenance, delivery and covariates."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, tzinfo

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted
from dashboard.jobs.explanations import explain_job_failure
from dashboard.jobs.timing import elapsed_seconds, format_absolute, format_duration, format_relative
from eomer_client.models import Job, JobStatus

# Icon plus word, so status never relies on colour alone.
STATUS_LABELS: dict[str, str] = {
    JobStatus.PENDING: "⏳ Pending",
    JobStatus.RUNNING: "🔄 Running",
    JobStatus.COMPLETED: "✅ Completed",
    JobStatus.FAILED: "❌ Failed",
}


# Material icons ship with Streamlit, so headings show them even where no emoji font exists.
STATUS_HEADINGS: dict[str, str] = {
    JobStatus.PENDING: ":material/hourglass_top: Pending",
    JobStatus.RUNNING: ":material/autorenew: Running",
    JobStatus.COMPLETED: ":material/check_circle: Completed",
    JobStatus.FAILED: ":material/cancel: Failed",
}


def status_heading(status: str) -> str:
    """Status as a markdown heading: Material icon plus word; unknown statuses escaped."""
    return STATUS_HEADINGS.get(status, f":material/help: Unknown status: {escape_markdown(status)}")


def status_label(status: str) -> str:
    """Icon and word for a status; an unknown status is shown as the API sent it."""
    return STATUS_LABELS.get(status, f"❔ Unknown status: {status}")


def _when(dt: datetime | None, now: datetime, tz: tzinfo) -> str:
    if dt is None:
        return "—"
    return f"{format_absolute(dt, tz)} ({format_relative(dt, now)})"


# The API calls a failed job's end `completed_at` too: the label follows the status instead.
FINISH_LABELS: dict[str, str] = {JobStatus.COMPLETED: "Completed", JobStatus.FAILED: "Failed at"}
NOT_FINISHED = "Not finished yet"


def finish_time(job: Job, now: datetime, tz: tzinfo) -> tuple[str, str]:
    """Label and value of the job's end, worded for its status."""
    if job.status in (JobStatus.PENDING, JobStatus.RUNNING):
        return "Finished", NOT_FINISHED
    return FINISH_LABELS.get(job.status, "Finished"), _when(job.completed_at, now, tz)


def elapsed_time(job: Job, now: datetime) -> tuple[str, str]:
    """Label and value of how long the job took, or has waited or run so far."""
    seconds = elapsed_seconds(job, now)
    label = "Waiting" if job.status == JobStatus.PENDING else "Elapsed"
    if seconds is None:
        return label, "—"
    return label, format_duration(seconds) + ("" if job.is_terminal else " so far")


def _labelled(label: str, value: str) -> str:
    return f"**{label}**  \n{value}"


def status_header(job: Job, now: datetime, tz: tzinfo) -> None:
    """Status word with icon, times in the viewer's zone, elapsed, items and horizon."""
    st.subheader(status_heading(job.status), anchor=False)
    st.text(f"Job ID: {job.job_id}")
    created, finished, elapsed, size = st.columns(4)
    created.markdown(_labelled("Created", _when(job.created_at, now, tz)))
    finished.markdown(_labelled(*finish_time(job, now, tz)))
    elapsed.markdown(_labelled(*elapsed_time(job, now)))
    items = "—" if job.num_items is None else f"{job.num_items:,}"
    steps = "—" if job.prediction_length is None else f"{job.prediction_length:,}"
    size.markdown(f"**Items**  \n{items}  \n**Prediction length**  \n{steps}")
    reading_notes(job)


def reading_notes(job: Job) -> None:
    """What the client dropped, assumed or kept as written while reading the API's answer."""
    if job.notes:
        st.caption(
            ":material/info: How the API's answer was read: "
            + escape_markdown("; ".join(job.notes))
        )


def failure_panel(job: Job) -> None:
    """For a failed job: the error text, what the error code means, and the next step."""
    if job.status != JobStatus.FAILED:
        return
    explanation = explain_job_failure(job.error_code)
    code = f" ({job.error_code})" if job.error_code else ""
    st.error(
        f"**The job failed{escape_markdown(code)}.**  \n"
        f"{escape_markdown(explanation.summary)}  \n"
        f"Next step: {escape_markdown(explanation.next_step)}",
        icon=":material/cancel:",
    )
    if job.error:
        st.caption("Error reported by the service")
        st.text(job.error)


def fact(label: str, value: str) -> None:
    """One labelled value in full: wrapped to the column's width, never cut, copyable."""
    st.caption(escape_markdown(label))
    st.code(value, language=None, wrap_lines=True)


def provenance(job: Job) -> None:
    """Identifiers worth quoting to support, each in its own copyable block."""
    fields = {
        "request_id": job.request_id,
        "config_hash": job.config_hash,
        "dataset_hash": job.dataset_hash,
        "model_version": job.model_version,
    }
    present = {name: value for name, value in fields.items() if value}
    if not present:
        st.caption("The service reported no provenance for this job.")
        return
    for name, value in present.items():
        fact(name, value)


def delivery(job: Job) -> None:
    """Where the results were delivered, calling out a completed job whose delivery failed."""
    fields = {
        "Status": job.delivery_status,
        "Connection": job.delivery_connection_id,
        "URI": job.delivery_uri,
        "Error": job.delivery_error,
    }
    if not any(fields.values()):
        st.caption("No delivery was requested for this job.")
        return
    if job.status == JobStatus.COMPLETED and delivery_failed(job):
        st.warning(
            "**Completed, but delivery failed.** The forecast exists and can be downloaded "
            "here, but it did not reach its destination. Check the connection, then deliver "
            "again.",
            icon=":material/warning:",
        )
    for label, value in fields.items():
        if value:
            fact(label, value)


def delivery_failed(job: Job) -> bool:
    """True when the delivery reported an error or a failing status."""
    status = (job.delivery_status or "").lower()
    return bool(job.delivery_error) or status in {"failed", "error", "failure"}


def _flatten(value: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        if not value and prefix:
            yield prefix, "(empty)"
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix} > {key}" if prefix else str(key))
    elif isinstance(value, list | tuple):
        if all(not isinstance(item, Mapping | list | tuple) for item in value):
            yield prefix, ", ".join(str(item) for item in value) or "(none)"
        else:
            for index, item in enumerate(value, start=1):
                yield from _flatten(item, f"{prefix} > {index}")
    else:
        yield prefix, "—" if value is None else str(value)


def covariate_lines(metadata: Mapping[str, object]) -> str:
    """Covariate settings as a markdown list, nested keys joined with >, everything escaped."""
    return "\n".join(
        f"- **{escape_untrusted(setting)}**: {escape_untrusted(value)}"
        for setting, value in _flatten(metadata)
    )


def covariates_table(metadata: Mapping[str, object]) -> None:
    """External covariate metadata, one setting a line, so long values wrap instead of cut."""
    if not metadata:
        st.caption("No external covariates were used.")
        return
    st.markdown(covariate_lines(metadata))
