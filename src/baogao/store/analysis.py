"""Tables built from the stored reports: panel, targets against results, attention.

Every row keeps its provenance (report id, doc and character offsets into that report's text),
and every row names its region by code and printed name. Regions are matched across reports by
`region_key`: the division code, or the printed name when the code is unknown.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from itertools import islice
from pathlib import Path

import pandas as pd

from ..clean.normalize import normalized
from ..extract.units import unit_scale
from ..extract.vocabulary import UnknownName, indicator_id, measure_name, status_name
from .db import period_years
from .schema import REPORT_LEVELS, TARGET_OUTCOMES, AnalysisError
from .search import parse_years, report_filters

DICTIONARY_DIR = Path(__file__).parent / "data" / "dictionaries"
KEY = ["region_key", "indicator", "measure", "status", "period", "scope", "of", "basis"]


# -- observations --------------------------------------------------------------------------------
def observations_frame(conn, indicator=None, measure=None, status=None, region=None,
                       alternates: bool = False) -> pd.DataFrame:
    """All stored observations with their report's year and region (of the copies of each
    report that count, unless alternates). An indicator may be named by its id, its Chinese
    name or an alias; an unknown indicator, measure or status is an AnalysisError naming the
    closest valid ones."""
    try:
        indicator, measure, status = indicator_id(indicator), measure_name(measure), status_name(status)
    except UnknownName as e:
        raise AnalysisError(str(e)) from None
    where, params = [], []
    for column, value in (("indicator", indicator), ("measure", measure), ("status", status)):
        if value:
            where.append(f"o.{column} = ?")
            params.append(value)
    region_where, region_params = report_filters(region=region, alternates=alternates)
    where += region_where
    params += region_params
    sql = f"""
        SELECT o.report_id, o.seq, o.indicator, o.measure, o.status, o.period, o.period_first, o.period_last,
               o.value, o.high, o.unit, o.approx, o.estimated, o.floor, o.ceiling, o.scope, o.of, o.basis,
               o.start, o.end, o.sentence_start, o.sentence_end,
               r.doc, r.year AS report_year, r.review_year,
               r.region_code, r.region_name, r.region_level, r.region_key,
               substr(r.text, o.sentence_start + 1, o.sentence_end - o.sentence_start) AS sentence
        FROM observations o JOIN reports r ON r.id = o.report_id
        {'WHERE ' + ' AND '.join(where) if where else ''}
        ORDER BY o.report_id, o.seq"""
    frame = pd.read_sql_query(sql, conn, params=params)
    frame[["scope", "of", "basis"]] = frame[["scope", "of", "basis"]].fillna("")
    national = (frame["region_level"] == "national") & frame["region_code"].isna()
    frame.loc[national, "region_code"] = NATIONAL_CODE
    for flag in ("approx", "estimated", "floor", "ceiling"):
        frame[flag] = frame[flag].astype(bool)
    return frame


# -- panel ---------------------------------------------------------------------------------------
PANEL_COLUMNS = ["region_code", "region_name", "region_level", "indicator", "measure", "status", "basis",
                 "year", "period", "period_start", "period_end", "value", "high", "unit",
                 "value_written", "unit_written", "approx", "estimated", "floor", "ceiling", "scope", "of",
                 "n_obs", "n_values", "report_id", "doc", "start", "end", "sentence_start", "sentence_end",
                 "sentence"]
# The nation has no division code of its own: panels give it 100000 (the code of the People's
# Republic in the national standard's numbering, GB/T 2260), so every row has one.
NATIONAL_CODE = "100000"
# The unit of a measure that is a rate whatever the indicator
MEASURE_UNITS = {"growth_pct": "%", "share_pct": "%", "avg_growth_pct": "%", "pp_change": "个百分点", "rank": ""}


def panel(conn, indicator=None, measure=None, status=None, region=None, wide=False,
          alternates: bool = False) -> pd.DataFrame:
    """Region x year: one value per region, indicator, measure, status and period.

    When several observations compete for a cell, the one from the report that speaks about
    that year in its own right wins: for results, the report that reviews the year (delivered
    the year after); for targets, the report of that year. Then non-estimates over estimates,
    newer reports over older (revised figures), and the first mention in the text.
    `n_obs` counts the competitors and `n_values` their distinct values, so conflicts show.

    Tidy for analysis: `year` is an integer (empty for a span of years, whose `period_start` and
    `period_end` say which; a single year has both equal); each indicator and measure has one
    unit (`value` and `high` converted to it; `value_written`/`unit_written` as the report
    printed them; a figure whose unit cannot be converted, e.g. 万人 among 亿元, is left out and
    counted in `table.attrs["left_out"]`); every row has a region code (the nation 100000); the
    sentence is there with its offsets.
    """
    obs = observations_frame(conn, indicator, measure, status, region, alternates)
    obs = obs[obs["period"].notna()].copy()
    left_out: list[dict] = []
    if obs.empty:
        table = pd.DataFrame(columns=PANEL_COLUMNS)
    else:
        obs["own_report"] = [_own_report(row) for row in obs.itertuples()]
        obs = obs.sort_values(KEY + ["own_report", "estimated", "report_year", "start"],
                              ascending=[True] * len(KEY) + [False, True, False, True])
        groups = obs.groupby(KEY, sort=False)
        table = groups.head(1).copy()
        table["n_obs"] = groups["value"].transform("size").loc[table.index]
        table["n_values"] = groups["value"].transform("nunique").loc[table.index]
        table, left_out = _one_unit(table)
        table = _with_periods(table)[PANEL_COLUMNS]
    table = _with_periods(table) if table.empty else table
    table = table.sort_values(["region_name", "indicator", "measure", "status", "basis", "period_start", "period_end"],
                              key=_sort_key, ignore_index=True)
    table.attrs["left_out"] = left_out
    return to_wide(table) if wide else table


def _own_report(row) -> bool:
    """Does this observation come from the report that speaks about its period in its own right?"""
    if row.status == "target":
        return row.report_year is not None and row.report_year == row.period_first
    return row.review_year is not None and row.review_year == row.period_last


def _with_periods(table: pd.DataFrame) -> pd.DataFrame:
    """period (text: 2015 or 2021-2025), period_start and period_end (integers), and year: the
    single year as an integer, empty for a span."""
    periods = table["period"].astype("string") if "period" in table else pd.Series(dtype="string")
    bounds = [period_years(p) for p in periods.fillna("")]
    table = table.assign(period=periods,
                         period_start=pd.array([b[0] for b in bounds], dtype="Int64"),
                         period_end=pd.array([b[1] for b in bounds], dtype="Int64"))
    single = table["period_start"] == table["period_end"]
    table["year"] = table["period_start"].where(single.fillna(False)).astype("Int64")
    return table


def _one_unit(table: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Each indicator and measure in one unit: the measure's (%, 个百分点) or the indicator's first
    typical unit of the same kind (亿元 for money amounts, 万人 for people; extract/data/
    indicators.tsv), else the unit most rows were written in. Rows of another kind are left out."""
    from ..extract.lexicon import load_lexicon
    lexicon = load_lexicon()
    table = table.assign(value_written=table["value"], unit_written=table["unit"])
    kept, left_out = [], []
    for (ind, measure), rows in table.groupby(["indicator", "measure"], sort=False):
        unit = _panel_unit(ind, measure, rows["unit_written"], lexicon)
        base, factor = unit_scale(unit)
        scales = rows["unit_written"].map(unit_scale)
        same = scales.map(lambda bf: bf[0] == base)
        for row in rows[~same].itertuples():
            left_out.append({"indicator": ind, "measure": measure, "unit": row.unit_written, "panel_unit": unit,
                             "report_id": row.report_id, "period": row.period, "value": row.value_written})
        rows = rows[same].copy()
        ratio = scales[same].map(lambda bf: bf[1] / factor)
        rows["value"] = (rows["value_written"] * ratio).map(_tidy_float)
        rows["high"] = (rows["high"].astype(float) * ratio).map(_tidy_float)
        rows["unit"] = unit
        kept.append(rows)
    return (pd.concat(kept) if kept else table.iloc[0:0]), left_out


