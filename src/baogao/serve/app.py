"""The web app: server-rendered pages over a read-only corpus, and the same answers as JSON.

    create_app("baogao.db")  ->  a FastAPI app (run it with uvicorn, or `baogao serve`)

Pages:  /  /reports/{id}  /search  /compare  /year  /targets  /attention  /docs  (this module)
API:    /api/reports  /api/reports/{id}  /api/search  /api/search/counts  /api/panel  /api/targets
        /api/attention  (api.py; ?format=csv on every table)
Errors are one-line messages (an HTML page, or {"detail": ...} under /api), never a traceback.
Every response carries SECURITY_HEADERS; HEAD is answered for every GET route; requests are
bounded (common.py: MAX_TERMS, KWIC_MAX_ROWS, MAX_PANEL_REGIONS, MAX_SEARCH_OFFSET; DRILL_ROWS
here; the query limits in store/search.py).
"""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException

from .. import __version__
from ..extract.vocabulary import UnknownName, indicator_id
from ..store import Corpus, QueryError, StoreError
from ..store.analysis import AnalysisError, attention, convert, shipped_dictionaries
from ..store.search import COUNT_LIMIT, ORDERS
from . import chart, labels, tables
from .api import api
from .common import (LEVELS, MAX_ID, MAX_SEARCH_OFFSET, MEASURES, OUTCOMES, STATUSES, BadRequest, blank,
                     corpus_of, dictionary_spec, download_links, filter_reports, is_number, load_report, one_of,
                     records, region_id, report_url)
from .text import json_script, render_text

HERE = Path(__file__).parent
DRILL_ROWS = 500            # the attention page's drill-down: matches listed
SEARCH_PAGE = 50            # hits on a page of search results, unless limit= says otherwise
REGION_CHIPS = 30           # regions the search page counts by name (the rest: /api/search/counts)
GRID_REGIONS = 60           # the targets page's grid of regions by years, at most (the table lists them all)
# The pages load their own CSS and JS from /static and draw charts as inline SVG (presentation
# attributes, no style= or <style>), so nothing inline is allowed; <script type="application/json">
# holds data, which CSP does not block.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                    "Referrer-Policy": "same-origin", "Content-Security-Policy": CONTENT_SECURITY_POLICY}
log = logging.getLogger("baogao.serve")

templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["num"] = chart.fmt
templates.env.globals["version"] = __version__

pages = APIRouter(include_in_schema=False)


def create_app(db: str | Path) -> FastAPI:
    """The app over the corpus at `db`, opened read-only (StoreError if it cannot be opened)."""
    corpus = Corpus(db, readonly=True)
    app = FastAPI(title="baogao", version=__version__, docs_url=None, redoc_url=None,
                  description="Chinese government work reports as grounded data: every figure "
                              "carries character offsets into its report's text. Read-only.")
    app.state.corpus = corpus
    app.state.indicator_names = labels.indicator_names()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages)
    app.include_router(api)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    for error in (QueryError, AnalysisError, StoreError):
        app.add_exception_handler(error, bad_request)
    app.add_exception_handler(Exception, server_error)
    return app


# -- middleware ------------------------------------------------------------------------------------
class SecurityHeaders:
    """ASGI middleware: SECURITY_HEADERS on every response (server_error adds them to a 500,
    which Starlette sends from outside every middleware)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_secured(message):
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(SECURITY_HEADERS)
            await send(message)
        await self.app(scope, receive, send_secured)


class HeadAsGet:
    """ASGI middleware: a HEAD request is answered as its GET, headers only (FastAPI's routes
    answer GET alone, so HEAD was a 405). The server's own scope still says HEAD."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_headers_only(message):
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)
        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


# -- helpers ---------------------------------------------------------------------------------------
def page(request: Request, name: str, http_status: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=http_status)


def counts(frame: pd.DataFrame, column: str, order: list | None = None) -> list[tuple[str, int]]:
    tally = frame[column].dropna().value_counts()
    keys = [k for k in order if k in tally] if order else sorted(tally.index)
    return [(str(int(k)) if isinstance(k, float) else str(k), int(tally[k])) for k in keys]


def parse_count(name: str, value: str | None, default: int, low: int, high: int) -> int:
    """A whole number typed in a page's form (limit=, page=), or a 400 naming its bounds."""
    if not blank(value):
        return default
    if not is_number(value.strip()) or not low <= int(value) <= high:
        raise BadRequest(f"{name} must be a number from {low} to {high:,}, not {value[:40]!r}")
    return int(value)


