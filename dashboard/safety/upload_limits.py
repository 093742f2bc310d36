"""How much uploaded files may hold in the server, and which browser sessions may upload at all.

Streamlit's upload route (`PUT /_stcore/upload_file/<session>/<file>`) takes a file for any live
session before any script runs, and keeps it in memory until the session ends. The ledger below
is asked before each file is kept (deps/uploads.py puts it in front of Streamlit's store of
uploads): only a session whose page drew an upload widget past the sign-in gate may upload, one
session holds at most `session_bytes`, the whole process `process_bytes` (their sizes:
dashboard/caching/budgets.py); each refusal names its bound.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

_MB = 1 << 20
# The largest file any upload widget takes: server.maxUploadSize in .streamlit/config.toml.
MAX_FILE_MB = 20
# Files one session holds at most, refused ones (kept as a note saying why) included.
SESSION_FILES = 32
# A file no widget holds is dropped once it is this old (the widget's state follows its upload).
UNUSED_SECONDS = 60.0
# A file over a cap is kept as a note of this type holding the reason, in place of its bytes:
# the page says why (the upload widget itself would only say "status code 413").
REFUSED_TYPE = "application/x-eomer-refused-upload"


class UploadRefusedError(Exception):
    """A file is not kept; `status` is the HTTP status the upload route answers with, and
    `noted` whether a note saying why may stand in for it (for the page to show)."""

    def __init__(self, message: str, status: int, *, noted: bool = True) -> None:
        super().__init__(message)
        self.status, self.noted = status, noted


@dataclass
class _Held:
    size: int
    added: float


class UploadLedger:
    """Bytes held by uploaded files, per session and in all, and the sessions that may upload."""

    def __init__(
        self,
        session_bytes: int,
        process_bytes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_bytes, self.process_bytes, self._clock = session_bytes, process_bytes, clock
        self._held: dict[str, dict[str, _Held]] = {}
        self._allowed: set[str] = set()
        self._lock = threading.Lock()

    def allow(self, session_id: str) -> None:
        """The session's page may draw upload widgets (it passed the sign-in gate)."""
        with self._lock:
            self._allowed.add(session_id)

    def admit(self, session_id: str, file_id: str, size: int) -> None:
        """Record a file about to be kept; raise UploadRefusedError when it may not be."""
        with self._lock:
            if session_id not in self._allowed:
                raise UploadRefusedError(
                    "Uploads are open to signed-in sessions whose page offers a file upload "
                    "only. Sign in, open the page, and upload there.",
                    403,
                    noted=False,
                )
            files = self._held.setdefault(session_id, {})
            if len(files.keys() - {file_id}) >= SESSION_FILES:
                raise UploadRefusedError(
                    f"One browser session may hold {SESSION_FILES} uploaded files. Reload the "
                    "page to start afresh.",
                    413,
                    noted=False,
                )
            session = sum(held.size for fid, held in files.items() if fid != file_id) + size
            if session > self.session_bytes:
                raise UploadRefusedError(
                    f"This browser session would hold {session / _MB:.0f} MB of uploaded files; "
                    f"one session may hold {self.session_bytes / _MB:.0f} MB. Remove a file "
                    "(or reload the page to start afresh), then upload again.",
                    413,
                )
            total = self._total() - (files[file_id].size if file_id in files else 0) + size
            if total > self.process_bytes:
                raise UploadRefusedError(
                    f"The dashboard holds {self._total() / _MB:.0f} MB of uploaded files for "
                    f"everyone, the most it may ({self.process_bytes / _MB:.0f} MB). Try again "
                    "in a few minutes.",
                    503,
                )
            files[file_id] = _Held(size, self._clock())

    def note(self, session_id: str, file_id: str, size: int) -> None:
        """Record the note kept for a refused file (its size counts, within no cap)."""
        with self._lock:
            self._held.setdefault(session_id, {})[file_id] = _Held(size, self._clock())

    def _total(self) -> int:
        return sum(held.size for files in self._held.values() for held in files.values())

    def release(self, session_id: str, file_id: str) -> None:
        with self._lock:
            self._held.get(session_id, {}).pop(file_id, None)

    def end_session(self, session_id: str) -> None:
        """The session ended: its files are gone and it may no longer upload."""
        with self._lock:
            self._held.pop(session_id, None)
            self._allowed.discard(session_id)

    def unused(self, session_id: str, in_use: set[str]) -> list[str]:
        """The session's files that no widget holds and that are older than UNUSED_SECONDS."""
        now = self._clock()
        with self._lock:
            files = self._held.get(session_id, {})
            return [
                file_id
                for file_id, held in files.items()
                if file_id not in in_use and now - held.added >= UNUSED_SECONDS
            ]

    def held(self, session_id: str | None = None) -> int:
        """Bytes held by one session's files, or by every session's."""
        with self._lock:
            if session_id is None:
                return self._total()
            return sum(held.size for held in self._held.get(session_id, {}).values())
