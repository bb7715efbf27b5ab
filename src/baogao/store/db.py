"""Records in and out of the database: one report record (Report.to_dict()) <-> its rows.

Writing is split from transactions on purpose: the caller wraps `insert_report` (and the
`delete_report` of an older version) in one transaction, so a report is stored whole or not at all.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from bisect import bisect_right
from datetime import datetime, timezone

from ..record import body_chars
from .schema import get_meta, half_ids, transaction
from .search import GRAMS_VERSION, index_grams, report_grams  # noqa: F401  (index_grams: for callers)

QUANTITY_FIELDS = ("start", "end", "text", "value", "unit", "high", "approx", "floor", "ceiling")
OBSERVATION_FIELDS = ("indicator", "measure", "value", "unit", "status", "period", "start", "end",
                      "high", "scope", "of", "approx", "estimated", "floor", "ceiling", "sentence", "basis")
# A search-index row in and out: a contentless index forgets a row only when told its tokens
INDEX_INSERT = "INSERT INTO sentence_index(rowid, grams) VALUES (?, ?)"
INDEX_DELETE = "INSERT INTO sentence_index(sentence_index, rowid, grams) VALUES ('delete', ?, ?)"
FTS_AUTOMERGE = 8           # see set_index_options
FTS_HASH_MB = 32            # FTS5's buffer of rows not yet written as a segment (its default is 1 MB)


# -- region ----------------------------------------------------------------------------------
def region_name(region: dict) -> str | None:
    """The region as printed: its own name if the gazetteer gave one, else province+city+county."""
    if region.get("name"):
        return region["name"]
    parts = [region[k] for k in ("province", "city", "county") if region.get(k)]
    if parts:
        return "".join(parts)
    return "全国" if region.get("level") == "national" else None


# -- writing -----------------------------------------------------------------------------------
def insert_report(conn: sqlite3.Connection, record: dict, path: str, sha256: str,
                  parser_version: str | None = None, canonical_id: int | None = None,
                  index_later=None) -> int:
    """Insert one report record and all its parts; returns the new report id. `canonical_id`:
    the report this one is another copy of (dedup.py), None when it counts itself.
    `index_later`: a function given the report's search-index rows to insert them later (the
    ingest's batch writer), instead of inserting them now."""
    text = record["text"]
    meta = record.get("meta") or {}
    region = meta.get("region") or {}
    name = region_name(region)
    sentences = record.get("sentences") or []
    boilerplate = record.get("boilerplate") or []
    prepared = record.get("_prepared") or prepare(record)
    parts = {key: record.get(key) or [] for key in ("sections", "quantities", "observations", "audit")}
    review_year = meta.get("review_year")
    row = {
        "id": stable_id(conn, sha256),
        "doc": record.get("doc"), "path": path, "sha256": sha256,
        "format": (record.get("source") or {}).get("format"),
        "encoding": (record.get("source") or {}).get("encoding"),
        "title": meta.get("title"), "date": meta.get("date"),
        "year": meta.get("year") or _report_year(meta.get("date"), review_year), "review_year": review_year,
        "year_source": meta.get("year_source") or ("date" if meta.get("date") else "review_year" if review_year else None),
        "review_year_source": meta.get("review_year_source"),
        "canonical_id": canonical_id, "signature": prepared.get("signature"), "shingles": prepared.get("shingles"),
        "term": (meta.get("congress") or {}).get("term"),
        "session": (meta.get("congress") or {}).get("session"),
        "speaker_name": (meta.get("speaker") or {}).get("name"),
        "speaker_title": (meta.get("speaker") or {}).get("title"),
        "region_code": region.get("code"), "region_province": region.get("province"),
        "region_city": region.get("city"), "region_county": region.get("county"),
        "region_level": region.get("level"), "region_name": name,
        # Unknown code: group by the printed name; unknown name too: the report stands alone.
        "region_key": region.get("code") or name or f"?{sha256[:12]}",
        "region_json": _json(region), "meta_spans_json": _json(meta.get("spans") or {}),
        "source_json": _json(record.get("source") or {}),
        "text": text, "chars": len(text), "body_chars": prepared["body_chars"],
        "n_boilerplate": len(boilerplate), "n_sections": len(parts["sections"]),
        "n_sentences": len(sentences), "n_quantities": len(parts["quantities"]),
        "n_observations": len(parts["observations"]), "n_audit": len(parts["audit"]),
        "parser_version": parser_version, "parsed_at": now(),
    }
    cur = conn.execute(f"INSERT INTO reports ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                       list(row.values()))
    report_id = cur.lastrowid
    _insert_sentences(conn, report_id, row["year"], sentences, prepared["grams"], canonical_id is not None,
                      index_later)
    rows = prepared.get("rows") or part_rows(record)
    key = (report_id,)
    for table, width in (("sections", 7), ("boilerplate", 5), ("quantities", 14), ("observations", 23), ("audit", 6)):
        if rows[table]:
            conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * width)})", [key + r for r in rows[table]])
    return report_id


