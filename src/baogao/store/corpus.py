"""The corpus as a Python object: `Corpus("baogao.db")`, with answers as pandas DataFrames.

    >>> from baogao.store import Corpus
    >>> corpus = Corpus("baogao.db")
    >>> corpus.ingest(["reports/"]).summary()
    >>> corpus.search("保交楼", year="2023-2024")
    >>> corpus.search_counts("保交楼")["by_year"]
    >>> corpus.panel("gdp", "growth_pct", status="actual")
    >>> corpus.targets()
    >>> corpus.attention("environment")
    >>> corpus.report(1)["observations"]

The web process opens it with `Corpus(path, readonly=True)`: SQLite's `mode=ro`, never a write.
A Corpus may be shared by threads that read.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

from .db import ensure_index, read_report
from .dedup import ensure_signatures
from .schema import get_meta
from .search import GRAMS_VERSION
from .ingest import IngestResult, ingest
from .schema import ALTERNATE_BIT, CHILD_TABLES, StoreError, connect
from .search import MARK, count_hits, search

# pandas (with analysis.py and export.py, which need it) is imported by the methods that answer
# with DataFrames: `baogao ingest` needs none of them, and pandas alone is 0.3 s of start-up.

REPORT_COLUMNS = ["id", "doc", "path", "sha256", "format", "encoding", "title", "date", "year", "review_year",
                  "term", "session", "speaker_name", "speaker_title", "region_code", "region_province",
                  "region_city", "region_county", "region_level", "region_name", "region_key", "chars",
                  "body_chars", "n_sections", "n_sentences", "n_quantities", "n_observations", "n_audit",
                  "year_source", "review_year_source", "canonical_id", "parser_version", "parsed_at"]
CANONICAL = "r.canonical_id IS NULL"     # the copy of each report that counts (dedup.py)
REPORT_CONTEXT = "r.doc, r.year, r.region_code, r.region_name, r.region_level"
TABLES = ("reports", "observations", "quantities", "sections", "sentences", "boilerplate", "audit",
          "failures", "panel", "targets", "attention")


class Corpus:
    def __init__(self, path: str | Path = "baogao.db", readonly: bool = False):
        self.path, self.readonly = Path(path), readonly
        self.conn = connect(self.path, readonly=readonly)
        if readonly:
            # mode=ro covers the main file only: query_only refuses writes on the connection itself,
            # and a limit of 0 attached databases makes ATTACH (which can open any file read-write) fail.
            self.conn.execute("PRAGMA query_only = ON")
            self.conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
        if not readonly:
            ensure_index(self.conn)
            ensure_signatures(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Corpus({str(self.path)!r}{', readonly=True' if self.readonly else ''}): {len(self)} reports"

    def __len__(self) -> int:
        """Reports stored, every copy counted (counts() tells canonical reports from alternates)."""
        return self.conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]

    def counts(self) -> dict[str, int]:
        """reports (files stored), canonical (reports counted once), alternates (other copies),
        no_year (canonical reports whose year is unknown), year_from_file_name."""
        row = self.conn.execute("""SELECT COUNT(*), SUM(canonical_id IS NULL), SUM(canonical_id IS NOT NULL),
                                          SUM(canonical_id IS NULL AND year IS NULL),
                                          SUM(canonical_id IS NULL AND year_source = 'file name')
                                   FROM reports""").fetchone()
        keys = ("reports", "canonical", "alternates", "no_year", "year_from_file_name")
        return {k: int(v or 0) for k, v in zip(keys, row)}

    # -- writing -----------------------------------------------------------------------------
    def ingest(self, paths, jobs: int | None = None, force: bool = False,
               progress: bool | None = False) -> IngestResult:
        """Parse and store report files and folders (see ingest.py). Idempotent by content."""
        if self.readonly:
            raise StoreError("this corpus is open read-only")
        if isinstance(paths, (str, Path)):
            paths = [paths]
        return ingest(self.conn, paths, jobs=jobs, force=force, progress=progress)

    # -- reading -----------------------------------------------------------------------------
    def reports(self, text: bool = False, alternates: bool = False) -> pd.DataFrame:
        """One row per report (without its text unless text=True); the other copies of a report
        (canonical_id set) only with alternates=True."""
        columns = REPORT_COLUMNS + (["text"] if text else [])
        where = "" if alternates else f"WHERE {CANONICAL}"
        return self._query(f"SELECT {', '.join('r.' + c for c in columns)} FROM reports r {where} ORDER BY r.id")

    def report(self, report_id: int | str) -> dict | None:
        """The stored record (text, meta, sections, sentences, quantities, observations,
        boilerplate, audit) as a dict; by id, or by doc name or sha256."""
        if isinstance(report_id, str) and not report_id.isdigit():
            row = self.conn.execute("SELECT id FROM reports WHERE doc = ? OR sha256 = ? ORDER BY id",
                                    (report_id, report_id)).fetchone()
            if row is None:
                return None
            report_id = row[0]
        return read_report(self.conn, int(report_id))

    def observations(self, indicator=None, measure=None, status=None, region=None,
                     alternates: bool = False) -> pd.DataFrame:
        from . import analysis
        return analysis.observations_frame(self.conn, indicator, measure, status, region, alternates)

    def quantities(self, alternates: bool = False) -> pd.DataFrame:
        return self._query(f"""SELECT q.report_id, {REPORT_CONTEXT}, q.seq, q.start, q.end, q.text, q.value,
                                      q.unit, q.high, q.approx, q.floor, q.ceiling, q.sentence_start,
                                      q.sentence_end
                               FROM quantities q JOIN reports r ON r.id = q.report_id
                               {'' if alternates else 'WHERE ' + CANONICAL}
                               ORDER BY q.report_id, q.seq""")

    def failures(self) -> pd.DataFrame:
        return self._query("SELECT path, sha256, reason, failed_at FROM failures ORDER BY path")

    def search(self, query: str, region=None, year=None, level=None, limit: int = 20,
               mark=MARK, order: str = "newest", alternates: bool = False, offset: int = 0) -> pd.DataFrame:
        """Ranked sentence hits with snippets, `limit` after the first `offset`; raises
        search.QueryError for a malformed query. order="newest": newest year first, best bm25
        first within a year (fast at any corpus size); order="relevance": best bm25 over the
        whole corpus (slower on common terms)."""
        self._check_index()
        hits = search(self.conn, query, region=region, year=year, level=level, limit=limit, mark=mark,
                      order=order, alternates=alternates, offset=offset)
        import pandas as pd
        return pd.DataFrame(hits, columns=SEARCH_COLUMNS)

    def search_counts(self, query: str, region=None, year=None, level=None, alternates: bool = False) -> dict:
        """How many sentences match, in all and by year and region (search.count_hits: at most
        the newest COUNT_LIMIT matches are counted, and "capped" says so)."""
        self._check_index()
        return count_hits(self.conn, query, region=region, year=year, level=level, alternates=alternates)

    def _check_index(self) -> None:
        if get_meta(self.conn, "grams_version") != GRAMS_VERSION:
            raise StoreError("the search index was built by another baogao version: open the corpus "
                             "read-write once (e.g. baogao ingest) to rebuild it")

    def panel(self, indicator=None, measure=None, status=None, region=None, wide=False,
              alternates: bool = False) -> pd.DataFrame:
        from . import analysis
        return analysis.panel(self.conn, indicator, measure, status, region, wide, alternates)

    def targets(self, indicator=None, measure=None, region=None, complete=False,
                alternates: bool = False, level=None, year=None, outcome=None) -> pd.DataFrame:
        """Each year's target against the next report's result (analysis.targets); `level`, `year`
        (2026 or 2021-2025) and `outcome` (met, missed, no result, units differ) keep some rows."""
        from . import analysis
        return analysis.targets(self.conn, indicator, measure, region, complete, alternates,
                                level=level, year=year, outcome=outcome)

    def attention(self, dictionary, kwic=False, report=None, region=None, year=None, level=None,
                  alternates: bool = False, by: str = "report") -> pd.DataFrame:
        """Matches of a dictionary's terms per 10,000 characters of body: a row per report, or with
        by="year" a row per level and year (the mean of that level's reports: levels never mixed)."""
        from . import analysis
        table = analysis.attention(self.conn, dictionary, kwic=kwic, report_id=report,
                                   region=region, year=year, level=level, alternates=alternates)
        return analysis.attention_years(table) if by == "year" and not kwic else table

    def alternates_of(self, report_id: int) -> pd.DataFrame:
        """The other copies of a report: its canonical report and every alternate of its group."""
        return self._query("""SELECT r.id, r.doc, r.path, r.canonical_id, r.chars, r.body_chars, r.date
                              FROM reports r, reports me
                              WHERE me.id = ? AND r.id != me.id
                                AND COALESCE(r.canonical_id, r.id) = COALESCE(me.canonical_id, me.id)
                              ORDER BY r.id""", (int(report_id),))

    def table(self, name: str, **options) -> pd.DataFrame:
        """Any exportable table by name (see TABLES); options go to the table's method."""
        alternates = bool(options.pop("alternates", False))
        if name == "reports":
            return self.reports(text=options.get("text", True), alternates=alternates)
        if name in ("observations", "panel", "targets", "attention"):
            return getattr(self, name)(alternates=alternates, **{k: v for k, v in options.items() if v is not None})
        if name == "quantities":
            return self.quantities(alternates=alternates)
        if name == "failures":
            return self.failures()
        if name in ("sections", "sentences", "boilerplate", "audit"):
            return self._query(f"SELECT t.*, {REPORT_CONTEXT} FROM {name} t JOIN reports r ON r.id = t.report_id "
                               f"{'' if alternates else 'WHERE ' + CANONICAL} ORDER BY t.report_id, t.seq")
        raise StoreError(f"no table {name!r}: one of {', '.join(TABLES)}")

    def export(self, name: str, fmt: str, out: str | Path | None = None, **options) -> tuple[Path, int, list[str]]:
        """Write a table to a file; returns (file, rows, notes about format-forced changes)."""
        from . import export
        if fmt not in export.FORMATS:
            raise StoreError(f"unknown format {fmt!r}: one of {', '.join(export.FORMATS)}")
        frame = self.table(name, **options)
        out = Path(out) if out else Path(name + export.FORMATS[fmt])
        notes = export.write(frame, fmt, out, label=f"baogao {name}")
        return out, len(frame), notes

    # -- checks ------------------------------------------------------------------------------
    def check(self) -> list[str]:
        """Problems with the database's consistency (empty when all is well)."""
        problems = []
        integrity = self.conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        for table in CHILD_TABLES:
            orphans = self.conn.execute(f"SELECT COUNT(*) FROM {table} WHERE report_id NOT IN "
                                        f"(SELECT id FROM reports)").fetchone()[0]
            if orphans:
                problems.append(f"{table}: {orphans} rows of no report")
        counts = {"sections": "n_sections", "sentences": "n_sentences", "quantities": "n_quantities",
                  "observations": "n_observations", "boilerplate": "n_boilerplate", "audit": "n_audit"}
        for table, column in counts.items():
            bad = self.conn.execute(f"""SELECT COUNT(*) FROM reports r WHERE r.{column} !=
                                        (SELECT COUNT(*) FROM {table} t WHERE t.report_id = r.id)""").fetchone()[0]
            if bad:
                problems.append(f"{table}: {bad} reports lack rows they had when parsed")
        chained = self.conn.execute("""SELECT COUNT(*) FROM reports a JOIN reports c ON c.id = a.canonical_id
                                       WHERE c.canonical_id IS NOT NULL""").fetchone()[0]
        dangling = self.conn.execute("""SELECT COUNT(*) FROM reports a WHERE a.canonical_id IS NOT NULL
                                        AND a.canonical_id NOT IN (SELECT id FROM reports)""").fetchone()[0]
        if chained or dangling:
            problems.append(f"alternates: {chained} point to another alternate, {dangling} to no report")
        misplaced = self.conn.execute(f"""SELECT COUNT(*) FROM sentences s JOIN reports r ON r.id = s.report_id
                                          WHERE ((s.id >> {ALTERNATE_BIT}) & 1) != (r.canonical_id IS NOT NULL)""").fetchone()[0]
        if misplaced:
            problems.append(f"sentences: {misplaced} have ids in the wrong half for their report's standing")
        indexed = self.conn.execute("SELECT COUNT(*) FROM sentence_index_docsize").fetchone()[0]
        sentences = self.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        if indexed != sentences:
            problems.append(f"search index has {indexed} sentences, the table {sentences}")
        return problems

    def _query(self, sql: str, params=()) -> pd.DataFrame:
        import pandas as pd
        return pd.read_sql_query(sql, self.conn, params=params)


SEARCH_COLUMNS = ["report_id", "doc", "region_code", "region_name", "level", "year", "score", "offset", "end",
                  "match", "sentence_start", "sentence_end", "snippet"]
