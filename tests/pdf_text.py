"""The text drawn in a PDF that matplotlib made, read back from its content streams (no pdftotext
needed): matplotlib writes each line as literal strings in TJ arrays, so joining them gives the words."""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_TEXT_OBJECT = re.compile(rb"BT(.*?)ET", re.S)
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def _unescape(literal: bytes) -> str:
    def one(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8) & 0xFF])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return _ESCAPE.sub(one, literal[1:-1]).decode("latin-1")


def pdf_text(raw: bytes) -> str:
    """Every text object's characters, one text object per line, whitespace collapsed within lines."""
    lines = []
    for stream in _STREAM.findall(raw):
        try:
            content = zlib.decompress(stream)
        except zlib.error:
            continue  # fonts and images: not page content
        for block in _TEXT_OBJECT.findall(content):
            lines.append(" ".join("".join(_unescape(s) for s in _LITERAL.findall(block)).split()))
    return "\n".join(lines)


def words(raw: bytes) -> str:
    """All of the PDF's text as one run of words, so a wrapped sentence can be found whole."""
    return " ".join(pdf_text(raw).split())
