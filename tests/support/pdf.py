"""Reading back the PDFs the API writes: fpdf2's plain objects and Flate-compressed streams."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)
_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def page_count(pdf: bytes) -> int:
    """The number of page objects (not the /Pages tree node)."""
    return len(_PAGE.findall(pdf))


def text(pdf: bytes) -> str:
    """Every content stream, decompressed, as Latin-1 (what the core fonts set)."""
    parts = []
    for stream in _STREAM.findall(pdf):
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