def _panel_unit(indicator: str, measure: str, written: pd.Series, lexicon) -> str:
    if measure in MEASURE_UNITS:
        return MEASURE_UNITS[measure]
    bases = written.map(lambda u: unit_scale(u)[0])
    base = bases.mode().iloc[0] if len(bases) else ""
    typical = lexicon.indicators[indicator].units if indicator in lexicon.indicators else ()
    for unit in typical:
        if unit_scale(unit)[0] == base:
            return unit
    return written[bases == base].mode().iloc[0].replace("％", "%")


def _tidy_float(value):
    """A converted value without float noise (0.1 亿元 in 万元 is 1000, not 999.9999999999999)."""
    return value if value is None or value != value else float(f"{value:.12g}")


def to_wide(table: pd.DataFrame) -> pd.DataFrame:
    """Regions (and indicator, measure, status, basis, unit) down, periods across (2015, …,
    2021-2025)."""
    if table.empty:
        return table
    index = ["region_code", "region_name", "indicator", "measure", "status", "basis", "unit"]
    order = table.drop_duplicates("period").sort_values(["period_start", "period_end"])["period"].tolist()
    wide = table.pivot_table(index=index, columns="period", values="value", aggfunc="first")
    wide = wide[[p for p in order if p in wide.columns]]
    wide.columns = [str(c) for c in wide.columns]
    return wide.reset_index()


