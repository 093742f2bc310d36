"""Each piece of a job is shown once: no text, chart or picture repeats within a section."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Node

from demo_api.seeded.scenarios import SCENARIO_IDS
from tests.apptest import function_app
from tests.pages.conftest import OpenJob

_TEXTS = {"markdown", "text", "caption", "code", "error", "warning", "info", "success"}
_TEXTS |= {"subheader", "title"}
_LABELS = {"button", "download_button", "toggle", "checkbox", "page_link", "text_input"}
FINISHED = sorted(name for name in SCENARIO_IDS if name.startswith(("completed", "failed")))


def _walk(node: Node) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _drawn(node: Any) -> str:
    # Without the element's id, which differs for the same figure drawn under another key.
    lines = str(getattr(node, "proto", "")).splitlines()
    text = "\n".join(line for line in lines if not line.startswith("id: "))
    return hashlib.sha256(text.encode()).hexdigest()


def sections(at: AppTest) -> dict[str, list[str]]:
    """What each section of the page shows, in order: texts, labels, and digests of drawings."""
    found: dict[str, list[str]] = {"top": []}
    current = "top"
    for node in _walk(at.main):
        kind = node.type
        if kind == "header":
            current = str(node.value)
            found[current] = []
        elif kind in _TEXTS:
            found[current].append(f"{kind}: {node.value}")
        elif kind in _LABELS:
            found[current].append(f"{kind}: {node.label}")
        elif kind in {"dataframe", "table"}:
            found[current].append(f"table: {node.value.to_csv()}")
        elif kind in {"plotly_chart", "image", "iframe"}:
            found[current].append(f"drawing: {_drawn(node)}")
    return found


def repeats(at: AppTest) -> dict[str, list[str]]:
    """Per section, whatever it shows more than once; drawings are compared page-wide too."""
    page = sections(at)
    found = {
        name: [shown for shown, count in Counter(items).items() if count > 1]
        for name, items in page.items()
    }
    drawings = Counter(s for items in page.values() for s in items if s.startswith("drawing"))
    found["whole page"] = [shown for shown, count in drawings.items() if count > 1]
    return {name: items for name, items in found.items() if items}


@pytest.mark.parametrize("scenario", [*FINISHED, "large_job", "many_artifacts"])
def test_every_piece_of_a_finished_job_appears_once(open_job: OpenJob, scenario: str) -> None:
    at = open_job(SCENARIO_IDS[scenario])
    assert sections(at).get("Details"), "the page did not draw to its end"
    assert repeats(at) == {}


@pytest.mark.parametrize("scenario", ["completed_full", "completed_delivery_delivered"])
def test_opening_every_artifact_repeats_nothing(open_job: OpenJob, scenario: str) -> None:
    at = open_job(SCENARIO_IDS[scenario])
    for toggle in at.toggle:
        toggle.set_value(True)
    at.run()
    assert not at.exception
    assert repeats(at) == {}


def _page_with_repeats() -> None:
    import streamlit as st

    st.header("Forecast")
    st.caption("Once")
    st.caption("Twice")
    st.caption("Twice")
    st.header("Explainability")
    st.caption("Once")
    st.plotly_chart({"data": [{"y": [1, 2]}]}, key="one")
    st.plotly_chart({"data": [{"y": [1, 2]}]}, key="two")


def test_the_check_finds_repeated_texts_and_drawings_but_not_across_sections() -> None:
    at = function_app(_page_with_repeats)
    at.run()
    found = repeats(at)
    assert found["Forecast"] == ["caption: Twice"]
    assert len(found["Explainability"]) == 1
    assert found["Explainability"][0].startswith("drawing: ")
    assert set(found) == {"Forecast", "Explainability", "whole page"}
