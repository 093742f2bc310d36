"""Untrusted HTML wrapped so it renders in an opaque origin with no scripts and no network."""

from __future__ import annotations

import copy
import html

import nh3

# img-src data: lets self-contained reports keep their pictures without any request going out.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'

# Anything that navigates, embeds or loads without a script is dropped with its content.
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "svg", "math", "template", "noscript", "object", "embed", "applet"}
    | {"iframe", "frame", "frameset", "noframes", "noembed", "xmp", "plaintext", "title"}
)
_EXTRA_TAGS = frozenset(
    {"style", "img", "section", "main", "tfoot", "label", "big", "font", "meter", "progress"}
)
_GLOBAL_ATTRIBUTES = frozenset({"class", "style", "title", "lang", "dir", "id", "align"})


def _attributes() -> dict[str, set[str]]:
    allowed = copy.deepcopy(nh3.ALLOWED_ATTRIBUTES)
    # Links stay as text: following one would load a page outside the isolation.
    allowed["a"] = set()
    allowed["img"] = {"src", "alt", "width", "height"}
    allowed["font"] = {"color", "size", "face"}
    allowed["*"] = set(_GLOBAL_ATTRIBUTES)
    return allowed


_TAGS = set((nh3.ALLOWED_TAGS | _EXTRA_TAGS) - {"area", "map"})
_ATTRIBUTES = _attributes()


def sanitized_html(untrusted_html: str) -> str:
    """`untrusted_html` with scripts, embeds, forms, meta, base, link and URLs (but data:) gone."""
    return nh3.clean(
        untrusted_html,
        tags=_TAGS,
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        attributes=_ATTRIBUTES,
        url_schemes={"data"},
        url_relative="deny",
        link_rel=None,
        strip_comments=True,
    )


# Reports are written for a white page and often set no colours; a frame is transparent, so in
# the dark theme their black text landed on the dashboard's near-black. A light page of their
# own keeps them readable in either theme; their own styles, which come later, still win.
LIGHT_PAGE = (
    '<meta name="color-scheme" content="light">'
    "<style>html{color-scheme:light;background:#fff;color:#111}</style>"
)


def inner_document(untrusted_html: str) -> str:
    """The srcdoc's document: our CSP first, a light page, then the sanitized content."""
    head = f'{CSP_META}<meta name="referrer" content="no-referrer">{LIGHT_PAGE}'
    return head + sanitized_html(untrusted_html)


_WRAPPER = """<!DOCTYPE html>
<html><head><meta charset="utf-8">{csp}<meta name="referrer" content="no-referrer">
<style>html,body{{margin:0;height:100%;background:#fff}}iframe{{border:0;width:100%;height:100%;display:block}}</style>
</head><body><iframe sandbox="" referrerpolicy="no-referrer" title="Isolated content" \
srcdoc="{srcdoc}"></iframe></body></html>
"""


def isolated_html_document(untrusted_html: str) -> str:
    """A static page of ours whose only content is a sandboxed, network-less srcdoc iframe."""
    srcdoc = html.escape(inner_document(untrusted_html), quote=True)
    return _WRAPPER.format(csp=CSP_META, srcdoc=srcdoc)
