"""The sidebar's token field, and which token goes to which API address.

A token is the server's (EOMER_API_TOKEN), typed in the field, saved for a signed-in analyst,
or one this session used before that a switch button chose again. All but a typed one live in
the session's server-side state only, each for exactly the address it belongs to: none is ever
put into the field, whose value reaches the browser. A typed token goes to the address it was
typed for only.
"""

from __future__ import annotations

import streamlit as st

from dashboard.session.connection_settings import Connection

TOKEN_INPUT_KEY = "connection_token"
# The signed-in analyst's saved Connection (components/shell/connection.py restores it).
SAVED_TOKEN_KEY = "connection_saved"
# A Connection a switch button chose (components/history/history_hint.py): its token stays here, on
# the server, and serves its own address only.
SWITCHED_KEY = "connection_switched"
# The address the token in the field was typed for.
TYPED_FOR_KEY = "connection_typed_for"


def _held_token(url: str | None) -> tuple[str, str] | None:
    """A token the server holds for exactly `url` (switched to, or saved), and what it is."""
    for key, said in (
        (SWITCHED_KEY, "Using the token this session used with this API."),
        (SAVED_TOKEN_KEY, "Using your saved token."),
    ):
        held = st.session_state.get(key)
        if isinstance(held, Connection) and held.token and url and held.api_url == url:
            return held.token, said
    return None


def _typed_for_another(url: str | None) -> bool:
    """Empty the field when its token was typed for another address: it goes to that one only."""
    typed_for = st.session_state.get(TYPED_FOR_KEY)
    if not str(st.session_state.get(TOKEN_INPUT_KEY) or "").strip():
        st.session_state.pop(TYPED_FOR_KEY, None)
        return False
    if url is None or typed_for is None or typed_for == url:
        return False
    st.session_state[TOKEN_INPUT_KEY] = ""
    st.session_state.pop(TYPED_FOR_KEY, None)
    return True


def token_field(configured_token: str | None, url: str | None) -> str | None:
    """The token for `url`: the server's, one typed for it, or one held for it on the server.

    Only a token the viewer typed is ever the field's value; the others are said in a caption.
    """
    if configured_token:
        st.caption(":material/key: API token configured by the server.")
        return configured_token
    held = _held_token(url)
    emptied = _typed_for_another(url)
    typed = st.text_input(
        "API token",
        type="password",
        key=TOKEN_INPUT_KEY,
        placeholder="A token is set for this API" if held else "",
        help=(
            "Kept on the server for this API only; never put in a link."
            if held
            else "Kept in this browser session on the server only; never put in a link."
        ),
    ).strip()
    if emptied:
        st.caption(
            ":material/key_off: The token typed for the previous address is not sent to this "
            "one: type this API's token."
        )
    if typed:
        if url is not None:
            st.session_state[TYPED_FOR_KEY] = url
        return typed
    if held is not None:
        st.caption(f":material/key: {held[1]} Type a new one to replace it.")
        return held[0]
    return None
