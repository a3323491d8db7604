"""Reading back the PDFs the API writes: fpdf2's plain objects and Flate-compressed streams."""

from __future__ import annotations

import re
import zlib

#: A stream's dictionary ends with its /Length; the data starts after "stream" and its newline.
#: Taken by length, not up to "endstream": a compressed stream may itself end in a "\r" byte,
#: which a pattern for the line break before "endstream" would take away (14 of 3,000 PDFs).
_STREAM = re.compile(rb"/Length (\d+)\s*>>\s*stream\r?\n")
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: bytes) -> int:
    """The number of page objects (not the /Pages tree node)."""
    return len(_PAGE.findall(pdf))


def text(pdf: bytes) -> str:
    """Every content stream, decompressed, as Latin-1 (what the core fonts set)."""
    parts = []
    for match in _STREAM.finditer(pdf):
        stream = pdf[match.end() : match.end() + int(match.group(1))]
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            parts.append(stream)
    return b"\n".join(parts).decode("latin-1")


_SHOWN = re.compile(r"\(((?:\\.|[^\\)])*)\)\s*Tj")


def shown_text(pdf: bytes) -> str:
    """The text the pages show, in order, one space between the pieces (lines, cells)."""
    pieces = _SHOWN.findall(text(pdf))
    return " ".join(re.sub(r"\\(.)", r"\1", p) for p in pieces)
