"""A snapshot as one self-contained HTML file: plotly.js inlined, a CSP that loads nothing."""

from __future__ import annotations

import base64
import hashlib
import html
from datetime import UTC, datetime

from plotly.offline import get_plotlyjs

from dashboard.snapshots import SnapshotContent

# Reads the figure from its inert JSON block, so the only scripts are these two fixed texts.
_DRAW = (
    "(function(){var f=JSON.parse(document.getElementById('snapshot-figure').textContent);"
    "Plotly.newPlot('snapshot-chart',f.data,f.layout,{displaylogo:false,responsive:true});})();"
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


def snapshot_html(
    content: SnapshotContent, title: str, taken_at: datetime, taken_by: str | None
) -> str:
    """The whole snapshot as a page that opens offline; every text in it escaped."""
    by = f" by {html.escape(taken_by)}" if taken_by else ""
    scripts, chart = [], "<p>No chart was kept in this snapshot.</p>"
    if content.figure_json is not None:
        # The parser turns CR and CRLF into LF before the browser hashes a script: so do we.
        scripts = [get_plotlyjs().replace("\r\n", "\n").replace("\r", "\n"), _DRAW]
        figure = content.figure_json.translate(_JSON_ESCAPES)
        chart = (
            '<div id="snapshot-chart" style="height:480px"></div>'
            f'<script type="application/json" id="snapshot-figure">{figure}</script>'
            + "".join(f"<script>{script}</script>" for script in scripts)
        )
    notes = "".join(f"<li>{html.escape(note)}</li>" for note in content.left_out)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_policy(scripts)}">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p><strong>Snapshot</strong> taken {_when(taken_at)}{by}: a frozen, read-only copy.</p>"
        f"{_facts(content)}<h2>Forecast</h2>{chart}"
        f"<h2>Explainability overview</h2><div>{content.overview_html or '<p>None.</p>'}</div>"
        f"<h2>Not included</h2><ul>{notes}</ul></body></html>"
    )
