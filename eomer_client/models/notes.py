"""Notes on how a job answer was read, gathered while one job is being validated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

# A context variable, so validators deep inside a job can add to the notes of that job only
# (each thread, such as each worker of get_jobs, sees its own).
_NOTES: ContextVar[list[str] | None] = ContextVar("eomer_reading_notes", default=None)


def note(text: str) -> None:
    """Record how something was read; outside a job's validation there is no one to tell."""
    notes = _NOTES.get()
    if notes is not None:
        notes.append(text)


def mark() -> int:
    """How many notes there are now, to `forget_since` later."""
    notes = _NOTES.get()
    return 0 if notes is None else len(notes)


def forget_since(position: int) -> None:
    """Drop the notes added since `mark()` returned `position` (that reading was abandoned)."""
    notes = _NOTES.get()
    if notes is not None:
        del notes[position:]


@contextmanager
def collecting_notes() -> Iterator[list[str]]:
    """Gather notes until the block ends; a nested block shares the outer one's list."""
    outer = _NOTES.get()
    if outer is not None:
        yield outer
        return
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def with_collected_notes(earlier: Sequence[str]) -> list[str]:
    """`earlier`, then each note collected so far once, with a count when it happened again."""
    new = _NOTES.get() or []
    counts = Counter(new)
    fresh = [
        text if counts[text] == 1 else f"{text} ({counts[text]} times)"
        for text in dict.fromkeys(new)
    ]
    return [*earlier, *(text for text in fresh if text not in earlier)]
