"""The tables the pages show and the API serves, built from the corpus's frames: search hits with
their links, attention by year, targets with their region's level, one indicator in one year
across regions; and the rows the pages draw from them (chart rows, links, plain wording).

Each table here is what a page's "CSV · JSON" links download, so a page and its download agree.
"""
from __future__ import annotations

import re

import pandas as pd

from ..store import Corpus
from ..store.analysis import NATIONAL_CODE, attention_years  # noqa: F401 (the web's year table)
from . import chart, labels
from .common import LEVELS, MAX_PANEL_REGIONS, BadRequest, blank, records, region_id, report_url, years_of


# -- search ----------------------------------------------------------------------------------------
def search_table(corpus: Corpus, q: str, region=None, year=None, level=None, limit: int = 20, offset: int = 0,
                 order: str = "newest", mark=("[", "]")) -> pd.DataFrame:
    """One page of hits, each with the link to its place in its report."""
    hits = corpus.search(q, region=blank(region), year=blank(year), level=level, limit=limit, offset=offset,
                         mark=mark, order=order)
    return hits.assign(url=[report_url(r, o) for r, o in zip(hits["report_id"], hits["offset"])])


# -- attention -------------------------------------------------------------------------------------
def busiest_level(table: pd.DataFrame) -> str | None:
    """The level with the most reports (the higher level on a tie): the default of a chart over years."""
    tally = table["level"].value_counts()
    if tally.empty:
        return None
    return max(tally.index, key=lambda level: (tally[level], -LEVELS.index(level) if level in LEVELS else 0))


def attention_series(years: pd.DataFrame, level: str, href) -> list[chart.Series]:
    """The chart of one level's mean attention over years; a point links to that year's matches."""
    rows = years[years["level"] == level]
    points = [chart.Point(int(r.year), float(r.per_10k),
                          f"{int(r.year)}: mean {r.per_10k:.2f} per 10,000 characters over {r.reports} "
                          f"report{'s' if r.reports != 1 else ''} ({r.matches} matches)", href(int(r.year)))
              for r in rows.itertuples()]
    return [chart.Series(level, chart.PALETTE[0], points=points)] if points else []


# -- panel -----------------------------------------------------------------------------------------
def panel_table(corpus: Corpus, indicator=None, measure=None, status=None, regions: list[str] = (),
                year=None, levels: list[str] = ()) -> pd.DataFrame:
    """Corpus.panel for some regions (each a query of its own), of some levels, in some years
    (values for a span of years only when the span lies within them)."""
    if len(regions) > MAX_PANEL_REGIONS:
        raise BadRequest(f"region: at most {MAX_PANEL_REGIONS} regions per request, not {len(regions)}")
    frames = [corpus.panel(blank(indicator), measure, status, r) for r in (list(regions) or [None])]
    table = pd.concat(frames, ignore_index=True).drop_duplicates() if len(frames) > 1 else frames[0]
    if levels:
        table = table[table["region_level"].isin(levels)]
    bounds = years_of(year)
    if bounds:
        table = table[(table["period_start"] >= bounds[0]) & (table["period_end"] <= bounds[1])]
    return table.reset_index(drop=True)


def ranked(table: pd.DataFrame) -> pd.DataFrame:
    """One year's values, highest first (a range by its middle), with each region's rank among the
    regions of its level (1 + the number of that level above it; the nation has no rank)."""
    if table.empty:
        return table.assign(rank=pd.Series(dtype="Int64"))
    middle = table["value"].where(table["high"].isna(), (table["value"] + table["high"]) / 2)
    table = table.assign(middle=middle).sort_values(["middle", "region_name"], ascending=[False, True])
    ranks = table.groupby("region_level")["middle"].rank(method="min", ascending=False).astype("Int64")
    table = table.assign(rank=ranks.where(table["region_code"] != NATIONAL_CODE))
    return table.drop(columns="middle").reset_index(drop=True)


def default_level_and_year(table: pd.DataFrame, year: int | None = None) -> tuple[str | None, int | None]:
    """Where one year across regions says most: the level with the most regions (in `year`, if
    given), then its year with the most regions (the latest on a tie)."""
    single = table.dropna(subset=["year"])
    among = single[single["year"] == year] if year is not None else single
    if among.empty:
        return None, year
    regions = among.groupby("region_level")["region_code"].nunique()
    level = max(regions.index, key=lambda lv: (regions[lv], -LEVELS.index(lv) if lv in LEVELS else 0))
    years = single[single["region_level"] == level].groupby("year")["region_code"].nunique()
    return level, year if year is not None else int(max(years.index, key=lambda y: (years[y], y)))


