"""A snapshot as one self-contained HTML file: plotly.js inlined, a CSP that loads nothing."""

from __future__ import annotations

import base64
import hashlib
import html
from datetime import UTC, datetime

from plotly.offline import get_plotlyjs

from dashboard.safety.html_isolation import inner_document
from dashboard.snapshot.snapshot_content import SnapshotContent
from dashboard.snapshot.snapshot_sections import FrozenTable
from dashboard.snapshot.snapshot_visuals import FrozenVisual, image_uri

# Reads each figure from its inert JSON block, so the only scripts are these two fixed texts.
DRAW_SCRIPT = (
    "(function(){document.querySelectorAll('script[data-chart]').forEach(function(s){"
    "var f=JSON.parse(s.textContent);Plotly.newPlot(s.getAttribute('data-chart'),f.data,"
    "f.layout,{displaylogo:false,responsive:true});});})();"
)
# JSON inside a <script> block: no character of it can close the block or open a comment.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode()).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def _policy(scripts: list[str]) -> str:
    """Nothing loads from anywhere: only the file's own scripts run, by their hashes."""
    sources = " ".join(_hash(script) for script in scripts) or "'none'"
    return (
        f"default-src 'none'; script-src {sources}; style-src 'unsafe-inline'; "
        "img-src data:; font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
    )


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _facts(content: SnapshotContent) -> str:
    rows = [
        ("Job ID", content.job_id),
        ("Status", content.status),
        ("Created", _when(content.created_at)),
        ("Finished", _when(content.completed_at)),
        ("Elapsed", "—" if content.elapsed_seconds is None else f"{content.elapsed_seconds:g} s"),
        ("Items", "—" if content.num_items is None else f"{content.num_items:,}"),
        (
            "Prediction length",
            "—" if content.prediction_length is None else f"{content.prediction_length:,}",
        ),
        *((name, value) for name, value in content.provenance.items()),
    ]
    if content.error_code or content.error:
        rows.append(("Error", f"{content.error_code or ''} {content.error or ''}".strip()))
    cells = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(value)}</td></tr>"
        for label, value in rows
    )
    return f"<table>{cells}</table>"


def _chart(element_id: str, figure_json: str) -> str:
    figure = figure_json.translate(_JSON_ESCAPES)
    return (
        # At least as tall as the dashboard's charts, taller when the figure asks (a legend
        # fitted under the plot makes it so).
        f'<div id="{element_id}" style="min-height:480px"></div>'
        f'<script type="application/json" data-chart="{element_id}">{figure}</script>'
    )


def _table(table: FrozenTable) -> str:
    def cell(value: object) -> str:
        return "" if value is None else html.escape(str(value))

    head = "".join(f"<th>{cell(column)}</th>" for column in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell(value)}</td>" for value in row) + "</tr>" for row in table.rows
    )
    note = f"<p>{html.escape(table.note)}</p>" if table.note else ""
    return f"<h2>{html.escape(table.title)}</h2><table><tr>{head}</tr>{rows}</table>{note}"


def _visual(visual: FrozenVisual, number: int) -> str:
    """A copied visual; HTML in a sandboxed, network-less frame, as in the dashboard."""
    title = f"<h3>{html.escape(visual.title)}</h3>"
    if visual.kind == "image":
        alt = html.escape(visual.title, quote=True)
        return f'{title}<img src="{html.escape(image_uri(visual), quote=True)}" alt="{alt}">'
    if visual.kind == "html":
        srcdoc = html.escape(inner_document(visual.data), quote=True)
        return (
            f'{title}<iframe sandbox="" referrerpolicy="no-referrer" style="width:100%;'
            f'height:520px;border:0" srcdoc="{srcdoc}"></iframe>'
        )
    note = f"<p>{html.escape(visual.note)}</p>" if visual.note else ""
    if visual.kind == "markdown":
        return f"{title}<div>{visual.data}</div>{note}"
    return title + _chart(f"snapshot-visual-{number}", visual.data) + note


def _sections(content: SnapshotContent) -> str:
    """The facts and forecast chart of a job page (not of /compare), then charts and tables."""
    parts = []
    if content.page != "compare":
        chart = "<p>No chart was kept in this snapshot.</p>"
        if content.figure_json is not None:
            chart = _chart("snapshot-chart", content.figure_json)
        parts.append(f"{_facts(content)}<h2>Forecast</h2>{chart}")
    for number, kept in enumerate(content.charts):
        title = f"<h3>{html.escape(kept.title)}</h3>"
        parts.append(title + _chart(f"snapshot-chart-{number}", kept.figure_json))
    parts.extend(_table(table) for table in content.tables)
    parts.extend(_visual(visual, number) for number, visual in enumerate(content.visuals))
    if content.page != "compare":
        overview = content.overview_html or "<p>None.</p>"
        parts.append(f"<h2>Explainability overview</h2><div>{overview}</div>")
    return "".join(parts)


def snapshot_html(
    content: SnapshotContent, title: str, taken_at: datetime, taken_by: str | None
) -> str:
    """The whole snapshot as a page that opens offline; every text in it escaped."""
    by = f" by {html.escape(taken_by)}" if taken_by else ""
    scripts = []
    plotly_visuals = any(visual.kind == "plotly" for visual in content.visuals)
    if content.figure_json is not None or content.charts or plotly_visuals:
        # The parser turns CR and CRLF into LF before the browser hashes a script: so do we.
        scripts = [get_plotlyjs().replace("\r\n", "\n").replace("\r", "\n"), DRAW_SCRIPT]
    notes = "".join(f"<li>{html.escape(note)}</li>" for note in content.left_out)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_policy(scripts)}">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p><strong>Snapshot</strong> taken {_when(taken_at)}{by}: a frozen, read-only copy.</p>"
        f"{_sections(content)}<h2>Not included</h2><ul>{notes}</ul>"
        + "".join(f"<script>{script}</script>" for script in scripts)
        + "</body></html>"
    )
