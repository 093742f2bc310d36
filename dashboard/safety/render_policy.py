"""How to show fetched content, decided from its declared format, Content-Type and first bytes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import StrEnum

_MB = 1024 * 1024
# Caps passed to the client's fetch (it stops reading past them) for each use.
MAX_CONTENT_BYTES = 20 * _MB
IMAGE_MAX_BYTES = 10 * _MB
THUMBNAIL_MAX_BYTES = 2 * _MB
PLOTLY_JSON_MAX_BYTES = 20 * _MB
HTML_MAX_BYTES = 5 * _MB
PDF_MAX_BYTES = 20 * _MB
CSV_MAX_BYTES = 20 * _MB
MARKDOWN_MAX_BYTES = 1 * _MB
TEXT_MAX_BYTES = 1 * _MB
# decide_render needs no more than this many leading bytes.
SNIFF_BYTES = 1024

RASTER_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
IMAGE_TYPES = RASTER_TYPES | {"image/svg+xml"}
_GENERIC_TYPES = frozenset({"application/octet-stream", "binary/octet-stream", ""})
PLOTLY_TYPES = frozenset({"application/json", "application/vnd.plotly.v1+json"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/csv", "application/csv", "text/markdown"})
# What each use of the client's fetch accepts (Content-Type without parameters).
THUMBNAIL_ACCEPTED_TYPES = IMAGE_TYPES | _GENERIC_TYPES
PLOT_ACCEPTED_TYPES = (
    IMAGE_TYPES | PLOTLY_TYPES | HTML_TYPES | {"application/pdf", "text/plain"} | _GENERIC_TYPES
)
REPORT_ACCEPTED_TYPES = HTML_TYPES | TEXT_TYPES | {"application/pdf", "application/json"}
REPORT_ACCEPTED_TYPES |= _GENERIC_TYPES
ARTIFACT_ACCEPTED_TYPES = IMAGE_TYPES | PLOTLY_TYPES | HTML_TYPES | TEXT_TYPES | _GENERIC_TYPES
ARTIFACT_ACCEPTED_TYPES |= {"application/pdf", "text/x-markdown", "application/xml", "text/xml"}


class RenderKind(StrEnum):
    """The ways the dashboard shows content; DOWNLOAD shows nothing inline."""

    IMAGE = "image"
    SVG_IMAGE = "svg_image"
    PLOTLY_JSON = "plotly_json"
    HTML_ISOLATED = "html_isolated"
    PDF = "pdf"
    CSV_TABLE = "csv_table"
    MARKDOWN = "markdown"
    TEXT = "text"
    JSON = "json"
    DOWNLOAD = "download"


INLINE_MAX_BYTES: dict[RenderKind, int] = {
    RenderKind.IMAGE: IMAGE_MAX_BYTES,
    RenderKind.SVG_IMAGE: IMAGE_MAX_BYTES,
    RenderKind.PLOTLY_JSON: PLOTLY_JSON_MAX_BYTES,
    RenderKind.HTML_ISOLATED: HTML_MAX_BYTES,
    RenderKind.PDF: PDF_MAX_BYTES,
    RenderKind.CSV_TABLE: CSV_MAX_BYTES,
    RenderKind.MARKDOWN: MARKDOWN_MAX_BYTES,
    RenderKind.TEXT: TEXT_MAX_BYTES,
    RenderKind.JSON: PLOTLY_JSON_MAX_BYTES,
    RenderKind.DOWNLOAD: MAX_CONTENT_BYTES,
}


class Sniffed(StrEnum):
    """What the first bytes are, whatever anyone claims."""

    RASTER = "raster"
    PDF = "pdf"
    SVG = "svg"
    MARKUP = "markup"
    JSON = "json"
    TEXT = "text"
    BINARY = "binary"
    EMPTY = "empty"


_FORMATS: dict[str, RenderKind] = {
    **dict.fromkeys(("png", "jpg", "jpeg", "gif", "webp"), RenderKind.IMAGE),
    "svg": RenderKind.SVG_IMAGE,
    **dict.fromkeys(("plotly", "plotly_json", "plotly-json"), RenderKind.PLOTLY_JSON),
    **dict.fromkeys(("html", "htm", "xhtml"), RenderKind.HTML_ISOLATED),
    "pdf": RenderKind.PDF,
    "csv": RenderKind.CSV_TABLE,
    **dict.fromkeys(("md", "markdown"), RenderKind.MARKDOWN),
    **dict.fromkeys(("txt", "text", "log"), RenderKind.TEXT),
    "json": RenderKind.JSON,
}
_CONTENT_TYPES: dict[str, RenderKind] = {
    **dict.fromkeys(RASTER_TYPES, RenderKind.IMAGE),
    "image/svg+xml": RenderKind.SVG_IMAGE,
    "application/vnd.plotly.v1+json": RenderKind.PLOTLY_JSON,
    **dict.fromkeys(HTML_TYPES, RenderKind.HTML_ISOLATED),
    "application/pdf": RenderKind.PDF,
    **dict.fromkeys(("text/csv", "application/csv"), RenderKind.CSV_TABLE),
    **dict.fromkeys(("text/markdown", "text/x-markdown"), RenderKind.MARKDOWN),
    **dict.fromkeys(("text/plain", "application/xml", "text/xml"), RenderKind.TEXT),
    "application/json": RenderKind.JSON,
}


def kind_of_format(declared_format: str | None) -> RenderKind | None:
    """The kind an artifact's `format` claims ("png", ".PNG", "image/png"...); None if unknown."""
    if not declared_format:
        return None
    name = declared_format.strip().lower().lstrip(".")
    return _FORMATS.get(name) or _CONTENT_TYPES.get(name)


