"""Field types that read what they can: a bad value or element is dropped with a note."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

from pydantic import (
    BeforeValidator,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)

from eomer_client.models.enums import ErrorCode, JobStatus
from eomer_client.models.notes import forget_since, mark, note

Handler = ValidatorFunctionWrapHandler


def _label(info: ValidationInfo) -> str:
    """`artifact display_order`: the model's title (set on each model) and the field's name."""
    owner = str(info.config.get("title", "")) if info.config else ""
    field = info.field_name or "a value"
    # The job's own fields are named alone: `created_at`, not `job created_at`.
    return field if owner in {"", "job"} else f"{owner} {field}"


def _attempt(handler: Handler, value: object) -> tuple[bool, object]:
    """Validate `value`; on failure, forget the notes that reading left behind."""
    position = mark()
    try:
        return True, handler(value)
    except ValidationError:
        forget_since(position)
        return False, None


def _read_or(default: object, value: object, handler: Handler, info: ValidationInfo) -> object:
    """Null is `default` without a word; a value that cannot be read is `default` with a note."""
    if value is None:
        return default
    ok, parsed = _attempt(handler, value)
    if not ok:
        note(f"{_label(info)} could not be read")
    return parsed if ok else default


def _or_default(default: object) -> WrapValidator:
    """A field read by `_read_or(default, ...)`."""
    return WrapValidator(lambda value, handler, info: _read_or(default, value, handler, info))


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural} could not be read"


def _readable_pieces(handler: Handler, whole: object, pieces: Sequence[object]) -> list[object]:
    """`whole` validated; failing that, each piece validated alone, the unreadable ones dropped."""
    ok, parsed = _attempt(handler, whole)
    if ok:
        return [parsed]
    return [parsed for ok, parsed in (_attempt(handler, piece) for piece in pieces) if ok]


def items(singular: str, plural: str) -> WrapValidator:
    """A list whose unreadable elements are dropped and counted in a note."""

    def read(value: object, handler: Handler, info: ValidationInfo) -> list[object]:
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            note(f"{_label(info)} was not a list; ignored")
            return []
        parts = _readable_pieces(handler, value, [[element] for element in value])
        kept = [element for part in parts if isinstance(part, list) for element in part]
        if len(kept) < len(value):
            note(_counted(len(value) - len(kept), singular, plural))
        return kept

    return WrapValidator(read)


def entries(singular: str, plural: str) -> WrapValidator:
    """An object whose unreadable entries are dropped and counted in a note."""

    def read(value: object, handler: Handler, info: ValidationInfo) -> dict[object, object]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            note(f"{_label(info)} was not an object; ignored")
            return {}
        parts = _readable_pieces(handler, value, [{key: inner} for key, inner in value.items()])
        kept = {
            key: inner for part in parts if isinstance(part, dict) for key, inner in part.items()
        }
        if len(kept) < len(value):
            note(_counted(len(value) - len(kept), singular, plural))
        return kept

    return WrapValidator(read)


def _utc(value: object, handler: Handler, info: ValidationInfo) -> datetime | None:
    """Any readable time as UTC; a time without a zone is taken to be UTC, with a note."""
    parsed = _read_or(None, value, handler, info)
    if not isinstance(parsed, datetime):
        return None
    if parsed.utcoffset() is None:
        note(f"{_label(info)} had no time zone; read as UTC")
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _iso(moment: datetime) -> str:
    """ISO 8601 with a numeric offset (`+00:00`), which every reader understands."""
    return moment.isoformat()


def _status(value: object) -> JobStatus | str:
    """A known status whatever its case; an unknown one is kept as written, with a note."""
    if value is None:
        raise ValueError("status is required")
    # An object or list is not an unknown status but a broken answer; str() would hide that.
    if not isinstance(value, str):
        raise ValueError("status must be a string")
    try:
        return JobStatus(value)
    except ValueError:
        note(f"unknown status, as written: {value!r}")
        return value


def _error_code(value: object, handler: Handler, info: ValidationInfo) -> object:
    """A known code whatever its case; an unknown one as written; a non-text one dropped."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        try:
            return ErrorCode(value)
        except ValueError:
            return value
    return _read_or(None, value, handler, info)


# For any optional field: what cannot be read is None, with a note.
OR_NONE = _or_default(None)
OptionalText = Annotated[str | None, OR_NONE]
OptionalInt = Annotated[int | None, OR_NONE]
OptionalFloat = Annotated[float | None, OR_NONE]
Text = Annotated[str, _or_default("")]
Flag = Annotated[bool, _or_default(False)]
Order = Annotated[int, _or_default(0)]
UtcTime = Annotated[
    datetime | None, WrapValidator(_utc), PlainSerializer(_iso, when_used="json-unless-none")
]
StatusField = Annotated[JobStatus | str, BeforeValidator(_status)]
ErrorCodeField = Annotated[ErrorCode | str | None, WrapValidator(_error_code)]
