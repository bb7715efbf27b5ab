"""The web app: server-rendered pages over a read-only corpus, and the same answers as JSON.

    create_app("baogao.db")  ->  a FastAPI app (run it with uvicorn, or `baogao serve`)

Pages:  /  /reports/{id}  /search  /compare  /attention  /docs
API:    /api/reports  /api/reports/{id}  /api/search  /api/panel  /api/targets  /api/attention
Errors are one-line messages (an HTML page, or {"detail": ...} under /api), never a traceback.
Every response carries SECURITY_HEADERS; HEAD is answered for every GET route; requests are
bounded (MAX_TERMS, KWIC_MAX_ROWS, MAX_PANEL_REGIONS here, the query limits in store/search.py).
"""
from __future__ import annotations

import json
import logging
import difflib
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

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
from ..store import Corpus, QueryError, StoreError
from ..store.analysis import AnalysisError, attention, convert, shipped_dictionaries
from ..store.export import write_csv
from ..store.search import ORDERS, RELEVANCE_CANDIDATES, parse_years
from . import chart, labels
from .text import json_script, render_text

HERE = Path(__file__).parent
LEVELS = ["national", "province", "city", "county"]
MEASURES = ["level", "growth_pct", "change", "pp_change", "share_pct", "avg_growth_pct", "rank"]
STATUSES = ["actual", "target"]
MAX_ID = 2 ** 63 - 1
# Request limits: each bounds the work one request can ask for.
MAX_TERMS, MAX_TERM_CHARS = 50, 40      # attention: terms typed in one request, characters a term
KWIC_MAX_ROWS = 1000        # /api/attention?kwic=true: matches listed (的 has tens of thousands)
DRILL_ROWS = 500            # the attention page's drill-down: matches listed
MAX_PANEL_REGIONS = 50      # /api/panel: region parameters (each is a panel query of its own)
MAX_FILENAME_CHARS = 100    # a download's name, before its extension
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
api = APIRouter(prefix="/api", tags=["api"])


class BadRequest(HTTPException):
    def __init__(self, message: str):
        super().__init__(status_code=400, detail=message)


class NotFound(HTTPException):
    def __init__(self, message: str):
        super().__init__(status_code=404, detail=message)


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
def corpus_of(request: Request) -> Corpus:
    return request.app.state.corpus


def records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as JSON-ready dicts (NaN and NA become None)."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes ² and ١٢, which int() refuses or reads otherwise."""
    return text.isascii() and text.isdigit()


def blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def one_of(name: str, value: str | None, allowed: list[str]) -> str | None:
    value = blank(value)
    if value is not None and value not in allowed:
        close = difflib.get_close_matches(value.lower(), allowed, n=3, cutoff=0.3) + \
            [a for a in allowed if value.lower() in a and len(value) < len(a)]
        close = list(dict.fromkeys(close))[:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}, not {value[:80]!r}{hint}")
    return value


def load_report(corpus: Corpus, report_id: str) -> dict:
    """The stored record by id or doc name, or 404."""
    key = report_id.strip()
    if key.isdigit() and (not is_number(key) or int(key) > MAX_ID):
        raise NotFound(f"no report {report_id!r}")
    record = corpus.report(key) if key else None
    if record is None:
        raise NotFound(f"no report {report_id!r} in this corpus")
    return record


def report_url(report_id, start, end=None) -> str:
    """Link to a place in a report: #pos-START marks from there; #pos-START-END marks that span."""
    anchor = f"pos-{int(start)}" + (f"-{int(end)}" if end is not None and not pd.isna(end) else "")
    return f"/reports/{int(report_id)}#{anchor}"


def filter_reports(frame: pd.DataFrame, level=None, province=None, year=None) -> pd.DataFrame:
    level = one_of("level", level, LEVELS)
    if level:
        frame = frame[frame["region_level"] == level]
    if blank(province):
        frame = frame[frame["region_province"] == blank(province)]
    if blank(year):
        first, last = parse_years(year)
        frame = frame[frame["year"].between(first, last)]
    return frame


def region_id(row: dict) -> str:
    """How the compare page names a region: its code, else its printed name, else its report."""
    return str(row.get("region_code") or row.get("region_name") or f"report {row.get('report_id')}")


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)


