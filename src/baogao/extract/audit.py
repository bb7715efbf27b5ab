"""Audit notes: figures in one report that disagree with each other.

Reported, never silently changed: a user sees both figures and decides. Checks:
- a share that does not match its parts (税收10.8亿元 of 一般公共预算收入11.5亿元 stated as 93.9%);
- a part larger than its whole (税收 above 一般公共预算收入 for the same period);
- the three industries' value added not adding up to GDP.
"""
from __future__ import annotations

import math

from ..record import Observation
from .units import base_value

PARENT = {"tax_revenue": "general_budget_revenue", "livelihood_expenditure": "general_budget_expenditure",
          "primary_value_added": "gdp", "secondary_value_added": "gdp", "tertiary_value_added": "gdp",
          "exports": "foreign_trade"}
def audit(observations: list[Observation]) -> list[dict]:
    notes: list[dict] = []
    levels = {}
    for i, o in enumerate(observations):
        if o.measure == "level" and o.status == "actual" and not o.approx:
            levels.setdefault((o.indicator, str(o.period)), []).append(i)
    for i, o in enumerate(observations):
        parent = PARENT.get(o.indicator)
        if not parent:
            continue
        # parts, wholes and shares are compared only within one sentence: the same words in
        # another paragraph may measure something else
        same = lambda k: observations[k].sentence == o.sentence
        part_i = _nearest([k for k in levels.get((o.indicator, str(o.period)), []) if same(k)], i)
        whole_i = _nearest([k for k in levels.get((parent, str(o.period)), []) if same(k)], i)
        if part_i is None or whole_i is None:
            continue
        part, whole = observations[part_i], observations[whole_i]
        pv, pu = base_value(part.value, part.unit)
        wv, wu = base_value(whole.value, whole.unit)
        if pu != wu or wv <= 0:
            continue
        if o.measure == "share_pct" and o.status == "actual":
            implied = 100 * pv / wv
            if abs(implied - o.value) > max(0.15, 0.005 * o.value):
                notes.append(_note("share_mismatch", [part_i, whole_i, i], observations,
                                   f"{o.indicator} share stated {o.value}% but {part.value}{part.unit} of "
                                   f"{whole.value}{whole.unit} is {implied:.1f}%", implied=round(implied, 2)))
        elif o.measure == "level" and i == part_i and pv > wv * 1.0001:
            notes.append(_note("part_exceeds_whole", [part_i, whole_i], observations,
                               f"{o.indicator} {part.value}{part.unit} exceeds {parent} {whole.value}{whole.unit}"))
    notes += _industries_sum(observations, levels)
    return notes


def _nearest(indices: list[int], i: int) -> int | None:
    return min(indices, key=lambda k: abs(k - i)) if indices else None


def _industries_sum(observations, levels) -> list[dict]:
    out = []
    for (ind, period), gdp_idx in levels.items():
        if ind != "gdp":
            continue
        parts = [levels.get((p, period)) for p in ("primary_value_added", "secondary_value_added", "tertiary_value_added")]
        if not all(parts):
            continue
        idx = [p[0] for p in parts]
        near = [observations[k].start for k in idx + [gdp_idx[0]]]
        if max(near) - min(near) > 400:          # not one passage: no sum to check
            continue
        gv, gu = base_value(observations[gdp_idx[0]].value, observations[gdp_idx[0]].unit)
        vals = [base_value(observations[k].value, observations[k].unit) for k in idx]
        if any(u != gu for _, u in vals) or gv <= 0:
            continue
        total = sum(v for v, _ in vals)
        if not math.isclose(total, gv, rel_tol=0.02):
            out.append(_note("parts_do_not_sum", idx + [gdp_idx[0]], observations,
                             f"three industries add up to {total / 1e8:.2f}亿元, GDP stated {gv / 1e8:.2f}亿元"))
    return out


def _note(kind: str, idx: list[int], observations, message: str, **extra) -> dict:
    spans = [[observations[k].start, observations[k].end] for k in idx]
    return {"kind": kind, "message": message, "observations": idx, "spans": spans, **extra}
