"""Every digit-written quantity of the report body: number, multiplier, modifier, unit.

A table-driven scanner over the normalized view (full-width digits and signs as ASCII, same
length as the text, so spans are exact). What is *not* a quantity matters as much as what is:
years (2022年), dates (3月5日), ordinals (第3), names with digits (5G, 4A级, qst10路, PM2.5),
quoted codes (“631”), and bare numbers with no unit. Microsoft Recognizers-Text and jionlp
were measured (../shared/notes/LIBRARIES.md): recall 0.43 and money-only, so this is written
here, with the unit lexicon as data (data/units.txt).
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources

from ..clean.normalize import normalized
from ..clean.spans import SpanSet
from ..record import Quantity

MULT = r"万亿|千亿|百亿|千万|百万|十万|亿|万"
# Digits as printed: 1,234.5; and digits a typesetter spaced out, one space between each
# (1 9 9 8 年, 8 ．8 ％ in the 1998 report).
NUMBER = r"\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d(?: \d)+(?: ?\. ?\d(?: \d)*)?(?![\d.])|\d+(?: ?\.(?: )?\d+)?"
# NUMBER with its first digit taken out of the three alternatives (the same matches, tried in the
# same order): a pattern that starts with one character class lets the regex engine skip to the
# next digit in C instead of trying the whole pattern at every character (1.5x the scan's speed)
NUMBER_FIRST_DIGIT = r"\d(?:\d*(?:,\d{3})+(?!\d)(?:\.\d+)?|(?: \d)+(?: ?\. ?\d(?: \d)*)?(?![\d.])|\d*(?: ?\.(?: )?\d+)?)"
# white space between a number and its unit: a space (39.8 万亿元) or a line break a crawler put
# in (74.4\n\u200b\n万亿元); no line of a report starts with its unit, so such a break is the number's
UNIT_GAP = r"(?: |[ ]*\n[ ]*(?:\n[ ]*)?)?"
# Numbers in Chinese numerals: percentages (百分之十二点八, 百分之八至九, 百分之四至百分之五) and
# amounts with a multiplier (一万七千四百亿元, 六千九百五十四亿斤).
CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMBER = rf"[{CN_DIGITS}十百千]+(?:点[{CN_DIGITS}]+)?"
CN_PERCENT = re.compile(rf"百分之(?P<a>{CN_NUMBER})(?:(?P<sep>至|到|—|-|～)(?:百分之)?(?P<b>{CN_NUMBER}))?")
CN_AMOUNT = re.compile(rf"(?<![{CN_DIGITS}十百千万亿第])(?P<a>[一二两三四五六七八九十][{CN_DIGITS}十百千万]*(?:点[{CN_DIGITS}]+)?)"
                       r"(?P<mult>万亿|亿|万)(?P<unit>美元|元|斤|公斤|吨|人次|人|户|家|亩|公里|千瓦)")
# a round amount with no numeral, after the verb that crosses it (突破万亿元, 迈上千亿元台阶): one of it
CN_BARE = re.compile(r"(?:突破|超过|跨上|迈上|跨越|跨过|站上|跃上|达到)(?P<mult>万亿|千亿|百亿)(?P<unit>元|美元)(?!级)")
# tenths (七成, 近八成, 超3成): a share or a change in tens of percent (not 统一成立, 之一成为: the
# numeral must not end another word, nor 成 begin one)
CN_TENTHS = re.compile(r"(?<![统唯同第之单专万千百十年月日号周一二两三四五六七八九\d.])(?P<n>[一二两三四五六七八九]|\d)成(?![为立本果绩熟长功效就交品员都型片了])")
RANGE_SEP = r"[-—–~～至到]{1,2}"
RANGE_SEP_CHARS = frozenset("-—–~～至到")
# 1/4, 1/3: a fraction of a whole (not 2023/2/8, not 12/31): small numerator below denominator
FRACTION = re.compile(r"(?<![\d/.])([1-9])/([2-9]|10)(?![\d/.])")
OPEN_QUOTES = "“‘\"'「『《【"
CLOSE_QUOTES = "”’\"'」』》】"
LATIN_UNITS = {"km", "kV", "kW", "MW", "GW", "TEU", "m2", "m²"}
APPROX_BEFORE = ("近", "约", "大约", "将近", "接近", "逾")
FLOOR_BEFORE = ("超", "超过", "突破", "逾", "不低于", "至少", "多于")
APPROX_AFTER = ("左右", "上下")
FLOOR_AFTER = ("以上", "多")
CEILING_AFTER = ("以内", "以下", "之内")
CEILING_BEFORE = ("不超过", "控制在", "低于")


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern:
    units = [u.strip() for u in resources.files(__package__).joinpath("data/units.txt").read_text("utf-8").splitlines()
             if u.strip() and not u.startswith("#")]
    alt = "|".join(re.escape(u) for u in sorted(set(units), key=len, reverse=True))
    unit = rf"(?:{alt})(?:/(?:{alt}))?"
    return re.compile(
        rf"(?P<num>{NUMBER_FIRST_DIGIT})"
        rf"(?:(?P<sep>{RANGE_SEP})(?P<num2>{NUMBER}))?"
        rf"(?:{UNIT_GAP}(?=[余多万亿千百十]|{alt}))?"
        rf"(?P<mod>余|多)?(?P<mult>{MULT})?(?P<mod2>余|多)?(?P<unit>{unit})?"
    )


def find_quantities(text: str, struck: list[tuple[int, int]] | None = None,
                    norm: str | None = None) -> list[Quantity]:
    norm = norm if norm is not None else normalized(text)
    struck = SpanSet(struck or [])
    out: list[Quantity] = []
    for m in FRACTION.finditer(norm) if "/" in norm else ():
        if not struck.contains(m.start()):
            a, b = int(m.group(1)), int(m.group(2))
            out.append(Quantity(m.start(), m.end(), text[m.start():m.end()], round(a / b, 6), ""))
    fractions = SpanSet((q.start, q.end) for q in out)
    last_end = 0
    for m in _scanner().finditer(norm):
        if fractions.contains(m.start()) or struck.contains(m.start()) or m.start() < last_end:
            continue                       # inside chrome, or the far end of a range already read
        q = _quantity(text, norm, m)
        if q is not None:
            out.append(q)
            last_end = q.end
    out += _chinese_quantities(text, norm, struck)
    return sorted(out, key=lambda q: q.start)


def _chinese_quantities(text: str, norm: str, struck: SpanSet) -> list[Quantity]:
    """Percentages and amounts written in Chinese numerals (the spec makes them optional: the
    scorer counts only digit-written quantities, but an economist wants 百分之八 all the same)."""
    out = []
    if "百分之" in norm:
        for m in CN_PERCENT.finditer(norm):
            value, high = cn_number(m.group("a")), cn_number(m.group("b")) if m.group("b") else None
            if value is not None and not struck.contains(m.start()):
                out.append(_flagged(text, norm, m.start(), m.end(), value, "%", high if high and high > value else None))
    if "万" in norm or "亿" in norm:
        for m in CN_AMOUNT.finditer(norm):
            value = cn_number(m.group("a"))
            if value and not struck.contains(m.start()):
                out.append(_flagged(text, norm, m.start(), m.end(), value, m.group("mult") + m.group("unit")))
        for m in CN_BARE.finditer(norm):
            if not struck.contains(m.start("mult")):
                out.append(_flagged(text, norm, m.start("mult"), m.end(), 1, m.group("mult") + m.group("unit")))
    for m in _tenths(norm):
        n = int(m.group("n")) if m.group("n").isdigit() else cn_number(m.group("n"))
        if n and not struck.contains(m.start()):
            out.append(_flagged(text, norm, m.start(), m.end(), n * 10, "%"))     # 七成 = 70%
    return out


TENTH_NUMERALS = frozenset("一二两三四五六七八九0123456789")


def _tenths(norm: str):
    """CN_TENTHS where a 成 follows a numeral: found by str.find (a regex scan with a lookbehind
    at every character cost 0.18 s on the sample corpus, this 0.004 s)."""
    i = norm.find("成", 1)
    while i > 0:
        if norm[i - 1] in TENTH_NUMERALS and (m := CN_TENTHS.match(norm, i - 1)):
            yield m
        i = norm.find("成", i + 1)


def cn_number(s: str | None) -> float | None:
    """十二点八 -> 12.8, 一万七千四百 -> 17400, 八 -> 8 (None if not a numeral)."""
    from ..parse.numerals import DIGITS, cn_to_int
    if not s or len(s) > 2 * MAX_DIGITS:
        return None
    whole, _, decimals = s.partition("点")
    n = cn_to_int(whole) if whole else 0
    if n is None:
        return None
    if not decimals:
        return n
    digits = "".join(str(DIGITS[c]) for c in decimals)
    return float(f"{n}.{digits}")


def _flagged(text: str, norm: str, start: int, end: int, value: float, unit: str, high=None) -> Quantity:
    before, after = norm[max(0, start - 4):start], norm[end:end + 3]
    approx = before.endswith(APPROX_BEFORE) or after.startswith(APPROX_AFTER)
    floor = before.endswith(FLOOR_BEFORE) or after.startswith(FLOOR_AFTER)
    ceiling = before.endswith(CEILING_BEFORE) or after.startswith(CEILING_AFTER)
    return Quantity(start, end, text[start:end], value, unit, high=high, approx=approx,
                    floor=floor and not ceiling, ceiling=ceiling)


def _quantity(text: str, norm: str, m: re.Match) -> Quantity | None:
    unit, mult = m.group("unit") or "", m.group("mult") or ""
    if not unit and mult not in ("万", "亿", "万亿"):
        return None                                   # a bare number is not a quantity
    if _is_name(norm, m) or _is_ordinal(norm, m.start()):
        return None
    if _is_date(norm, m):
        return None
    if unit == "周" and norm[m.end():m.end() + 1] == "年":
        return None                                   # 成立70周年: an anniversary, a name
    start, end = m.start(), m.end()
    value = _number(m.group("num"))
    high = _number(m.group("num2")) if m.group("num2") else None
    if value is None:
        return None
    if m.group("sep") and not _plausible_range(value, high, m.group("sep")):
        # 1-11: not a range of one quantity; keep the part after the separator alone
        return None
    # the unit as written (％ stays ％), with its multiplier but without 余/多 between them
    full_unit = _written(text, m, "mult") + _written(text, m, "unit")
    if not unit and not mult:
        return None
    # 4.5%—5%: a range written with the unit on both ends
    if high is None and norm[end:end + 1] in RANGE_SEP_CHARS:
        r = re.compile(rf"({RANGE_SEP})(?P<n>{NUMBER})(?:{re.escape(mult)})?{re.escape(unit)}").match(norm, end)
        if r and unit and _plausible_range(value, _number(r.group("n")), r.group(1)):
            high, end = _number(r.group("n")), r.end()
    before = norm[max(0, start - 4):start]
    after = norm[end:end + 3]
    approx = bool(m.group("mod") or m.group("mod2")) or before.endswith(APPROX_BEFORE) or after.startswith(APPROX_AFTER)
    floor = before.endswith(FLOOR_BEFORE) or after.startswith(FLOOR_AFTER)
    ceiling = before.endswith(CEILING_BEFORE) or after.startswith(CEILING_AFTER)
    return Quantity(start, end, text[start:end], value, full_unit, high=high,
                    approx=approx, floor=floor and not ceiling, ceiling=ceiling)


def _written(text: str, m: re.Match, group: str) -> str:
    return text[m.start(group):m.end(group)] if m.group(group) else ""


# No report states a figure with more digits than this (a 20-digit run is an id, a phone list or
# junk); longer numbers would overflow SQLite's integers, become inf as floats, or hit Python's
# int-string conversion limit, so they are not quantities.
MAX_DIGITS = 15


def _number(s: str | None) -> float | None:
    try:
        s = s.replace(" ", "").replace(",", "")
    except AttributeError:
        return None
    if sum(c.isdigit() for c in s) > MAX_DIGITS:
        return None
    try:
        d = Decimal(s)
    except InvalidOperation:
        return None
    return int(d) if d == d.to_integral_value() and "." not in s else float(d)


def _plausible_range(low: float, high: float | None, sep: str) -> bool:
    return high is not None and low < high


def _is_name(norm: str, m: re.Match) -> bool:
    """5G, qst10路, PM2.5, G20, 4A级, “631”, COVID-19: digits that belong to a name."""
    s, e = m.start(), m.end()
    prev = norm[s - 1] if s else ""
    if prev.isascii() and prev.isalpha():
        return True
    if prev in "-_/." and s >= 2 and norm[s - 2].isascii() and norm[s - 2].isalnum():
        return True                                  # COVID-19, 0391-1234567, v1.2
    unit = m.group("unit") or ""
    nxt = norm[e] if e < len(norm) else ""
    if unit not in LATIN_UNITS and nxt.isascii() and nxt.isalpha():
        return True                                   # 5G, 4A, 5g
    if unit and unit[-1].isascii() and unit[-1].isalpha() and nxt.isascii() and nxt.isalpha():
        return True
    if prev in OPEN_QUOTES:                            # “631” / ‘334’ / “1+N”: a code in quotes
        close = re.match(rf"[0-9.+\-×xX*、,]*[{re.escape(CLOSE_QUOTES)}]", norm[m.start():m.start() + 16])
        if close:
            return True
    return False


def _is_ordinal(norm: str, s: int) -> bool:
    return s > 0 and norm[s - 1] in "第" or norm[max(0, s - 1):s] == "前" and bool(re.match(r"\d+(?:位|名)", norm[s:s + 4]))


def _is_date(norm: str, m: re.Match) -> bool:
    """Years (2022年, 2021-2025年) are dates, not quantities. Months and days (3月5日, 1-11月)
    never match: 月 and 日 are not units (个月 is)."""
    if (m.group("unit") or "") != "年" or m.group("mult"):
        return False
    return any(re.fullmatch(r"1[6-9]\d\d|20\d\d|21\d\d", (n or "").replace(" ", "")) for n in (m.group("num"), m.group("num2")))
