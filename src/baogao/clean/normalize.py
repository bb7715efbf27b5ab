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


# The characters _TABLE changes, as one class: normalized() finds the first one left, replaces
# every copy of that character at once (str.replace runs at memory speed), and looks again from
# there. A report holds ~10-20 distinct full-width characters, so this is ~20 passes of
# str.replace instead of str.translate's dict lookup per character (9x faster on the corpus).
_MAPPED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")
_TO = {chr(c): chr(v) for c, v in _TABLE.items()}


def normalized(text: str) -> str:
    """A view of `text` of the same length: full-width digits, letters and punctuation as ASCII
    (text.translate(_TABLE), computed faster)."""
    search = _MAPPED.search
    m = search(text)
    while m is not None:
        at = m.start()
        char = text[at]
        text = text.replace(char, _TO[char])
        m = search(text, at)
    return text


_last_lines: tuple = (None, [])     # (text, its lines): the text object held, so its id stays its own


def lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line, end excluding the line break (\\n, \\r\\n or \\r\\r\\n).
    The last text's lines are kept: the boilerplate pass, sections and observations ask for the
    same text's lines in turn."""
    global _last_lines
    last = _last_lines                  # one tuple, read and replaced whole (safe across threads)
    if last[0] is text:
        return list(last[1])
    if "\r" in text:
        out, pos = [], 0
        for m in _BREAK.finditer(text):
            out.append((pos, m.start()))
            pos = m.end()
        if pos < len(text):
            out.append((pos, len(text)))
    else:                               # \n alone: split, and add up the lengths
        out, pos = [], 0
        for part in text.split("\n"):
            end = pos + len(part)
            out.append((pos, end))
            pos = end + 1
        if out and out[-1][0] == len(text):    # nothing after the last line break
            out.pop()
    _last_lines = (text, out)
    return list(out)


_BREAK = re.compile(r"\r*\n|\r")
_SPACE = re.compile(r"[\s\u00a0\u3000\u200b-\u200f\ufeff]|<U\+[0-9A-Fa-f]{4,5}>")


class Compact:
    """A view of a stretch of text with white space (and escaped-space debris) removed.

    Headers wrap and space out words (`政 府 工 作 报 告`, `第六届\\n人民代表大会`); matching on
    the compact view and mapping back with `span()` finds them without losing offsets.
    """

    def __init__(self, text: str, start: int = 0, end: int | None = None,
                 skip: list[tuple[int, int]] | None = None):
        end = len(text) if end is None else end
        pieces, index = [], []                    # the stretches between white space, whole
        pos = start
        for m in _SPACE.finditer(text, start, end):
            if m.start() > pos:
                pieces.append(text[pos:m.start()])
                index.extend(range(pos, m.start()))
            pos = m.end()
        if end > pos:
            pieces.append(text[pos:end])
            index.extend(range(pos, end))
        kept = "".join(pieces)
        if skip:                                  # drop struck spans (boilerplate) too
            from .spans import SpanSet
            struck = SpanSet(skip)
            keep = [k for k, i in enumerate(index) if not struck.contains(i)]
            kept, index = "".join([kept[k] for k in keep]), [index[k] for k in keep]
        self.text = normalized(kept)
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
