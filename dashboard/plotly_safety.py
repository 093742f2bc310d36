"""Remote Plotly figures stripped of every part that makes the viewer's browser fetch something.

plotly.js loads `layout.images` sources, map styles, tiles and layers, and geo topojson straight
from the browser; a figure from a remote service could point them at any server (a tracker, an
internal address). Images survive only as `data:` URIs; map and geo traces are removed
(without them plotly.js draws no map subplot, so their layout settings load nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Trace types drawn on a tile map or a geo projection: each one downloads tiles or topojson.
MAP_TRACE_TYPES = frozenset(
    {"scattermapbox", "choroplethmapbox", "densitymapbox", "scattermap", "choroplethmap"}
    | {"densitymap", "scattergeo", "choropleth"}
)


@dataclass(frozen=True)
class SafeFigure:
    """The figure spec to draw and what was removed from it (for a caption)."""

    spec: dict[str, Any]
    removed: tuple[str, ...]


def _is_inline_image(source: object) -> bool:
    return isinstance(source, str) and source.strip().lower().startswith("data:image/")


def _safe_traces(traces: object, removed: list[str]) -> list[Any]:
    if not isinstance(traces, list):
        return []
    kept = [t for t in traces if not (isinstance(t, dict) and t.get("type") in MAP_TRACE_TYPES)]
    if len(kept) < len(traces):
        removed.append(f"{len(traces) - len(kept)} map trace(s)")
    return kept


def _safe_layout(layout: object, removed: list[str]) -> dict[str, Any]:
    if not isinstance(layout, dict):
        return {}
    safe = dict(layout)
    images = safe.get("images")
    if isinstance(images, list):
        inline = [i for i in images if isinstance(i, dict) and _is_inline_image(i.get("source"))]
        if len(inline) < len(images):
            removed.append(f"{len(images) - len(inline)} linked image(s)")
        safe["images"] = inline
    template = safe.get("template")
    if isinstance(template, dict):
        safe["template"] = _safe_template(template, removed)
    return safe


def _safe_template(template: dict[str, Any], removed: list[str]) -> dict[str, Any]:
    safe = dict(template)
    # Template `data` only styles traces; it never adds one, so it cannot add a map.
    if "layout" in safe:
        safe["layout"] = _safe_layout(safe["layout"], removed)
    return safe


def _safe_frames(frames: object, removed: list[str]) -> list[Any]:
    if not isinstance(frames, list):
        return []
    safe = []
    for frame in frames:
        if isinstance(frame, dict):
            frame = dict(frame)
            frame["data"] = _safe_traces(frame.get("data", []), removed)
            if "layout" in frame:
                frame["layout"] = _safe_layout(frame["layout"], removed)
            safe.append(frame)
    return safe


def safe_figure_spec(spec: dict[str, Any]) -> SafeFigure:
    """A copy of a Plotly figure spec that draws without the browser fetching anything."""
    removed: list[str] = []
    safe = dict(spec)
    safe["data"] = _safe_traces(spec.get("data", []), removed)
    if "layout" in spec:
        safe["layout"] = _safe_layout(spec["layout"], removed)
    if "frames" in spec:
        safe["frames"] = _safe_frames(spec["frames"], removed)
    return SafeFigure(safe, tuple(dict.fromkeys(removed)))
