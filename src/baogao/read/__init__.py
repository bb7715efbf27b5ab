"""Stage 1, read: bytes of any file -> the document text exactly as decoded.

`read_source` decides the format (txt, html, docx, pdf) and the encoding, and raises
`ReadError` with a one-line reason for empty, binary or undecodable input.
"""
from .decode import ReadError, Source, decode_text, printable, read_source

__all__ = ["ReadError", "Source", "decode_text", "printable", "read_source"]