def part_rows(record: dict) -> dict[str, list[tuple]]:
    """The rows of a record's sections, boilerplate, quantities, observations and audit notes, each
    without its first column (the report's id, known when it is written): built in the ingest
    workers (prepare), so the one writing process only writes."""
    sentence_of = _sentence_finder(record.get("sentences") or [])
    parts = {key: record.get(key) or [] for key in ("sections", "boilerplate", "quantities", "observations", "audit")}
    return {
        "sections": [(i, s.get("level"), s.get("title"), s["start"], s["end"], s.get("body_end"))
                     for i, s in enumerate(parts["sections"])],
        "boilerplate": [(i, b["start"], b["end"], b.get("kind", "")) for i, b in enumerate(parts["boilerplate"])],
        "quantities": [_quantity_row(None, i, q, sentence_of)[1:] for i, q in enumerate(parts["quantities"])],
        "observations": [_observation_row(None, i, o, sentence_of)[1:] for i, o in enumerate(parts["observations"])],
        "audit": [(i, a.get("kind") or a.get("type"), _int(a.get("start")), _int(a.get("end")), _json(a))
                  for i, a in enumerate(parts["audit"])],
    }


def delete_report(conn: sqlite3.Connection, report_id: int) -> None:
    """Remove a report with all its parts (its index entries first: FTS5 has no cascade)."""
    # A contentless index forgets a row only when told the tokens it was given: recompute them
    # (ensure_index() guarantees the tokenizer is the one that wrote them).
    conn.executemany(INDEX_DELETE, _index_rows(conn, report_id))
    conn.execute("DELETE FROM reports WHERE id = ?", (report_id,))


def _index_rows(conn: sqlite3.Connection, report_id: int) -> list[tuple[int, str]]:
    """(sentence id, index tokens) of a stored report's sentences, the tokens built from its text."""
    text = conn.execute("SELECT text FROM reports WHERE id = ?", (report_id,)).fetchone()[0]
    rows = conn.execute("SELECT id, start, end FROM sentences WHERE report_id = ?", (report_id,)).fetchall()
    return list(zip((r[0] for r in rows), report_grams(text, [(s, e) for _, s, e in rows])))


def ensure_index(conn: sqlite3.Connection) -> None:
    """Rebuild the full-text index if it was built by another tokenizer version. Reports are
    indexed in the order of their sentence ids (see set_index_options' hashsize). 10,000
    reports take ~45 s: a progress bar on a terminal says what the wait is."""
    if get_meta(conn, "grams_version") == GRAMS_VERSION:
        return
    from tqdm import tqdm
    with transaction(conn):
        conn.execute("INSERT INTO sentence_index(sentence_index) VALUES ('delete-all')")
        set_index_options(conn)
        reports = conn.execute("SELECT report_id FROM sentences GROUP BY report_id ORDER BY MIN(id)").fetchall()
        for (report_id,) in tqdm(reports, desc="rebuilding the search index", unit="report", file=sys.stderr,
                                 disable=None, leave=False):
            conn.executemany(INDEX_INSERT, _index_rows(conn, report_id))
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('grams_version', ?)", (GRAMS_VERSION,))


def set_index_options(conn: sqlite3.Connection) -> None:
    """Settings kept in the index itself, so written once.

    automerge: FTS5 merges index segments once FTS_AUTOMERGE of them pile up at one level (its
    default is 4). At 8 the writer spends ~15% less time (1000 synthetic reports: 6.7 s of
    writing where 4 took 7.9), because each row is merged again at fewer levels; at 10,000
    reports every query shape of bench/scale.py measured the same at 4 and 8. 16 (with
    crisismerge 32, or one merge took 4.8 s) wrote 10,000 reports 2% faster but searched 5-10%
    slower (more segments to read), so 8.

    hashsize: FTS5 writes the rows it holds as a new segment once they take more than this
    much memory. At 1 MB a flush of ingest.INDEX_ROWS rows (2-3 MB) became two or three segments,
    each to be merged again; FTS_HASH_MB is never the limit, so a flush is one segment (see
    _BatchWriter.flush_index: the rows must also come in rowid order)."""
    wanted = {"automerge": FTS_AUTOMERGE, "hashsize": FTS_HASH_MB << 20}
    kept = dict(conn.execute("SELECT k, v FROM sentence_index_config WHERE k IN ('automerge', 'hashsize')").fetchall())
    for key, value in wanted.items():
        if kept.get(key) != value:
            conn.execute("INSERT INTO sentence_index(sentence_index, rank) VALUES (?, ?)", (key, value))