def observed_choice(observed: pd.DataFrame, indicator: str | None, measure: str | None):
    """(indicator, measure, the indicator's measures with counts) among what the corpus observed:
    the one asked for (400 if it has no observations), else gdp, else the most observed."""
    indicators = observed["indicator"].value_counts()
    indicator = blank(indicator) or ("gdp" if "gdp" in indicators else next(iter(indicators.index), None))
    if indicator is None:
        return None, None, pd.Series(dtype=int)
    if indicator not in indicators:
        raise BadRequest(f"no observations of indicator {indicator!r} in this corpus")
    measures = observed[observed["indicator"] == indicator]["measure"].value_counts()
    measure = one_of("measure", measure, MEASURES) or measures.index[0]
    return indicator, measure, measures


def indicator_menu(observed: pd.DataFrame, names: dict[str, str]) -> list[tuple[str, str, int]]:
    return [(k, names.get(k, k), int(n)) for k, n in observed["indicator"].value_counts().items()]


def measure_menu(measures: pd.Series) -> list[tuple[str, str, int]]:
    return [(k, labels.measure_choice(k), int(n)) for k, n in measures.items()]


# -- errors ----------------------------------------------------------------------------------------
def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return page(request, "error.html", http_status=status, status_code=status, message=message)


async def http_error(request: Request, exc: HTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else "not found"
    return error_response(request, exc.status_code, message)


async def bad_request(request: Request, exc: Exception) -> Response:
    return error_response(request, 400, str(exc))


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    message = "bad parameter: " + "; ".join(problems)
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=422)
    return error_response(request, 400, message)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("error serving %s", request.url.path)
    response = error_response(request, 500, f"internal error ({type(exc).__name__}); the server log has details")
    response.headers.update(SECURITY_HEADERS)       # sent from outside the SecurityHeaders middleware
    return response


# -- pages: overview and report --------------------------------------------------------------------
@pages.get("/", response_class=HTMLResponse)
def overview(request: Request, level: str | None = None, province: str | None = None, year: str | None = None,
             alternates: bool = False):
    corpus = corpus_of(request)
    everything = corpus.reports(alternates=alternates)
    shown = filter_reports(everything, level, province, year)
    shown = shown.assign(level_order=shown["region_level"].map({k: i for i, k in enumerate(LEVELS)}))
    shown = shown.sort_values(["level_order", "region_province", "region_name", "year"], na_position="last")
    links = download_links("/api/reports", [("level", level), ("province", province), ("year", year),
                                            ("alternates", "true" if alternates else None)])
    return page(request, "overview.html", reports=records(shown), total=len(everything),
                levels=LEVELS, provinces=sorted(everything["region_province"].dropna().unique()),
                years=sorted(everything["year"].dropna().astype(int).unique(), reverse=True),
                by_level=counts(shown, "region_level", LEVELS), by_province=counts(shown, "region_province"),
                by_year=counts(shown, "year"), n_alternates=corpus.counts()["alternates"], alternates=alternates,
                chosen={"level": blank(level), "province": blank(province), "year": blank(year)}, downloads=links)