def kind_of_content_type(content_type: str) -> RenderKind | None:
    """The kind a Content-Type claims; None for generic or unknown types."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media.endswith("+json") and media not in _CONTENT_TYPES:
        return RenderKind.JSON
    return _CONTENT_TYPES.get(media)


_MAGIC: tuple[tuple[bytes, Sniffed], ...] = (
    (b"\x89PNG\r\n\x1a\n", Sniffed.RASTER),
    (b"\xff\xd8\xff", Sniffed.RASTER),
    (b"GIF87a", Sniffed.RASTER),
    (b"GIF89a", Sniffed.RASTER),
    (b"%PDF-", Sniffed.PDF),
)
# XML declarations, comments and an SVG doctype may come before an SVG's root element.
_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!doctype\s+svg[^>\[]*>)", re.S | re.I)
_ELEMENT = re.compile(r"\s*<([A-Za-z][\w.:-]*)")
_UTF8_BOM = b"\xef\xbb\xbf"


def _as_text(head: bytes) -> str | None:
    """`head` decoded as UTF-8, forgiving a character cut at the end; None if binary."""
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(head) - 3:
            return head[: exc.start].decode("utf-8")
        return None


def _root_element(text: str) -> str | None:
    pos = 0
    while match := _PROLOG.match(text, pos):
        pos = match.end()
    element = _ELEMENT.match(text, pos)
    return element.group(1).rsplit(":", 1)[-1].lower() if element else None


def sniff(head: bytes) -> Sniffed:
    """What the leading bytes of a body are, from magic numbers and the first markup."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed.RASTER
    text = _as_text(head.removeprefix(_UTF8_BOM))
    if text is None:
        return Sniffed.BINARY
    text = text.lstrip()
    if not text:
        return Sniffed.EMPTY
    if text[0] in "{[":
        return Sniffed.JSON
    if text[0] == "<":
        return Sniffed.SVG if _root_element(text) == "svg" else Sniffed.MARKUP
    return Sniffed.TEXT


def _for_markup(first: RenderKind | None, claims: Sequence[RenderKind]) -> RenderKind:
    # Markdown and plain-text renderers never interpret tags, so they may show markup as text.
    if first is RenderKind.MARKDOWN:
        return RenderKind.MARKDOWN
    if first is None and claims:
        return RenderKind.TEXT
    return RenderKind.HTML_ISOLATED


def _for_json(first: RenderKind | None, claims: Sequence[RenderKind]) -> RenderKind:
    textual = {RenderKind.PLOTLY_JSON, RenderKind.MARKDOWN, RenderKind.CSV_TABLE}
    if first in textual | {RenderKind.HTML_ISOLATED}:
        return first
    return RenderKind.TEXT if first is None and claims else RenderKind.JSON


def _for_text(first: RenderKind | None) -> RenderKind:
    if first in {RenderKind.CSV_TABLE, RenderKind.MARKDOWN, RenderKind.HTML_ISOLATED}:
        return first
    return RenderKind.TEXT


def _only(strong: Sequence[RenderKind], allowed: set[RenderKind], kind: RenderKind) -> RenderKind:
    """`kind` when no claim contradicts it, else a download."""
    return kind if set(strong) <= allowed else RenderKind.DOWNLOAD


def decide_render(declared_format: str | None, content_type: str, head: bytes) -> RenderKind:
    """The safest way to show a body, agreeing with its bytes and every claim about them."""
    sniffed = sniff(head[:SNIFF_BYTES])
    claims = [
        kind
        for kind in (kind_of_format(declared_format), kind_of_content_type(content_type))
        if kind is not None
    ]
    # text/plain is what misconfigured storage says about everything: it contradicts nothing.
    strong = [kind for kind in claims if kind is not RenderKind.TEXT]
    first = strong[0] if strong else None
    image_kinds = {RenderKind.IMAGE, RenderKind.SVG_IMAGE}
    match sniffed:
        case Sniffed.RASTER:
            return _only(strong, image_kinds, RenderKind.IMAGE)
        case Sniffed.SVG:
            return _only(strong, image_kinds, RenderKind.SVG_IMAGE)
        case Sniffed.PDF:
            return _only(strong, {RenderKind.PDF}, RenderKind.PDF)
        case Sniffed.MARKUP:
            return _for_markup(first, claims)
        case Sniffed.JSON:
            return _for_json(first, claims)
        case Sniffed.TEXT:
            return _for_text(first)
        case _:
            return RenderKind.DOWNLOAD


def fits_inline(kind: RenderKind, size: int) -> bool:
    """Whether a body of `size` bytes may be shown inline as `kind`."""
    return size <= INLINE_MAX_BYTES[kind]


def is_plotly_figure(obj: object) -> bool:
    """True for a dict shaped like a Plotly figure: a "data" list of trace objects."""
    if not isinstance(obj, dict):
        return False
    data = obj.get("data")
    layout = obj.get("layout", {})
    return (
        isinstance(data, list)
        and all(isinstance(trace, dict) for trace in data)
        and isinstance(layout, dict)
    )
