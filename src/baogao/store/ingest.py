"""Ingest report files into the corpus: parse in worker processes, write in this one.

Every input file ends in exactly one of three lists:
  ingested   parsed and stored (a new report, or a new version of a file already stored)
  unchanged  its bytes (sha256) are already stored, under this path or another ("duplicate of")
  failed     unreadable or unparsable, with the reason; also kept in the `failures` table
Reports are written in batches, one transaction per batch (about a second of work), each report
inside its own savepoint: an interrupted run (Ctrl-C, kill -9, a crash) leaves only whole reports
behind, Ctrl-C keeps every report finished before it, and running it again picks up where it
stopped. Why batches: FTS5 turns each commit into a new index segment and merges segments as
they pile up, so one commit per report made the per-report cost grow with the corpus
(15.4 s per 1000 reports at 1,000 reports, 23.5 s at 60,000). For the same reason a batch's
search-index rows are inserted together when it commits (_BatchWriter.index_later), not report
by report: FTS5 writes out what it holds at every SAVEPOINT, so a report's savepoint made one
small index segment per report, each to be merged again (about a tenth of the writer's time);
and they are inserted in rowid order, because FTS5 also writes out what it holds whenever a
lower rowid arrives (sentence ids start with the year, and a batch mixes years).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sqlite3
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from . import dedup
from ..read import printable
from .db import INDEX_INSERT, delete_report, insert_report, now, prepare, set_index_options

SUFFIXES = {".txt", ".html", ".htm", ".docx", ".pdf"}
ALTERNATES_SHOWN = 10      # alternate lines in the summary before "... and N more"
BATCH_SECONDS = 1.0         # commit at least this often, so readers see progress
BATCH_REPORTS = 500         # and at most this many reports per transaction
INDEX_ROWS = 10_000         # search-index rows held back at most (~20 reports' sentences) before they are inserted
WINDOW = 96                 # files in flight at least (parsing, or parsed and waiting to be written)
WORKER_NICE = 10            # parser processes yield the CPU to the writing process (see _worker_start)
WRITER_CACHE_MB = 64        # SQLite page cache of the writing connection (the default is 2 MB)


@dataclass
class IngestResult:
    ingested: list[tuple[str, int]] = field(default_factory=list)      # (path, report id)
    unchanged: list[tuple[str, str]] = field(default_factory=list)     # (path, note)
    failed: list[tuple[str, str]] = field(default_factory=list)        # (path, reason)
    interrupted: bool = False
    alternates: list[tuple[str, str]] = field(default_factory=list)    # (path, path of the copy that counts)
    corpus: dict = field(default_factory=dict)                         # Corpus.counts() after the run

    @property
    def total(self) -> int:
        return len(self.ingested) + len(self.unchanged) + len(self.failed)

    def summary(self, db: str = "") -> str:
        lines = []
        if self.total and len(self.unchanged) == self.total:
            lines.append(f"nothing to do: all {self.total} files are already in {db or 'the corpus'} (unchanged)")
        else:
            head = "interrupted after" if self.interrupted else "done:"
            lines.append(f"{head} {len(self.ingested)} ingested, {len(self.unchanged)} unchanged, "
                         f"{len(self.failed)} failed ({self.total} files)")
        lines += [f"  unchanged  {path}: {note}" for path, note in self.unchanged if note != "unchanged"]
        lines += [f"  failed     {path}: {reason}" for path, reason in self.failed]
        shown = self.alternates[:ALTERNATES_SHOWN]
        lines += [f"  alternate  {path}: the same report as {other}" for path, other in shown]
        if len(self.alternates) > len(shown):
            lines.append(f"  alternate  ... and {len(self.alternates) - len(shown)} more (baogao export reports --alternates)")
        if self.interrupted:
            lines.append("run the same command again to ingest the rest")
        c = self.corpus
        if c:
            lines.append(f"corpus: {c['canonical']} reports counted once, {c['alternates']} alternates "
                         f"(other copies of the same report), {c['no_year']} without a year"
                         + (f"; the year of {c['year_from_file_name']} read from the file name only"
                            if c.get("year_from_file_name") else ""))
        return "\n".join(lines)


# -- which files -----------------------------------------------------------------------------
def expand_paths(paths) -> list[Path]:
    """Files as given, and report files found in folders (recursively, hidden ones skipped).
    A path named twice counts once."""
    out, seen = [], set()
    for p in map(Path, paths):
        found = sorted(_walk(p)) if p.is_dir() else [p]
        for f in found:
            key = os.path.abspath(f)
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _walk(folder: Path):
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES:
                yield Path(root) / name


# -- parsing (in workers) ----------------------------------------------------------------------
def parse_file(path: str) -> tuple[str, str | None, dict | None, str | None]:
    """(path, sha256, record, failure reason). Never raises: a worker must not die on a bad file."""
    from .. import __version__
    from ..pipeline import parse
    from ..read import ReadError
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return path, None, None, f"cannot read: {e.strerror or e}"
    sha = hashlib.sha256(data).hexdigest()
    try:
        report = parse(data, name=path)
    except ReadError as e:
        return path, sha, None, str(e)
    except Exception as e:          # a parser bug: record it, keep going with the other files
        return path, sha, None, f"parser error: {type(e).__name__}: {e}"
    record = report.to_dict()
    record["source"] = {**record.get("source", {}), "path": printable(path), "sha256": sha}
    record["parser_version"] = __version__
    record["_prepared"] = prepare(record)
    return path, sha, record, None


# -- the run -----------------------------------------------------------------------------------
def ingest(conn: sqlite3.Connection, paths, jobs: int | None = None, force: bool = False,
           progress: bool | None = None) -> IngestResult:
    """Ingest files and folders. `force` re-parses files whose bytes are already stored."""
    result = IngestResult()
    set_index_options(conn)
    writer = _BatchWriter(conn)
    try:
        todo = _triage(conn, writer, expand_paths(paths), force, result)
    except BaseException:
        writer.close()
        raise
    results = _ParseJobs(todo, jobs)        # workers start before the progress bar's thread does
    bar = _progress_bar(len(todo), progress)
    try:
        with _Interrupts() as interrupts:
            for path, sha, record, reason in results:
                shown = printable(path)         # as stored and printed (a name may not be UTF-8)
                if record is None:
                    writer.write(_record_failure, shown, sha, reason)
                    result.failed.append((shown, reason))
                else:
                    result.ingested.append((shown, writer.write(_store, shown, sha, record, writer)))
                bar.update(1)
                if interrupts.requested:
                    result.interrupted = True       # the report just written stays, and is counted
                    break
    except KeyboardInterrupt:       # a second Ctrl-C: the report being written was rolled back
        result.interrupted = True
    finally:
        try:
            writer.close()
        finally:
            results.close()
            bar.close()
    result.alternates = _alternates_of(conn, [rid for _, rid in result.ingested])
    result.corpus = _counts(conn)
    return result


def _alternates_of(conn, ids: list[int]) -> list[tuple[str, str]]:
    """(path, path of the copy that counts) for the reports of this run that are alternates,
    and for those this run displaced (a better copy arrived)."""
    out = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        out += conn.execute(f"""SELECT a.path, c.path FROM reports a JOIN reports c ON c.id = a.canonical_id
                                WHERE a.id IN ({marks}) OR a.canonical_id IN ({marks}) ORDER BY a.id""",
                            chunk + chunk).fetchall()
    return sorted(set(map(tuple, out)))


def _counts(conn) -> dict:
    row = conn.execute("""SELECT SUM(canonical_id IS NULL), SUM(canonical_id IS NOT NULL),
                                 SUM(canonical_id IS NULL AND year IS NULL),
                                 SUM(canonical_id IS NULL AND year_source = 'file name') FROM reports""").fetchone()
    return {k: int(v or 0) for k, v in zip(("canonical", "alternates", "no_year", "year_from_file_name"), row)}


class _Interrupts:
    """Ctrl-C and SIGTERM (`timeout N baogao ingest`, a service manager) during an ingest ask it
    to stop after the report being written: that report is stored and counted, so the summary
    is exact; a second Ctrl-C stops at once (the report in hand is rolled back). Signal handlers
    can only be set from the main thread; elsewhere Ctrl-C behaves as usual."""

    def __enter__(self):
        self.requested, self.saved = False, {}
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self.saved[signum] = signal.signal(signum, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        if self.requested and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.requested = True

    def __exit__(self, *exc) -> None:
        for signum, handler in self.saved.items():
            signal.signal(signum, handler)


class _BatchWriter:
    """Runs write functions inside one transaction per batch and one savepoint per call.

    A call that raises (Ctrl-C included) is rolled back to its savepoint, so the batch holds
    only whole reports; close() commits them. Search-index rows handed to index_later() are
    inserted in bulk (flush_index): before the batch commits, when INDEX_ROWS are waiting, and
    whenever a write is about to read or move index rows (flush_index, called by _store). They
    belong to the open transaction: a rolled-back call takes its own rows back, and rows it
    flushed for earlier calls wait again."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn, self.started, self.count = conn, 0.0, 0
        self.cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute(f"PRAGMA cache_size = {-WRITER_CACHE_MB * 1024}")
        self.index_rows: list[tuple[int, str]] = []     # (sentence id, tokens) of this transaction
        self.indexed = 0                                # how many of them are in the index already

    def write(self, fn, *args):
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")
            self.started, self.count = time.monotonic(), 0
            self.index_rows, self.indexed = [], 0
        elif len(self.index_rows) - self.indexed >= INDEX_ROWS:
            self.flush_index()          # between two calls: outside any call's savepoint
        self.conn.execute("SAVEPOINT report")
        queued, indexed = len(self.index_rows), self.indexed
        try:
            out = fn(self.conn, *args)
        except BaseException:
            self._undo("ROLLBACK TO report", "RELEASE report")
            del self.index_rows[queued:]
            self.indexed = indexed
            raise
        self.conn.execute("RELEASE report")
        self.count += 1
        if self.count >= BATCH_REPORTS or time.monotonic() - self.started >= BATCH_SECONDS:
            self.commit()
        return out

    def index_later(self, rows: list[tuple[int, str]]) -> None:
        self.index_rows += rows

    def flush_index(self) -> None:
        """Insert the index rows waiting, all or none (a savepoint of their own), in rowid order:
        FTS5 writes out what it holds whenever a rowid lower than the last one arrives, and the
        reports of a batch come from many years (sentence ids start with the year), so unsorted
        rows made a small segment every report or two (1000 reports, the writer alone: 6.1 s of
        index inserts; sorted, 5.5 s; sorted with a hash as large as db.FTS_HASH_MB, 4.1 s)."""
        rows = self.index_rows[self.indexed:]
        if not rows:
            return
        self.conn.execute("SAVEPOINT index_rows")
        try:
            self.conn.executemany(INDEX_INSERT, sorted(rows))
            self.indexed = len(self.index_rows)
        except BaseException:
            self._undo("ROLLBACK TO index_rows", "RELEASE index_rows")
            raise
        self.conn.execute("RELEASE index_rows")

    def commit(self) -> None:
        if self.conn.in_transaction:
            try:
                self.flush_index()
                self.conn.execute("COMMIT")
            except BaseException:
                self._undo("ROLLBACK")
                raise

    def _undo(self, *statements: str) -> None:
        """Roll back after an error, keeping the error: SQLite has often rolled the whole
        transaction back itself (a full disk, an I/O error), and "cannot rollback - no
        transaction is active" must not replace the reason the user needs to see."""
        for sql in statements:
            if not self.conn.in_transaction:
                return
            try:
                self.conn.execute(sql)
            except sqlite3.Error:
                return

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.conn.execute(f"PRAGMA cache_size = {self.cache}")