def prepare(record: dict) -> dict:
    """The costly derived values of a record (index tokens, body size, dedup signature): ingest
    workers compute them in parallel, so the writing process only writes."""
    from .dedup import signature
    text = record["text"]
    struck = [(b["start"], b["end"]) for b in record.get("boilerplate") or []]
    sig, shingles = signature(text, struck)
    return {"rows": part_rows(record),
            "grams": report_grams(text, [(s["start"], s["end"]) for s in record.get("sentences") or []]),
            "body_chars": body_chars(text, struck), "signature": sig, "shingles": shingles}


def move_sentences(conn: sqlite3.Connection, report_id: int, alternate: bool) -> None:
    """Give a report's sentences ids in the half of its year for reports that count, or for
    alternates (schema.ALTERNATE_BIT), index entries included. Rare: when a copy that counts
    more than the stored one arrives, or the one that counted is removed."""
    text, year = conn.execute("SELECT text, year FROM reports WHERE id = ?", (report_id,)).fetchone()
    rows = conn.execute("SELECT id, start, end FROM sentences WHERE report_id = ? ORDER BY seq", (report_id,)).fetchall()
    lo, hi = half_ids(year, alternate)
    if not rows or lo <= rows[0][0] <= hi:
        return
    grams = report_grams(text, [(s, e) for _, s, e in rows])
    conn.executemany(INDEX_DELETE,
                     [(sid, g) for (sid, _, _), g in zip(rows, grams)])
    conn.execute("DELETE FROM sentences WHERE report_id = ?", (report_id,))
    _insert_sentences(conn, report_id, year, [{"start": s, "end": e} for _, s, e in rows], grams, alternate)


def stable_id(conn, sha256: str) -> int:
    """A report's id: the first 52 bits of the sha256 of its file's bytes, so /reports/N links and
    exported ids survive a clean rebuild, --force and any order of ingest (52 bits: exact in
    JavaScript and in a Stata double). Two files whose hashes share those bits (about one chance
    in 10^7 among 60,000 reports) take the next free id."""
    candidate = int(sha256[:13], 16)
    while conn.execute("SELECT 1 FROM reports WHERE id = ?", (candidate,)).fetchone():
        candidate += 1
    return candidate


def _insert_sentences(conn, report_id: int, year: int | None, sentences: list[dict], grams: list[str],
                      alternate: bool = False, index_later=None) -> None:
    # Ids are handed out here (we are inside the report's write transaction) so that the
    # sentence rows and their index rows can be inserted in two batches; they continue the
    # report's half of its year partition (schema.YEAR_SHIFT, ALTERNATE_BIT).
    lo, hi = half_ids(year, alternate)
    last = conn.execute("SELECT MAX(id) FROM sentences WHERE id BETWEEN ? AND ?", (lo, hi)).fetchone()[0]
    first_id = (last if last is not None else lo) + 1
    rows = [(first_id + i, report_id, i, s["start"], s["end"]) for i, s in enumerate(sentences)]
    conn.executemany("INSERT INTO sentences VALUES (?,?,?,?,?)", rows)
    index_rows = [(row[0], g) for row, g in zip(rows, grams)]
    if index_later:
        index_later(index_rows)
    else:
        conn.executemany(INDEX_INSERT, index_rows)


def _quantity_row(report_id, seq, q: dict, sentence_of) -> tuple:
    sentence = sentence_of(q["start"])
    return (report_id, seq, q["start"], q["end"], q.get("text"), q.get("value"), q.get("unit"), q.get("high"),
            int(bool(q.get("approx"))), int(bool(q.get("floor"))), int(bool(q.get("ceiling"))),
            sentence[0] if sentence else None, sentence[1] if sentence else None,
            _extra(q, QUANTITY_FIELDS))


def _observation_row(report_id, seq, o: dict, sentence_of) -> tuple:
    period = o.get("period")
    first, last = period_years(period)
    sentence = o.get("sentence") or sentence_of(o["start"])
    return (report_id, seq, o["indicator"], o["measure"], o.get("value"), o.get("unit"), o.get("status"),
            None if period is None else str(period), first, last, o["start"], o["end"], o.get("high"),
            o.get("scope"), o.get("of"),
            int(bool(o.get("approx"))), int(bool(o.get("estimated"))),
            int(bool(o.get("floor"))), int(bool(o.get("ceiling"))),
            sentence[0] if sentence else None, sentence[1] if sentence else None,
            _extra(o, OBSERVATION_FIELDS), o.get("basis"))


