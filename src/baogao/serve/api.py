"""The JSON API under /api: the same answers the pages show. Every answer that is a table takes
?format=csv for a download (UTF-8 with a byte-order mark, formula-like cells defused)."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request

from ..store.analysis import attention, shipped_dictionaries
from ..store.search import ORDERS, RELEVANCE_CANDIDATES
from . import tables
from .common import (KWIC_MAX_ROWS, LEVELS, MAX_ID, MAX_SEARCH_OFFSET, MAX_TERMS, MEASURES, OUTCOMES, STATUSES,
                     BadRequest, blank, corpus_of, dictionary_spec, filter_reports, format_query, levels_of,
                     load_report, one_of, records, table_answer)

api = APIRouter(prefix="/api", tags=["api"])
LEVEL_HELP = "national | province | city | county"


@api.get("/reports", summary="Reports in the corpus (no text)")
def api_reports(request: Request, level: str | None = Query(None, description=LEVEL_HELP),
                province: str | None = Query(None, description="province as printed, e.g. 山西省"),
                year: str | None = Query(None, description="year delivered, or a range 2012-2016"),
                alternates: bool = Query(False, description="also the other copies of a report (canonical_id set)"),
                format: str = format_query()):
    frame = filter_reports(corpus_of(request).reports(alternates=alternates), level, province, year)
    return table_answer(frame, format, "reports", level, province, year)


@api.get("/reports/{report_id}", summary="One report's record: text, meta, sections, figures, audit notes")
def api_report(request: Request, report_id: str):
    return load_report(corpus_of(request), report_id)


@api.get("/search", summary="Full-text search over sentences: newest year first, best match first within a year")
def api_search(request: Request, q: str = Query(..., description="terms (AND), \"phrases\", OR, NOT, ( )"),
               region: str | None = Query(None, description="region code, code prefix or name"),
               year: str | None = Query(None, description="year or range 2012-2016"),
               level: str | None = Query(None, description=LEVEL_HELP),
               limit: int = Query(20, ge=1, le=500),
               offset: int = Query(0, ge=0, le=MAX_SEARCH_OFFSET, description="hits to skip: the page after"),
               order: str = Query("newest", description="newest (newest year first, bm25 within a year) | "
                                                          "relevance (bm25 over all years; for a very common word, "
                                                          f"over its newest {RELEVANCE_CANDIDATES:,} matches)"),
               format: str = format_query()):
    level, order = one_of("level", level, LEVELS), one_of("order", order, list(ORDERS)) or ORDERS[0]
    hits = tables.search_table(corpus_of(request), q, region, year, level, limit, offset, order)
    if format == "csv":
        return table_answer(hits, format, "search", q)
    return {"query": q, "order": order, "offset": offset, "hits": records(hits)}


@api.get("/search/counts", summary="How many sentences match, in all, by year and by region")
def api_search_counts(request: Request, q: str = Query(..., description="as for /api/search"),
                      region: str | None = None, year: str | None = None,
                      level: str | None = Query(None, description=LEVEL_HELP)):
    counts = corpus_of(request).search_counts(q, region=blank(region), year=blank(year),
                                              level=one_of("level", level, LEVELS))
    return {"query": q, "total": counts["total"], "capped": counts["capped"],
            "by_year": [{"year": y, "sentences": n} for y, n in counts["by_year"]],
            "by_region": [{"region_code": code, "region_name": name, "level": lv, "sentences": n}
                          for code, name, lv, n in counts["by_region"]]}


@api.get("/panel", summary="Region x year values of one indicator")
def api_panel(request: Request, indicator: str | None = None,
              measure: str | None = Query(None, description=" | ".join(MEASURES)),
              status: str | None = Query(None, description="actual | target"),
              region: list[str] = Query(default=[], description="region code, prefix or name; repeat for several"),
              year: str | None = Query(None, description="a year or a range 2012-2016 (a span of years within it)"),
              level: list[str] = Query(default=[], description=f"{LEVEL_HELP}; repeat for several"),
              format: str = format_query()):
    measure, status = one_of("measure", measure, MEASURES), one_of("status", status, STATUSES)
    regions = [r for r in (blank(r) for r in region) if r]
    table = tables.panel_table(corpus_of(request), indicator, measure, status, regions, year, levels_of(level))
    return table_answer(table, format, "panel", blank(indicator), measure, status, blank(year))


@api.get("/targets", summary="Each year's target against the result reported the year after")
def api_targets(request: Request, indicator: str | None = None, measure: str | None = None,
                region: str | None = None, level: list[str] = Query(default=[], description=LEVEL_HELP),
                year: str | None = Query(None, description="a year or a range 2012-2016"),
                outcome: str | None = Query(None, description=" | ".join(OUTCOMES)),
                complete: bool = Query(False, description="only targets with a result"),
                format: str = format_query()):
    measure, outcome = one_of("measure", measure, MEASURES), one_of("outcome", outcome, OUTCOMES)
    table = tables.targets_table(corpus_of(request), indicator, measure, region, levels_of(level), year, outcome)
    if complete:
        table = table[table["actual"].notna()]
    return table_answer(table, format, "targets", blank(indicator), measure, blank(year))


@api.get("/attention", summary="A dictionary's matches per 10,000 characters: per report, per year, or per match")
def api_attention(request: Request,
                  dictionary: str | None = Query(None, description="a shipped dictionary's name"),
                  terms: str | None = Query(None, description=f"or terms of your own (at most {MAX_TERMS}), "
                                                              f"separated by spaces or commas"),
                  by: str = Query("report", pattern="^(report|year)$",
                                  description="report, or year: the mean per level and year (levels apart)"),
                  kwic: bool = Query(False, description=f"one row per match, the first {KWIC_MAX_ROWS} at most "
                                                        f"(header X-Truncated: true when there were more)"),
                  report: int | None = Query(None, ge=1, le=MAX_ID),
                  region: str | None = None, year: str | None = None, level: str | None = None,
                  format: str = format_query()):
    if not blank(dictionary) and not blank(terms):
        raise BadRequest(f"give dictionary (one of {', '.join(shipped_dictionaries()) or 'none shipped'}) or terms")
    level = one_of("level", level, LEVELS)
    with dictionary_spec(dictionary, terms, shipped_dictionaries()) as spec:
        table = attention(corpus_of(request).conn, spec, kwic=kwic, report_id=report, region=blank(region),
                          year=blank(year), level=level, max_rows=KWIC_MAX_ROWS if kwic else None)
    truncated = table.attrs["truncated"]
    if by == "year" and not kwic:
        table = tables.attention_years(table)
    answer = table_answer(table, format, "attention", blank(dictionary) or "terms", "matches" if kwic else by)
    if truncated:
        answer.headers["X-Truncated"] = "true"
        answer.headers["X-Row-Limit"] = str(KWIC_MAX_ROWS)
    return answer

