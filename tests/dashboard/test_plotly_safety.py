"""Remote Plotly figures lose whatever would make the browser fetch, and keep the rest."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from dashboard.plotly_safety import safe_figure_spec

BEACON = "http://127.0.0.2:9/plotly.png"
PIXEL = "data:image/png;base64,iVBORw0KGgo="


def _image(source: str) -> dict[str, Any]:
    return {"source": source, "xref": "paper", "yref": "paper", "x": 0, "y": 1}


def test_linked_layout_images_are_removed_and_inline_ones_kept() -> None:
    spec = {"data": [], "layout": {"images": [_image(BEACON), _image(PIXEL), _image(" //x/y")]}}
    safe = safe_figure_spec(spec)
    assert safe.spec["layout"]["images"] == [_image(PIXEL)]
    assert safe.removed == ("2 linked image(s)",)


def test_map_and_geo_traces_are_removed() -> None:
    spec = {
        "data": [{"type": "scatter", "y": [1]}, {"type": "scattermap"}, {"type": "choropleth"}],
        "layout": {"map": {"style": BEACON}},
    }
    safe = safe_figure_spec(spec)
    assert safe.spec["data"] == [{"type": "scatter", "y": [1]}]
    assert safe.removed == ("2 map trace(s)",)


def test_templates_and_animation_frames_are_cleaned_too() -> None:
    spec = {
        "data": [],
        "layout": {"template": {"layout": {"images": [_image(BEACON)]}}},
        "frames": [{"data": [{"type": "densitymap"}], "layout": {"images": [_image(BEACON)]}}],
    }
    safe = safe_figure_spec(spec)
    assert safe.spec["layout"]["template"] == {"layout": {"images": []}}
    assert safe.spec["frames"] == [{"data": [], "layout": {"images": []}}]


def test_an_ordinary_figure_is_unchanged_and_still_draws() -> None:
    spec = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="mean")).to_plotly_json()
    safe = safe_figure_spec(spec)
    assert safe.removed == ()
    assert safe.spec == spec
    go.Figure(safe.spec, skip_invalid=True)


def test_the_input_spec_is_not_modified() -> None:
    spec = {"data": [{"type": "scattermap"}], "layout": {"images": [_image(BEACON)]}}
    safe_figure_spec(spec)
    assert spec == {"data": [{"type": "scattermap"}], "layout": {"images": [_image(BEACON)]}}