def period_years(period) -> tuple[int | None, int | None]:
    """2015 -> (2015, 2015); '2021-2025' -> (2021, 2025); anything else -> (None, None)."""
    if period is None:
        return None, None
    text = str(period).strip()
    if text.isdigit():
        return int(text), int(text)
    first, _, last = text.partition("-")
    if first.strip().isdigit() and last.strip().isdigit():
        return int(first), int(last)
    return None, None


def _sentence_finder(sentences: list[dict]):
    starts = [s["start"] for s in sentences]

    def sentence_of(offset: int):
        i = bisect_right(starts, offset) - 1
        if i >= 0 and offset < sentences[i]["end"]:
            return sentences[i]["start"], sentences[i]["end"]
        return None
    return sentence_of


def _report_year(date: str | None, review_year: int | None) -> int | None:
    if date and date[:4].isdigit():
        return int(date[:4])
    return review_year + 1 if review_year else None


# -- reading back ------------------------------------------------------------------------------
def read_report(conn: sqlite3.Connection, report_id: int) -> dict | None:
    """The stored report as a record (the shape of Report.to_dict()), plus its corpus fields."""
    r = conn.execute("SELECT * FROM reports WHERE id = ?", (report_id,)).fetchone()
    if r is None:
        return None

    def rows(table: str) -> list[sqlite3.Row]:
        return conn.execute(f"SELECT * FROM {table} WHERE report_id = ? ORDER BY seq", (report_id,)).fetchall()

    return {
        "id": r["id"], "doc": r["doc"], "text": r["text"],
        "source": json.loads(r["source_json"] or "{}"),
        "meta": {"title": r["title"], "region": json.loads(r["region_json"] or "{}"), "date": r["date"],
                 "congress": {"term": r["term"], "session": r["session"]},
                 "speaker": {"name": r["speaker_name"], "title": r["speaker_title"]},
                 "review_year": r["review_year"], "year": r["year"], "year_source": r["year_source"],
                 "review_year_source": r["review_year_source"], "spans": json.loads(r["meta_spans_json"] or "{}")},
        "boilerplate": [{"start": b["start"], "end": b["end"], "kind": b["kind"]} for b in rows("boilerplate")],
        "sections": [{"level": s["level"], "title": s["title"], "start": s["start"], "end": s["end"],
                      "body_end": s["body_end"]} for s in rows("sections")],
        "sentences": [{"start": s["start"], "end": s["end"]} for s in rows("sentences")],
        "quantities": [_quantity_dict(q) for q in rows("quantities")],
        "observations": [_observation_dict(o) for o in rows("observations")],
        "audit": [json.loads(a["note_json"]) for a in rows("audit")],
        "corpus": {"path": r["path"], "sha256": r["sha256"], "year": r["year"], "region_name": r["region_name"],
                   "canonical_id": r["canonical_id"],
                   "region_key": r["region_key"], "body_chars": r["body_chars"], "parsed_at": r["parsed_at"],
                   "parser_version": r["parser_version"]},
    }


def _quantity_dict(q) -> dict:
    d = {"start": q["start"], "end": q["end"], "text": q["text"], "value": q["value"], "unit": q["unit"]}
    if q["high"] is not None:
        d["high"] = q["high"]
    for flag in ("approx", "floor", "ceiling"):
        if q[flag]:
            d[flag] = True
    d.update(json.loads(q["extra_json"] or "{}"))
    return d


def _observation_dict(o) -> dict:
    period = o["period"]
    d = {"indicator": o["indicator"], "measure": o["measure"], "value": o["value"], "unit": o["unit"],
         "status": o["status"], "period": int(period) if period and period.isdigit() else period,
         "start": o["start"], "end": o["end"]}
    if o["high"] is not None:
        d["high"] = o["high"]
    if o["measure"] == "rank":
        d["scope"], d["of"] = o["scope"] or "", o["of"] or "level"
    for flag in ("approx", "estimated", "floor", "ceiling"):
        if o[flag]:
            d[flag] = True
    if o["sentence_start"] is not None:
        d["sentence"] = [o["sentence_start"], o["sentence_end"]]
    if o["basis"]:
        d["basis"] = o["basis"]
    d.update(json.loads(o["extra_json"] or "{}"))
    return d


# -- helpers -----------------------------------------------------------------------------------
def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _extra(record: dict, known: tuple[str, ...]) -> str | None:
    extra = {k: v for k, v in record.items() if k not in known}
    return _json(extra) if extra else None


def _int(value):
    return value if isinstance(value, int) else None
