"""The corpus database: one SQLite file, WAL journal, a versioned schema.

The schema version lives in two places that must agree: `PRAGMA user_version` (cheap to read,
survives any table change) and the `meta` table (readable with plain SELECTs). `migrate()`
brings an older file up to SCHEMA_VERSION one step at a time, each step in one transaction;
a file from a newer baogao is refused rather than guessed at.

Offsets (`start`, `end`, ...) are Python string indices into `reports.text`, as in the record
format (shared/spec/REPORT_JSON.md). SQL's substr() counts characters too, so
substr(text, start + 1, end - start) is the span.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

SCHEMA_VERSION = 5

# Sentence ids (and so the search index's rowids) are  year << 32 | n : the index keeps its rows in
# rowid order, so the newest year's sentences come first when it is read backwards, and a year
# is one rowid range. That is what makes search's default order (newest year first, bm25 within
# the year) cost the matches of a year rather than of the whole corpus (see search.py).
# Year 0 holds the reports whose year is unknown. Within a year, the lower half of the ids belongs
# to the reports that count and the upper half (bit ALTERNATE_BIT set) to alternates, the other
# copies of a report (dedup.py): a search leaves alternates out by the id alone.
YEAR_SHIFT = 32
ALTERNATE_BIT = 31
CANONICAL_ROWID_SQL = f"((sentence_index.rowid >> {ALTERNATE_BIT}) & 1) = 0"
YEAR_SQL = "(CASE WHEN year BETWEEN 1000 AND 9999 THEN year ELSE 0 END)"


def year_partition(year) -> int:
    """The id partition of a report's year (0 when unknown or implausible)."""
    return year if isinstance(year, int) and 1000 <= year <= 9999 else 0


def year_ids(first: int, last: int) -> tuple[int, int]:
    """The range of sentence ids (inclusive) of the years first..last."""
    return year_partition(first) << YEAR_SHIFT, ((year_partition(last) + 1) << YEAR_SHIFT) - 1


def half_ids(year, alternate: bool) -> tuple[int, int]:
    """The sentence ids (inclusive) of one year's reports that count, or of its alternates."""
    lo = (year_partition(year) << YEAR_SHIFT) | (int(alternate) << ALTERNATE_BIT)
    return lo, lo + (1 << ALTERNATE_BIT) - 1


