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
# A part heading without a number, on a line of its own: “十四五”时期发展成就和2025年工作回顾,
# 2026年重点工作, 结束语, 关于国内建设 (appendices, 附件…, are APPENDIX below). Numbered headings
# under such parts are one level down.
UNNUMBERED = re.compile(LEAD_PLAIN := r"[\s\u3000\u00a0]*"
                        r"(?P<title>[^\s。；;，,：:！!？?]{0,28}(?:工作回顾|回顾|工作总结|基本总结|发展成就|工作安排|重点工作|"
                        r"主要任务|目标任务|主要目标|工作任务|工作建议|方针和任务)|结束语"
                        r"|关于[^\s。；;，,：:！!？?、的]{2,6})[\s\u3000\u00a0]*$")     # 关于国内建设 (national 1984)


def find_sections(text: str, struck: list[tuple[int, int]]) -> list[Section]:
    """Level-1 headings are short lines numbered 一、二、… in sequence; level 2 are （一）… lines,
    whose title runs to the first 。 when the paragraph continues on the same line. Where a report
    divides itself into parts headed by lines without a number (“十四五”时期发展成就和2025年工作回顾),
    those are level 1 and the numbered headings under them one level down."""
    struck = SpanSet(struck)
    found: list[tuple[int, str, int, int]] = []
    last1 = 0
    last2 = 0
    lead = re.compile(LEAD)
    body = re.search(r"各\s*位\s*代\s*表", text)
    body_start = body.end() if body else 0
    parts: list[tuple[int, str, int, int]] = []
    appendix_at = len(text)         # where the appendices begin: their numbered items are a level down
    merged_into_text = 0
    for s, e in lines(text):
        if s == e:
            continue                # a blank line (half of a report's lines): no pattern matches it
        line = text[s:e]
        if len(line) >= MERGED_MIN_LINE:
            for m in MERGED.finditer(line):
                n = cn_to_int(m.group("num"))
                if (n == 1 or n == last1 + 1) and not struck.contains(s + m.start("num")):
                    found.append((1, *_trimmed(text, s + m.start("num"), s + m.end("title"))))
                    last1, last2 = n, 0
        if struck.contains(s + lead.match(line).end()):
            continue
        appendix = APPENDIX.match(line) if s >= body_start else None
        if appendix:
            appendix_at = min(appendix_at, s)       # 附件1, 附件1：2025年省十件民生实事
            parts.append((0, *_trimmed(text, s + appendix.start("label"), e)))
            continue
        part = UNNUMBERED.match(line) if s >= body_start and "报告" not in line \
            and not LEVEL1.match(line) and not LEVEL2.match(line) else None
        if part:
            parts.append((0, *_trimmed(text, s + part.start("title"), s + part.end("title"))))
            continue
        m1 = LEVEL1.match(line)
        if m1 and _is_heading(m1.group("rest")):
            n = cn_to_int(m1.group("num"))
            # n may skip the number of a heading a crawler ran into its paragraph, unindented
            # (三、深入改革经济体制和扩大对外开放国民经济的长期稳定发展…): that part is still there
            if n == 1 or n == last1 + 1 or (n == last1 + 2 and merged_into_text == last1 + 1):
                found.append((1, *_trimmed(text, s + m1.start("num"), e)))
                last1, last2 = n, 0
                continue
        elif m1 and m1.start("num") == 0 and cn_to_int(m1.group("num")) == last1 + 1 and last1:
            merged_into_text = last1 + 1
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
    # the unnumbered parts divide the report only if one comes before the first 一、 (结束语 and
    # the appendices close a report: they are parts beside the numbered ones, not above them)
    leading = [p for p in parts if p[1].strip() not in TRAILERS and p[2] < appendix_at]
    first_numbered = min((f[2] for f in found if f[0] == 1), default=len(text))
    shift = 1 if leading and leading[0][2] < first_numbered else 0
    if parts:
        found = sorted([(1, *p[1:]) for p in parts] +
                       [(level + (shift or rest[1] > appendix_at), *rest) for level, *rest in found],
                       key=lambda f: f[2])
    return _with_bodies(text, found)


TRAILERS = ("结束语",)
# an appendix after the report (附件, 附件1, 附件1：2025年省十件民生实事): a part beside the report's,
# its numbered items (一、提高低保…) a level down
APPENDIX = re.compile(r"[\s\u3000\u00a0]*(?P<label>附件\s*[\d一二三四五六七八九十]*)\s*(?:[:：]\s*[^。；;]{1,40}?)?[\s\u3000\u00a0]*$")
# a numbered part heading a crawler merged into the paragraph before and after it
# (…任务艰巨而繁重。一、2013年工作回顾过去一年是本届政府依法履职的第一年…): found where its title
# ends in a heading's words
MERGED = re.compile(r"(?<=[。！？])[\s\u3000]*(?P<num>[一二三四五六七八九十]{1,2})、(?P<title>[^。，,；;：:]{0,24}?"
                    r"(?:工作回顾|回顾|工作总结|总体部署|总体要求|重点工作|工作安排|主要任务|目标任务|主要目标|工作建议|"
                    r"政府自身建设|政策取向))")
MERGED_MIN_LINE = 200


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


# A line break right after 。 is passed over with it (the sentence ends before it): a paragraph's
# end costs one _add, not a second one for the empty stretch before the break.
SENTENCE_END = re.compile(r"([。！？!?]+[”’」』）)]*)(?:\r*\n|\r)?|\r*\n|\r")


def find_sentences(text: str, struck: list[tuple[int, int]], norm: str | None = None) -> list[Span]:
    """Sentences end at 。！？ (with closing quotes) or a line break; boilerplate is not a sentence."""
    out, pos = [], 0
    struck = SpanSet(struck)
    norm = norm if norm is not None else normalized(text)
    for m in SENTENCE_END.finditer(norm):
        _add(text, pos, m.end(1) if m.start(1) >= 0 else m.end(), out, struck)
        pos = m.end()
    _add(text, pos, len(text), out, struck)
    return out


# No real sentence is longer (the longest of the sample corpus: 639 characters); a run of text
# without 。 (a table flattened by a crawler, junk) is cut at its last clause break before this,
# so the work per sentence stays bounded
MAX_SENTENCE = 1000
CLAUSE_BREAKS = "；;，,"


def _add(text: str, s: int, e: int, out: list[Span], struck) -> None:
    while e - s > MAX_SENTENCE:
        cut = max(text.rfind(c, s, s + MAX_SENTENCE) for c in CLAUSE_BREAKS)
        cut = cut + 1 if cut > s else s + MAX_SENTENCE
        _add(text, s, cut, out, struck)
        s = cut
    while s < e:                # nor is debris a crawler left before it (<U+00A0><U+00A0>今年…)
        if text[s].isspace():
            s += 1
        elif (struck_end := struck.end_containing(s)) is not None:
            s = struck_end      # over a struck stretch at once, not character by character
        else:
            break
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e and not struck.covers(s, e):
        out.append(Span(s, e))
