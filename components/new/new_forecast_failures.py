"""What a failed POST /forecast says on /new: what happened, what to do, whether to send again."""

from __future__ import annotations

from datetime import datetime, timedelta

import streamlit as st

from components.common.plain_text import escape_markdown, escape_untrusted, one_line
from components.new.new_forecast_form import SUBMIT_LABEL
from dashboard.jobs.explanations import explain_error
from dashboard.jobs.timing import format_absolute, viewer_timezone
from eomer_client.errors import (
    AnswerLostError,
    ApiError,
    EomerError,
    RateLimitedError,
    ServerError,
    TransportError,
    UploadTooLargeError,
    ValidationError,
)

RESEND_KEY = "new_resend"
RESEND_BUTTON_KEY = "new_resend_button"
SEND_AGAIN = "Send again"
SEND_AGAIN_ANYWAY = "Send again anyway (may start a second job)"
_MB = 1024 * 1024


def _ask_resend() -> None:
    st.session_state[RESEND_KEY] = True


def local_time(moment: datetime) -> str:
    """A moment as the viewer reads it: their time zone, offset shown."""
    return format_absolute(moment, viewer_timezone(st.context.timezone))


def _callout(lines: list[str], button: str | None) -> None:
    st.error("  \n".join(lines), icon=":material/error:")
    if button is not None:
        st.button(button, key=RESEND_BUTTON_KEY, on_click=_ask_resend, icon=":material/send:")


def _server_words(err: ApiError) -> str:
    said = one_line(err.server_message or "", 300)
    return f"The API said: {escape_untrusted(said)}" if said else ""


def failure_callout(
    err: EomerError, sent_at: datetime, answered_at: datetime | None, sent_bytes: int
) -> None:
    """What happened and what to do, for each way POST /forecast can fail."""
    if isinstance(err, AnswerLostError):
        answer_lost_callout(sent_at, err)
    elif isinstance(err, ValidationError):
        _invalid(err)
    elif isinstance(err, UploadTooLargeError):
        _too_large(sent_bytes, err)
    elif isinstance(err, RateLimitedError):
        _rate_limited(answered_at or sent_at, err)
    elif isinstance(err, ServerError):
        _callout(
            [
                f"**The API is failing: it answered HTTP {err.status_code}.**",
                "It did not accept the job. " + _server_words(err),
                "Next step: try again in a minute.",
            ],
            SEND_AGAIN,
        )
    elif isinstance(err, TransportError):
        _callout(
            [
                "**The API could not be reached, so the file was not sent.**",
                escape_untrusted(one_line(err.message, 300)),
                "Next step: check the API address in the sidebar and your network, then try again.",
            ],
            SEND_AGAIN,
        )
    else:
        explained = explain_error(err)
        _callout(
            [
                f"**The forecast was not started: {escape_untrusted(one_line(err.message, 300))}**",
                escape_markdown(explained.summary),
                f"Next step: {escape_markdown(explained.next_step)}",
            ],
            SEND_AGAIN,
        )


def _invalid(err: ValidationError) -> None:
    problems = [f"- {escape_untrusted(one_line(problem, 300))}" for problem in err.problems[:20]]
    if len(err.problems) > 20:
        problems.append(f"- and {len(err.problems) - 20} more.")
    if not problems:
        problems = [f"- {escape_untrusted(one_line(err.server_message or err.message, 300))}"]
    st.error(
        "**The API refused the data or the settings (HTTP 422):**\n\n"
        + "\n".join(problems)
        + f"\n\nNext step: correct the file, the columns or the settings above, then press "
        f"{SUBMIT_LABEL} again.",
        icon=":material/error:",
    )


def _too_large(sent_bytes: int, err: UploadTooLargeError) -> None:
    size = sent_bytes / _MB
    _callout(
        [
            f"**The file is too large for the API (HTTP 413): {size:.1f} MB was sent.**",
            "The API does not publish its limit. " + _server_words(err),
            "Next step: send fewer series or a shorter history (drop the oldest rows), or "
            f"remove columns the forecast does not use, then press {SUBMIT_LABEL} again.",
        ],
        None,
    )


def _rate_limited(answered: datetime, err: RateLimitedError) -> None:
    if err.retry_after is None:
        wait = "It did not say for how long: wait a minute."
    else:
        until = answered + timedelta(seconds=err.retry_after)
        wait = (
            f"It asks to wait {err.retry_after:.0f} s, until {escape_markdown(local_time(until))}."
        )
    _callout(
        [
            "**The API is receiving too many requests (HTTP 429) and did not start the job.**",
            wait,
            f"Next step: wait, then press {SEND_AGAIN}.",
        ],
        SEND_AGAIN,
    )


def answer_lost_callout(sent_at: datetime, err: AnswerLostError | None) -> None:
    """The API may have started the job: say when the file was sent, and how to check."""
    how = "no answer came" if err is None else escape_untrusted(one_line(err.message, 300))
    _callout(
        [
            "**The API may have started the job, but its answer was lost.**",
            f"The file was sent at {escape_markdown(local_time(sent_at))}; {how}.",
            "Next step: check in Eomer whether a job was started for this file at that time. "
            "Send again only if none was: sending again may start a second job.",
        ],
        SEND_AGAIN_ANYWAY,
    )
