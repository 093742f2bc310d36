"""Colours as the browser computes them: parsed, composited, and their WCAG contrast."""

from __future__ import annotations

import re

_RGBA = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def rgba(colour: str) -> tuple[float, float, float, float]:
    """A CSS rgb() or rgba() colour as (red, green, blue, alpha)."""
    match = _RGBA.fullmatch(colour.strip())
    assert match, f"unexpected CSS colour {colour!r}"
    red, green, blue, alpha = match.groups()
    return float(red), float(green), float(blue), 1.0 if alpha is None else float(alpha)


def luminance(colour: tuple[float, float, float]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    linear = [c / 255 / 12.92 if c <= 10.31 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: tuple[float, float, float], other: tuple[float, float, float]) -> float:
    """WCAG contrast ratio of two sRGB colours (1 to 21)."""
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def composite(layers: list[str]) -> tuple[float, float, float]:
    """What shows through a stack of backgrounds, nearest first, down to the first opaque one."""
    seen = (255.0, 255.0, 255.0)
    for colour in reversed(layers):
        *rgb, alpha = rgba(colour)
        seen = (
            rgb[0] * alpha + seen[0] * (1 - alpha),
            rgb[1] * alpha + seen[1] * (1 - alpha),
            rgb[2] * alpha + seen[2] * (1 - alpha),
        )
    return seen
