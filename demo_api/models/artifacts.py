"""What an explainability artifact is inside the demo, and how each format is served."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

MEDIA_TYPES: Mapping[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "plotly_json": "application/json",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}
EXTENSIONS: Mapping[str, str] = {
    "png": "png",
    "svg": "svg",
    "plotly_json": "plotly.json",
    "json": "json",
    "html": "html",
    "csv": "csv",
    "markdown": "md",
    "pdf": "pdf",
}


@dataclass(frozen=True)
class ArtifactSpec:
    """One artifact; `render` makes its bytes on first fetch (the app caches them)."""

    artifact_id: str
    analysis: str
    label: str
    format: str
    render: Callable[[], bytes]
    description: str = ""
    render_inline: bool = False
    preview_markdown: str = ""
    highlights: tuple[str, ...] = ()
    is_primary_visual: bool = False
    is_thumbnail: bool = False
    # Served from /_storage (no token, expiring signature) instead of the API's own /jobs path.
    storage: bool = False
    # A CSV has nothing to embed; its embed_url is null.
    embeddable: bool = True


@dataclass(frozen=True)
class Explainability:
    """A job's explainability outcome, before URLs are attached."""

    enabled: bool
    overview_markdown: str = ""
    selected: tuple[str, ...] = ()
    completed: tuple[str, ...] = ()
    skipped: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    artifacts: tuple[ArtifactSpec, ...] = ()

    def artifact(self, artifact_id: str) -> ArtifactSpec | None:
        return next((a for a in self.artifacts if a.artifact_id == artifact_id), None)


DISABLED = Explainability(enabled=False)


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A small GitHub-style markdown table (pandas' to_markdown needs an extra package)."""
    header = ["", *map(str, frame.columns)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, row in frame.iterrows():
        cells = [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row]
        lines.append("| " + " | ".join([str(index), *cells]) + " |")
    return "\n".join(lines)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(float_format="%.6g").encode()


def text_bytes(text: str) -> Callable[[], bytes]:
    """A render function for text already built."""
    data = text.encode()
    return lambda: data
