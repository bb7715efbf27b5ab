"""Decode report files into text, recording which encoding and format were used.

Order of trust: a BOM; strict UTF-8; strict GB18030 (a superset of GBK and GB2312, which is
what Chinese government sites and older archives use); then charset-normalizer's detection
for anything else (Big5, UTF-16 without BOM, ...). Trying UTF-8 and GB18030 strictly first
keeps the common cases deterministic (a detector can mistake short GBK text for another
legacy code page); the detector is for the rest.
"""
from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


# The longest real reports are a few hundred KB (a State Council report as a scraped page is
# ~300 KB). A file far larger is a dump or a mistake, and parsing it would take minutes: refuse
# it with the reason. BAOGAO_MAX_MB raises the limit.
DEFAULT_MAX_MB = 32


def max_bytes() -> int:
    try:
        return int(float(os.environ.get("BAOGAO_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024)
    except ValueError:
        return DEFAULT_MAX_MB * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as a report; str() is a one-line reason."""


@dataclass(frozen=True)
class Source:
    text: str
    encoding: str
    format: str            # txt | html | docx | pdf
    sha256: str
    path: str | None = None


def read_source(path_or_bytes: str | Path | bytes, name: str | None = None) -> Source:
    """Read a file (or raw bytes) into a Source. Raises ReadError with a reason."""
    if isinstance(path_or_bytes, (bytes, bytearray)):
        raw, path = bytes(path_or_bytes), None
        if len(raw) > max_bytes():
            raise ReadError(f"too large for a report: {len(raw) / 2**20:.1f} MB (limit {max_bytes() / 2**20:.0f} MB)")
        suffix = Path(name).suffix.lower() if name else ""
    else:
        path = Path(path_or_bytes)
        raw = _read_bytes(path)
        suffix = path.suffix.lower()
    digest = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise ReadError("empty file")
    if suffix == ".docx" or raw[:4] == b"PK\x03\x04" and suffix in ("", ".docx"):
        from .documents import docx_text
        return Source(docx_text(raw), "docx", "docx", digest, str(path) if path else None)
    if suffix == ".pdf" or raw[:5] == b"%PDF-":
        from .documents import pdf_text
        return Source(pdf_text(raw), "pdf", "pdf", digest, str(path) if path else None)
    text, encoding = decode_text(raw)
    if not text.strip():
        raise ReadError("empty file (only white space)")
    fmt = "html" if suffix in HTML_SUFFIXES or (suffix == "" and _looks_like_html(text)) else "txt"
    if fmt == "html":
        from .html import html_text
        text = html_text(text)
        if not text.strip():
            raise ReadError("HTML page has no visible text")
    return Source(text, encoding, fmt, digest, str(path) if path else None)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ReadError("is a directory, not a file")
        size, limit = path.stat().st_size, max_bytes()
        if size > limit:
            raise ReadError(f"too large for a report: {size / 2**20:.1f} MB (limit {limit / 2**20:.0f} MB; "
                            f"set BAOGAO_MAX_MB to raise it)")
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as e:                      # symlink loops, I/O errors
        raise ReadError(e.strerror or str(e)) from None


def decode_text(raw: bytes) -> tuple[str, str]:
    """bytes -> (text without a leading BOM, encoding name). Raises ReadError."""
    for bom, enc in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(enc).lstrip("\ufeff"), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise ReadError(f"starts with a {enc} byte-order mark but is not valid {enc} ({e.reason})") from None
    if _looks_binary(raw):
        raise ReadError("binary file (control bytes), not text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError as e:
        if e.start >= len(raw) - 3 and "incomplete" in e.reason:
            # a GBK file cut inside its last character: the text is whole but for that character
            return raw[:e.start].decode("gb18030"), "gb18030 (truncated: last incomplete character dropped)"
        return _detect(raw)
    if _private_use_share(text) > 0.001:
        # Big5 and other legacy bytes often decode as GB18030 too, into private-use code
        # points that no Chinese text uses: ask the detector instead.
        try:
            return _detect(raw)
        except ReadError:
            pass
    return text, "gb18030"


def _detect(raw: bytes) -> tuple[str, str]:
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise ReadError("undecodable: not UTF-8, not GB18030/GBK, and no other encoding fits")
    text = str(best)
    if _han_share(text) < 0.05 and best.encoding not in ("ascii", "utf_8"):
        # A legacy code page that "fits" but yields no Chinese is a wrong guess, most often a
        # truncated or damaged GBK file: say so instead of returning mojibake.
        raise ReadError(f"undecodable: invalid GB18030/UTF-8 bytes (best guess {best.encoding} yields no Chinese text)")
    return text.lstrip("\ufeff"), best.encoding


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(sample) * 0.01


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<!doctype html" in head or "<body" in head


def _private_use_share(text: str) -> float:
    sample = text[:20000]
    return sum(1 for c in sample if "\ue000" <= c <= "\uf8ff") / max(1, len(sample))


def _han_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    return sum(1 for c in sample if "\u4e00" <= c <= "\u9fff") / len(sample)