def content_disposition(filename: str) -> str:
    """An attachment header for `filename` (RFC 6266): an ASCII-only fallback name ([A-Za-z0-9._-],
    anything else as _) and the real name percent-encoded as UTF-8. Never the raw value: a quote or
    CR/LF in it could end the header or add another filename=, a Chinese character made a 500."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='', errors='replace')}"


def csv_download(table: pd.DataFrame, *name_parts: str | None) -> Response:
    """`table` as a CSV file download (formulas defused, store/export.py), named by its parts,
    with a byte-order mark: Excel reads a CSV without one in the machine's legacy code page."""
    name = "_".join(part for part in name_parts if part)[:MAX_FILENAME_CHARS] + ".csv"
    return Response("\ufeff" + write_csv(table), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(name)})


# -- errors ----------------------------------------------------------------------------------------
def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or request.url.path == "/openapi.json"


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return page(request, "error.html", status=status, status_code=status, message=message)


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
    return page(request, "overview.html", reports=records(shown), total=len(everything),
                levels=LEVELS, provinces=sorted(everything["region_province"].dropna().unique()),
                years=sorted(everything["year"].dropna().astype(int).unique(), reverse=True),
                by_level=counts(shown, "region_level", LEVELS), by_province=counts(shown, "region_province"),
                by_year=counts(shown, "year"), n_alternates=corpus.counts()["alternates"], alternates=alternates,
                chosen={"level": blank(level), "province": blank(province), "year": blank(year)})


def counts(frame: pd.DataFrame, column: str, order: list | None = None) -> list[tuple[str, int]]:
    tally = frame[column].dropna().value_counts()
    keys = [k for k in order if k in tally] if order else sorted(tally.index)
    return [(str(int(k)) if isinstance(k, float) else str(k), int(tally[k])) for k in keys]


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
                level: str | None = None, limit: str | None = None, order: str | None = None):
    form = {"q": q or "", "region": region or "", "year": year or "", "level": level or "", "limit": limit or "",
            "order": order or ORDERS[0]}
    choices = {"levels": LEVELS, "orders": ORDERS}
    if not blank(q):
        return page(request, "search.html", form=form, hits=None, **choices)
    try:
        hits = run_search(corpus_of(request), q, region, year, level, parse_limit(limit, 50), SEARCH_MARK, order)
    except (QueryError, BadRequest) as e:
        message = e.detail if isinstance(e, HTTPException) else str(e)
        return page(request, "search.html", status=400, form=form, hits=None, error=message, **choices)
    for hit in hits:
        hit["snippet_html"] = marked_snippet(hit["snippet"])
    return page(request, "search.html", form=form, hits=hits, **choices)


def parse_limit(limit: str | None, default: int) -> int:
    if not blank(limit):
        return default
    if not is_number(limit.strip()) or not 1 <= int(limit) <= 500:
        raise BadRequest(f"limit must be a number from 1 to 500, not {limit!r}")
    return int(limit)


def run_search(corpus: Corpus, q, region, year, level, limit: int, mark=("[", "]"), order=None) -> list[dict]:
    level, order = one_of("level", level, LEVELS), one_of("order", order, list(ORDERS)) or ORDERS[0]
    hits = records(corpus.search(q, region=blank(region), year=blank(year), level=level, limit=limit, mark=mark,
                                 order=order))
    for hit in hits:
        hit["url"] = report_url(hit["report_id"], hit["offset"])
    return hits


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
    indicators = observed["indicator"].value_counts()
    indicator = blank(indicator) or ("gdp" if "gdp" in indicators else next(iter(indicators.index), None))
    if indicator is None:
        return page(request, "compare.html", indicator=None, indicators=[], measures=[], regions=[], chosen=[])
    if indicator not in indicators:
        raise BadRequest(f"no observations of indicator {indicator!r} in this corpus")
    measures = observed[observed["indicator"] == indicator]["measure"].value_counts()
    measure = blank(measure) or measures.index[0]
    one_of("measure", measure, MEASURES)
    rows = records(corpus.panel(indicator, measure))
    regions = region_choices(rows)
    chosen = [r for r in region if r in {key for key, _, _ in regions}] or [key for key, _, _ in regions[:5]]
    rows = [row for row in rows if region_id(row) in chosen]
    unit, series, notes = compare_series(rows, chosen)
    for row in rows:
        row["url"] = report_url(row["report_id"], row["start"], row["end"])
    csv_url = "/api/panel?" + urlencode([("indicator", indicator), ("measure", measure), ("format", "csv")]
                                        + [("region", r) for r in chosen])
    label = labels.series_label(names, indicator, measure, unit)
    return page(request, "compare.html", indicator=indicator, measure=measure, chosen=chosen, rows=rows,
                indicators=[(k, names.get(k, k), int(n)) for k, n in indicators.items()],
                measures=[(k, labels.measure_choice(k), int(n)) for k, n in measures.items()], regions=regions,
                svg=chart.line_chart(series, y_label=label), series=series, notes=notes, csv_url=csv_url)


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


