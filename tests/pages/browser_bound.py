"""What an AppTest run would send to the browser, to prove a secret is never part of it."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

# Widgets whose value a script can set through st.session_state, and so send to the browser.
VALUED_WIDGETS = (
    "text_input",
    "text_area",
    "number_input",
    "selectbox",
    "multiselect",
    "radio",
    "select_slider",
    "date_input",
    "time_input",
    "color_picker",
)


def _protos(node: Any) -> list[bytes]:
    found = []
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "SerializeToString"):
        found.append(proto.SerializeToString())
    for child in getattr(node, "children", {}).values():
        found += _protos(child)
    return found


def sent_to_browser(at: AppTest) -> bytes:
    """Every element and block of the last run, serialised as the browser receives them."""
    return b"\n".join(_protos(at.main.root))


def widget_values(at: AppTest) -> list[object]:
    """The value of every widget the last run drew, as its element says it."""
    return [getattr(widget, "value", None) for kind in VALUED_WIDGETS for widget in at.get(kind)]


def assert_never_sent(at: AppTest, *secrets: str) -> None:
    """No widget value equals a secret, and no element of the run holds one."""
    assert not at.exception, at.exception
    sent = sent_to_browser(at)
    values = widget_values(at)
    for secret in secrets:
        assert secret not in values, "a token is a widget's value"
        assert secret.encode() not in sent, "a token is in an element sent to the browser"
