"""Sections (一、… level 1; （一）… level 2) and sentences, as spans over the text."""
from __future__ import annotations

import re

from ..clean.normalize import lines, normalized
from ..clean.spans import SpanSet
from ..record import Section, Span
from .numerals import cn_to_int

# a heading may follow white space and escaped-character debris a crawler left (<U+00A0>)
LEAD = r"(?:[\s\u3000\u00a0]|<U\+[0-9A-Fa-f]{4,5}>)*"
LEVEL1 = re.compile(LEAD + r"(?P<num>[一二三四五六七八九十]{1,3})\s*[、，.．]\s*(?P<rest>.+)")
LEVEL2 = re.compile(LEAD + r"[（(](?P<num>[一二三四五六七八九十]{1,3})[）)]\s*(?P<rest>.+)")
END_PUNCT = "。；;，,：:！!？?"


def find_sections(text: str, struck: list[tuple[int, int]]) -> list[Section]:
    """Level-1 headings are short lines numbered 一、二、… in sequence; level 2 are （一）… lines,
    whose title runs to the first 。 when the paragraph continues on the same line."""
    struck = SpanSet(struck)
    found: list[tuple[int, str, int, int]] = []
    last1 = 0
    last2 = 0
    lead = re.compile(LEAD)
    for s, e in lines(text):
        line = text[s:e]
        if struck.contains(s + lead.match(line).end()):
            continue
        m1 = LEVEL1.match(line)
        if m1 and _is_heading(m1.group("rest")):
            n = cn_to_int(m1.group("num"))
            if n == 1 or n == last1 + 1:
                found.append((1, *_trimmed(text, s + m1.start("num"), e)))
                last1, last2 = n, 0
                continue
        m2 = LEVEL2.match(line)
        if m2:
            n = cn_to_int(m2.group("num"))
            if n == 1 or n == last2 + 1:
                start = s + m2.start("num") - 1
                stop = line.find("。", m2.start("rest"))
                end = s + stop + 1 if 0 <= stop < 60 else e
                if end - start <= 80:
                    found.append((2, *_trimmed(text, start, end)))
                    last2 = n
    return _with_bodies(text, found)


def _is_heading(rest: str) -> bool:
    rest = rest.strip()
    return 0 < len(rest) <= 40 and "。" not in rest[:-1] and rest[-1] not in END_PUNCT


def _trimmed(text: str, s: int, e: int) -> tuple[str, int, int]:
    while e > s and text[e - 1].isspace():
        e -= 1
    return text[s:e], s, e


def _with_bodies(text: str, found) -> list[Section]:
    out = []
    for i, (level, title, s, e) in enumerate(found):
        body_end = len(text)
        for level2, _, s2, _ in found[i + 1:]:
            if level2 <= level:
                body_end = s2
                break
        out.append(Section(level, title, s, e, body_end))
    return out


SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*|\r*\n|\r")


def find_sentences(text: str, struck: list[tuple[int, int]], norm: str | None = None) -> list[Span]:
    """Sentences end at 。！？ (with closing quotes) or a line break; boilerplate is not a sentence."""
    out, pos = [], 0
    struck = SpanSet(struck)
    norm = norm if norm is not None else normalized(text)
    for m in SENTENCE_END.finditer(norm):
        _add(text, pos, m.end(), out, struck)
        pos = m.end()
    _add(text, pos, len(text), out, struck)
    return out


def _add(text: str, s: int, e: int, out: list[Span], struck) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e and not struck.covers(s, e):
        out.append(Span(s, e))
