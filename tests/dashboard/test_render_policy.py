"""Render decisions agree with the bytes and every claim, falling to the safer kind otherwise."""

from __future__ import annotations

import pytest

from dashboard.safety.render_policy import (
    IMAGE_MAX_BYTES,
    INLINE_MAX_BYTES,
    RenderKind,
    Sniffed,
    decide_render,
    fits_inline,
    is_plotly_figure,
    kind_of_content_type,
    kind_of_format,
    sniff,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
GIF = b"GIF89a\x01\x00\x01\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3"
SVG = b'<?xml version="1.0"?>\n<!-- chart --><svg xmlns="http://www.w3.org/2000/svg"><script/>'
HTML = b"<!DOCTYPE html><html><body><script>top.location='x'</script>"
PLOTLY = b'{"data": [{"type": "scatter"}], "layout": {}}'


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PNG, Sniffed.RASTER),
        (JPEG, Sniffed.RASTER),
        (GIF, Sniffed.RASTER),
        (WEBP, Sniffed.RASTER),
        (PDF, Sniffed.PDF),
        (SVG, Sniffed.SVG),
        (b"\xef\xbb\xbf  <svg>", Sniffed.SVG),
        (b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"><svg:svg>', Sniffed.SVG),
        (b"<SVG onload=alert(1)>", Sniffed.SVG),
        (HTML, Sniffed.MARKUP),
        (b"<?xml version='1.0'?><html><svg>", Sniffed.MARKUP),
        (b"<!-- <svg> --><div>", Sniffed.MARKUP),
        (b"<p>hello", Sniffed.MARKUP),
        (PLOTLY, Sniffed.JSON),
        (b"  [1, 2]", Sniffed.JSON),
        (b"item_id,timestamp,mean\n", Sniffed.TEXT),
        ("caf\u00e9".encode()[:-1], Sniffed.TEXT),
        (b"\x00\x01\x02", Sniffed.BINARY),
        (b"\xff\xfe\xfd text", Sniffed.BINARY),
        (b"", Sniffed.EMPTY),
        (b" \n\t", Sniffed.EMPTY),
    ],
)
def test_sniffing_reads_the_leading_bytes(head: bytes, expected: Sniffed) -> None:
    assert sniff(head) is expected


@pytest.mark.parametrize(
    ("declared", "content_type", "head", "expected"),
    [
        ("png", "image/png", PNG, RenderKind.IMAGE),
        (None, "image/jpeg", JPEG, RenderKind.IMAGE),
        ("gif", "application/octet-stream", GIF, RenderKind.IMAGE),
        (None, "", WEBP, RenderKind.IMAGE),
        ("svg", "image/svg+xml", SVG, RenderKind.SVG_IMAGE),
        (None, "text/plain", SVG, RenderKind.SVG_IMAGE),
        ("plotly", "application/json", PLOTLY, RenderKind.PLOTLY_JSON),
        (None, "application/vnd.plotly.v1+json", PLOTLY, RenderKind.PLOTLY_JSON),
        (None, "application/json", PLOTLY, RenderKind.JSON),
        ("html", "text/html; charset=utf-8", HTML, RenderKind.HTML_ISOLATED),
        (None, "text/html", b"Report\n<table>", RenderKind.HTML_ISOLATED),
        ("pdf", "application/pdf", PDF, RenderKind.PDF),
        ("csv", "text/csv", b"a,b\n1,2\n", RenderKind.CSV_TABLE),
        ("csv", "text/plain", b"a,b\n1,2\n", RenderKind.CSV_TABLE),
        ("md", "text/markdown", b"# Title\n", RenderKind.MARKDOWN),
        ("markdown", "text/plain", b"<!-- note -->\n# Title", RenderKind.MARKDOWN),
        (None, "text/plain", b"hello", RenderKind.TEXT),
        (None, "application/json", b'{"a": 1}', RenderKind.JSON),
        (None, "application/problem+json", b'{"a": 1}', RenderKind.JSON),
        (None, "application/octet-stream", b"\x00\x01", RenderKind.DOWNLOAD),
        ("xlsx", "application/vnd.ms-excel", b"PK\x03\x04\x00", RenderKind.DOWNLOAD),
        (None, "image/png", b"", RenderKind.DOWNLOAD),
    ],
)
def test_agreeing_claims_and_bytes_pick_the_natural_kind(
    declared: str | None, content_type: str, head: bytes, expected: RenderKind
) -> None:
    assert decide_render(declared, content_type, head) is expected