# -- targets ---------------------------------------------------------------------------------------
TARGET_COLUMNS = ["region_code", "region_name", "indicator", "measure", "year", "target", "target_high",
                  "target_kind", "unit", "actual", "actual_unit", "gap", "outcome", "rule", "reason",
                  "target_report_id", "target_doc", "target_start", "target_end",
                  "target_sentence_start", "target_sentence_end",
                  "actual_report_id", "actual_doc", "actual_start", "actual_end",
                  "actual_sentence_start", "actual_sentence_end", "actual_estimated"]


def targets(conn, indicator=None, measure=None, region=None, complete=False,
            alternates: bool = False, level=None, year=None, outcome=None) -> pd.DataFrame:
    """Year Y's target (report of Y, status target, period Y) against Y's result (report of Y+1,
    status actual, period Y), for every region, indicator and measure the corpus has.
    A span period (2016-2020) pairs the report of its first year with the report after its last.

    outcome: met | missed | no result | units differ, judged by the target's own wording
    (data/targets.toml): 以内 is a ceiling, 以上 a floor, a range is met from its lower bound, 左右 is
    a band (±0.5 points for %, ±5% otherwise), and for prices and unemployment the target is an
    upper limit. `rule` says the test applied in words; `reason` why there is no result (no report
    for the next year, or the next report does not state it). gap = actual - target, in the
    target's unit. unit, actual_unit: as the reports wrote them, full-width forms as ASCII (％ is %).
    level (one or several), year (2026, or 2021-2025: targets whose period lies inside) and
    outcome keep some rows: a journalist's one year of provinces is level="province", year=2026.
    """
    levels = [level] if isinstance(level, str) else list(level or [])
    if any(one not in REPORT_LEVELS for one in levels):
        raise AnalysisError(f"level must be one of {', '.join(REPORT_LEVELS)}, not {levels!r}")
    bounds = parse_years(year) if year not in (None, "") else None
    if outcome is not None and outcome not in TARGET_OUTCOMES:
        raise AnalysisError(f"outcome must be one of {', '.join(TARGET_OUTCOMES)}, not {outcome!r}")
    obs = observations_frame(conn, indicator, measure, None, region, alternates)
    obs = obs[obs["period_first"].notna()]
    key = ["region_key", "indicator", "measure", "period", "scope", "of", "basis"]
    set_ = obs[(obs["status"] == "target") & (obs["report_year"] == obs["period_first"])]
    got = obs[(obs["status"] == "actual") & (obs["report_year"] == obs["period_last"] + 1)]
    set_ = _first_per_key(set_, key)
    got = _first_per_key(got, key)
    pairs = set_.merge(got, on=key, how="left", suffixes=("_t", "_a"))
    if levels:
        pairs = pairs[pairs["region_level_t"].isin(levels)]     # the level of the report setting the target
    if pairs.empty:
        return pd.DataFrame(columns=TARGET_COLUMNS)
    reports_at = {(key, year) for key, year in conn.execute(
        "SELECT region_key, year FROM reports WHERE year IS NOT NULL")}
    rows = [_judge(row, reports_at) for row in pairs.to_dict("records")]
    table = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    for column in TARGET_COLUMNS:       # ids and offsets stay integers even where no result was found
        if column.endswith(("_report_id", "_start", "_end")):
            table[column] = table[column].astype("Int64")
    if complete:
        table = table[table["actual"].notna()]
    if outcome:
        table = table[table["outcome"] == outcome]
    table = _with_periods(table.assign(period=table["year"]))
    if bounds:
        table = table[(table["period_start"] >= bounds[0]) & (table["period_end"] <= bounds[1])]
    table = table[TARGET_COLUMNS[:5] + ["period", "period_start", "period_end"] + TARGET_COLUMNS[5:]]
    return table.sort_values(["region_name", "indicator", "measure", "period_start", "period_end"],
                             key=_sort_key, ignore_index=True)