# -- pages: attention ------------------------------------------------------------------------------
@pages.get("/attention", response_class=HTMLResponse)
def attention_page(request: Request, dictionary: str | None = None, terms: str | None = None,
                   by: str | None = None, level: str | None = None, region: str | None = None,
                   year: str | None = None, report: str | None = None, drill_year: str | None = None):
    dictionaries = shipped_dictionaries()
    by = one_of("by", by, ["report", "year"]) or "report"
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
        drill, drill_title = attention_drill(corpus, spec, filters, report, drill_year)
    bars = attention_bars(table, by, request.url.include_query_params)
    return page(request, "attention.html", form=form, dictionaries=dictionaries, levels=LEVELS,
                table=records(table), svg=chart.bar_chart(bars, "per 10,000 characters"),
                drill=drill, drill_title=drill_title)


@contextmanager
def dictionary_spec(dictionary: str | None, terms: str | None, dictionaries: list[str]):
    """What to give Corpus.attention: a shipped dictionary's name, or a temporary file of the terms typed.
    Never a path from the request: the web must not read files of its choosing."""
    if blank(terms):
        words = parse_terms(terms)
        with tempfile.TemporaryDirectory(prefix="baogao-terms-") as folder:
            path = Path(folder) / "terms.txt"
            path.write_text("\n".join(words) + "\n", encoding="utf-8")
            yield str(path)
        return
    if dictionary not in dictionaries:
        raise BadRequest(f"no dictionary {dictionary!r}: one of {', '.join(dictionaries) or '(none shipped)'}, "
                         f"or give terms")
    yield dictionary


def parse_terms(terms: str) -> list[str]:
    """The distinct terms typed, in order; 400 beyond MAX_TERMS or MAX_TERM_CHARS."""
    split = terms.replace("，", " ").replace(",", " ").replace("、", " ").replace("；", " ").split()
    words = list(dict.fromkeys(split))          # unique in linear time: the text may be long
    if len(words) > MAX_TERMS:
        raise BadRequest(f"terms: at most {MAX_TERMS} terms per request, not {len(words)}")
    longest = max(words, key=len, default="")
    if len(longest) > MAX_TERM_CHARS:
        raise BadRequest(f"terms: at most {MAX_TERM_CHARS} characters a term, not {len(longest)}")
    return words


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


def attention_bars(table: pd.DataFrame, by: str, with_params) -> list[chart.Bar]:
    if table.empty:
        return []
    if by == "year":
        years = table.dropna(subset=["year"]).groupby("year").agg(
            per_10k=("per_10k", "mean"), matches=("matches", "sum"), reports=("report_id", "count"))
        return [chart.Bar(str(int(y)), round(float(r.per_10k), 3),
                          f"{int(y)}: mean {r.per_10k:.2f} per 10k over {r.reports} reports, {r.matches} matches",
                          drill_href(with_params(drill_year=int(y)), "drill_year"))
                for y, r in years.iterrows()]
    rows = records(table.sort_values(["region_name", "year"], na_position="last"))
    return [chart.Bar(f"{r['region_name'] or r['doc']} {r['year'] or ''}", r["per_10k"] or 0,
                      f"{r['doc']}: {r['matches']} matches; {r['terms']}",
                      drill_href(with_params(report=r["report_id"]), "report"))
            for r in rows]


def drill_href(url, keep: str) -> str:
    """The page's own URL with one drill-down parameter (the other removed), anchored at the list."""
    other = "report" if keep == "drill_year" else "drill_year"
    url = url.remove_query_params(other)
    return f"{url.path}?{url.query}#drill"


