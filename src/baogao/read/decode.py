"""Decode report files into text, recording which encoding and format were used.

Order of trust: a BOM; strict UTF-8; strict GB18030 (a superset of GBK and GB2312, which is
what Chinese government sites and older archives use); then charset-normalizer's detection
for anything else. UTF-16 without a BOM is recognised by where its zero bytes stand, and Big5
(whose bytes GB18030 also accepts, into mojibake) by the private-use characters GB18030 gives. Trying UTF-8 and GB18030 strictly first
keeps the common cases deterministic (a detector can mistake short GBK text for another
legacy code page); the detector is for the rest.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

# legacy Chinese encodings that GB18030 also accepts byte for byte (into mojibake)
LEGACY_CJK = ("big5", "big5hkscs")
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


def printable(path: str | Path) -> str:
    """A path as text that can be printed and stored: a file name that is not valid UTF-8 (GBK
    names from a Windows zip) keeps its bytes visible as \\xNN instead of failing later."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


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
        return Source(docx_text(raw), "docx", "docx", digest, printable(path) if path else None)
    if suffix == ".pdf" or raw[:5] == b"%PDF-":
        from .documents import pdf_text
        return Source(pdf_text(raw), "pdf", "pdf", digest, printable(path) if path else None)
    text, encoding = decode_text(raw)
    if not text.strip():
        raise ReadError("empty file (only white space)")
    fmt = "html" if suffix in HTML_SUFFIXES or (suffix == "" and _looks_like_html(text)) else "txt"
    if fmt == "html":
        from .html import html_text
        text = html_text(text)
        if not text.strip():
            raise ReadError("HTML page has no visible text")
    return Source(text, encoding, fmt, digest, printable(path) if path else None)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ReadError("is a directory, not a file")
        mode, limit = path.stat().st_mode, max_bytes()
        if not stat.S_ISREG(mode):
            # a FIFO would block for ever, /dev/zero never ends: only regular files are reports
            raise ReadError(f"not a regular file (a {_file_type(mode)})")
        with path.open("rb") as f:
            raw = f.read(limit + 1)             # bounded even if the file grows while we read
        if len(raw) > limit:
            size = max(path.stat().st_size, len(raw))
            raise ReadError(f"too large for a report: {size / 2**20:.1f} MB (limit {limit / 2**20:.0f} MB; "
                            f"set BAOGAO_MAX_MB to raise it)")
        return raw
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as e:                      # symlink loops, I/O errors
        raise ReadError(e.strerror or str(e)) from None


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
                       (stat.S_ISSOCK, "socket")):
        if test(mode):
            return name
    return "special file"


def decode_text(raw: bytes) -> tuple[str, str]:
    """bytes -> (text without a leading BOM, encoding name). Raises ReadError."""
    for bom, enc in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(enc).lstrip("\ufeff"), enc.replace("-sig", "")
            except UnicodeDecodeError as e:
                raise ReadError(f"starts with a {enc} byte-order mark but is not valid {enc} ({e.reason})") from None
    utf16 = _utf16_without_bom(raw)
    if utf16:
        return utf16
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
        # Big5 bytes always decode as GB18030 too (every Big5 pair is a valid GB18030 pair), into
        # private-use code points that no Chinese text uses: try Big5 itself, then the detector
        for legacy in LEGACY_CJK:
            try:
                other = raw.decode(legacy)
            except UnicodeDecodeError:
                continue
            if _private_use_share(other) < 0.001 and _han_share(other) >= 0.2:
                return other, legacy
        try:
            return _detect(raw)
        except ReadError:
            pass
        if _private_use_share(text) > 0.01:
            raise ReadError("undecodable: GB18030 gives private-use characters (mojibake) and no other "
                            "encoding fits (Big5 with damaged bytes?)")
    return text, "gb18030"


def _detect(raw: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes       # imported when needed: most files never get here
    best = from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise ReadError("undecodable: not UTF-8, not GB18030/GBK, and no other encoding fits")
    text = str(best)
    if _han_share(text) < 0.05 and best.encoding not in ("ascii", "utf_8"):
        # A legacy code page that "fits" but yields no Chinese is a wrong guess, most often a
        # truncated or damaged GBK file: say so instead of returning mojibake.
        raise ReadError(f"undecodable: invalid GB18030/UTF-8 bytes (best guess {best.encoding} yields no Chinese text)")
    return text.lstrip("\ufeff"), best.encoding


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 written without a byte-order mark (Windows tools do): the zero bytes of its ASCII
    characters (line breaks, digits) stand at odd offsets (little-endian) or even ones (big-endian),
    and it decodes strictly into text without control characters."""
    sample = raw[:8192]
    if b"\x00" not in sample or len(raw) % 2:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if max(odd, even) < 4 or min(odd, even) * 4 > max(odd, even):
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text[:8192] if c < " " and c not in "\t\n\r\f")
    if controls > 0 or not text.strip():
        return None
    return text, f"{encoding} (no BOM)"


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
