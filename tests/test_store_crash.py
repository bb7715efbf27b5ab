"""Killing an ingest midway (kill -9) leaves a consistent database, and a re-run completes it."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from baogao.store import Corpus
from baogao.store.ingest import SUFFIXES

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def committed_reports(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    except sqlite3.Error:           # not created yet, or the schema is being written
        return 0


def test_kill_9_midway_then_resume(tmp_path):
    db = tmp_path / "crash.db"
    files = sorted(os.path.abspath(p) for p in CORPUS.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    # A session of its own, so the kill reaches the parser workers as well as the writer.
    ingest = subprocess.Popen([sys.executable, "-m", "baogao.cli", "ingest", str(CORPUS), "--db", str(db)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while committed_reports(db) < 5 and ingest.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ingest.poll() is None, "the ingest ended before it could be killed"
    os.killpg(ingest.pid, signal.SIGKILL)
    ingest.wait()
    ingest.stdout.close()
    ingest.stderr.close()
    partial = committed_reports(db)
    assert 5 <= partial < len(files)

    with Corpus(db) as corpus:      # what the kill left: whole reports only
        assert corpus.check() == []
        result = corpus.ingest([CORPUS], progress=False)
        assert result.failed == []
        assert len(result.unchanged) == len(corpus.reports(alternates=True)) - len(result.ingested)
        assert sorted(p for p, _ in result.ingested + result.unchanged) == files
        assert len(result.ingested) == len(files) - len(result.unchanged)
        assert len(result.unchanged) >= partial
        assert corpus.check() == []
        assert corpus.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert set(corpus.reports(alternates=True)["path"]) == set(files)


def test_ctrl_c_mid_report_keeps_finished_reports_and_no_part_of_the_current_one(tmp_path, monkeypatch):
    """Reports are written in batches; Ctrl-C in the middle of writing one (after its reports
    row and sentences are in, before the rest) rolls that one back and commits the others."""
    import baogao.store.ingest as ingest_module

    seeds = sorted((CORPUS / "seeds").glob("*.txt"))[:4]
    real_insert, calls = ingest_module.insert_report, []

    def insert_then_interrupt(conn, record, *args, **kwargs):
        calls.append(record["doc"])
        report_id = real_insert(conn, record, *args, **kwargs)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return report_id

    monkeypatch.setattr(ingest_module, "insert_report", insert_then_interrupt)
    db = tmp_path / "ctrl_c.db"
    with Corpus(db) as corpus:
        result = corpus.ingest(seeds, jobs=1, progress=False)
        assert result.interrupted
        assert len(result.ingested) == 2
        stored = corpus.reports(alternates=True)
        assert sorted(stored["doc"]) == sorted(calls[:2])
        # nothing of the third report anywhere: no orphan sentences, index rows or quantities
        assert corpus.check() == []
        n_sentences = corpus.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        assert n_sentences == int(stored["n_sentences"].sum())
        assert corpus.conn.execute("SELECT COUNT(*) FROM sentence_index_docsize").fetchone()[0] == n_sentences
    monkeypatch.undo()
    with Corpus(db) as corpus:      # a second run picks up the rest
        result = corpus.ingest(seeds, jobs=1, progress=False)
        assert len(result.ingested) == 2 and len(result.unchanged) == 2
        assert corpus.check() == []


def test_a_write_rolled_back_after_flushing_the_index_takes_back_only_its_own_rows(tmp_path):
    """The batch writer holds a batch's search-index rows back and inserts them together
    (ingest._BatchWriter.index_later). A report whose write fails after it flushed them (as a
    report joining a group of copies does) is rolled back with its savepoint: its own rows go,
    the earlier report's rows wait again and are in the index when the batch commits."""
    from baogao.store.ingest import _BatchWriter, _store, parse_file
    from baogao.store.schema import connect
    first, second = sorted(str(p) for p in (CORPUS / "seeds").glob("*.txt"))[:2]
    conn = connect(tmp_path / "c.db")
    writer = _BatchWriter(conn)
    path, sha, record, _ = parse_file(first)
    kept = writer.write(_store, path, sha, record, writer)
    assert writer.indexed == 0 and writer.index_rows          # held back, not yet in the index

    def fails_after_flushing(conn, *args):
        _store(conn, *args)
        writer.flush_index()
        raise RuntimeError("the disk is full")

    path, sha, record, _ = parse_file(second)
    with pytest.raises(RuntimeError):
        writer.write(fails_after_flushing, path, sha, record, writer)
    assert writer.indexed == 0                                 # the first report's rows wait again
    writer.close()
    conn.close()
    with Corpus(tmp_path / "c.db") as corpus:
        assert corpus.check() == []
        assert corpus.reports()["id"].tolist() == [kept]
        assert corpus.conn.execute("SELECT COUNT(*) FROM sentence_index_docsize").fetchone()[0] == \
            corpus.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] > 0
        corpus.conn.execute("INSERT INTO sentence_index(sentence_index) VALUES ('integrity-check')")
        assert corpus.search("发展", limit=5)["report_id"].tolist() == [kept] * 5


def _index_segments(conn) -> int:
    """How many segments FTS5's index holds, from its structure record (fts5_index.c: a 4-byte
    cookie, [a 4-byte version-2 marker,] then varints nLevel, nSegment, ...)."""
    from baogao.store.rank import varints
    block = conn.execute("SELECT block FROM sentence_index_data WHERE id = 10").fetchone()[0]
    body = block[8:] if block[4:8] == b"\xff\x00\x00\x01" else block[4:]
    return varints(body[:18])[1]


def test_a_batch_of_reports_from_several_years_is_one_index_segment(tmp_path):
    """FTS5 writes out the rows it holds whenever a rowid lower than the last arrives, and
    sentence ids start with the report's year: the batch writer inserts a batch's index rows in
    rowid order, so reports of 2023, 2024, 2023, 2024, 2022 written in one batch make one
    segment (in the order written, three: each to be merged again later)."""
    from baogao.store.db import set_index_options
    from baogao.store.ingest import _BatchWriter, _store, parse_file
    from baogao.store.schema import connect
    parsed = [parse_file(str(p)) for p in sorted((CORPUS / "seeds").glob("*.txt"))[:5]]
    years = [record["meta"]["year"] for _, _, record, _ in parsed]
    assert years != sorted(years)                              # the test needs years out of order
    conn = connect(tmp_path / "c.db")
    set_index_options(conn)
    writer = _BatchWriter(conn)
    for path, sha, record, _ in parsed:
        writer.write(_store, path, sha, record, writer)
    writer.close()
    assert _index_segments(conn) == 1
    conn.execute("INSERT INTO sentence_index(sentence_index) VALUES ('integrity-check')")
    conn.close()