# -- the JSON API ----------------------------------------------------------------------------------
@api.get("/reports", summary="Reports in the corpus (no text)")
def api_reports(request: Request, level: str | None = Query(None, description="national | province | city | county"),
                province: str | None = Query(None, description="province as printed, e.g. 山西省"),
                year: str | None = Query(None, description="year delivered, or a range 2012-2016"),
                alternates: bool = Query(False, description="also the other copies of a report (canonical_id set)")):
    frame = filter_reports(corpus_of(request).reports(alternates=alternates), level, province, year)
    return records(frame)


@api.get("/reports/{report_id}", summary="One report's record: text, meta, sections, figures, audit notes")
def api_report(request: Request, report_id: str):
    return load_report(corpus_of(request), report_id)


@api.get("/search", summary="Full-text search over sentences: newest year first, best match first within a year")
def api_search(request: Request, q: str = Query(..., description="terms (AND), \"phrases\", OR, NOT, ( )"),
               region: str | None = Query(None, description="region code, code prefix or name"),
               year: str | None = Query(None, description="year or range 2012-2016"),
               level: str | None = Query(None, description="national | province | city | county"),
               limit: int = Query(20, ge=1, le=500),
               order: str = Query("newest", description="newest (newest year first, bm25 within a year) | "
                                                          "relevance (bm25 over all years; for a very common word, "
                                                          f"over its newest {RELEVANCE_CANDIDATES:,} matches)")):
    return {"query": q, "order": order, "hits": run_search(corpus_of(request), q, region, year, level, limit,
                                                           order=order)}


@api.get("/panel", summary="Region x year values of one indicator (format=csv for a download)")
def api_panel(request: Request, indicator: str | None = None,
              measure: str | None = Query(None, description=" | ".join(MEASURES)),
              status: str | None = Query(None, description="actual | target"),
              region: list[str] = Query(default=[], description="region code, prefix or name; repeat for several"),
              format: str = Query("json", pattern="^(json|csv)$")):
    corpus = corpus_of(request)
    measure, status = one_of("measure", measure, MEASURES), one_of("status", status, STATUSES)
    if len(region) > MAX_PANEL_REGIONS:
        raise BadRequest(f"region: at most {MAX_PANEL_REGIONS} regions per request, not {len(region)}")
    regions = [r for r in (blank(r) for r in region) if r] or [None]
    frames = [corpus.panel(blank(indicator), measure, status, r) for r in regions]
    table = pd.concat(frames, ignore_index=True).drop_duplicates() if len(frames) > 1 else frames[0]
    if format == "csv":
        return csv_download(table, "panel", blank(indicator), measure, status)
    return records(table)


@api.get("/targets", summary="Each year's target against the result reported the year after")
def api_targets(request: Request, indicator: str | None = None, measure: str | None = None,
                region: str | None = None, complete: bool = Query(False, description="only targets with a result")):
    measure = one_of("measure", measure, MEASURES)
    return records(corpus_of(request).targets(blank(indicator), measure, blank(region), complete))


@api.get("/attention", summary="A dictionary's matches per 10,000 characters, per report (kwic: per match)")
def api_attention(request: Request, response: Response,
                  dictionary: str | None = Query(None, description="a shipped dictionary's name"),
                  terms: str | None = Query(None, description=f"or terms of your own (at most {MAX_TERMS}), "
                                                              f"separated by spaces or commas"),
                  kwic: bool = Query(False, description=f"one row per match, the first {KWIC_MAX_ROWS} at most "
                                                        f"(header X-Truncated: true when there were more)"),
                  report: int | None = Query(None, ge=1, le=MAX_ID),
                  region: str | None = None, year: str | None = None, level: str | None = None):
    if not blank(dictionary) and not blank(terms):
        raise BadRequest(f"give dictionary (one of {', '.join(shipped_dictionaries()) or 'none shipped'}) or terms")
    level = one_of("level", level, LEVELS)
    with dictionary_spec(dictionary, terms, shipped_dictionaries()) as spec:
        table = attention(corpus_of(request).conn, spec, kwic=kwic, report_id=report, region=blank(region),
                          year=blank(year), level=level, max_rows=KWIC_MAX_ROWS if kwic else None)
    if table.attrs["truncated"]:
        response.headers["X-Truncated"] = "true"
        response.headers["X-Row-Limit"] = str(KWIC_MAX_ROWS)
    return records(table)


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
