"""Remote markdown: only http(s)/mailto links survive, nothing loads, nothing runs, text stays."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from dashboard.safety.markdown_safety import (
    MAX_MARKDOWN_CHARS,
    is_safe_href,
    safe_markdown_html,
    safe_plain_text,
)

BEACON = "http://127.0.0.2:9/beacon.png"

HOSTILE_HREFS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    " \x01javascript:alert(1)",
    "java\u200bscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "&#X6a;&#x61;vascript:alert(1)",
    "javascript&colon;alert(1)",
    "%6Aavascript:alert(1)",
    "%256Aavascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "//evil.example/x",
    "/relative/path",
    "evil.example",
    "",
]

HOSTILE_MARKDOWN = {
    "inline links": "".join(f"[x{i}]({href})\n" for i, href in enumerate(HOSTILE_HREFS)),
    "angle-bracket destinations": "[a](<java\tscript:alert(1)>) [b](<JAVASCRIPT:alert(1)>)",
    "autolinks": "<javascript:alert(1)> <JaVaScRiPt:alert(2)> <vbscript:x> <data:text/html,x>",
    "reference links": "[x][r] [y][s] [z]\n\n[r]: javascript:alert(1)\n[s]: <vbscript:x>\n"
    "[z]: &#106;avascript:alert(1)",
    "nested links": "[outer [inner](javascript:alert(1))](javascript:alert(2))",
    "link around image": f"[![alt]({BEACON})](javascript:alert(1))",
    "raw script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "style import": f"<style>@import url({BEACON});</style>",
    "html block": "<div onclick=alert(1)>\n\n*hi*\n\n</div>",
    "image": f"![tracking pixel]({BEACON})",
    "reference image": f"![pixel][p]\n\n[p]: {BEACON}",
    "image in code block then blank line": f"```\na\n\n![x]({BEACON})\n```",
    "link title": '[ok](https://ok.example "x\\" onmouseover=alert(1) y")',
}


class _Collector(HTMLParser):
    """Collects the tags and attributes a browser would build from the output."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


@pytest.mark.parametrize("href", HOSTILE_HREFS)
def test_non_web_schemes_in_any_spelling_are_not_safe_hrefs(href: str) -> None:
    assert not is_safe_href(href)


@pytest.mark.parametrize(
    "href", ["https://ok.example/a?b=c#d", "HTTP://ok.example", "mailto:team@ok.example"]
)
def test_http_https_and_mailto_are_safe_hrefs(href: str) -> None:
    assert is_safe_href(href)


@pytest.mark.parametrize("name", sorted(HOSTILE_MARKDOWN))
def test_hostile_markdown_yields_only_web_links_and_no_active_tags(name: str) -> None:
    found = parsed(safe_markdown_html(HOSTILE_MARKDOWN[name]))
    assert not set(found.tags) & {"img", "script", "svg", "iframe", "style", "object", "form"}
    for tag, attribute, value in found.attributes:
        assert not attribute.startswith("on"), (tag, attribute)
        if attribute in {"href", "src"}:
            assert re.match(r"(https?|mailto):", value), value
            assert "javascript:" not in value.lower()


@pytest.mark.parametrize("name", sorted(HOSTILE_MARKDOWN))
def test_hostile_markdown_never_mentions_the_beacon_in_an_attribute(name: str) -> None:
    found = parsed(safe_markdown_html(HOSTILE_MARKDOWN[name]))
    assert all("127.0.0.2" not in value for _, _, value in found.attributes)


def test_unsafe_link_keeps_its_text_readable() -> None:
    found = parsed(safe_markdown_html("See [the docs](JaVaScRiPt:alert(1)) now."))
    assert "a" not in found.tags
    assert "the docs" in "".join(found.text)


def test_safe_link_keeps_its_href_and_gets_safe_rel_and_target() -> None:
    html = safe_markdown_html("[docs](https://docs.example/x?a=1&b=2)")
    (anchor,) = _anchors(html)
    assert anchor["href"] == "https://docs.example/x?a=1&b=2"
    assert set(anchor["rel"].split()) == {"noopener", "noreferrer", "nofollow"}
    assert anchor["target"] == "_blank"


def _anchors(html: str) -> list[dict[str, str]]:
    found = parsed(html)
    anchors: list[dict[str, str]] = []
    for tag, name, value in found.attributes:
        if tag == "a" and name == "href":
            anchors.append({})
        if tag == "a" and anchors:
            anchors[-1][name] = value
    return anchors


def test_autolink_to_https_stays_a_link() -> None:
    assert [a["href"] for a in _anchors(safe_markdown_html("<https://ok.example>"))] == [
        "https://ok.example"
    ]


def test_image_becomes_a_visible_placeholder_with_its_alt_text() -> None:
    html = safe_markdown_html(f"Look: ![feature *importance*]({BEACON})")
    assert "<img" not in html.lower()
    assert "[image: feature importance]" in "".join(parsed(html).text)


def test_image_without_alt_text_is_still_announced() -> None:
    assert "[image]" in safe_markdown_html(f"![]({BEACON})")


def test_raw_html_is_shown_as_text() -> None:
    html = safe_markdown_html("<b onclick=alert(1)>bold</b>")
    assert "<b" not in html
    assert "<b onclick=alert(1)>bold</b>" in "".join(parsed(html).text)


def test_ordinary_markdown_keeps_its_structure() -> None:
    html = safe_markdown_html("# Title\n\n**bold** and `code`\n\n- a\n- b\n\n> quote")
    assert {"h4", "strong", "code", "ul", "li", "blockquote"} <= set(parsed(html).tags)


def test_remote_headings_rank_below_the_page_sections_they_sit_in() -> None:
    html = safe_markdown_html("# One\n\n## Two\n\n### Three\n\n###### Six")
    assert [tag for tag in parsed(html).tags if tag.startswith("h")] == ["h4", "h5", "h6", "h6"]


def test_tables_keep_their_alignment_only() -> None:
    html = safe_markdown_html("| a | b |\n|:-|-:|\n| 1 | 2 |")
    found = parsed(html)
    assert {"table", "th", "td"} <= set(found.tags)
    styles = {value for _, name, value in found.attributes if name == "style"}
    assert styles <= {"text-align:left", "text-align:right", "text-align:center"}


@pytest.mark.parametrize("name", sorted(HOSTILE_MARKDOWN))
def test_output_is_one_raw_html_block_for_a_second_markdown_pass(name: str) -> None:
    # st.markdown parses its input again: the output must reach it as one untouched HTML block.
    html = safe_markdown_html(HOSTILE_MARKDOWN[name])
    tokens = MarkdownIt("commonmark").parse(html)
    assert [token.type for token in tokens] == ["html_block"]
    assert "\n" not in html


def test_empty_markdown_renders_nothing() -> None:
    assert safe_markdown_html("") == ""


def test_plain_text_drops_controls_and_bidi_overrides() -> None:
    assert safe_plain_text("a\x00b\u202ec\nd\te", 100) == "a bc d e"


def test_plain_text_is_cut_to_the_limit_with_an_ellipsis() -> None:
    assert safe_plain_text("x" * 100, 10) == "x" * 9 + "…"
    assert safe_plain_text("short", 10) == "short"


def test_very_long_markdown_is_cut_with_a_visible_note() -> None:
    html = safe_markdown_html("word " * (MAX_MARKDOWN_CHARS // 5 + 1000))
    assert "5,000 more characters not shown" in html


def test_rendering_the_same_text_twice_gives_the_same_html() -> None:
    text = "[a](https://a.example) ![b](https://b.example/x.png)"
    assert safe_markdown_html(text) == safe_markdown_html(text)
