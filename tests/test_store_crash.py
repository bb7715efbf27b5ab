"""Killing an ingest midway (kill -9) leaves a consistent database, and a re-run completes it."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

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