@pages.get("/reports/{report_id}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str):
    record = load_report(corpus_of(request), report_id)
    names = request.app.state.indicator_names
    data = {"quantities": record["quantities"], "observations": record["observations"],
            "audit": record["audit"], "names": {k: names[k] for k in {o["indicator"] for o in record["observations"]}
                                                 if k in names},
            "sentences": [[s["start"], s["end"]] for s in record["sentences"]]}
    copies = records(corpus_of(request).alternates_of(record["id"]))
    return page(request, "report.html", record=record, meta=record["meta"], corpus_info=record.get("corpus") or {},
                copies=copies, text_html=render_text(record["text"], record), data_json=json_script(data))


# -- pages: search ---------------------------------------------------------------------------------
# Unicode noncharacters as hit markers: not found in reports; were one there, it could only add a stray <mark>.
SEARCH_MARK = ("\ufdd0", "\ufdd1")


@pages.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str | None = None, region: str | None = None, year: str | None = None,
                level: str | None = None, limit: str | None = None, order: str | None = None,
                page_number: str | None = Query(None, alias="page")):
    form = {"q": q or "", "region": region or "", "year": year or "", "level": level or "", "limit": limit or "",
            "order": order or ORDERS[0]}
    choices = {"levels": LEVELS, "orders": ORDERS}
    if not blank(q):
        return page(request, "search.html", form=form, hits=None, **choices)
    try:
        size = parse_count("limit", limit, SEARCH_PAGE, 1, 500)
        offset = (parse_count("page", page_number, 1, 1, MAX_SEARCH_OFFSET) - 1) * size
        if offset > MAX_SEARCH_OFFSET:
            raise BadRequest(f"page: search pages go {MAX_SEARCH_OFFSET:,} hits deep; narrow the search "
                             f"(a year, a region) to see further")
        level, order = one_of("level", level, LEVELS), one_of("order", order, list(ORDERS)) or ORDERS[0]
        corpus = corpus_of(request)
        hits = records(tables.search_table(corpus, q, region, year, level, size, offset, order, SEARCH_MARK))
        found = corpus.search_counts(q, region=blank(region), year=blank(year), level=level)
    except (QueryError, BadRequest) as e:
        message = e.detail if isinstance(e, HTTPException) else str(e)
        return page(request, "search.html", http_status=400, form=form, hits=None, error=message, **choices)
    for hit in hits:
        hit["snippet_html"] = marked_snippet(hit["snippet"])
    params = [("q", q), ("region", region), ("year", year), ("level", level), ("order", order)]
    return page(request, "search.html", form=form, hits=hits, found=found, first=offset + 1,
                pages=search_pages(request, offset, size, found), **search_counts(request, found),
                downloads=download_links("/api/search", params + [("limit", size), ("offset", offset)]),
                counts_url=local(request.url.replace(path="/api/search/counts").remove_query_params(
                    ["page", "limit", "order"])), **choices)


def search_counts(request: Request, found: dict) -> dict:
    """The counts by year and by region, each a link to the search narrowed to it."""
    years = [(str(y), str(y), n) for y, n in found["by_year"] if y]
    regions = [(code or name, name, n) for code, name, _, n in found["by_region"] if code or name]
    return {"by_year": facet_links(request, "year", years), "by_region": facet_links(request, "region", regions),
            "count_limit": COUNT_LIMIT, "region_chips": REGION_CHIPS}


