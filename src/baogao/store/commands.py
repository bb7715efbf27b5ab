"""The store's subcommands: ingest, search, panel, targets, attention, export.

Each is a thin layer over `Corpus`. Heavy imports (pandas) happen when a command runs, so
`baogao parse` does not pay for them. A request that cannot be answered (malformed query,
no such dictionary, no corpus) prints one line on stderr and exits 2.
"""
from __future__ import annotations

import json
import os
import sys
import unicodedata

from .schema import REPORT_LEVELS, TARGET_OUTCOMES
from .search import ORDERS

DEFAULT_DB = os.environ.get("BAOGAO_DB", "baogao.db")
OUTPUT_FORMATS = ("table", "csv", "json")
MAX_CELL = 60           # display columns of a table cell before it is cut (the last column is not cut)


def add_parser(sub) -> None:
    p = sub.add_parser("ingest", help="parse report files and folders into the corpus database",
                       description="Parse report files (.txt, .html/.htm, .docx, .pdf; folders recursively) "
                                   "into an SQLite corpus, in parallel. Files whose bytes are already stored "
                                   "are skipped, so a second run (or a run after an interruption) only does "
                                   "what is left. Ends with a summary: ingested, unchanged, failed (with "
                                   "reasons, also kept in the database's failures table), the reports that are "
                                   "another copy of a stored report (alternates: counted once, see --alternates "
                                   "elsewhere), and the corpus's counts. Exit 1 if any failed.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    _db(p)
    p.add_argument("--jobs", type=int, metavar="N", help="parser processes (default: one per core)")
    p.add_argument("--force", action="store_true", help="parse again files that are already stored")
    p.set_defaults(run=cmd_ingest)

    p = sub.add_parser("search", help="full-text search of the corpus's sentences",
                       description="Search sentences, with the hit marked [like this]: the newest year first, and "
                                   "within a year the best match first (bm25); --order relevance ranks "
                                   "by bm25 over the whole corpus (slower for common words in big corpora). "
                                   "Words of any length (河长, 保交楼); words separated by spaces must all "
                                   "occur; \"quoted phrases\"; AND, OR, NOT (as in 河长 NOT 湖长) and "
                                   "parentheses. Exit 1 when nothing is found, 2 for a malformed query.")
    p.add_argument("query", metavar="QUERY")
    _db(p)
    _filters(p)
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    p.add_argument("--order", choices=ORDERS, default="newest",
                   help="newest (default): newest year first, best match first within a year; "
                        "relevance: best match first over all years")
    _format(p)
    _alternates(p)
    p.set_defaults(run=cmd_search)

    p = sub.add_parser("panel", help="region x year table of one indicator",
                       description="One value per region, year (the observation's period) and status, "
                                   "with the report id and offsets it comes from.")
    p.add_argument("--indicator", help="indicator id, Chinese name or alias, e.g. gdp or 地区生产总值 "
                                       "(`baogao indicators` lists them); default all")
    p.add_argument("--measure", help="level, growth_pct, change, pp_change, share_pct, avg_growth_pct, rank "
                                     "(`baogao indicators` says what each is)")
    p.add_argument("--status", choices=("actual", "target"), help="default: both")
    p.add_argument("--wide", action="store_true", help="years as columns (values only, no provenance)")
    _db(p)
    p.add_argument("--region", help="region code (or its prefix) or name; 全国 for the national reports")
    _format(p)
    _alternates(p)
    p.set_defaults(run=cmd_panel)

    p = sub.add_parser("targets", help="each year's targets against the next report's results",
                       description="Year Y's target (report of Y) against Y's result (report of Y+1), with "
                                   "the gap (actual - target) and met/missed, judged by the target's own "
                                   "wording: 以内 is a ceiling (met if actual <= target), 以上 a floor "
                                   "(actual >= target), a range is met from its lower bound, 左右 is a band "
                                   "(±0.5 points for %, ±5% otherwise: met if actual >= target - width), a "
                                   "bare figure is met if actual >= target; for prices (cpi) and "
                                   "unemployment the target is an upper limit instead. The `rule` column "
                                   "says the test applied; `reason` why a target has no result (no report "
                                   "for the next year, or the next report does not state it).")
    p.add_argument("--indicator")
    p.add_argument("--measure")
    p.add_argument("--region", help="region code (or its prefix) or name; 全国 for the national reports")
    p.add_argument("--level", choices=REPORT_LEVELS,
                   help="only regions of this level (that of the report setting the target)")
    p.add_argument("--year", help="only targets for this year, or for periods inside a range: 2021-2025")
    p.add_argument("--outcome", choices=TARGET_OUTCOMES)
    p.add_argument("--complete", action="store_true", help="only targets whose result was found")
    _db(p)
    _format(p)
    _alternates(p)
    p.set_defaults(run=cmd_targets)

    p = sub.add_parser("attention", help="how often each report uses a dictionary's terms",
                       description="Matches of a dictionary's terms per 10,000 characters of report body "
                                   "(boilerplate excluded), per report; --kwic lists each match in context. "
                                   "A shipped dictionary by name (`baogao dictionaries` lists them with "
                                   "their terms) or a file, one term a line.")
    p.add_argument("--dict", required=True, dest="dictionary", metavar="NAME|FILE")
    p.add_argument("--kwic", action="store_true", help="one row per match: keyword in context")
    p.add_argument("--report", type=int, metavar="ID", help="only this report")
    p.add_argument("--by", choices=["report", "year"], default="report",
                   help="report (default): a row per report; year: a row per level and year, the mean per "
                        "10,000 characters of that level's reports (levels never mixed), with the lowest "
                        "and highest: the index over years")
    _filters(p)
    p.add_argument("--limit", type=int, metavar="N", help="at most N rows")
    _db(p)
    _format(p)
    _alternates(p)
    p.set_defaults(run=cmd_attention)

    p = sub.add_parser("dictionaries", help="list the attention dictionaries shipped, with their terms",
                       description="The dictionaries `attention --dict NAME` takes, each with its number of "
                                   "terms and the terms. Your own: a text file, one term a line (# comments), "
                                   "given as --dict FILE.")
    _format(p)
    p.set_defaults(run=cmd_dictionaries)

    p = sub.add_parser("export", help="write a corpus table to csv, parquet, dta (Stata) or jsonl",
                       description="Tables: reports, observations, quantities, sections, sentences, "
                                   "boilerplate, audit, failures, panel, targets, attention (needs --dict).")
    p.add_argument("table", metavar="TABLE")
    p.add_argument("--format", dest="fmt", required=True, choices=("csv", "parquet", "dta", "jsonl"))
    p.add_argument("--out", metavar="FILE", help="default: TABLE.EXT in the current folder")
    p.add_argument("--indicator", help="panel, observations: one indicator")
    p.add_argument("--measure", help="panel, observations: one measure")
    p.add_argument("--status", choices=("actual", "target"), help="panel, observations: one status")
    p.add_argument("--dict", dest="dictionary", metavar="NAME|FILE", help="attention: the dictionary")
    _db(p)
    _alternates(p)
    p.set_defaults(run=cmd_export)


def _alternates(p) -> None:
    p.add_argument("--alternates", action="store_true",
                   help="also count the other copies of a report (the same text from another source), "
                        "which are left out by default so that each report counts once")


def _db(p) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE",
                   help=f"corpus database (default {DEFAULT_DB}; env BAOGAO_DB)")


