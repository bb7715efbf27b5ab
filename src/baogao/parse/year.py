"""The report's year (the year of delivery) and where that was read, from the text's own evidence.

In order (the first that speaks wins):
1. `date`: the dateline (——2023年2月8日在…会议上);
2. `review_year`: a review heading (一、2012年工作回顾) gives the review year, and the report is
   delivered the year after (the same year for a session in the last quarter);
3. `text`: a plan heading with its year (二、关于1998年政府工作的建议, 三、2011年的工作), a heading
   that reviews a five-year plan (一、“十一五”时期…的回顾: delivered the year after its last),
   or a statement with its year: 2013年是全面贯彻落实党的十八大精神的开局之年 in the plan part names
   the year of delivery; 刚刚过去的1992年, 首先报告2001年的工作, 1957年是…取得伟大胜利的一年, or a
   statement of the first kind in the review part, names the year reviewed;
4. `file name`: a year in the file's name (1997_1997年….txt), only as a last hint.
Years may be printed with full-width or spaced digits (1 9 9 8 年) or in Chinese numerals
(一九九八年); headings are read on a compact view, so all of these match. `date` stays null
where no day is printed: only the year is inferred.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..clean.normalize import Compact
from .numerals import cn_to_int

YEAR = r"(?P<y>(?:19|20)\d\d|[一二][〇零○九][〇零○一二三四五六七八九]{2})年"
PLAN_HEADING = re.compile(rf"^(?:[一二三四五六七八九十]+、)?(?:关于|对)?{YEAR}(?:的)?(?:政府工作|工作|国民经济|经济社会|"
                          r"经济和社会|主要|重点|计划|总体)")
REVIEW_WORDS = re.compile(r"回顾|总结|成就|过去")
FIVE_YEAR_PLANS = {"六五": 1985, "七五": 1990, "八五": 1995, "九五": 2000, "十五": 2005, "十一五": 2010,
                   "十二五": 2015, "十三五": 2020, "十四五": 2025}
FIVE_YEAR_REVIEW = re.compile(r"[“\"]?(?P<plan>十[一二三四]五|[六七八九]五|十五)[”\"]?(?:计划)?(?:时期|期间)")
# Statements with a year, on a compact view (no spaces: 1 9 9 8 年 is 1998年), as (pattern, what
# the year is): the year reviewed, or the year of delivery (ahead: 2013年是…开局之年, which in the
# review part names the year reviewed). 2002年是…非常重要的一年 looks ahead, 1957年是…取得伟大
# 胜利的一年 looks back: a bare 的一年 says nothing, one after words of achievement looks back.
REVIEWED = [
    re.compile(rf"(?:刚刚过去的|过去的|首先报告){YEAR}"),
    re.compile(rf"{YEAR}[，,]?是[^。！？]{{0,30}}?(?:取得|胜利|丰收|成就|不平凡|不寻常|极不寻常|很不容易)[^。！？]{{0,12}}?的一年"),
]
AHEAD = re.compile(rf"{YEAR}[，,]?是[^。！？]{{2,40}}?(?:之年|第一年|关键年|收官年|起步年)")
FILE_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class YearEvidence:
    year: int | None
    source: str | None              # date | review_year | text | file name
    span: tuple[int, int] | None    # where in the text it was read (None for the file name)


def report_year(text: str, date: str | None, review_year: int | None, review_span, sections: list,
                name: str | None = None) -> YearEvidence:
    if date:
        return YearEvidence(int(date[:4]), "date", None)
    if review_year:
        return YearEvidence(review_year + 1, "review_year", tuple(review_span) if review_span else None)
    level1 = [s for s in sections if s.level == 1]
    found = _from_headings(text, level1) or _from_statements(text, level1)
    if found:
        return found
    m = FILE_YEAR.search(name or "")
    if m:
        return YearEvidence(int(m.group(1)), "file name", None)
    return YearEvidence(None, None, None)


def _year(token: str) -> int | None:
    y = cn_to_int(token)
    return y if y and 1900 <= y <= 2100 else None


def _from_headings(text: str, level1: list) -> YearEvidence | None:
    for sec in level1:
        view = Compact(text, sec.start, sec.end)
        title = view.text
        if REVIEW_WORDS.search(title):
            m = FIVE_YEAR_REVIEW.search(title)
            if m and m.group("plan") in FIVE_YEAR_PLANS:
                return YearEvidence(FIVE_YEAR_PLANS[m.group("plan")] + 1, "text", (sec.start, sec.end))
            continue
        m = PLAN_HEADING.search(title)
        if m and _year(m.group("y")):
            return YearEvidence(_year(m.group("y")), "text", view.span(m.start("y"), m.end()))
    return None


def _from_statements(text: str, level1: list) -> YearEvidence | None:
    """A year stated in the text; the first statement, in reading order, wins."""
    view = Compact(text)
    found = []
    for rx in REVIEWED:
        found += [(m, True) for m in rx.finditer(view.text)]
    for m in AHEAD.finditer(view.text):
        start, _ = view.span(m.start(), m.end())
        title = _title_at(level1, start)
        found.append((m, bool(title and REVIEW_WORDS.search(title))))
    for m, reviewed in sorted(found, key=lambda f: f[0].start()):
        y = _year(m.group("y"))
        if y:
            return YearEvidence(y + 1 if reviewed else y, "text", view.span(m.start(), m.end()))
    return None


def _title_at(level1: list, pos: int) -> str | None:
    before = [s for s in level1 if s.start <= pos]
    return before[-1].title if before else None