# Step N takes a database from version N-1 to N. Add new steps at the end; never edit old ones.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        doc TEXT NOT NULL,                  -- file name without extension
        path TEXT NOT NULL,                 -- absolute path it was first ingested from
        sha256 TEXT NOT NULL UNIQUE,        -- of the file's bytes: the identity of a report
        format TEXT, encoding TEXT,
        title TEXT, date TEXT,
        year INTEGER,                       -- year of delivery (date), else review_year + 1
        review_year INTEGER,
        term INTEGER, session INTEGER,
        speaker_name TEXT, speaker_title TEXT,
        region_code TEXT, region_province TEXT, region_city TEXT, region_county TEXT,
        region_level TEXT,
        region_name TEXT,                   -- printed name (全国 for the State Council)
        region_key TEXT,                    -- region_code, or region_name when the code is unknown
        region_json TEXT,                   -- the whole meta.region (candidates, ...)
        meta_spans_json TEXT,               -- meta.spans: where each header field was read
        source_json TEXT,
        text TEXT NOT NULL,
        chars INTEGER NOT NULL,
        body_chars INTEGER NOT NULL,        -- non-space characters outside boilerplate
        n_boilerplate INTEGER NOT NULL, n_sections INTEGER NOT NULL, n_sentences INTEGER NOT NULL,
        n_quantities INTEGER NOT NULL, n_observations INTEGER NOT NULL, n_audit INTEGER NOT NULL,
        parser_version TEXT,
        parsed_at TEXT NOT NULL
    );
    CREATE INDEX reports_region_year ON reports(region_key, year);
    CREATE INDEX reports_path ON reports(path);

    CREATE TABLE sections (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, level INTEGER, title TEXT,
        start INTEGER, end INTEGER, body_end INTEGER,
        PRIMARY KEY (report_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE sentences (
        id INTEGER PRIMARY KEY,             -- also the rowid of sentence_index
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX sentences_report ON sentences(report_id, seq);

    CREATE TABLE quantities (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, start INTEGER, end INTEGER, text TEXT,
        value REAL, unit TEXT, high REAL,
        approx INTEGER NOT NULL DEFAULT 0, floor INTEGER NOT NULL DEFAULT 0,
        ceiling INTEGER NOT NULL DEFAULT 0,
        sentence_start INTEGER, sentence_end INTEGER,
        extra_json TEXT,                    -- fields the record has beyond these columns
        PRIMARY KEY (report_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE observations (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        indicator TEXT NOT NULL, measure TEXT NOT NULL,
        value REAL, unit TEXT, status TEXT,
        period TEXT,                        -- '2015', or a span '2021-2025'
        period_first INTEGER, period_last INTEGER,
        start INTEGER, end INTEGER, high REAL, scope TEXT, of TEXT,
        approx INTEGER NOT NULL DEFAULT 0, estimated INTEGER NOT NULL DEFAULT 0,
        floor INTEGER NOT NULL DEFAULT 0, ceiling INTEGER NOT NULL DEFAULT 0,
        sentence_start INTEGER, sentence_end INTEGER,
        extra_json TEXT,
        PRIMARY KEY (report_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX observations_key ON observations(indicator, measure, status, period);

    CREATE TABLE boilerplate (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, start INTEGER, end INTEGER, kind TEXT,
        PRIMARY KEY (report_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE audit (
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL, kind TEXT, start INTEGER, end INTEGER,
        note_json TEXT NOT NULL,            -- the audit note as the parser wrote it
        PRIMARY KEY (report_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE failures (
        path TEXT PRIMARY KEY, sha256 TEXT, reason TEXT NOT NULL, failed_at TEXT NOT NULL
    );

    -- Full-text index over sentences (rowid = sentences.id). Contentless: the text is in
    -- reports.text already; the indexed column holds character bigrams (see search.py).
    CREATE VIRTUAL TABLE sentence_index USING fts5(
        grams, content='', tokenize='unicode61 remove_diacritics 0'
    );
    """,
    # 2: sentence ids partitioned by year (see YEAR_SHIFT). Version-1 ids are below 2**32, so the
    # renumbered ids cannot collide; the search index is rebuilt afterwards under the new ids
    # (db.ensure_index, because the index tokens version changes with this step).
    2: """
    UPDATE sentences SET id = id + ((SELECT {year} FROM reports WHERE reports.id = sentences.report_id) << 32);
    """.replace("{year}", YEAR_SQL),
    # 3: the region filter's columns in one covering index: a search or panel for one county
    # finds its reports without reading the reports table (whose rows hold the text).
    3: """
    CREATE INDEX reports_region ON reports(region_code, region_name, region_key, region_level, year);
    """,
    # 4: one report, counted once (dedup.py): a signature per report, its LSH buckets, the copy
    # that counts; where the year was read. Signatures of reports stored before are computed by
    # dedup.ensure_signatures() on the next read-write open.
    4: """
    ALTER TABLE reports ADD COLUMN year_source TEXT;          -- date | review_year | text | file name
    ALTER TABLE reports ADD COLUMN review_year_source TEXT;   -- heading | date | year
    ALTER TABLE reports ADD COLUMN canonical_id INTEGER;      -- NULL: this report counts; else the copy that does
    ALTER TABLE reports ADD COLUMN signature BLOB;            -- MinHash of the body (dedup.py)
    ALTER TABLE reports ADD COLUMN shingles INTEGER;          -- distinct shingles the signature summarises
    ALTER TABLE observations ADD COLUMN basis TEXT;           -- unemployment: registered | surveyed
    CREATE INDEX reports_canonical ON reports(canonical_id);
    DROP INDEX reports_region;
    CREATE INDEX reports_region ON reports(region_code, region_name, region_key, region_level, year, canonical_id);
    CREATE TABLE report_bands (
        band INTEGER NOT NULL, bucket INTEGER NOT NULL,
        report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        PRIMARY KEY (band, bucket, report_id)
    ) WITHOUT ROWID;
    CREATE INDEX report_bands_report ON report_bands(report_id);
    """,
    # 5: the search index tokenized by FTS5's `ascii` tokenizer, which splits on the spaces and
    # ASCII punctuation we put between tokens and takes every other byte as part of a token:
    # our tokens are already folded and lower-cased (search.py), so unicode61's per-character
    # classification was work for nothing (the writer spent ~8% less CPU per report). The rows are
    # indexed again by db.ensure_index (search.GRAMS_VERSION changes with this step).
    5: """
    DROP TABLE sentence_index;
    CREATE VIRTUAL TABLE sentence_index USING fts5(grams, content='', tokenize='ascii');
    """,
}

# Every table that hangs off reports(id): the consistency checks walk this list.
CHILD_TABLES = ("sections", "sentences", "quantities", "observations", "boilerplate", "audit", "report_bands")


class StoreError(Exception):
    """A corpus that cannot be opened or used; str() is a one-line reason."""


# The values of two filters, here (no pandas) so that the CLI's choices, the web's checks and
# analysis.py share them: the levels of government, lowest last, and a target's outcomes.
REPORT_LEVELS = ["national", "province", "city", "county"]
TARGET_OUTCOMES = ["met", "missed", "no result", "units differ"]


class AnalysisError(ValueError):
    """A request the corpus cannot answer as asked (analysis.py); str() is a one-line reason.
    Defined here, beside StoreError, so that the CLI can catch it without importing pandas."""


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    """Open (and, unless read-only, create or upgrade) the corpus database."""
    path = Path(path)
    if readonly:
        if not path.exists():
            raise StoreError(f"no corpus at {path} (run `baogao ingest PATH... --db {path}` first)")
        # mode=ro: the web process can never write, even by mistake.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                               isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA busy_timeout = 30000")   # a reader waits for a writer's commit
        conn.execute("PRAGMA foreign_keys = ON")
        if readonly:
            check_version(conn)
        else:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")   # WAL + NORMAL: a crash loses no commit's consistency
            migrate(conn)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise StoreError(f"{path}: not a usable corpus database ({e})") from None
    except StoreError:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def check_version(conn: sqlite3.Connection) -> None:
    version = schema_version(conn)
    if version != SCHEMA_VERSION:
        raise StoreError(f"corpus schema is version {version}, this baogao reads version "
                         f"{SCHEMA_VERSION}: open it once read-write (baogao ingest) to upgrade"
                         if version < SCHEMA_VERSION else
                         f"corpus schema is version {version}, newer than this baogao ({SCHEMA_VERSION})")


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the missing migration steps, each in its own transaction."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(f"corpus schema is version {version}, newer than this baogao ({SCHEMA_VERSION})")
    for step in range(version + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            for statement in _statements(MIGRATIONS[step]):
                conn.execute(statement)
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(step),))
            conn.execute(f"PRAGMA user_version = {step}")


@contextmanager
def transaction(conn: sqlite3.Connection):
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (Ctrl-C included)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no ';' inside our DDL's strings or comments)."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