def _triage(conn, writer, files: list[Path], force: bool, result: IngestResult) -> list[str]:
    """Sort out what needs parsing; unchanged files and unreadable ones are settled here."""
    todo, first_path_of = [], {}
    stored = dict(conn.execute("SELECT sha256, path FROM reports").fetchall())
    for f in files:
        real = os.path.abspath(f)
        path = printable(real)
        if not f.is_file():
            reason = "no such file or folder" if not f.exists() else "not a regular file"
            writer.write(_record_failure, path, None, reason)
            result.failed.append((path, reason))
            continue
        try:
            sha = _sha256(f)
        except OSError as e:
            writer.write(_record_failure, path, None, f"cannot read: {e.strerror or e}")
            result.failed.append((path, f"cannot read: {e.strerror or e}"))
            continue
        if sha in first_path_of:            # same bytes twice in this run
            result.unchanged.append((path, f"duplicate of {first_path_of[sha]}"))
        elif sha in stored and not force:
            note = "unchanged" if stored[sha] == path else f"duplicate of {stored[sha]}"
            result.unchanged.append((path, note))
            if conn.execute("SELECT 1 FROM failures WHERE path = ?", (path,)).fetchone():
                writer.write(_clear_failure, path)     # it failed before; its bytes are stored now
        else:
            first_path_of[sha] = path
            todo.append(real)
    return todo