@pytest.mark.parametrize(
    ("declared", "content_type", "head"),
    [
        ("png", "image/png", HTML),
        ("png", "image/png", SVG),
        ("svg", "image/svg+xml", HTML),
        (None, "image/png", b"hello"),
        ("jpeg", "image/jpeg", b"\x00garbage"),
        ("png", "text/html", PNG),
        ("html", "text/html", PNG),
        ("pdf", "application/pdf", HTML),
    ],
)
def test_content_that_is_not_an_image_is_never_shown_as_a_raster_image(
    declared: str | None, content_type: str, head: bytes
) -> None:
    assert decide_render(declared, content_type, head) is not RenderKind.IMAGE


@pytest.mark.parametrize(
    ("declared", "content_type"),
    [("svg", "image/svg+xml"), ("html", "text/html"), (None, "text/html"), ("svg", "text/html")],
)
def test_svg_is_never_treated_as_html(declared: str | None, content_type: str) -> None:
    assert decide_render(declared, content_type, SVG) in {
        RenderKind.SVG_IMAGE,
        RenderKind.DOWNLOAD,
    }


def test_html_pretending_to_be_a_png_is_isolated() -> None:
    assert decide_render("png", "image/png", HTML) is RenderKind.HTML_ISOLATED


def test_a_png_the_server_calls_html_is_downloaded_not_shown() -> None:
    assert decide_render(None, "text/html", PNG) is RenderKind.DOWNLOAD


def test_a_pdf_declared_as_something_else_is_downloaded() -> None:
    assert decide_render("png", "image/png", PDF) is RenderKind.DOWNLOAD


def test_markup_served_as_plain_text_stays_text() -> None:
    assert decide_render(None, "text/plain", HTML) is RenderKind.TEXT


@pytest.mark.parametrize("declared", ["PNG", ".png", " png ", "image/png"])
def test_declared_formats_are_read_in_any_spelling(declared: str) -> None:
    assert kind_of_format(declared) is RenderKind.IMAGE


def test_unknown_formats_and_generic_types_claim_nothing() -> None:
    assert kind_of_format("weird") is None
    assert kind_of_format(None) is None
    assert kind_of_content_type("application/octet-stream") is None
    assert kind_of_content_type("") is None


def test_only_the_leading_bytes_are_looked_at() -> None:
    body = b"a,b\n" * 300 + b"\x00" * 5000
    assert decide_render("csv", "text/csv", body) is RenderKind.CSV_TABLE


def test_every_kind_has_an_inline_size_cap() -> None:
    assert set(INLINE_MAX_BYTES) == set(RenderKind)
    assert fits_inline(RenderKind.IMAGE, IMAGE_MAX_BYTES)
    assert not fits_inline(RenderKind.IMAGE, IMAGE_MAX_BYTES + 1)
    assert IMAGE_MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        ({"data": [{"type": "bar"}], "layout": {"title": "x"}}, True),
        ({"data": []}, True),
        ({"data": {"type": "bar"}}, False),
        ({"data": ["not a trace"]}, False),
        ({"data": [], "layout": "x"}, False),
        ([{"data": []}], False),
        ("data", False),
        (None, False),
    ],
)
def test_plotly_figures_are_recognised_by_shape(obj: object, expected: bool) -> None:
    assert is_plotly_figure(obj) is expected
