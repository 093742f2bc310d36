"""What each hostile job's body holds: an attack in every text and URL field."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from demo_api.testing import hostile_payloads as attack
from demo_api.testing.hostile_scenarios import ERROR_KINDS, REDIRECTS, JobContext


def _artifact(index: int, label: str, fmt: str, url: str | None, **extra: Any) -> dict[str, Any]:
    artifact: dict[str, Any] = {
        "artifact_id": f"hostile_{index}",
        "analysis": "hostile",
        "label": label,
        "format": fmt,
        "output_path": f"explainability/hostile_{index}",
        "download_url": url,
        "embed_url": url,
        "description": "",
        "render_inline": True,
        "preview_markdown": "",
        "highlights": [],
        "display_order": index,
        "is_primary_visual": False,
        "is_thumbnail": False,
    }
    return artifact | extra


def _explainability(artifacts: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "enabled": True,
        "overview_markdown": "",
        "selected_analyses": ["hostile"],
        "completed_analyses": ["hostile"],
        "skipped_analyses": {},
        "warnings": [],
        "artifacts": artifacts,
        "summary_path": None,
    }
    return summary | extra


def _routed(c: JobContext, kind: str, names: Iterable[str], label: str) -> list[dict[str, Any]]:
    """One PNG-claiming artifact per /_hostile/{job}/{kind}/{name} route."""
    return [
        _artifact(i, f"{label} {name}", "png", c.route(f"{kind}/{name}"))
        for i, name in enumerate(names)
    ]


def _markdown_links(c: JobContext) -> dict[str, Any]:
    links = attack.markdown_links(c.beacon)
    artifacts = [
        _artifact(0, "Links as a markdown artifact", "markdown", c.route("links.md")),
        _artifact(1, "Links in a preview", "png", c.route("pixel.png"), preview_markdown=links),
    ]
    return {
        "explainability": _explainability(artifacts, overview_markdown=links),
        "report_url": c.route("links.md"),
    }


def _raw_html(c: JobContext) -> dict[str, Any]:
    html = attack.raw_html(c.beacon)
    lines = html.splitlines()
    artifacts = [
        _artifact(0, "Raw HTML as markdown", "markdown", c.route("raw.md")),
        _artifact(
            1,
            "Raw HTML everywhere",
            "csv",
            c.route("cells.csv"),
            description=html,
            highlights=lines,
            preview_markdown=html,
        ),
    ]
    summary = _explainability(artifacts, overview_markdown=html, warnings=lines[:4])
    return {"explainability": summary, "report_url": c.route("raw.md")}


def _html_artifact(c: JobContext) -> dict[str, Any]:
    artifacts = [
        _artifact(0, "HTML inline", "html", c.route("page.html")),
        _artifact(1, "HTML on demand", "html", c.route("page.html?on=demand"), render_inline=False),
        _artifact(2, "HTML claiming to be PNG", "png", c.route("page.html?as=png")),
        _artifact(3, "HTML as octet-stream", "html", c.route("page.bin")),
        _artifact(4, "SVG as HTML", "html", c.route("image.svg?as=html")),
    ]
    return {
        "explainability": _explainability(artifacts),
        "forecast_plot_url": c.route("page.html?as=plot"),
        "report_url": c.route("page.html?as=report"),
    }


def _svg_script(c: JobContext) -> dict[str, Any]:
    svg = c.route("image.svg")
    artifacts = [
        _artifact(0, "SVG primary", "svg", svg, is_primary_visual=True),
        _artifact(1, "SVG thumbnail", "svg", svg + "?t=1", is_thumbnail=True),
        _artifact(2, "SVG inline", "svg", svg + "?i=1"),
        _artifact(3, "SVG claiming PNG", "png", svg + "?as=png", render_inline=False),
    ]
    return {"explainability": _explainability(artifacts), "forecast_plot_url": svg + "?as=plot"}


def _plotly(c: JobContext) -> dict[str, Any]:
    artifacts = [_artifact(0, "Plotly figure", "plotly_json", c.route("figure.json?a=1"))]
    return {
        "explainability": _explainability(artifacts),
        "forecast_plot_url": c.route("figure.json"),
    }


def _url_targets(c: JobContext) -> list[str]:
    """URLs the client must refuse before any connection (or, for the API, send no token)."""
    port = c.beacon_host.rpartition(":")[2]
    return [
        f"{c.beacon}/urls-other-origin.png",
        f"//{c.beacon_host}/urls-protocol-relative.png",
        f"http://localhost:{c.api_port}/_hostile/{c.job_id}/pixel.png",
        f"http://127.0.0.1:{c.api_port}@{c.beacon_host}/urls-userinfo.png",
        f"http://{c.token or 'user'}:x@{c.beacon_host}/urls-token-userinfo.png",
        f"http://2130706434:{port}/urls-decimal.png",
        f"http://0x7f.0.0.2:{port}/urls-hex.png",
        f"http://[::ffff:127.0.0.2]:{port}/urls-mapped.png",
        f"http://0.0.0.0:{port}/urls-unspecified.png",
        f"https://{c.beacon_host}/urls-https.png",
        f" \t{c.beacon}/urls-leading-blanks.png",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://127.0.0.2/urls-ftp",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://192.168.0.1/",
        "http://172.16.0.1/",
    ]


def _urls(c: JobContext) -> dict[str, Any]:
    targets = _url_targets(c)
    artifacts = [_artifact(i, f"URL {i}", "png", url) for i, url in enumerate(targets)]
    return {
        "explainability": _explainability(artifacts),
        "forecast_plot_url": targets[1],
        "report_url": "file:///etc/passwd",
        "download_url": "http://169.254.169.254/latest/meta-data/",
        "explainability_url": "http://10.0.0.1/explainability",
    }


def _redirects(c: JobContext) -> dict[str, Any]:
    return {
        "explainability": _explainability(_routed(c, "redirect", REDIRECTS, "Redirect to")),
        "forecast_plot_url": c.route("redirect/beacon"),
        "report_url": c.route("redirect/token_in_path"),
        "download_url": c.route("redirect/metadata"),
    }


def _errors(c: JobContext) -> dict[str, Any]:
    return {
        "explainability": _explainability(_routed(c, "error", ERROR_KINDS, "Error")),
        "forecast_plot_url": c.route("error/json"),
        "report_url": c.route("error/token_echo"),
    }


def _labels(c: JobContext) -> dict[str, Any]:
    text = attack.hostile_text(c.beacon)
    fields = {"description": text, "highlights": [text, text], "preview_markdown": text}
    artifacts = [
        _artifact(0, text, "png", c.route("pixel.png"), analysis=text, **fields),
        _artifact(1, text, text, c.route("pixel.png?b=1"), is_thumbnail=True),
        _artifact(2, text, "csv", c.route("cells.csv"), render_inline=False, **fields),
        _artifact(3, text, "png", c.route("pixel.png?c=1"), is_primary_visual=True),
    ]
    summary = _explainability(
        artifacts,
        overview_markdown=text,
        selected_analyses=[text],
        completed_analyses=[],
        skipped_analyses={text: {text: text}},
        warnings=[text],
    )
    return {"explainability": summary, "download_url": c.route("cells.csv?forecast=1")}


def _text(c: JobContext) -> dict[str, Any]:
    text = attack.hostile_text(c.beacon)
    error = "\n".join([text, attack.raw_html(c.beacon), f"Echoed token: {c.token}"])
    return {
        "status": "failed",
        "error": error,
        "error_code": f"<img src=x onerror=alert(1)>{text}",
        "request_id": text,
        "config_hash": f"{text} {c.token}",
        "dataset_hash": text,
        "model_version": text,
        "delivery_status": text,
        "delivery_connection_id": text,
        "delivery_uri": "javascript:alert(1)",
        "delivery_error": f"{text} token={c.token}",
        "external_covariate_metadata": {text: {text: [text, c.token]}, "uri": "javascript:x"},
    }


BUILDERS: Mapping[str, Callable[[JobContext], dict[str, Any]]] = {
    "hostile_markdown_links": _markdown_links,
    "hostile_raw_html": _raw_html,
    "hostile_html_artifact": _html_artifact,
    "hostile_svg_script": _svg_script,
    "hostile_plotly": _plotly,
    "hostile_urls": _urls,
    "hostile_redirects": _redirects,
    "hostile_errors": _errors,
    "hostile_labels": _labels,
    "hostile_text": _text,
}
