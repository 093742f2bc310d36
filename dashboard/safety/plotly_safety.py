"""Remote Plotly figures, as plotly.py builds them, stripped of whatever fetches or navigates.

plotly.js fetches `layout.images` sources, map styles, tiles and layers, and geo topojson
straight from the browser; a remote figure could point them at any server. plotly.py expands
paths such as `images[0].source`, `images_0_source` or `template_layout_images` only when it
builds a figure, so the spec is built first and the figure's own JSON is cleaned:

- images (in the layout, the template's layout and each frame's layout) keep only `data:`
  sources, and `imagedefaults` keeps none that could supply one;
- map and geo traces are removed, and so are the figure's and frames' map and geo settings
  (without those traces plotly.js draws no map subplot, so the settings a template gives
  such subplots fetch nothing and stay);
- a button or slider step is removed if its `args` or `args2` name images, a template, a map
  or geo subplot, a `source`, `geojson`, `layers`, frame `data` or `layout`, or a trace
  `type`: plotly.js applies those on click, long after this cleaning, so a button is kept only
  when nothing it could set fetches. Buttons that toggle traces or axes stay.

Text: plotly.js draws a pseudo-HTML subset in every label (titles, legends, ticks, hover,
annotations, button labels): `<a href target>` links, which can navigate the dashboard's own
tab, and `style` attributes, whose CSS could load a `url()`. A remote figure cannot simply be
escaped (its `<br>` and `<b>` are legitimate), so every string is rewritten: links lose their
tags and keep their words; formatting tags keep their name and, at most, a style with no
function but a colour and no quotes, backslashes or entities; every other `<` or `>` becomes an
entity, which plotly.js draws as the character. The only brackets left then belong to
formatting tags we wrote, so values plotly.js fills into templates later (`%{meta[0]}`,
`%{customdata}`, a number format's fill) cannot join into a link. Our own charts show remote
text literally through `plotly_text`.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go

# Trace types drawn on a tile map or a geo projection: each one downloads tiles or topojson.
MAP_TRACE_TYPES = frozenset(
    {"scattermapbox", "choroplethmapbox", "densitymapbox", "scattermap", "choroplethmap"}
    | {"densitymap", "scattergeo", "choropleth"}
)
# Layout settings of map and geo subplots: `map`, `mapbox2`, `geo3`...
_MAP_SUBPLOT = re.compile(r"(mapbox|map|geo)\d*")
# Attribute names a button may not set: each fetches, or can carry something that does.
_FETCHING_NAMES = frozenset(
    {"images", "imagedefaults", "template", "source", "geojson", "layers", "data", "layout"}
)
_PATH_SEPARATORS = re.compile(r"[.\[\]]+")
# How plotly.js cuts text into tags and words, and reads a tag (after newlines become spaces).
_TAG_PIECE = re.compile(r"(<[^<>]*>)")
# plotly.js's own /<(\/?)([^ >]*)(\s+(.*))?>/, its runs taken possessively: the same tags, but a
# long run of tabs (in the name and in the spaces both) is no longer tried split by split.
_TAG = re.compile(r"<(/?)([^ >]*+)(?:\s++(.*))?>", re.DOTALL)
_NEWLINES = re.compile(r"\r\n?|\n")
_FORMATTING_TAGS = frozenset({"br", "b", "i", "em", "sup", "sub", "s", "u", "span", "extra"})
_STYLE = re.compile(r"""(?:^|[\s"'])style\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# No quotes, backslashes, entities or functions but colours: no `url()`, nothing to fetch.
_SAFE_STYLE = re.compile(r"(?:[\w\s#%.,:;-]|(?:rgba?|hsla?)\([\d\s.,%]*\))*")


@dataclass(frozen=True)
class SafeFigure:
    """The figure to draw and what was removed from it (for a caption)."""

    figure: go.Figure
    removed: tuple[str, ...]


def plotly_text(value: str) -> str:
    """Remote text for our own charts, shown literally: plotly.js reads `&lt;` as `<`."""
    return html.escape(value, quote=False)


def safe_figure(spec: dict[str, Any]) -> SafeFigure:
    """The remote spec built by plotly.py, without anything that fetches or navigates."""
    built = _built(spec)
    removed: Counter[str] = Counter()
    clean: dict[str, Any] = {
        "data": _safe_traces(built.get("data", []), removed),
        "layout": _safe_layout(_without_maps(built.get("layout", {})), removed),
    }
    if "frames" in built:
        clean["frames"] = [_safe_frame(frame, removed) for frame in built["frames"]]
    figure = go.Figure(_safe_strings(clean), skip_invalid=True)
    return SafeFigure(figure, tuple(f"{count} {what}" for what, count in removed.items()))


def _built(spec: dict[str, Any]) -> dict[str, Any]:
    try:
        # skip_invalid drops properties this plotly does not know instead of failing the figure.
        built: dict[str, Any] = go.Figure(spec, skip_invalid=True).to_plotly_json()
    except (AttributeError, KeyError, TypeError) as exc:
        # plotly.py fails on some malformed paths (`images[0]` given a dict) with these.
        raise ValueError("plotly.py cannot build this figure") from exc
    return built


def _safe_traces(traces: list[dict[str, Any]], removed: Counter[str]) -> list[dict[str, Any]]:
    kept = [trace for trace in traces if trace.get("type") not in MAP_TRACE_TYPES]
    if len(kept) < len(traces):
        removed["map trace(s)"] += len(traces) - len(kept)
    return kept


def _safe_frame(frame: dict[str, Any], removed: Counter[str]) -> dict[str, Any]:
    safe = dict(frame)
    if "data" in safe:
        safe["data"] = _safe_traces(safe["data"], removed)
    if "layout" in safe:
        safe["layout"] = _safe_layout(_without_maps(safe["layout"]), removed)
    return safe


def _without_maps(layout: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in layout.items() if not _MAP_SUBPLOT.fullmatch(key)}


def _safe_layout(layout: dict[str, Any], removed: Counter[str]) -> dict[str, Any]:
    safe = dict(layout)
    if "images" in safe:
        safe["images"] = _inline_images(safe["images"], removed)
    if "imagedefaults" in safe and not _is_inline_image(safe["imagedefaults"].get("source")):
        safe["imagedefaults"] = {k: v for k, v in safe["imagedefaults"].items() if k != "source"}
    if "template" in safe:
        safe["template"] = _safe_template(safe["template"], removed)
    for controls, items in (("updatemenus", "buttons"), ("sliders", "steps")):
        if controls in safe:
            safe[controls] = [_safe_control(c, items, removed) for c in safe[controls]]
    return safe


def _is_inline_image(source: object) -> bool:
    return isinstance(source, str) and source.strip().lower().startswith("data:image/")


def _inline_images(images: list[dict[str, Any]], removed: Counter[str]) -> list[dict[str, Any]]:
    inline = [image for image in images if _is_inline_image(image.get("source"))]
    if len(inline) < len(images):
        removed["linked image(s)"] += len(images) - len(inline)
    return inline


def _safe_template(template: dict[str, Any], removed: Counter[str]) -> dict[str, Any]:
    safe = dict(template)
    # Template `data` only styles traces of each type, never adds one, so it stays as it is.
    if "layout" in safe:
        safe["layout"] = _safe_layout(safe["layout"], removed)
    return safe


def _safe_control(control: dict[str, Any], items: str, removed: Counter[str]) -> dict[str, Any]:
    """An update menu or slider without the buttons or steps that could fetch when clicked."""
    if items not in control:
        return control
    kept = [item for item in control[items] if not _fetches_on_click(item)]
    if len(kept) < len(control[items]):
        removed["button(s) or slider step(s)"] += len(control[items]) - len(kept)
    return {**control, items: kept}


def _fetches_on_click(item: dict[str, Any]) -> bool:
    paths = (path for key in ("args", "args2") for path in _paths(item.get(key, [])))
    return any(_fetching(path) for path in paths)


def _paths(value: object, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every attribute path an argument sets, `images[0].source` read as its three names."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = path + tuple(n for n in _PATH_SEPARATORS.split(str(key).lower()) if n)
            yield here
            yield from _paths(item, here)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _paths(item, path)


def _fetching(path: tuple[str, ...]) -> bool:
    # `type` first is a restyle turning a trace into, say, a map; `xaxis.type` is harmless.
    changes_trace_type = path[:1] == ("type",)
    return changes_trace_type or any(
        name in _FETCHING_NAMES or _MAP_SUBPLOT.fullmatch(name) for name in path
    )


def _safe_strings(value: Any) -> Any:
    """`value` with every string (keys aside) rewritten by `_safe_text`."""
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, dict):
        return {key: _safe_strings(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_safe_strings(item) for item in value]
    return value


def _safe_text(text: str) -> str:
    """Text whose only brackets are formatting tags without links or loading styles."""
    if "<" not in text and ">" not in text:
        return text
    # plotly.js reads newlines as spaces before it looks for tags, so a tag may span lines.
    pieces = _TAG_PIECE.split(_NEWLINES.sub(" ", text))
    return "".join(_safe_tag(p) if i % 2 else _escaped(p) for i, p in enumerate(pieces))


def _escaped(words: str) -> str:
    # `&` stays: the figure's own entities (`&amp;`, `&#8364;`) only ever draw characters.
    return words.replace("<", "&lt;").replace(">", "&gt;")


def _safe_tag(piece: str) -> str:
    match = _TAG.fullmatch(piece)
    name = match.group(2).lower() if match else ""
    if name == "a":
        return ""
    if match is None or name not in _FORMATTING_TAGS:
        return _escaped(piece)
    if match.group(1) or name in {"br", "extra"}:
        return f"<{match.group(1)}{name}>"
    return f"<{name}{_safe_style(match.group(3) or '')}>"


def _safe_style(attributes: str) -> str:
    found = _STYLE.search(attributes)
    value = (found.group(1) or found.group(2) or "") if found else ""
    return f' style="{value}"' if value and _SAFE_STYLE.fullmatch(value) else ""
