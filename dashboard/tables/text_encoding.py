"""How a text file's bytes are read: UTF-16 re-encoded, and its first lines in their encoding."""

from __future__ import annotations

SAMPLE_BYTES = 1 << 16


def as_utf8(content: bytes) -> bytes:
    """UTF-16 text (Excel's "Unicode text") re-encoded as UTF-8; anything else as it is."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16").encode("utf-8")
    return content


def sample_text(content: bytes) -> tuple[str, str]:
    """The first whole lines (up to SAMPLE_BYTES) as text, and the encoding that reads them."""
    sample = content[:SAMPLE_BYTES]
    if len(content) > SAMPLE_BYTES and b"\n" in sample:
        sample = sample[: sample.rindex(b"\n")]
    try:
        return sample.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the machine's code page, most often this one.
        return sample.decode("cp1252", errors="replace"), "cp1252"