def _first_per_key(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One observation per key: not estimated first, then the earliest report and mention."""
    frame = frame.sort_values(key + ["estimated", "report_id", "start"])
    return frame.groupby(key, sort=False).head(1)


TARGET_RULES = tomllib.loads((Path(__file__).parent / "data" / "targets.toml").read_text("utf-8"))
UPPER_LIMITS = set(TARGET_RULES["upper_limits"])


def _judge(p: dict, reports_at: set) -> dict:
    target, high = p["value_t"], _none(p["high_t"])
    kind = ("ceiling" if p["ceiling_t"] else "range" if high is not None else
            "floor" if p["floor_t"] else "approx" if p["approx_t"] else "plain")
    rule, test = _rule(kind, target, high, p["unit_t"], p["indicator"])
    actual, gap, outcome, reason = _none(p.get("value_a")), None, "no result", None
    if actual is None:
        following = _period_last(p["period"]) + 1
        reason = (f"the {following} report does not state it" if (p["region_key"], following) in reports_at
                  else f"no report for {following} in the corpus")
    else:
        actual_in_target_unit = convert(actual, p["unit_a"], p["unit_t"])
        if actual_in_target_unit is None:
            outcome, reason = "units differ", f"{_unit(p['unit_a'])} against {_unit(p['unit_t'])}"
        else:
            gap = round(actual_in_target_unit - target, 6)
            outcome = "met" if test(actual_in_target_unit) else "missed"
    return {
        "region_code": p["region_code_t"], "region_name": p["region_name_t"],
        "indicator": p["indicator"], "measure": p["measure"], "year": p["period"],
        "target": target, "target_high": high, "target_kind": kind, "unit": _unit(p["unit_t"]),
        "actual": actual, "actual_unit": _unit(_none(p.get("unit_a"))), "gap": gap, "outcome": outcome,
        "rule": rule, "reason": reason,
        "target_report_id": p["report_id_t"], "target_doc": p["doc_t"],
        "target_start": p["start_t"], "target_end": p["end_t"],
        "target_sentence_start": p["sentence_start_t"], "target_sentence_end": p["sentence_end_t"],
        "actual_report_id": _int(p.get("report_id_a")), "actual_doc": _none(p.get("doc_a")),
        "actual_start": _int(p.get("start_a")), "actual_end": _int(p.get("end_a")),
        "actual_sentence_start": _int(p.get("sentence_start_a")),
        "actual_sentence_end": _int(p.get("sentence_end_a")),
        "actual_estimated": None if actual is None else bool(p.get("estimated_a")),
    }


def _unit(written: str | None) -> str | None:
    """A unit as the report wrote it, full-width forms as ASCII (％ is %): one spelling per unit in
    a table users filter and group by (the offsets still point at the text as written)."""
    return normalized(written) if written else written


def _rule(kind: str, target: float, high: float | None, unit: str | None, indicator: str):
    """(the rule in words, a test of the actual value) for a target of this wording (data/targets.toml)."""
    upper = indicator in UPPER_LIMITS
    if kind == "approx":
        percent = (unit or "").strip() in ("%", "％")
        width = TARGET_RULES["approx_band_points"] if percent else round(abs(target) * TARGET_RULES["approx_band_share"], 6)
        bound = round(target + width if upper else target - width, 6)
        band = f"±{width:g}{' points' if percent else ''}"
        if upper:
            return f"<= {bound:g} ({target:g} 左右, a band of {band}; an upper limit)", lambda a: a <= bound
        return f">= {bound:g} ({target:g} 左右, a band of {band})", lambda a: a >= bound
    if kind == "ceiling":
        return f"<= {target:g} (以内: a ceiling)", lambda a: a <= target
    if kind == "floor":
        return f">= {target:g} (以上: a floor)", lambda a: a >= target
    if kind == "range":
        if upper:
            return f"<= {high:g} (the range {target:g}-{high:g}: its upper bound; an upper limit)", lambda a: a <= high
        return f">= {target:g} (the range {target:g}-{high:g}: its lower bound)", lambda a: a >= target
    if upper:
        return f"<= {target:g} (an upper limit)", lambda a: a <= target
    return f">= {target:g}", lambda a: a >= target


def _period_last(period: str) -> int:
    return int(str(period)[-4:])


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float | None:
    """`value` in `from_unit` expressed in `to_unit`, or None if they measure different things."""
    base_from, f_from = unit_scale(from_unit)
    base_to, f_to = unit_scale(to_unit)
    if base_from != base_to:
        return None
    return value * f_from / f_to


# -- attention -----------------------------------------------------------------------------------
def shipped_dictionaries() -> list[str]:
    return sorted(p.stem for p in DICTIONARY_DIR.glob("*.txt"))


def load_dictionary(spec: str | Path) -> tuple[str, list[str]]:
    """(name, terms) of a shipped dictionary by name, or of a file with one term a line ('#' comments)."""
    path = DICTIONARY_DIR / f"{spec}.txt"
    if not path.exists():
        path = Path(spec)
        if not path.is_file():
            raise AnalysisError(f"no dictionary {spec!r}: give a file (one term a line) or one of "
                                f"{', '.join(shipped_dictionaries())}")
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8-sig").splitlines())
    terms = list(dict.fromkeys(term for term in lines if term))     # unique, in order, in linear time
    if not terms:
        raise AnalysisError(f"dictionary {path} has no terms")
    return path.stem, terms


def attention(conn, dictionary: str | Path, kwic: bool = False, report_id: int | None = None,
              region=None, year=None, level=None, context: int = 20, alternates: bool = False,
              max_rows: int | None = None) -> pd.DataFrame:
    """Per report: dictionary matches per 10,000 characters of report body (boilerplate excluded).

    Matching is leftmost-longest (Aho-Corasick), so 优化营商环境 counts once, not also as 营商环境.
    With kwic=True: one row per match, with its context and sentence (keyword in context); with
    max_rows too, matching stops after max_rows matches (in report id order), and the frame's
    attrs["truncated"] says whether any were left (a common term like 的 has tens of thousands).
    """
    import ahocorasick
    name, terms = load_dictionary(dictionary)
    automaton = ahocorasick.Automaton()
    for term in terms:
        automaton.add_word(term, term)
    automaton.make_automaton()
    where, params = report_filters(region, year, level, alternates=alternates or report_id is not None)
    if report_id is not None:
        where.append("r.id = ?")
        params.append(int(report_id))
    reports = conn.execute(f"""SELECT r.id, r.doc, r.year, r.region_code, r.region_name, r.region_level,
                                      r.body_chars, r.text FROM reports r
                               {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY r.id""", params)
    rows, truncated = [], False
    for r in reports:               # one report's text in memory at a time
        matches = _matches(automaton, r["text"], _boilerplate(conn, r["id"]))
        if not kwic:
            rows.append(_attention_row(r, name, list(matches)))
            continue
        room = None if max_rows is None else max(0, max_rows + 1 - len(rows))    # one more: any left?
        rows += _kwic_rows(conn, r, list(islice(matches, room)), context)
        if max_rows is not None and len(rows) > max_rows:
            rows, truncated = rows[:max_rows], True
            break
    frame = pd.DataFrame(rows, columns=KWIC_COLUMNS if kwic else ATTENTION_COLUMNS)
    frame.attrs["truncated"] = truncated
    return frame


ATTENTION_COLUMNS = ["report_id", "doc", "region_code", "region_name", "level", "year", "dictionary",
                     "matches", "body_chars", "per_10k", "terms"]
KWIC_COLUMNS = ["report_id", "doc", "region_code", "region_name", "year", "term", "start", "end",
                "left", "keyword", "right", "sentence_start", "sentence_end"]


def _matches(automaton, text: str, struck: list[tuple[int, int]]):
    """(start, end, term) of each match outside the boilerplate spans."""
    pos = 0
    for s, e in struck + [(len(text), len(text))]:
        if pos < s:
            for last, term in automaton.iter_long(text[pos:s]):
                yield pos + last - len(term) + 1, pos + last + 1, term
        pos = max(pos, e)


def _boilerplate(conn, report_id: int) -> list[tuple[int, int]]:
    return [tuple(b) for b in conn.execute(
        "SELECT start, end FROM boilerplate WHERE report_id = ? ORDER BY start", (report_id,))]


def _attention_row(r, name: str, matches: list) -> dict:
    counts: dict[str, int] = {}
    for _, _, term in matches:
        counts[term] = counts.get(term, 0) + 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    per_10k = round(len(matches) / r["body_chars"] * 10_000, 3) if r["body_chars"] else None
    return {"report_id": r["id"], "doc": r["doc"], "region_code": r["region_code"],
            "region_name": r["region_name"], "level": r["region_level"], "year": r["year"],
            "dictionary": name, "matches": len(matches), "body_chars": r["body_chars"], "per_10k": per_10k,
            "terms": "; ".join(f"{t} {n}" for t, n in top)}


def _kwic_rows(conn, r, matches: list, context: int) -> list[dict]:
    sentences = conn.execute("SELECT start, end FROM sentences WHERE report_id = ? ORDER BY start",
                             (r["id"],)).fetchall()
    starts = [s for s, _ in sentences]
    text, rows = r["text"], []
    for start, end, term in matches:
        i = bisect_right(starts, start) - 1
        sentence = sentences[i] if i >= 0 and start < sentences[i][1] else (None, None)
        rows.append({"report_id": r["id"], "doc": r["doc"], "region_code": r["region_code"],
                     "region_name": r["region_name"], "year": r["year"], "term": term,
                     "start": start, "end": end,
                     "left": _one_line(text[max(0, start - context):start]), "keyword": text[start:end],
                     "right": _one_line(text[end:end + context]),
                     "sentence_start": sentence[0], "sentence_end": sentence[1]})
    return rows


# -- helpers ---------------------------------------------------------------------------------------
def _sort_key(column: pd.Series) -> pd.Series:
    return column.astype("string").fillna("")


def _one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _none(value):
    return None if value is None or (isinstance(value, float) and value != value) else value


def _int(value):
    value = _none(value)
    return None if value is None else int(value)


def attention_years(table: pd.DataFrame) -> pd.DataFrame:
    """Per level and year: reports, matches, and the mean (min, max) matches per 10,000 characters.
    Levels stay apart: a county's report and the nation's are not alike, and a mean over both
    would move with the mix of levels, not with attention."""
    columns = ["level", "year", "reports", "matches", "per_10k", "per_10k_min", "per_10k_max"]
    known = table.dropna(subset=["year", "per_10k"])
    if known.empty:
        return pd.DataFrame(columns=columns)
    grouped = known.groupby(["level", "year"]).agg(
        reports=("report_id", "count"), matches=("matches", "sum"), per_10k=("per_10k", "mean"),
        per_10k_min=("per_10k", "min"), per_10k_max=("per_10k", "max")).reset_index()
    grouped["year"] = grouped["year"].astype(int)
    grouped["per_10k"] = grouped["per_10k"].round(3)
    order = {level: i for i, level in enumerate(REPORT_LEVELS)}
    grouped = grouped.sort_values(["level", "year"], key=lambda c: c.map(order) if c.name == "level" else c)
    return grouped[columns].reset_index(drop=True)