def range_rows(rows: list[dict]) -> list[chart.RangeRow]:
    """The chart rows of one year's values: a range as a bar, 左右 as a hollow dot, the nation marked."""
    return [chart.RangeRow(labels.short_region_name(r["region_name"], r["region_level"]), r["value"],
                           None if labels.missing(r["high"]) else r["high"], labels.value_wording(r),
                           f"{r['region_name']} {r['year']}: {labels.value_wording(r)} · {labels.clip(r['sentence'])}",
                           report_url(r["report_id"], r["start"], r["end"]), hollow=bool(r["approx"]),
                           highlight=r["region_code"] == NATIONAL_CODE)
            for r in rows]


# -- targets ---------------------------------------------------------------------------------------
def targets_table(corpus: Corpus, indicator=None, measure=None, region=None, levels: list[str] = (),
                  year=None, outcome=None) -> pd.DataFrame:
    """Corpus.targets kept to some levels, years and one outcome, with each region's level."""
    table = corpus.targets(blank(indicator), measure, blank(region), level=levels,
                           year=blank(year), outcome=outcome)
    level_of = corpus.reports(alternates=True).set_index("id")["region_level"]
    table.insert(2, "region_level", table["target_report_id"].map(level_of))
    return table.reset_index(drop=True)


RULE_TEST = re.compile(r"^(<=|>=) (-?[\d.]+(?:e-?\d+)?)")


def met_if(rule: str | None, unit: str | None) -> str:
    """The test of a rule in signs: '>= 4.5 (5 左右, a band of ±0.5 points)' -> ≥ 4.5%."""
    m = RULE_TEST.match(rule or "")
    if not m:
        return rule or ""
    return f"{'≥' if m.group(1) == '>=' else '≤'} {chart.fmt(float(m.group(2)))}{labels.plain_unit(unit)}"


def target_rows(table: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    """The targets page's rows: wording, test, result, gap and outcome, with links to both sentences."""
    rows = records(table)
    for r in rows:
        r["indicator_label"] = labels.series_label(names, r["indicator"], r["measure"], "", r["region_code"])
        r["target_text"] = labels.target_wording(r["target"], r["target_high"], r["target_kind"], r["unit"])
        r["target_url"] = report_url(r["target_report_id"], r["target_start"], r["target_end"])
        r["met_if"] = met_if(r["rule"], r["unit"])
        r["actual_text"] = labels.figure(r["actual"], None, r["actual_unit"])
        r["actual_url"] = (report_url(r["actual_report_id"], r["actual_start"], r["actual_end"])
                           if r["actual_report_id"] is not None else None)
        r["gap_text"] = gap_text(r["gap"], r["unit"])
    return rows


def gap_text(gap, unit: str | None) -> str:
    """+2.1 pp for rates in % (a gap between two rates is in percentage points), else +30 亿元."""
    if gap is None:
        return ""
    unit = labels.plain_unit(unit)
    return labels.signed(gap) + (" pp" if unit == "%" else unit)


def target_grid(rows: list[dict], max_regions: int) -> dict | None:
    """Regions down (the nation, provinces, cities, counties), years across (the newest first, so
    the latest targets are in view), each cell the targets of that region and year (single
    years; a cell may hold two, e.g. registered and surveyed unemployment). None beyond
    max_regions."""
    single = [r for r in rows if r["period_start"] == r["period_end"]]
    cells: dict[tuple, dict[int, list[dict]]] = {}
    for r in single:
        level = LEVELS.index(r["region_level"]) if r["region_level"] in LEVELS else len(LEVELS)
        key = (level, r["region_name"] or r["region_code"] or "?")
        cells.setdefault(key, {}).setdefault(r["period_start"], []).append(r)
    if not cells or len(cells) > max_regions:
        return None
    return {"years": sorted({r["period_start"] for r in single}, reverse=True),
            "regions": [(name, by_year) for (_, name), by_year in sorted(cells.items())]}


def outcome_counts(table: pd.DataFrame) -> list[tuple[str, int]]:
    tally = table["outcome"].value_counts()
    return [(outcome, int(tally[outcome])) for outcome in tally.index]


def panel_rows(table: pd.DataFrame) -> list[dict]:
    """Panel rows for a page's table: the value as worded and the link to its sentence."""
    rows = records(table)
    for r in rows:
        r["wording"] = labels.value_wording(r)
        r["url"] = report_url(r["report_id"], r["start"], r["end"])
        r["key"] = region_id(r)
    return rows
