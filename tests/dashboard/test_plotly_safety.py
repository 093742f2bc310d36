"""Remote Plotly figures lose what would make the browser fetch or navigate, and keep the rest."""

from __future__ import annotations

import re
from typing import Any

import plotly.graph_objects as go
import pytest

from dashboard.safety.plotly_safety import plotly_text, safe_figure

BEACON = "http://127.0.0.2:9/plotly.png"
PIXEL = "data:image/png;base64,iVBORw0KGgo="
TOP_LINK = f'<a href="{BEACON}" target="_top">click</a>'
# The tags the cleaner leaves in text: formatting only, never a link.
_FORMATTING_TAG = re.compile(r"</?(br|b|i|em|sup|sub|s|u|span|extra)>|<span style=\"[^\"]*\">")


def _image(source: str) -> dict[str, Any]:
    return {"source": source, "xref": "paper", "yref": "paper", "x": 0, "y": 1}


def drawn(spec: dict[str, Any]) -> dict[str, Any]:
    """The figure as Streamlit sends it to the browser."""
    figure: dict[str, Any] = safe_figure(spec).figure.to_dict()
    return figure


def sources(layout: dict[str, Any]) -> list[str]:
    return [image.get("source", "") for image in layout.get("images", [])]


def strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    return [value] if isinstance(value, str) else []


def test_linked_layout_images_are_removed_and_inline_ones_kept() -> None:
    spec = {"data": [], "layout": {"images": [_image(BEACON), _image(PIXEL), _image(" //x/y")]}}
    safe = safe_figure(spec)
    assert sources(safe.figure.to_dict()["layout"]) == [PIXEL]
    assert safe.removed == ("2 linked image(s)",)


@pytest.mark.parametrize("key", ["images[0].source", "images_0_source"])
def test_an_image_source_written_as_a_path_is_removed(key: str) -> None:
    spec = {"data": [], "layout": {"images": [_image(PIXEL)], key: BEACON}}
    assert sources(drawn(spec)["layout"]) == []


def test_a_figure_plotly_py_cannot_build_is_refused_as_malformed() -> None:
    # plotly.py raises AttributeError here; the page shows ValueErrors as malformed content.
    spec = {"data": [], "layout": {"images": [_image(PIXEL)], "images[0]": _image(BEACON)}}
    with pytest.raises(ValueError, match="cannot build"):
        safe_figure(spec)


def test_template_layout_images_written_as_a_path_are_removed() -> None:
    named = {**_image(BEACON), "name": "logo"}
    spec = {"data": [], "layout": {"template_layout_images": [named]}}
    assert BEACON not in strings(drawn(spec))


def test_an_image_default_in_the_template_cannot_supply_a_source() -> None:
    template = {"layout": {"imagedefaults": {"source": BEACON}, "images": [{"name": "logo"}]}}
    spec = {"data": [], "layout": {"template": template, "images": [{"x": 0}]}}
    assert BEACON not in strings(drawn(spec))


def test_animation_frames_images_written_as_a_path_are_removed() -> None:
    frame = {"name": "f", "layout": {"images": [_image(PIXEL)], "images[0].source": BEACON}}
    spec = {"data": [{"type": "scatter", "y": [1]}], "frames": [frame]}
    assert BEACON not in strings(drawn(spec))


def test_map_and_geo_traces_and_their_settings_are_removed() -> None:
    spec = {
        "data": [{"type": "scatter", "y": [1]}, {"type": "scattermap"}, {"type": "choropleth"}],
        "layout": {"map": {"style": BEACON, "layers": [{"source": BEACON}]}, "geo2": {}},
    }
    safe = safe_figure(spec)
    figure = safe.figure.to_dict()
    assert [trace["type"] for trace in figure["data"]] == ["scatter"]
    assert BEACON not in strings(figure)
    assert safe.removed == ("2 map trace(s)",)


def test_templates_and_animation_frames_are_cleaned_too() -> None:
    spec = {
        "data": [],
        "layout": {"template": {"layout": {"images": [_image(BEACON)]}}},
        "frames": [{"data": [{"type": "densitymap"}], "layout": {"images": [_image(BEACON)]}}],
    }
    figure = drawn(spec)
    assert BEACON not in strings(figure)
    assert "densitymap" not in strings(figure["frames"])


def _menu(*args: list[Any]) -> dict[str, Any]:
    return {
        "buttons": [{"label": str(i), "method": "update", "args": a} for i, a in enumerate(args)]
    }


