"""Untrusted HTML goes into a script-less, network-less sandboxed srcdoc it cannot break out of."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from dashboard.safety.html_isolation import (
    CONTENT_SECURITY_POLICY,
    LIGHT_PAGE,
    inner_document,
    isolated_html_document,
    sanitized_html,
)

BREAKOUTS = [
    '"></iframe><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "&quot;></iframe><script>alert(1)</script>",
    "</iframe></body></html><script>parent.document.title='x'</script>",
    '" onload="alert(1)',
]

NAVIGATORS = {
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "meta csp override": '<meta http-equiv="Content-Security-Policy" content="default-src *">',
    "base": '<base href="https://evil.example/">',
    "link": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x">',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "frame": '<frameset><frame src="https://evil.example"></frameset>',
    "form": '<form action="https://evil.example"><input name=q></form>',
    "script": "<script>top.location='https://evil.example'</script>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "link href": '<a href="https://evil.example">click</a>',
    "javascript href": '<a href="javascript:alert(1)">click</a>',
    "remote image": '<img src="https://evil.example/beacon.png">',
    "event handler": '<div onclick="alert(1)" onmouseover="alert(2)">x</div>',
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(document: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(document)
    parser.close()
    return parser.tags


def the_iframe(document: str) -> dict[str, str | None]:
    (attrs,) = [attrs for tag, attrs in tags_of(document) if tag == "iframe"]
    return attrs


def test_wrapper_holds_exactly_one_iframe_and_no_script() -> None:
    tags = [tag for tag, _ in tags_of(isolated_html_document("<p>report</p>"))]
    assert tags.count("iframe") == 1
    assert "script" not in tags


def test_sandbox_attribute_is_present_and_exactly_empty() -> None:
    document = isolated_html_document("<p>report</p>")
    assert the_iframe(document)["sandbox"] == ""
    assert 'sandbox=""' in document


def test_iframe_sends_no_referrer() -> None:
    assert the_iframe(isolated_html_document("x"))["referrerpolicy"] == "no-referrer"


def test_content_security_policy_comes_first_in_the_srcdoc() -> None:
    srcdoc = the_iframe(isolated_html_document("<h1>Report</h1>"))["srcdoc"] or ""
    expected = f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
    assert srcdoc.startswith(expected)
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "<h1>Report</h1>" in srcdoc


def test_wrapper_carries_the_same_policy_for_itself() -> None:
    document = isolated_html_document("x")
    head = document.split("<iframe", 1)[0]
    assert CONTENT_SECURITY_POLICY in head


@pytest.mark.parametrize("payload", BREAKOUTS)
def test_untrusted_content_cannot_close_the_srcdoc_attribute(payload: str) -> None:
    document = isolated_html_document(payload)
    srcdoc_attr = re.search(r'srcdoc="([^"]*)"', document)
    assert srcdoc_attr is not None
    assert "<" not in srcdoc_attr.group(1)
    assert "'" not in srcdoc_attr.group(1)
    assert html.unescape(srcdoc_attr.group(1)) == inner_document(payload)
    assert [tag for tag, _ in tags_of(document)].count("script") == 0


@pytest.mark.parametrize("name", sorted(NAVIGATORS))
def test_anything_that_navigates_loads_or_runs_is_removed(name: str) -> None:
    cleaned = sanitized_html(NAVIGATORS[name])
    tags = tags_of(cleaned)
    names = {tag for tag, _ in tags}
    assert not names & {"meta", "base", "link", "object", "embed", "iframe", "frame", "form"}
    assert not names & {"script", "svg", "input"}
    for _, attrs in tags:
        assert not any(attribute.startswith("on") for attribute in attrs)
        assert "href" not in attrs
        assert not (attrs.get("src") or "data:").startswith(("http", "//", "javascript"))
    assert "evil.example" not in "".join(str(attrs) for _, attrs in tags)


def test_layout_tables_styles_and_classes_are_kept() -> None:
    report = (
        "<style>.big{font-size:2em}</style><div class='big' style='color:red'>"
        "<table><tr><th colspan=2>Head</th></tr><tr><td>1</td><td>2</td></tr></table></div>"
    )
    cleaned = sanitized_html(report)
    assert "<style>.big{font-size:2em}</style>" in cleaned
    assert 'class="big"' in cleaned
    assert 'style="color:red"' in cleaned
    assert 'colspan="2"' in cleaned


def test_inline_data_images_are_kept() -> None:
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    assert f'src="{pixel}"' in sanitized_html(f'<img src="{pixel}" alt="x">')


def test_a_whole_document_keeps_its_visible_text() -> None:
    page = "<html><head><title>T</title></head><body><h1>Forecast report</h1></body></html>"
    assert "<h1>Forecast report</h1>" in sanitized_html(page)


def test_content_gets_a_light_page_of_its_own_before_its_own_styles() -> None:
    # Reports written for a white page stay readable when the dashboard is dark; a report that
    # sets its own colours still wins, its styles coming after ours.
    report = "<style>body{background:#222;color:#eee}</style><p>Residuals</p>"
    srcdoc = the_iframe(isolated_html_document(report))["srcdoc"] or ""
    assert "color-scheme:light;background:#fff;color:#111" in LIGHT_PAGE
    assert '<meta name="color-scheme" content="light">' in LIGHT_PAGE
    assert srcdoc.index(LIGHT_PAGE) < srcdoc.index("<style>body{background:#222")
    assert srcdoc.index(LIGHT_PAGE) < srcdoc.index("<p>Residuals</p>")


def test_wrapper_page_is_light_too_so_no_dark_seam_shows_around_the_frame() -> None:
    head = isolated_html_document("x").split("<iframe", 1)[0]
    assert "html,body{margin:0;height:100%;background:#fff}" in head
