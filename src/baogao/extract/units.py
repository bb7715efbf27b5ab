"""Units as written (亿元, 万户, 个百分点) to a base unit and a factor, for comparing figures.

One place for the multipliers: the audit compares parts with wholes, the store compares
targets with results, the web app converts chart series.
"""
from __future__ import annotations

MULTIPLIERS = [("万亿", 1e12), ("千亿", 1e11), ("百亿", 1e10), ("千万", 1e7), ("百万", 1e6), ("十万", 1e5),
               ("亿", 1e8), ("万", 1e4), ("千", 1e3), ("百", 1e2)]


def unit_scale(unit: str | None) -> tuple[str, float]:
    """(base unit, factor): 亿元 -> (元, 1e8); % and 个百分点 are not scaled."""
    unit = (unit or "").strip().replace("个百分点", "百分点").replace("％", "%")
    if unit in ("%", "百分点"):
        return unit, 1.0
    for prefix, factor in MULTIPLIERS:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            return unit[len(prefix):], factor
    return unit, 1.0


def base_value(value: float, unit: str | None) -> tuple[float, str]:
    """(value in the base unit, base unit): 1.18, 万户 -> 11800.0, 户."""
    base, factor = unit_scale(unit)
    return value * factor, base