def search_pages(request: Request, offset: int, size: int, found: dict) -> dict:
    """Links to the previous and next page of hits, and to a few pages around this one."""
    total = min(found["total"], MAX_SEARCH_OFFSET + size)
    last = max(1, -(-total // size))
    here = offset // size + 1

    def link(number: int) -> str:
        return local(request.url.include_query_params(page=number))

    around = [n for n in range(max(1, here - 3), min(last, here + 3) + 1)]
    return {"here": here, "last": last, "numbers": [(n, link(n)) for n in around],
            "previous": link(here - 1) if here > 1 else None, "next": link(here + 1) if here < last else None}


def facet_links(request: Request, name: str, items: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """(label, link to the search narrowed to it, count): a year or a region of the counts."""
    url = request.url.remove_query_params("page")
    return [(label, local(url.include_query_params(**{name: key})), n) for key, label, n in items]


def local(url) -> str:
    """A URL of this app as a link on its pages: path and query, no scheme or host."""
    return f"{url.path}?{url.query}" if url.query else url.path


def marked_snippet(snippet: str) -> Markup:
    """The snippet escaped, with the store's hit markers turned into <mark>."""
    html = str(escape(snippet))
    return Markup(html.replace(SEARCH_MARK[0], "<mark>").replace(SEARCH_MARK[1], "</mark>"))


# -- pages: compare --------------------------------------------------------------------------------
@pages.get("/compare", response_class=HTMLResponse)
def compare_page(request: Request, indicator: str | None = None, measure: str | None = None,
                 region: list[str] = Query(default=[])):
    corpus, names = corpus_of(request), request.app.state.indicator_names
    observed = corpus.observations()[["indicator", "measure"]]
    indicator, measure, measures = observed_choice(observed, indicator, measure)
    if indicator is None:
        return page(request, "compare.html", indicator=None, indicators=[], measures=[], regions=[], chosen=[])
    rows = tables.panel_rows(corpus.panel(indicator, measure))
    regions = region_choices(rows)
    chosen = [r for r in region if r in {key for key, _, _ in regions}] or [key for key, _, _ in regions[:5]]
    rows = [row for row in rows if row["key"] in chosen]
    unit, series, notes = compare_series(rows, chosen)
    links = download_links("/api/panel", [("indicator", indicator), ("measure", measure)]
                           + [("region", r) for r in chosen])
    label = labels.series_label(names, indicator, measure, unit)
    return page(request, "compare.html", indicator=indicator, measure=measure, chosen=chosen, rows=rows,
                indicators=indicator_menu(observed, names), measures=measure_menu(measures), regions=regions,
                svg=chart.line_chart(series, y_label=label), series=series, notes=notes, downloads=links)


def region_choices(rows: list[dict]) -> list[tuple[str, str, int]]:
    """(id, name, number of values) of every region in a panel, most values first."""
    tally: dict[str, list] = {}
    for row in rows:
        key = region_id(row)
        tally.setdefault(key, [row.get("region_name") or f"? ({row.get('doc')})", 0])[1] += 1
    return sorted(((k, name, n) for k, (name, n) in tally.items()), key=lambda t: (-t[2], t[1]))


def compare_series(panel_rows: list[dict], chosen: list[str]) -> tuple[str, list[chart.Series], list[str]]:
    """Chart series (region x status) in the most common unit; notes on what could not be drawn.
    At most one region per colour of the palette: beyond that a legend repeats its colours."""
    rows = [r for r in panel_rows if str(r["year"]).isdigit()]
    notes = [span_note(panel_rows)] if len(rows) < len(panel_rows) else []
    drawn = chosen[:len(chart.PALETTE)]
    if len(chosen) > len(drawn):
        notes.append(f"{len(chosen) - len(drawn)} more regions are in the table, not the chart: it draws "
                     f"{len(drawn)} (one colour each); the one-year view ranks every region")
    units = pd.Series([r["unit"] for r in rows], dtype="object").value_counts()
    unit = units.index[0] if len(units) else ""
    series = []
    for color, key in zip(chart.PALETTE, drawn):
        for status in STATUSES:
            mine = [r for r in rows if region_id(r) == key and r["status"] == status]
            points = region_points(mine, unit, notes)
            if points:
                series.append(chart.Series(f"{mine[0]['region_name'] or key} · {status}", color,
                                           dashed=status == "target", points=points))
    return unit, series, notes


def span_note(panel_rows: list[dict]) -> str:
    """Which values the chart of years leaves out: those for spans of years (2021-2025)."""
    spans = [r["period"] for r in panel_rows if not str(r["year"]).isdigit()]
    which = ", ".join(sorted(set(map(str, spans))))
    return (f"{len(spans)} value{'s' if len(spans) > 1 else ''} for spans of years ({which}) "
            f"{'are' if len(spans) > 1 else 'is'} in the table, not the chart")


def region_points(rows: list[dict], unit: str, notes: list[str]) -> list[chart.Point]:
    """One region's values as chart points in `unit`; a value in another kind of unit is a note."""
    points = []
    for r in rows:
        value = convert(r["value"], r["unit"], unit)
        where = f"{r['region_name'] or region_id(r)} {r['year']}"
        if value is None:
            notes.append(f"{where}: {chart.fmt(r['value'])} {r['unit']} cannot be shown in {unit}")
            continue
        tip = f"{where} {r['status']}: {labels.value_wording(r)}"
        points.append(chart.Point(int(r["year"]), value, tip, report_url(r["report_id"], r["start"], r["end"])))
    return points


# -- pages: one year across regions ---------------------------------------------------------------
@pages.get("/year", response_class=HTMLResponse)
def year_page(request: Request, indicator: str | None = None, measure: str | None = None,
              status: str | None = None, year: str | None = None, level: str | None = None):
    corpus, names = corpus_of(request), request.app.state.indicator_names
    observed = corpus.observations()[["indicator", "measure", "status"]]
    indicator, measure, measures = observed_choice(observed, indicator, measure)
    if indicator is None:
        return page(request, "year.html", indicator=None)
    statuses = observed[(observed["indicator"] == indicator) & (observed["measure"] == measure)]["status"]
    status = one_of("status", status, STATUSES) or ("target" if "target" in set(statuses) else "actual")
    table = tables.panel_table(corpus, indicator, measure, status)
    level, year = chosen_level_and_year(table, level, year)
    shown = tables.ranked(table[(table["year"] == year) & table["region_level"].isin([level, "national"])])
    rows = tables.panel_rows(shown)
    nation = next((r for r in rows if r["region_level"] == "national"), None)
    chart_rows = tables.range_rows(rows)
    reference = next((r for r in chart_rows if r.highlight), None) if level != "national" else None
    unit = labels.plain_unit(rows[0]["unit"]) if rows else ""
    label = labels.series_label(names, indicator, measure, unit)
    links = download_links("/api/panel", [("indicator", indicator), ("measure", measure), ("status", status),
                                          ("year", year), ("level", level), ("level", "national")])
    return page(request, "year.html", indicator=indicator, measure=measure, status=status, year=year, level=level,
                rows=rows, nation=nation, label=label, svg=chart.range_chart(chart_rows, label, reference),
                indicators=indicator_menu(observed, names), measures=measure_menu(measures), statuses=STATUSES,
                levels=level_menu(table), years=year_menu(table, level), downloads=links)


def chosen_level_and_year(table: pd.DataFrame, level: str | None, year: str | None) -> tuple[str | None, int | None]:
    """The level and year asked for, else where the values are most (tables.default_level_and_year)."""
    level = one_of("level", level, LEVELS)
    if blank(year) and not is_number(year.strip()):
        raise BadRequest(f"year must be one year, e.g. 2026, not {year[:40]!r}")
    default_level, default_year = tables.default_level_and_year(
        table[table["region_level"] == level] if level else table, int(year) if blank(year) else None)
    return level or default_level, default_year


def level_menu(table: pd.DataFrame) -> list[tuple[str, int]]:
    """Levels with the number of their regions that have a value in some year."""
    regions = table.dropna(subset=["year"]).groupby("region_level")["region_code"].nunique()
    return [(level, int(regions[level])) for level in LEVELS if level in regions]


def year_menu(table: pd.DataFrame, level: str | None) -> list[tuple[int, int]]:
    """Years with the number of regions of the level that have a value in them, newest first."""
    mine = table[(table["region_level"] == level)].dropna(subset=["year"])
    tally = mine.groupby("year")["region_code"].nunique()
    return [(int(y), int(tally[y])) for y in sorted(tally.index, reverse=True)]


# -- pages: targets --------------------------------------------------------------------------------
@pages.get("/targets", response_class=HTMLResponse)
def targets_page(request: Request, indicator: str | None = None, measure: str | None = None,
                 region: str | None = None, level: str | None = None, year: str | None = None,
                 outcome: str | None = None):
    corpus, names = corpus_of(request), request.app.state.indicator_names
    outcome, level = one_of("outcome", outcome, OUTCOMES), one_of("level", level, LEVELS)
    every = corpus.targets()
    indicator = known_indicator(indicator) or ("gdp" if "gdp" in set(every["indicator"])
                                               else next(iter(every["indicator"].value_counts().index), None))
    measures = every[every["indicator"] == indicator]["measure"].value_counts()
    # one measure unless "all" is asked for: the grid of regions by years shows one measure
    measure = None if blank(measure) == "all" else one_of("measure", measure, MEASURES) or next(iter(measures.index), None)
    table = tables.targets_table(corpus, indicator, measure, region, [level] if level else [], year, outcome) \
        if indicator else every
    form = {"indicator": indicator or "", "measure": measure or "all", "region": region or "", "level": level or "",
            "year": year or "", "outcome": outcome or ""}
    rows = tables.target_rows(table, names)
    return page(request, "targets.html", form=form, rows=rows, outcomes=tables.outcome_counts(table),
                grid=tables.target_grid(rows, GRID_REGIONS) if measure else None, grid_regions=GRID_REGIONS,
                indicators=indicator_menu(every, names), measures=measure_menu(measures), levels=LEVELS,
                outcome_names=OUTCOMES, downloads=download_links("/api/targets", [
                    (k, None if (k, v) == ("measure", "all") else v) for k, v in form.items()]))


def known_indicator(indicator: str | None) -> str | None:
    """An indicator's id from its id, Chinese name or alias (400 naming the closest if unknown)."""
    try:
        return indicator_id(blank(indicator)) if blank(indicator) else None
    except UnknownName as e:
        raise BadRequest(str(e)) from None


# -- pages: attention ------------------------------------------------------------------------------
@pages.get("/attention", response_class=HTMLResponse)
def attention_page(request: Request, dictionary: str | None = None, terms: str | None = None,
                   by: str | None = None, level: str | None = None, region: str | None = None,
                   year: str | None = None, report: str | None = None, drill_year: str | None = None):
    dictionaries = shipped_dictionaries()
    by = one_of("by", by, ["report", "year"]) or "year"      # over years by default: the index researchers chart
    form = {"dictionary": blank(dictionary) or "", "terms": terms or "", "by": by, "level": level or "",
            "region": region or "", "year": year or ""}
    if not blank(terms) and not blank(dictionary):
        if not dictionaries:
            return page(request, "attention.html", form=form, dictionaries=dictionaries, levels=LEVELS, table=None)
        form["dictionary"] = dictionary = dictionaries[0]
    corpus, level = corpus_of(request), one_of("level", level, LEVELS)
    filters = {"region": blank(region), "year": blank(year), "level": level}
    with dictionary_spec(dictionary, terms, dictionaries) as spec:
        table = corpus.attention(spec, **filters)
        if by == "year" and not level:          # one level over years, never a mean over a mix of levels
            filters["level"] = form["level"] = level = tables.busiest_level(table)
            table = table[table["level"] == level]
        drill, drill_title = attention_drill(corpus, spec, filters, report, drill_year)
    chosen = [("dictionary", form["dictionary"]), ("terms", terms), ("region", region), ("year", year),
              ("level", level)]
    view = attention_by_year(request, table, level) if by == "year" else attention_by_report(request, table)
    drill_links = download_links("/api/attention", chosen + [("kwic", "true"), ("report", report),
                                                             ("year", drill_year)]) if drill is not None else None
    return page(request, "attention.html", form=form, dictionaries=dictionaries, levels=LEVELS,
                drill=drill, drill_title=drill_title, drill_downloads=drill_links,
                downloads=download_links("/api/attention", chosen + [("by", by)]), **view)


def attention_by_report(request: Request, table: pd.DataFrame) -> dict:
    """The bars of each report's attention, and its table."""
    rows = records(table.sort_values(["region_name", "year"], na_position="last"))
    bars = [chart.Bar(f"{r['region_name'] or r['doc']} {r['year'] or ''}", r["per_10k"] or 0,
                      f"{r['doc']}: {r['matches']} matches; {r['terms']}",
                      drill_href(request.url.include_query_params(report=r["report_id"]), "report"))
            for r in rows]
    return {"table": records(table), "years": None, "svg": chart.bar_chart(bars, "matches per 10,000 characters")}


def attention_by_year(request: Request, table: pd.DataFrame, level: str | None) -> dict:
    """The line of one level's mean attention over years (a gap where no report of that level has
    the year), and its table: one row per year."""
    years = tables.attention_years(table)

    def href(year: int) -> str:
        return drill_href(request.url.include_query_params(drill_year=year, level=level or ""), "drill_year")
    series = tables.attention_series(years, level, href) if level else []
    y_label = f"matches per 10,000 characters · mean of {level or 'the'} reports"
    return {"table": records(table), "years": records(years),
            "svg": chart.line_chart(series, y_label=y_label, x_label="year")}


def attention_drill(corpus: Corpus, spec: str, filters: dict, report: str | None, drill_year: str | None):
    """The matches (keyword in context) behind one bar: a report's, or a year's."""
    if blank(report):
        if not is_number(report.strip()) or int(report) > MAX_ID:
            raise BadRequest(f"report must be a report id, not {report!r}")
        rows = attention(corpus.conn, spec, kwic=True, report_id=int(report), max_rows=DRILL_ROWS, **filters)
        title = f"report {int(report)}"
    elif blank(drill_year):
        if not is_number(drill_year.strip()):
            raise BadRequest(f"drill_year must be a year, not {drill_year!r}")
        rows = attention(corpus.conn, spec, kwic=True, max_rows=DRILL_ROWS, **{**filters, "year": drill_year.strip()})
        title = f"year {drill_year.strip()}"
    else:
        return None, None
    drill = records(rows)
    for row in drill:
        row["url"] = report_url(row["report_id"], row["start"], row["end"])
    if rows.attrs["truncated"]:
        return drill, f"{title}: more than {DRILL_ROWS} matches (the first {DRILL_ROWS} shown)"
    return drill, f"{title}: {len(rows)} matches"


def drill_href(url, keep: str) -> str:
    """The page's own URL with one drill-down parameter (the other removed), anchored at the list."""
    other = "report" if keep == "drill_year" else "drill_year"
    return local(url.remove_query_params(other)) + "#drill"


# -- docs ------------------------------------------------------------------------------------------
@pages.get("/docs", response_class=HTMLResponse)
def docs_page(request: Request):
    """The OpenAPI description as a page (Swagger UI would need a CDN)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": schema_type(p.get("schema", {})), "description": p.get("description", "")}
                      for p in op.get("parameters", [])]
            endpoints.append({"method": method.upper(), "path": path, "summary": op.get("summary", ""),
                              "params": params})
    return page(request, "docs.html", spec=spec, endpoints=endpoints)


def schema_type(schema: dict) -> str:
    if "anyOf" in schema:
        return " | ".join(schema_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {schema_type(schema.get('items', {}))}"
    return schema.get("type", "")