def test_buttons_and_slider_steps_that_would_load_something_are_dropped() -> None:
    loading: list[list[Any]] = [
        [{}, {"images": [_image(BEACON)]}],
        [{}, {"images[0].source": BEACON}],
        [{"type": "scattergeo"}],  # a map trace fetches tiles or topojson
        [{}, {"template": {"layout": {"images": [_image(BEACON)]}}}],
        [{}, {"map": {"style": BEACON}}],
    ]
    log_axis: list[Any] = [{}, {"yaxis.type": "log"}]
    layout = {
        "updatemenus": [_menu(*loading, log_axis)],
        "sliders": [{"steps": [{"method": "update", "args": a} for a in loading]}],
    }
    safe = safe_figure({"data": [{"type": "scatter", "y": [1]}], "layout": layout})
    figure = safe.figure.to_dict()
    controls = strings([figure["layout"]["updatemenus"], figure["layout"]["sliders"]])
    assert BEACON not in controls
    assert "scattergeo" not in controls
    assert [b["args"] for b in figure["layout"]["updatemenus"][0]["buttons"]] == [log_axis]
    assert figure["layout"]["sliders"][0].get("steps", []) == []
    assert safe.removed == ("10 button(s) or slider step(s)",)


def test_a_button_whose_second_click_adds_an_image_is_dropped() -> None:
    button = {"method": "relayout", "args": [{}], "args2": [{"images": [_image(BEACON)]}]}
    spec = {"data": [], "layout": {"updatemenus": [{"buttons": [button]}]}}
    assert BEACON not in strings(drawn(spec))


def test_links_in_any_text_lose_their_tags_and_keep_their_words() -> None:
    spec = {
        "data": [{"type": "bar", "x": [TOP_LINK], "y": [1], "name": TOP_LINK, "text": [TOP_LINK]}],
        "layout": {
            "title_text": f"Sales {TOP_LINK}",
            "annotations": [{"text": TOP_LINK.upper(), "x": 0, "y": 0}],
            "legend": {"title": {"text": TOP_LINK}},
            "updatemenus": [{"buttons": [{"label": TOP_LINK, "method": "skip", "args": []}]}],
        },
    }
    figure = drawn(spec)
    assert not [s for s in strings(figure) if "<a" in s.lower() or BEACON in s]
    assert figure["layout"]["title"]["text"] == "Sales click"
    assert figure["data"][0]["name"] == "click"


def test_formatting_tags_stay_and_lose_attributes_that_could_load_or_navigate() -> None:
    text = (
        '<b>bold</b><br><span style="color:red">red</span>'
        f'<span style="background:url({BEACON})">x</span><I onclick="go()">i</I>'
    )
    spec = {"data": [], "layout": {"title": {"text": text}}}
    assert drawn(spec)["layout"]["title"]["text"] == (
        '<b>bold</b><br><span style="color:red">red</span><span>x</span><i>i</i>'
    )


def test_pieces_of_a_tag_cannot_be_joined_into_a_link_by_templates() -> None:
    # Plotly fills %{meta[i]} in after our cleaning: lone brackets must not survive as brackets.
    title = f"%{{meta[0]}}a href='{BEACON}' target='_top'%{{meta[1]}}click"
    spec = {"data": [], "layout": {"meta": ["<", ">"], "title": {"text": title}}}
    for text in strings(drawn(spec)):
        assert _FORMATTING_TAG.sub("", text).count("<") == 0, text


def test_hover_templates_keep_their_extra_box() -> None:
    template = "%{y}<extra>%{fullData.name}</extra>"
    spec = {"data": [{"type": "scatter", "y": [1], "hovertemplate": template}]}
    assert drawn(spec)["data"][0]["hovertemplate"] == template


def test_an_ordinary_figure_is_unchanged_and_still_draws() -> None:
    built = go.Figure(go.Scatter(x=[1, 2], y=[3, 4], name="<b>mean</b>"))
    built.update_layout(updatemenus=[_menu([{"visible": [True]}, {"yaxis.type": "log"}])])
    safe = safe_figure(built.to_dict())
    assert safe.removed == ()
    assert safe.figure.to_dict() == built.to_dict()


def test_the_cleaned_figure_stays_clean_when_streamlit_rebuilds_it() -> None:
    spec = {"data": [], "layout": {"images": [_image(PIXEL)], "images_0_source": BEACON}}
    figure = safe_figure(spec).figure
    rebuilt = go.Figure(figure.to_dict(), skip_invalid=True)
    assert rebuilt.to_dict() == figure.to_dict()
    assert safe_figure(figure.to_dict()).removed == ()


def test_the_input_spec_is_not_modified() -> None:
    spec = {"data": [{"type": "scattermap"}], "layout": {"images": [_image(BEACON)]}}
    safe_figure(spec)
    assert spec == {"data": [{"type": "scattermap"}], "layout": {"images": [_image(BEACON)]}}


def test_remote_text_for_our_own_charts_shows_literally() -> None:
    assert plotly_text('<a href="x">y</a> & z') == '&lt;a href="x"&gt;y&lt;/a&gt; &amp; z'


def test_escaped_text_passes_the_remote_cleaner_unchanged() -> None:
    name = plotly_text(TOP_LINK)
    spec = {"data": [{"type": "scatter", "y": [1], "name": name}]}
    assert drawn(spec)["data"][0]["name"] == name
