"""What the pages (app.py) and the JSON API (api.py) share: the request limits, parameter checks,
links into reports and into the API, and a table answered as JSON or as a CSV download."""
from __future__ import annotations

import difflib
import json
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import pandas as pd
from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from ..store import Corpus
from ..store.export import write_csv
from ..store.search import parse_years
from ..store.schema import REPORT_LEVELS, TARGET_OUTCOMES

LEVELS = REPORT_LEVELS
MEASURES = ["level", "growth_pct", "change", "pp_change", "share_pct", "avg_growth_pct", "rank"]
STATUSES = ["actual", "target"]
OUTCOMES = TARGET_OUTCOMES
FORMATS = ["json", "csv"]
MAX_ID = 2 ** 63 - 1
# Request limits: each bounds the work one request can ask for.
MAX_TERMS, MAX_TERM_CHARS = 50, 40      # attention: terms typed in one request, characters a term
KWIC_MAX_ROWS = 1000        # /api/attention?kwic=true: matches listed (的 has tens of thousands)
MAX_PANEL_REGIONS = 50      # /api/panel: region parameters (each is a panel query of its own)
MAX_FILENAME_CHARS = 100    # a download's name, before its extension
MAX_SEARCH_OFFSET = 10_000  # search pages go this deep; a narrower search (a year, a region) goes further


class BadRequest(HTTPException):
    def __init__(self, message: str):
        super().__init__(status_code=400, detail=message)


class NotFound(HTTPException):
    def __init__(self, message: str):
        super().__init__(status_code=404, detail=message)


def format_query():
    """The ?format= parameter of every API answer that is a table."""
    return Query("json", pattern="^(json|csv)$",
                 description="json, or csv: a download (UTF-8 with a byte-order mark, formula-like cells defused)")


# -- parameters ------------------------------------------------------------------------------------
def corpus_of(request: Request) -> Corpus:
    return request.app.state.corpus


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


def levels_of(values: list[str]) -> list[str]:
    """The levels named (each checked), without blanks or repeats."""
    return list(dict.fromkeys(level for level in (one_of("level", v, LEVELS) for v in values) if level))


def years_of(year: str | None) -> tuple[int, int] | None:
    """(first, last) of a year or a range 2012-2016, None when blank; a QueryError (400) otherwise."""
    return parse_years(year) if blank(year) else None


def load_report(corpus: Corpus, report_id: str) -> dict:
    """The stored record by id or doc name, or 404."""
    key = report_id.strip()
    if key.isdigit() and (not is_number(key) or int(key) > MAX_ID):
        raise NotFound(f"no report {report_id!r}")
    record = corpus.report(key) if key else None
    if record is None:
        raise NotFound(f"no report {report_id!r} in this corpus")
    return record


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
    """How the pages name a region: its code, else its printed name, else its report."""
    return str(row.get("region_code") or row.get("region_name") or f"report {row.get('report_id')}")


# -- links -----------------------------------------------------------------------------------------
def report_url(report_id, start, end=None) -> str:
    """Link to a place in a report: #pos-START marks from there; #pos-START-END marks that span."""
    anchor = f"pos-{int(start)}" + (f"-{int(end)}" if end is not None and not pd.isna(end) else "")
    return f"/reports/{int(report_id)}#{anchor}"


def download_links(path: str, params: list[tuple[str, object]]) -> dict[str, str]:
    """{"csv": url, "json": url}: the API answer behind a page's table or chart, blank values left out."""
    kept = [(k, v) for k, v in params if v is not None and str(v).strip() != ""]
    return {fmt: f"{path}?{urlencode(kept + [('format', fmt)])}" for fmt in FORMATS}


# -- answers ---------------------------------------------------------------------------------------
def records(frame: pd.DataFrame) -> list[dict]:
    """DataFrame rows as JSON-ready dicts (NaN and NA become None)."""
    return json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso"))


def table_answer(table: pd.DataFrame, format: str, *name_parts: str | None) -> Response:
    """The table as JSON (a list of rows), or as a CSV download named by its parts."""
    if format == "csv":
        return csv_download(table, *name_parts)
    return JSONResponse(records(table))


def content_disposition(filename: str) -> str:
    """An attachment header for `filename` (RFC 6266): an ASCII-only fallback name ([A-Za-z0-9._-],
    anything else as _) and the real name percent-encoded as UTF-8. Never the raw value: a quote or
    CR/LF in it could end the header or add another filename=, a Chinese character made a 500."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='', errors='replace')}"


def csv_download(table: pd.DataFrame, *name_parts: str | None) -> Response:
    """`table` as a CSV file download (formulas defused, store/export.py), named by its parts,
    with a byte-order mark: Excel reads a CSV without one in the machine's legacy code page."""
    name = "_".join(str(part) for part in name_parts if part)[:MAX_FILENAME_CHARS] + ".csv"
    return Response("\ufeff" + write_csv(table), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": content_disposition(name)})


# -- attention terms -------------------------------------------------------------------------------
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
