"""Same-length views of the text, so that every match maps back to the characters as read."""
from __future__ import annotations

import re
from bisect import bisect_right

# Full-width ASCII (！ to ～) maps to ASCII one code point for one; the ideographic space to a
# space; the other dashes to the em dash family stay as they are. One for one keeps offsets.
_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_TABLE[0x3000] = 0x20
_TABLE[0x00A0] = 0x20
_TABLE[0xFF0E] = ord(".")
for _zero_width in (0x200B, 0x200C, 0x200D, 0xFEFF):     # a zero-width space is a space to the rules
    _TABLE[_zero_width] = 0x20


def normalized(text: str) -> str:
    """A view of `text` of the same length: full-width digits, letters and punctuation as ASCII."""
    return text.translate(_TABLE)


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the line break (\\n, \\r\\n or \\r\\r\\n)."""
    out, pos = [], 0
    for m in re.finditer(r"\r*\n|\r", text):
        out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


_SPACE = re.compile(r"[\s\u00a0\u3000\u200b-\u200f\ufeff]|<U\+[0-9A-Fa-f]{4,5}>")


class Compact:
    """A view of a stretch of text with white space (and escaped-space debris) removed.

    Headers wrap and space out words (`政 府 工 作 报 告`, `第六届\\n人民代表大会`); matching on
    the compact view and mapping back with `span()` finds them without losing offsets.
    """

    def __init__(self, text: str, start: int = 0, end: int | None = None,
                 skip: list[tuple[int, int]] | None = None):
        end = len(text) if end is None else end
        chars, index = [], []
        pos = start
        for m in _SPACE.finditer(text, start, end):
            for i in range(pos, m.start()):
                chars.append(text[i])
                index.append(i)
            pos = m.end()
        for i in range(pos, end):
            chars.append(text[i])
            index.append(i)
        if skip:                                  # drop struck spans (boilerplate) too
            from .spans import SpanSet
            struck = SpanSet(skip)
            keep = [k for k, i in enumerate(index) if not struck.contains(i)]
            chars, index = [chars[k] for k in keep], [index[k] for k in keep]
        self.text = normalized("".join(chars))
        self.index = index
        self.source_end = end

    def span(self, cstart: int, cend: int) -> tuple[int, int]:
        """Offsets in the original text of compact characters [cstart, cend)."""
        if cend <= cstart:
            at = self.index[cstart] if cstart < len(self.index) else self.source_end
            return at, at
        return self.index[cstart], self.index[cend - 1] + 1

    def at(self, original: int) -> int:
        """The compact position of an original offset (the next kept character)."""
        return bisect_right(self.index, original - 1)


def compact(text: str, start: int = 0, end: int | None = None,
            skip: list[tuple[int, int]] | None = None) -> Compact:
    return Compact(text, start, end, skip)
