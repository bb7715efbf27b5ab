"""The report's header: title, delivery date, congress term and session, speaker, review year,
and the printed names of the delivering government.

Headers come in many styles (`——2023年2月8日在…第六届\\n人民代表大会第四次会议上`, `--`, `────`,
`区十五届人大四次会议`, dates in Chinese numerals, a publication date before the delivery date,
the speaker on the dateline's line or on lines of their own). Matching runs on a compact view
of the header (white space, escaped-space debris and boilerplate removed) so that wrapped and
spaced-out words match, and every field keeps the span it was read from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..clean.normalize import Compact, lines, normalized
from ..clean.spans import SpanSet
from .numerals import cn_to_int

CN = "〇零○O一二三四五六七八九十两"
NUM = rf"(?:\d+|[{CN}百]+)"
DATE = rf"(?P<y>\d{{4}}|[{CN}]{{4}})年(?P<m>\d{{1,2}}|[{CN}]{{1,3}})月(?P<d>\d{{1,2}}|[{CN}]{{1,3}})日"
CONGRESS = (rf"第?(?P<term>{NUM})[届屆](?:全国|全國)?(?:人民代表大会|人民代表大會|人大)(?:常务委员会|常委会)?"
            rf"第?(?P<session>{NUM})次(?:全体)?(?:会议|会議|會議)")
DATELINE = re.compile(rf"{DATE}(?:(?:至|和|、)(?:\d{{1,2}}|[{CN}]{{1,3}})日)?在(?P<place>[^，。；]{{0,40}}?){CONGRESS}")
ANY_DATE = re.compile(DATE)
ANY_CONGRESS = re.compile(CONGRESS)
# the opening paragraph names the session it addresses (我代表国务院，向第十届全国人民代表大会第一次会议报告…)
ADDRESSED = re.compile(rf"向(?:[\u4e00-\u9fff]{{0,12}}?)?(?P<congress>{CONGRESS})(?:作)?报告")

OFFICE = (r"(?:代理|代)?(?:常务)?(?:副)?(?:总理|省长|市长|区长|县长|州长|盟长|旗长|主席|镇长|乡长|特首|行政长官|国务委员)"
          r"(?:兼[\u4e00-\u9fff]{1,16}?(?:主任|部长|主席))?")
NAME = r"[\u4e00-\u9fff][\u4e00-\u9fff·•]{1,11}"
ORG_END = r"(?:人民政府|政府|国务院)"
# A speaker line: [org] office name, e.g. 太原市晋源区人民政府代区长张耀, 上海市市长龚正, 省长王予波.
SPEAKER = re.compile(rf"(?P<org>[\u4e00-\u9fff]{{0,24}}?)(?P<office>{OFFICE})(?P<name>{NAME})")
# a scraped page with no line breaks: …会议上国务院总理 李克强各位代表：现在…
RUN_ON_SPEAKER = re.compile(rf"(?P<org>[\u4e00-\u9fff]{{0,24}}?)(?P<office>{OFFICE})(?P<name>{NAME}?)(?=各位代表)")
OFFICE_ONLY = re.compile(rf"(?P<org>[\u4e00-\u9fff]{{0,24}}?)(?P<office>{OFFICE})")
REVIEW = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:(?:及|和|、)?[“”\"]?[^、，。]{0,12}?)?(?:工作回顾|工作总结|国内工作的回顾|工作的回顾|主要工作|的回顾|回顾)")
DIVISION = re.compile(r"(?P<province>[\u4e00-\u9fff]{2,8}?(?:省|自治区))?(?P<city>[\u4e00-\u9fff]{2,9}?(?:市|自治州|州|盟|地区))?"
                      r"(?P<county>[\u4e00-\u9fff]{1,9}?(?:区|县|旗|自治县|自治旗|市|特区|林区))?$")


@dataclass
class Header:
    title: str | None = None
    date: str | None = None
    term: int | None = None
    session: int | None = None
    speaker_name: str | None = None
    speaker_title: str | None = None
    org: str | None = None                  # 太原市晋源区人民政府, 国务院, ...
    place: str | None = None                # the place named in the dateline (太原市晋源区)
    review_year: int | None = None
    printed: dict = field(default_factory=dict)   # province, city, county, level hint
    spans: dict = field(default_factory=dict)


def header_end(text: str, section_starts: list[int]) -> int:
    """Where the header zone ends: just past 各位代表 or the first section, within 3000 chars."""
    m = re.search(r"各\s*位\s*代\s*表", text[:6000])
    candidates = [m.end()] if m else []
    candidates += [s for s in section_starts[:1]]
    end = min(candidates) if candidates else 1500
    return min(len(text), max(min(end, 3000), 600))


def parse_header(text: str, boilerplate: list[tuple[int, int]], section_starts: list[int]) -> Header:
    h = Header()
    end = header_end(text, section_starts)
    view = Compact(text, 0, end, skip=boilerplate)
    _dateline(view, h)
    # Without a dateline, look only before the salutation (各位代表): a date or congress in the
    # body speaks of something else, and an invented header is worse than none.
    salutation = re.search(r"各\s*位\s*代\s*表", text[:end])
    proper = salutation.start() if salutation else end
    if h.date is None and proper > 0:
        _fallback_date_congress(Compact(text, 0, proper, skip=boilerplate), h, Compact(text, 0, proper))
    if h.term is None and salutation:
        _addressed_congress(Compact(text, salutation.end(), min(len(text), salutation.end() + 400), skip=boilerplate), h)
    rows = _visible_lines(text, end, boilerplate)       # the header's lines, read once
    _speaker(text, rows, end, h)
    # a title is built only for a text that shows it is a report (a dateline, a speaker, the
    # salutation): an English page or a table of digits gets none, not an invented one
    evident = bool(h.date or h.term or h.speaker_name or salutation)
    _title([r for r in rows if r[1] <= proper], h, evident)
    _printed_names(h)
    return h


# -- date and congress ---------------------------------------------------------------------
def _iso(m: re.Match) -> str | None:
    y, mo, d = cn_to_int(m.group("y")), cn_to_int(m.group("m")), cn_to_int(m.group("d"))
    if not (y and mo and d) or not (1949 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _dateline(view: Compact, h: Header) -> None:
    for m in DATELINE.finditer(view.text):
        date = _iso(m)
        if not date:
            continue
        h.date = date
        h.spans["date"] = list(view.span(m.start("y"), m.end("d") + 1))   # through 日
        h.term, h.session = _ordinal(m.group("term")), _ordinal(m.group("session"))
        cs = m.start("term")
        if cs > 0 and view.text[cs - 1] == "第":
            cs -= 1
        h.spans["congress"] = list(view.span(cs, m.end()))
        place = m.group("place")
        place = re.sub(r"^(?:中华人民共和国)", "", place)
        h.place = place or None
        return


def _fallback_date_congress(view: Compact, h: Header, full: Compact) -> None:
    """No dateline: the congress anywhere in the header; the date only when it is unambiguous."""
    for src in (view, full):                 # captions (struck as boilerplate) name it too
        c = ANY_CONGRESS.search(src.text)
        if c:
            h.term, h.session = _ordinal(c.group("term")), _ordinal(c.group("session"))
            h.spans["congress"] = list(src.span(c.start(), c.end()))
            break
    dates = [(m, _iso(m)) for m in ANY_DATE.finditer(view.text)]
    dates = [(m, d) for m, d in dates if d]
    if dates:
        m, d = dates[0]
        h.date = d
        h.spans["date"] = list(view.span(m.start(), m.end()))


def _addressed_congress(view: Compact, h: Header) -> None:
    """No dateline: the session the opening paragraph says it reports to (national 2003)."""
    c = ADDRESSED.search(view.text)
    if c:
        h.term, h.session = _ordinal(c.group("term")), _ordinal(c.group("session"))
        h.spans["congress"] = list(view.span(c.start("congress"), c.end("congress")))


# -- speaker ---------------------------------------------------------------------------------
_WS = re.compile(r"[\s\u00a0\u3000\u200b-\u200f]+|<U\+[0-9A-Fa-f]{4,5}>")


def _visible_lines(text: str, end: int, boilerplate: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    out = []
    struck = SpanSet(boilerplate)
    for s, e in lines(text[:end]):
        if struck.covers(s, e):
            continue
        key = _WS.sub("", normalized(text[s:e]))
        if key:
            out.append((s, e, key))
    return out


def _speaker(text: str, rows: list[tuple[int, int, str]], end: int, h: Header) -> None:
    for i, (s, e, key) in enumerate(rows):
        cuts = list(re.finditer(r"(?:会议|会議|會議)上?[)）]?", key))
        tails = [key[c.end():] for c in cuts if c.end() < len(key)] if cuts else [key]
        if cuts and not tails:
            continue                                  # a dateline line ending in 会议上
        for tail in tails:                            # …会议上 国务院总理 李克强 on one line
            m = SPEAKER.fullmatch(tail) or RUN_ON_SPEAKER.match(tail)
            if m and _plausible(m.group("name")):
                _set_speaker(h, m.group("org"), m.group("office"), m.group("name"), text, s, e)
                return
        tail = tails[-1]
        m = OFFICE_ONLY.fullmatch(tail)          # office on one line, name on the next
        if m and i + 1 < len(rows) and re.fullmatch(NAME, rows[i + 1][2]) and len(rows[i + 1][2]) <= 4:
            ns, ne, name = rows[i + 1]
            _set_speaker(h, m.group("org"), m.group("office"), name, text, s, ne)
            return
    # A name alone on a line (湖南: 毛伟明) right after the dateline: its office from a caption.
    for s, e, key in rows:
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", key) and key not in ("各位代表", "政府工作报告"):
            cap = re.search(rf"({OFFICE}){key}", _WS.sub("", normalized(text[:end])))
            if cap:
                _set_speaker(h, "", cap.group(1), key, text, s, e)
                return
            if h.spans.get("date") and 0 <= s - h.spans["date"][1] < 80:
                _set_speaker(h, "", None, key, text, s, e)   # name under the dateline, no office printed
                return


def _plausible(name: str) -> bool:
    if name.endswith(("作政府工作报告", "代表", "报告")) or "人民政府" in name or "会议" in name:
        return False
    return len(name.replace("·", "")) <= 4 or "·" in name


def _ordinal(numeral: str) -> int | None:
    """第十四届 -> 14; a term or session beyond 99 is not one (a run of digits that only looks so)."""
    n = cn_to_int(numeral) if len(numeral) <= 6 else None
    return n if n is not None and 0 < n < 100 else None


def _set_speaker(h: Header, org: str, office: str | None, name: str, text: str, s: int, e: int) -> None:
    h.speaker_name = name
    h.speaker_title = office
    h.org = org or None
    h.spans["speaker"] = [s, e]


# -- title -------------------------------------------------------------------------------------
def _title(rows: list[tuple[int, int, str]], h: Header, evident: bool = True) -> None:
    printed = None
    for s, e, key in rows:
        if "工作报告" in key and not key.startswith(("在", "——")) and "会议上" not in key[:key.find("工作报告")] \
                and not re.search(r"所作|作《|代表国务院|我代表", key):
            t = key.split("——")[0].split("--")[0]
            t = re.sub(r"^[(（][^)）]{1,12}[)）]", "", t)              # (辽宁省)鞍山市…
            t = re.sub(r"[(（][^)）]*\d[^)）]*[)）]$", "", t)         # …(2022年12月22日)
            t = t[: t.find("工作报告") + 4]
            if 4 <= len(t) <= 40:
                printed = t
                h.spans["title"] = [s, e]
                break
    generic = printed is None or re.fullmatch(r"(?:(?:19|20)\d{2}年)?政府工作报告", printed)
    if generic and h.org and h.org != "国务院":
        org = h.org if h.org.endswith(("人民政府", "政府")) else h.org + "人民政府"
        if len(org) > 4:
            h.title = org + "工作报告"
            return
    h.title = printed or ("政府工作报告" if evident else None)


# -- the government's printed name parts -------------------------------------------------------
def _printed_names(h: Header) -> None:
    """Split the printed name of the government (太原市晋源区) into province/city/county.

    A first cut from the text alone; the gazetteer (baogao.regions) settles codes and levels.
    """
    name = None
    if h.org:
        name = re.sub(rf"{ORG_END}$", "", h.org)
    if not name and h.place:
        name = h.place
    if not name and h.title:
        name = re.sub(r"^(?:19|20)\d{2}年", "", h.title)
        name = re.sub(rf"{ORG_END}?工作报告$", "", name)
    level = _level_from_office(h.speaker_title, h.org)
    h.printed = {"name": name or None, "province": None, "city": None, "county": None, "level": level}
    if h.org == "国务院" or level == "national":
        h.printed["level"] = "national"
        return
    if not name:
        return
    m = DIVISION.match(name)
    if m:
        parts = {k: m.group(k) for k in ("province", "city", "county")}
        if level in ("province",) and not parts["province"] and parts["city"]:
            parts["province"], parts["city"] = parts["city"], None     # 上海市 is a province-level city
        if level == "city" and parts["county"] and not parts["city"]:
            parts["city"], parts["county"] = parts["county"], None
        h.printed.update(parts)


def _level_from_office(office: str | None, org: str | None) -> str | None:
    if not office:
        return None
    if "总理" in office:
        return "national"
    if "省长" in office:
        return "province"
    if "主席" in office and org and "自治区" in org or office.endswith("主席") and (org or "").startswith("自治区"):
        return "province"
    if re.search(r"区长|县长|旗长", office):
        return "county"
    if "州长" in office or "盟长" in office:
        return "city"
    if "市长" in office:
        return "city" if not (org or "").startswith(("北京", "上海", "天津", "重庆")) else "province"
    return None


def review_year(sections: list, text: str, date: str | None) -> tuple[int | None, list[int] | None]:
    """The reviewed year: from a review heading (一、2022年工作回顾) or else from the date.

    Reports are delivered early in the year and review the year before; a report delivered in
    the last quarter (December sessions) reviews its own year.
    """
    year = int(date[:4]) if date else None
    month = int(date[5:7]) if date else None
    for sec in sections[:3]:
        m = REVIEW.search(normalized(sec.title))
        if m:
            y = int(m.group("y"))
            # the heading's year counts when it is the year before delivery, or the same year
            # for a report delivered in the last quarter (三、2026年主要工作 is the plan, not the review)
            if year is None or y == year - 1 or (y == year and month >= 10):
                return y, [sec.start, sec.end]
    if year is None:
        return None, None
    return (year if month >= 10 else year - 1), None