class _ParseJobs:
    """Parse results as they come, from worker processes when there is more than a little to do.
    Iterate it; close() stops the workers (waiting for the files they are on).

    Only a small window of files is in flight at a time and each result is dropped once it has
    been handed out: submitting everything at once kept every parsed record (text included)
    alive until the end, so memory grew with the corpus (4.7 GB at 10,000 reports)."""

    def __init__(self, paths: list[str], jobs: int | None):
        jobs = jobs or os.cpu_count() or 1
        self.pool, self.pending = None, {}
        if jobs == 1 or len(paths) <= 2:
            self.serial, self.queue = paths, iter(())
            return
        self.serial = []
        self.queue = iter(paths)
        # room for what the workers parse while the writer inserts index rows (0.1-0.3 s at a
        # time): with 4 files per worker they often stood waiting for it, a core idle. 10,000
        # reports: 104 s with 32 in flight, 101 s with 96 (the main process waited 12 s, then 4 s)
        self.window = max(4 * jobs, WINDOW)
        # fork where it is safe and the default (Linux): unlike spawn, it does not re-run the
        # caller's __main__ in each worker, so a script or `python -` without a main guard works.
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self.pool = ProcessPoolExecutor(max_workers=min(jobs, len(paths)),
                                        mp_context=multiprocessing.get_context(method),
                                        initializer=_worker_start, initargs=(os.getpid(),))
        self._fill()                    # workers start now, before the progress bar's thread

    def _fill(self) -> None:
        while len(self.pending) < self.window:
            path = next(self.queue, None)
            if path is None:
                return
            self.pending[self.pool.submit(parse_file, path)] = path

    def __iter__(self):
        for path in self.serial:
            yield parse_file(path)
        while self.pending:
            done, _ = wait(self.pending, return_when=FIRST_COMPLETED)
            for future in done:
                path = self.pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as e:  # the worker process itself died (out of memory, killed)
                    outcome = (path, None, None, f"parser process failed: {type(e).__name__}: {e}")
                yield outcome
            self._fill()

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(parent: int) -> None:
    """In each parser process: die with the parent (kill -9 of ingest must not leave workers
    running with init as their parent), and leave Ctrl-C to the parent, which finishes the
    report in hand and then stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The one writing process is the pipeline's narrowest part (FTS5 indexing): when the parsers
    # and the writer share the cores, the writer must not wait for a slice of CPU. Niced workers
    # measured 1000 reports in 10.7 s where equal priority took 12.7 s (2 cores).
    try:
        os.nice(WORKER_NICE)
    except (OSError, AttributeError):
        pass
    if sys.platform.startswith("linux"):
        import ctypes
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:      # the parent died before prctl took effect
        os._exit(1)


PR_SET_PDEATHSIG = 1


def _store(conn, path: str, sha: str, record: dict, writer: _BatchWriter | None = None) -> int:
    """Write one report, replacing an older version of the same file, and place it among the
    other copies of the same report if there are any (dedup.py). The caller holds a transaction.
    With a writer, the report's search-index rows are left to it (_BatchWriter.index_later)."""
    old = conn.execute("SELECT id FROM reports WHERE sha256 = ? OR path = ?", (sha, path)).fetchall()
    if writer and old:
        writer.flush_index()        # the old version's index rows are deleted by their tokens
    for (report_id,) in old:
        dedup.detach(conn, report_id)
        delete_report(conn, report_id)
    prepared = record["_prepared"]
    sig = prepared.get("signature")
    canonical_id, group = dedup.place(conn, sig, prepared.get("shingles") or 0, *_region_year(record))
    report_id = insert_report(conn, record, path, sha, record.get("parser_version"), canonical_id=canonical_id,
                              index_later=writer.index_later if writer else None)
    if sig:
        dedup.store_bands(conn, report_id, sig)
    if group:
        if writer:
            writer.flush_index()    # regrouping moves index rows, this report's among them
        dedup.regroup(conn, group + [report_id])
    conn.execute("DELETE FROM failures WHERE path = ?", (path,))
    return report_id


def _region_year(record: dict) -> tuple[str | None, int | None]:
    """The region key and year a report will be stored under (db.insert_report), for dedup."""
    from .db import region_name
    meta = record.get("meta") or {}
    region = meta.get("region") or {}
    return region.get("code") or region_name(region), meta.get("year")


def _record_failure(conn, path: str, sha: str | None, reason: str) -> None:
    """Remember why a file failed (the writer holds the transaction)."""
    known = conn.execute("SELECT sha256, reason FROM failures WHERE path = ?", (path,)).fetchone()
    if known and tuple(known) == (sha, reason):
        return                      # the same failure again: leave the database as it is
    conn.execute("INSERT OR REPLACE INTO failures(path, sha256, reason, failed_at) VALUES (?,?,?,?)",
                 (path, sha, reason, now()))


def _clear_failure(conn, path: str) -> None:
    conn.execute("DELETE FROM failures WHERE path = ?", (path,))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _progress_bar(total: int, progress: bool | None):
    from tqdm import tqdm
    # progress=None: a bar only on a terminal (tqdm's disable=None), so logs stay clean.
    disable = None if progress is None else not progress
    return tqdm(total=total, desc="ingest", unit="file", file=sys.stderr, disable=disable)
