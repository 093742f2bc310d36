"""A lasting notice, in the browser, while the page has lost its connection to the server."""

from __future__ import annotations

import json

import streamlit as st

# The notice's test ID, for the browser tests.
NOTICE_ID = "eomer-connection-notice"
LOST = (
    "The dashboard's server cannot be reached. Trying to reconnect: this page may be out of date."
)
GONE = "The dashboard's server cannot be reached. Reload the page to try again."

# Streamlit's frontend, on a lost websocket, only greys a small "Connecting" label at the top
# right (its "Connection error" dialog comes only after a fatal error), so a tab whose server
# died or restarted kept its old page with no lasting sign. This script watches the connection
# state Streamlit writes on its root element and shows a notice while it is not CONNECTED; the
# shell's timed fragment then makes the page run again once the connection is back. That
# attribute is a test hook of Streamlit 1.67's, not an API: the browser test in
# tests/e2e/test_replicas.py fails the day it goes.
# It runs in the page itself (it must see the root element and outlive any one run), so it holds
# only constants: no token, no data of the session, and it asks nothing of any server.
# Its own colours, not the theme's: the same dark-on-amber reads in light and dark themes.
_SCRIPT = """<script>
(() => {
  if (window.__eomerConnectionNotice) return;  // once per page, whatever reruns mount this
  window.__eomerConnectionNotice = true;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) return;
  const notice = document.createElement('div');
  notice.setAttribute('role', 'alert');
  notice.setAttribute('data-testid', '%(id)s');
  // Below Streamlit's header, centred, the window's width less a margin on a phone.
  notice.style.cssText = 'position:fixed;top:4rem;left:1rem;right:1rem;margin:0 auto;'
    + 'max-width:36rem;box-sizing:border-box;z-index:1000100;padding:.75rem 1rem;'
    + 'border-radius:.5rem;border:2px solid #8a4b00;background:#fff3d6;color:#3d2200;'
    + 'font-size:1rem;font-weight:600;line-height:1.4;box-shadow:0 2px 12px rgba(0,0,0,.35);'
    + 'display:none';
  notice.style.fontFamily = getComputedStyle(app).fontFamily;
  document.body.appendChild(notice);
  const show = () => {
    const state = app.getAttribute('data-test-connection-state');
    const lost = state !== null && state !== 'CONNECTED';
    notice.textContent = state === 'DISCONNECTED_FOREVER' ? %(gone)s : %(lost)s;
    notice.style.display = lost ? 'block' : 'none';
  };
  new MutationObserver(show).observe(
    app, {attributes: true, attributeFilter: ['data-test-connection-state']});
  show();
})();
</script>"""


_PLACED_KEY = "connection_notice_placed"


def connection_notice() -> None:
    """Put the watching script on the page once per session (it draws nothing while the
    connection holds)."""
    # Once: the script lives in the page, not in the element, so it outlasts the element's
    # removal on the next run; drawn on every run it slowed every page's reruns by a quarter.
    if st.session_state.get(_PLACED_KEY):
        return
    st.session_state[_PLACED_KEY] = True
    st.html(
        _SCRIPT % {"id": NOTICE_ID, "lost": json.dumps(LOST), "gone": json.dumps(GONE)},
        unsafe_allow_javascript=True,
    )
