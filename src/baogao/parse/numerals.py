"""Chinese numerals (十一, 二〇二六, 两千三百) -> int. Small and exact, so written here.

cn2an does this too, but it is a dependency with a known float fault for decimals and we only
need whole numbers of a few digits (years, terms, sessions, ranks).
"""
from __future__ import annotations

DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2,
          "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7,
          "八": 8, "捌": 8, "九": 9, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(UNITS) + "".join(BIG) + "0123456789０１２３４５６７８９"


def cn_to_int(s: str) -> int | None:
    """'十一' -> 11, '二〇二三' -> 2023, '2023' -> 2023, '第三' -> None (strip 第 first)."""
    s = s.strip()
    if not s:
        return None
    if all(c in "0123456789０１２３４５６７８９" for c in s):
        return int(s.translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}))
    if all(c in DIGITS for c in s):                    # digit by digit: 二〇二六
        return int("".join(str(DIGITS[c]) for c in s))
    total, section, digit = 0, 0, None
    for c in s:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in UNITS:
            section += (digit if digit is not None else 1) * UNITS[c]
            digit = None
        elif c in BIG:
            section += digit or 0
            total += section * BIG[c]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)