def _filters(p) -> None:
    p.add_argument("--region", help="region code (or its prefix, e.g. 15) or name (海拉尔区); 全国 for the national reports")
    p.add_argument("--year", help="report year, or a range: 2012-2016")
    p.add_argument("--level", choices=REPORT_LEVELS)


def _format(p) -> None:
    p.add_argument("--format", dest="fmt", choices=OUTPUT_FORMATS, default="table")


# -- commands ------------------------------------------------------------------------------------
def cmd_ingest(args) -> int:
    from . import Corpus
    with _guard(), Corpus(args.db) as corpus:
        result = corpus.ingest(args.paths, jobs=args.jobs, force=args.force, progress=None)
        print(result.summary(args.db))
        if result.interrupted:
            return 130
        return 1 if result.failed else 0
    return 2


def cmd_search(args) -> int:
    with _guard(), _open(args.db) as corpus:
        mark = ("\033[1;31m", "\033[0m") if args.fmt == "table" and sys.stdout.isatty() else ("[", "]")
        hits = corpus.search(args.query, region=args.region, year=args.year, level=args.level,
                             limit=args.limit, mark=mark, order=args.order, alternates=args.alternates)
        if hits.empty:
            print(f"no hits for {args.query!r}", file=sys.stderr)
            return 1
        emit(hits, args.fmt, ["region_name", "year", "report_id", "offset", "snippet"])
        return 0
    return 2


def cmd_panel(args) -> int:
    with _guard(), _open(args.db) as corpus:
        table = corpus.panel(args.indicator, args.measure, args.status, args.region, wide=args.wide,
                             alternates=args.alternates)
        columns = None if args.wide else ["region_code", "region_name", "indicator", "measure", "status",
                                          "period", "value", "high", "unit", "report_id", "start", "end"]
        emit(table, args.fmt, columns)
        return 0
    return 2


