"""Uploads (issue 20): the process's ledger in front of Streamlit's store of uploaded files.

Streamlit's upload route keeps a file for any live session before any script runs, until the
session ends. The ledger (dashboard/safety/upload_limits.py) goes in front of Streamlit's store of
uploads once per process: only a session the shell let past the sign-in gate may upload, one
session holds at most 64 MB (32 files) and the process 400 MB, a file over a cap is kept as a
note saying why (the page shows it), and a file no widget holds is dropped.
"""

from __future__ import annotations

import logging

import streamlit as st
from starlette.exceptions import HTTPException
from streamlit.runtime import Runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.uploaded_file_manager import UploadedFileRec

from dashboard.caching.budgets import BUDGETS
from dashboard.safety.upload_limits import REFUSED_TYPE, UploadLedger, UploadRefusedError
from deps.browser import asker

_log = logging.getLogger(__name__)


def _guard_uploads(manager: MemoryUploadedFileManager, ledger: UploadLedger) -> None:
    """Ask the ledger before the store keeps a file; tell it when files go."""
    add, remove, end = manager.add_file, manager.remove_file, manager.remove_session_files

    def add_file(session_id: str, file: UploadedFileRec) -> None:
        try:
            ledger.admit(session_id, file.file_id, len(file.data))
        except UploadRefusedError as err:
            _log.warning("Upload of %d bytes refused: %s", len(file.data), err)
            if not err.noted:
                raise HTTPException(status_code=err.status, detail=str(err)) from err
            # The widget gets a note saying why in place of the bytes: the page shows it.
            file = UploadedFileRec(file.file_id, file.name, REFUSED_TYPE, str(err).encode())
            ledger.note(session_id, file.file_id, len(file.data))
        add(session_id, file)

    def remove_file(session_id: str, file_id: str) -> None:
        remove(session_id, file_id)
        ledger.release(session_id, file_id)

    def remove_session_files(session_id: str) -> None:
        end(session_id)
        ledger.end_session(session_id)

    manager.add_file = add_file  # type: ignore[method-assign]
    manager.remove_file = remove_file  # type: ignore[method-assign]
    manager.remove_session_files = remove_session_files  # type: ignore[method-assign]


@st.cache_resource(show_spinner=False)
def upload_ledger() -> UploadLedger:
    """The process's ledger of uploads, in front of Streamlit's store (when a server runs)."""
    ledger = UploadLedger(BUDGETS.upload_session_bytes, BUDGETS.upload_process_bytes)
    manager = _upload_store()
    if manager is not None:
        _guard_uploads(manager, ledger)
    return ledger


def _upload_store() -> MemoryUploadedFileManager | None:
    """Streamlit's store of uploads; None under AppTest, which runs scripts without a server."""
    if not Runtime.exists():
        return None
    manager = Runtime.instance().uploaded_file_mgr
    if isinstance(manager, MemoryUploadedFileManager):
        return manager
    # tests/test_deps.py fails the day Streamlit keeps uploads elsewhere.
    _log.error("Uploads are not limited: Streamlit keeps them in a %s", type(manager).__name__)
    return None


def open_uploads(allowed: bool) -> None:
    """Put the ledger in front of the upload route (once), and let this browser session's
    pages take files when it passed the sign-in gate."""
    ledger = upload_ledger()
    if allowed:
        ledger.allow(asker())


def release_uploads(in_use: set[str]) -> None:
    """Drop this session's uploaded files that no widget holds any more (after a minute)."""
    session_id, manager = asker(), _upload_store()
    if manager is not None and session_id:
        for file_id in upload_ledger().unused(session_id, in_use):
            manager.remove_file(session_id, file_id)
