"""How a text file's bytes are read: UTF-16 re-encoded, the first lines in their encoding."""

from __future__ import annotations

from dashboard.tables.text_encoding import SAMPLE_BYTES, as_utf8, sample_text


def test_utf16_text_is_read_as_utf8() -> None:
    assert as_utf8("a\tb\n".encode("utf-16")) == b"a\tb\n"


def test_utf8_text_is_kept_as_it_is() -> None:
    assert as_utf8(b"a,b\n") == b"a,b\n"


def test_the_sample_ends_at_the_last_whole_line_within_its_bytes() -> None:
    content = b"a,b\n" + b"1,2\n" * (SAMPLE_BYTES // 4) + b"3,4\n"
    text, encoding = sample_text(content)
    assert (encoding, text.endswith("1,2"), len(text) < SAMPLE_BYTES) == ("utf-8", True, True)


def test_text_that_is_not_utf8_is_read_in_windows_code_page() -> None:
    assert sample_text("Café\n".encode("cp1252")) == ("Café\n", "cp1252")
