"""A viewer's own live demo job: a seeded progressing job whose clock starts when it is handed out.

The seeded progressing jobs follow the server's clock, so an hour after the server started
everyone finds them completed. `/_demo/live-jobs` hands each viewer fresh IDs instead: the seeded
job's ID and the moment it was handed out, `<seeded-id>.<milliseconds since the epoch>`. The ID
carries its own start, so nothing is stored per viewer, the same link shows every reader the
same job, and a server with several dashboards in front of it answers them all alike.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = "."
# A live job is found for this long after it was handed out; a link older than that is gone.
KEEP_SECONDS = 7 * 24 * 3600.0
# A start this far ahead of the server's clock is another machine's clock drift, not a forgery.
_AHEAD_SECONDS = 60.0
_MAX_DIGITS = 16


@dataclass(frozen=True)
class LiveJobId:
    """A handed-out live job: the seeded job it plays, and when its clock started."""

    seeded_id: str
    started: float

    def __str__(self) -> str:
        return f"{self.seeded_id}{SEPARATOR}{round(self.started * 1000)}"


def read_live_job_id(job_id: str, now: float) -> LiveJobId | None:
    """The live job `job_id` names, or None (not one, or started too long ago or ahead)."""
    seeded_id, separator, stamp = job_id.rpartition(SEPARATOR)
    if not separator or not seeded_id or not stamp.isascii() or not stamp.isdigit():
        return None
    if len(stamp) > _MAX_DIGITS:
        return None
    started = int(stamp) / 1000
    if not -_AHEAD_SECONDS <= now - started <= KEEP_SECONDS:
        return None
    return LiveJobId(seeded_id, started)