def cmd_targets(args) -> int:
    with _guard(), _open(args.db) as corpus:
        table = corpus.targets(args.indicator, args.measure, args.region, complete=args.complete,
                               alternates=args.alternates, level=args.level, year=args.year,
                               outcome=args.outcome)
        emit(table, args.fmt, ["region_code", "region_name", "indicator", "measure", "year", "target",
                               "target_kind", "actual", "unit", "gap", "outcome", "rule", "reason",
                               "target_report_id", "target_start", "actual_report_id", "actual_start"])
        return 0
    return 2


def cmd_dictionaries(args) -> int:
    from .analysis import load_dictionary, shipped_dictionaries
    rows = []
    for name in shipped_dictionaries():
        _, terms = load_dictionary(name)
        rows.append({"dictionary": name, "n_terms": len(terms), "terms": "、".join(terms)})
    if args.fmt == "table":
        for r in rows:
            print(f"{r['dictionary']:<22} {r['n_terms']:>4} terms: {r['terms'][:160]}{'…' if len(r['terms']) > 160 else ''}")
        return 0
    import pandas as pd
    emit(pd.DataFrame(rows), args.fmt)
    return 0


def cmd_attention(args) -> int:
    from .analysis import attention
    with _guard(), _open(args.db) as corpus:
        # --kwic --limit N stops matching after N rows instead of listing every match first.
        max_rows = args.limit if args.kwic and args.limit and args.limit > 0 else None
        table = attention(corpus.conn, args.dictionary, kwic=args.kwic, report_id=args.report, region=args.region,
                          year=args.year, level=args.level, alternates=args.alternates, max_rows=max_rows)
        if args.by == "year" and not args.kwic:
            from .analysis import attention_years
            table = attention_years(table)
        if args.limit:
            table = table.head(args.limit)
        columns = (["report_id", "region_name", "year", "start", "left", "keyword", "right"] if args.kwic else
                   list(table.columns) if args.by == "year" else
                   ["report_id", "region_code", "region_name", "year", "matches", "body_chars", "per_10k", "terms"])
        emit(table, args.fmt, columns)
        return 0
    return 2


def cmd_export(args) -> int:
    with _guard(), _open(args.db) as corpus:
        options = {"panel": dict(indicator=args.indicator, measure=args.measure, status=args.status),
                   "observations": dict(indicator=args.indicator, measure=args.measure, status=args.status),
                   "attention": dict(dictionary=args.dictionary)}.get(args.table, {})
        if args.table == "attention" and not args.dictionary:
            print("baogao: export attention needs --dict NAME|FILE", file=sys.stderr)
            return 2
        out, rows, notes = corpus.export(args.table, args.fmt, args.out, alternates=args.alternates, **options)
        for note in notes:
            print(f"baogao: note: {note}", file=sys.stderr)
        print(f"wrote {rows} rows of {args.table} to {out}", file=sys.stderr)
        return 0
    return 2


# -- plumbing ------------------------------------------------------------------------------------
class _guard:
    """Turn the store's expected errors into one line on stderr (exit 2), never a traceback."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        import sqlite3
        from .schema import AnalysisError, StoreError
        from .search import QueryError
        if isinstance(error, (QueryError, StoreError, AnalysisError)):
            print(f"baogao: {error}", file=sys.stderr)
            return True         # swallowed: the command falls through to `return 2`
        if isinstance(error, sqlite3.Error):
            print(f"baogao: database error: {error}", file=sys.stderr)
            return True
        return False


def _open(db: str):
    from . import Corpus
    return Corpus(db, readonly=True)


def emit(frame, fmt: str, table_columns: list[str] | None = None) -> None:
    """Print a DataFrame as an aligned table, CSV or JSON."""
    if fmt == "csv":
        from .export import write_csv
        write_csv(frame, sys.stdout)
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False))
        print(json.dumps(records, ensure_ascii=False, indent=1))
    else:
        columns = [c for c in (table_columns or list(frame.columns)) if c in frame.columns]
        print(render_table(frame[columns]))


def render_table(frame) -> str:
    """Columns aligned by display width (a Chinese character takes two columns)."""
    if frame.empty:
        return "(no rows)"
    header = [str(c) for c in frame.columns]
    rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    last = len(header) - 1
    rows = [[c if i == last else _cut(c, MAX_CELL) for i, c in enumerate(row)] for row in rows]
    widths = [max(_width(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [c + " " * (widths[i] - _width(c)) if i < last else c for i, c in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "-"
    try:
        import pandas as pd
        if value is pd.NA:
            return "-"
    except ImportError:
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cut(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, width = [], 0
    for ch in text:
        width += _width(ch)
        if width > limit - 1:
            break
        out.append(ch)
    return "".join(out) + "…"
