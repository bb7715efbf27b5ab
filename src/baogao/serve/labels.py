"""Plain labels for the pages: 国内生产总值 增速 % rather than gdp · growth_pct, a target as the
report words it (6%左右, 4.5–5%, 1200万人以上), short region names for narrow chart labels."""
from __future__ import annotations

import math
import re

from ..extract.lexicon import load_lexicon
from .chart import fmt

NATION = "100000"
# What each measure is called in the reports ("" for level: the indicator's name says it).
MEASURE_WORDS = {"level": "", "growth_pct": "增速", "avg_growth_pct": "年均增速", "share_pct": "占比",
                 "pp_change": "变化", "change": "增加", "rank": "位次"}
# The words a target's kind is written with, after its figure.
KIND_WORDS = {"floor": "以上", "ceiling": "以内", "approx": "左右", "range": "", "plain": ""}
# Suffixes of province names a chart can leave out (新疆维吾尔自治区 -> 新疆): longest first.
PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def indicator_names() -> dict[str, str]:
    """Indicator id -> Chinese name, from the extractor's lexicon (the user's TOML included)."""
    return {key: ind.name for key, ind in load_lexicon().indicators.items()}


def indicator_name(names: dict[str, str], indicator: str, region_code: str | None = None) -> str:
    """The indicator's Chinese name; the nation's own word where it differs (地区生产总值 of the
    nation is 国内生产总值, as its reports write)."""
    name = names.get(indicator, indicator)
    if region_code == NATION:
        name = name.replace("地区生产总值", "国内生产总值")
    return name


def measure_word(measure: str | None) -> str:
    return MEASURE_WORDS.get(measure or "", measure or "")


def series_label(names: dict[str, str], indicator: str, measure: str | None, unit: str | None = "",
                 region_code: str | None = None) -> str:
    """地区生产总值 增速 %, 城镇调查失业率 %, 国内生产总值 增速 % for the nation."""
    words = [indicator_name(names, indicator, region_code), measure_word(measure), plain_unit(unit)]
    return " ".join(word for word in words if word)


def measure_choice(measure: str) -> str:
    """A measure in a menu: its word and its id (增速 growth_pct, 总量 level)."""
    word = measure_word(measure) or ("总量" if measure == "level" else "")
    return f"{word} {measure}" if word else measure


def plain_unit(unit: str | None) -> str:
    """The unit as the pages print it: the full-width ％ some reports use is %."""
    return (unit or "").replace("％", "%")


def missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def figure(value, high=None, unit: str | None = "") -> str:
    """5%, 4.5–5%, 60000亿元: a value, or a range, with its unit as a report writes it."""
    if missing(value):
        return ""
    text = fmt(value) + (f"–{fmt(high)}" if not missing(high) and high != value else "")
    return text + plain_unit(unit)


def target_wording(target, high, kind: str | None, unit: str | None) -> str:
    """The target as worded: 6%左右, 5%以上, 4.6%以内, 4.5–5%, 8%."""
    return figure(target, high, unit) + KIND_WORDS.get(kind or "", "")


def value_wording(row: dict) -> str:
    """A panel row's value as worded: 5%左右, 5%以上, 4.5–5%, with 约 for an estimate."""
    kind = "approx" if row.get("approx") else "floor" if row.get("floor") else \
        "ceiling" if row.get("ceiling") else "plain"
    text = target_wording(row.get("value"), row.get("high"), kind, row.get("unit"))
    return ("约" + text) if row.get("estimated") else text


def signed(value) -> str:
    """+0.9, −2.5, 0: a gap with its sign (a true minus sign)."""
    if missing(value):
        return ""
    text = fmt(value)
    return text.replace("-", "−") if value < 0 else ("+" + text if value > 0 else text)


def short_region_name(name: str | None, level: str | None = None) -> str:
    """A province without its suffix (广西壮族自治区 -> 广西, 上海市 -> 上海), so a chart's label
    column stays narrow; other regions as they are; the nation is 全国."""
    if not name:
        return "?"
    if level == "national" or name == "中华人民共和国":
        return "全国"
    if level == "province":
        for suffix in PROVINCE_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name[: -len(suffix)]
    return name


def clip(text: str | None, limit: int = 160) -> str:
    """A sentence cut for a tooltip, white space folded."""
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
