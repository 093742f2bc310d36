"""An upload widget's file, or the server's reason for not keeping it (a cap on uploads)."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from components.common.plain_text import escape_untrusted, one_line
from dashboard.isolation.isolated_reading import start_readers
from dashboard.safety.upload_limits import REFUSED_TYPE


def kept_upload(upload: UploadedFile | None) -> UploadedFile | None:
    """The file, or None with the reason shown when the server kept a note in its place."""
    start_readers()  # the workers that will read the file start while it is chosen
    if upload is None or upload.type != REFUSED_TYPE:
        return upload
    reason = upload.getvalue().decode("utf-8", errors="replace")
    st.error(
        f"**{escape_untrusted(one_line(upload.name, 80))} was not kept.** "
        f"{escape_untrusted(one_line(reason, 400))}",
        icon=":material/block:",
    )
    return None
