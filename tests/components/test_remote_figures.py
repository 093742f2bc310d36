"""A remote Plotly figure is built and cleaned once per fetched body, and kept no longer."""

from __future__ import annotations

import gc
import json
import weakref
from collections.abc import Mapping

from components.job.remote_content import cleaned_figure
from eomer_client.client import Fetched

PLOT = {"data": [{"type": "scatter", "y": [1, 2, 3]}], "layout": {"title": {"text": "plot"}}}


def _fetched(spec: Mapping[str, object]) -> Fetched:
    return Fetched(json.dumps(spec).encode(), "application/json", "http://127.0.0.1:9/plot")


def test_each_rerun_draws_the_figure_cleaned_on_the_first() -> None:
    fetched = _fetched(PLOT)
    first = cleaned_figure(fetched, json.loads(fetched.content))
    assert cleaned_figure(fetched, json.loads(fetched.content)) is first
    other = _fetched({**PLOT, "data": [{"type": "bar", "y": [4]}]})
    assert cleaned_figure(other, json.loads(other.content)) is not first


def test_the_figure_goes_when_the_content_cache_drops_its_body() -> None:
    fetched = _fetched(PLOT)
    figure = weakref.ref(cleaned_figure(fetched, json.loads(fetched.content)))
    del fetched
    gc.collect()
    assert figure() is None
