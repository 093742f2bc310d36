"""Remote markdown turned into HTML that cannot run, navigate to odd schemes, or load anything."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

# Parsing costs tens of microseconds per character in the worst case: bound it per text.
MAX_MARKDOWN_CHARS = 50_000
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# The second net: whatever the token walk lets through must also fit this allowlist.
_ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre"}
    | {"blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td"}
    | {"s", "del"}
)
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
}


def _parser() -> MarkdownIt:
    # html=False: raw HTML in the source is shown as text, never passed through.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


_MARKDOWN = _parser()


def _scheme_of(url: str) -> str | None:
    """The lower-case scheme a browser could see in `url`, ignoring blanks and controls."""
    visible = "".join(
        ch for ch in url if not ch.isspace() and unicodedata.category(ch) not in {"Cc", "Cf"}
    )
    match = _SCHEME.match(visible.lower())
    return match.group(1) if match else None


def is_safe_href(href: str) -> bool:
    """True when `href` is an absolute http, https or mailto URL under every decoding."""
    # Entities and percent-escapes are decoded in every order so no spelling hides a scheme.
    forms = {
        href,
        html.unescape(href),
        unquote(href),
        unquote(html.unescape(href)),
        html.unescape(unquote(href)),
    }
    return all(_scheme_of(form) in SAFE_SCHEMES for form in forms)


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _plain_text(tokens: list[Token]) -> str:
    """The words of inline tokens without their markup, as an image's alt text."""
    parts = []
    for token in tokens:
        if token.type in {"text", "code_inline"}:
            parts.append(token.content)
        elif token.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif token.children:
            parts.append(_plain_text(token.children))
    return "".join(parts)


def _image_placeholder(image: Token) -> Token:
    alt = " ".join(_plain_text(image.children or []).split())
    return _text_token(f"[image: {alt}]" if alt else "[image]")


def _safe_inline(children: list[Token]) -> list[Token]:
    """Drop unsafe links (keeping their text), and replace images and raw HTML with text."""
    kept: list[Token] = []
    open_links: list[bool] = []
    for token in children:
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
            safe = is_safe_href(href)
            open_links.append(safe)
            if safe:
                attrs: dict[str, str | int | float] = {"href": href}
                if title := token.attrs.get("title"):
                    attrs["title"] = title
                token.attrs = attrs
                kept.append(token)
        elif token.type == "link_close":
            if open_links.pop() if open_links else False:
                kept.append(token)
        elif token.type == "image":
            kept.append(_image_placeholder(token))
        elif token.type == "html_inline":
            kept.append(_text_token(token.content))
        else:
            kept.append(token)
    return kept


# Remote text sits inside a page section: its "# Title" must not outrank the section's own.
HEADING_SHIFT = 3


def _demoted(tag: str) -> str:
    return f"h{min(6, int(tag[1]) + HEADING_SHIFT)}"


def _safe_tokens(tokens: list[Token]) -> list[Token]:
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            token.tag = _demoted(token.tag)
        elif token.type == "inline":
            token.children = _safe_inline(token.children or [])
        elif token.type == "html_block":
            # Unreachable with html=False; kept so a config change cannot let raw HTML through.
            token.type = "code_block"
    return tokens


def _clean(rendered: str) -> str:
    return nh3.clean(
        rendered,
        tags=set(_ALLOWED_TAGS),
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=set(SAFE_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        set_tag_attribute_values={"a": {"target": "_blank"}},
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def _bounded(md: str) -> str:
    if len(md) <= MAX_MARKDOWN_CHARS:
        return md
    rest = len(md) - MAX_MARKDOWN_CHARS
    return f"{md[:MAX_MARKDOWN_CHARS]}\n\n*[{rest:,} more characters not shown]*"


# Reruns render the same texts again and again; the result depends on the text alone.
@functools.lru_cache(maxsize=256)
def safe_markdown_html(md: str) -> str:
    """Untrusted markdown as one line of HTML: only safe links, no images, no raw HTML."""
    env: dict[str, object] = {}
    tokens = _safe_tokens(_MARKDOWN.parse(_bounded(md), env))
    cleaned = _clean(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env))
    # One line: a caller's markdown renderer (st.markdown) then sees a single raw-HTML block and
    # cannot parse escaped text such as `![x](beacon)` inside a code block back into markdown.
    return cleaned.strip().replace("\r", "").replace("\n", "&#10;")


def safe_plain_text(text: str, limit: int) -> str:
    """One line of text without control or bidi characters, cut to `limit` characters."""
    visible = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch for ch in text if ch not in _BIDI_CONTROLS
    )
    flat = " ".join(visible.split())
    if limit <= 0:
        return ""
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def safe_html_again(rendered: str) -> str:
    """HTML that safe_markdown_html made once, cleaned again: it was kept where it may change."""
    return (
        _clean(rendered[: MAX_MARKDOWN_CHARS * 4]).strip().replace("\r", "").replace("\n", "&#10;")
    )
