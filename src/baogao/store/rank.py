"""bm25 for a few sentences, exactly as FTS5's bm25() scores them.

Why by hand: FTS5's bm25() counts each phrase's matches over the whole index once per
statement (the idf). A search limited to one county wants a few dozen sentences from ~20
reports spread over as many years, so with bm25() it either ranks every match of the term in
the corpus and keeps the county's (230 ms for 营商环境 at 60,000 reports), or runs a statement
per report and pays the whole-index count each time. Here each phrase is counted once, and the
candidates are scored with FTS5's formula, constants and statistics (fts5_aux.c: k1 = 1.2,
b = 0.75, idf = log((N - n + 0.5) / (n + 0.5)) floored at 1e-6; the row length from the
index's own docsize table). tests/test_store.py checks the scores against bm25() itself.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

K1, B = 1.2, 0.75


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]     # index tokens, in order
    prefix: bool                # the last token is a prefix (a one-character last run)
    fts: str                    # the phrase as an FTS5 expression, to count its rows

    def count_in(self, row: str | list[str]) -> int:
        """Instances of the phrase in a row's tokens (each start position counts, as in FTS5,
        overlapping ones too). `row`: the space-separated token string as indexed (or a list)."""
        text = row if isinstance(row, str) else " ".join(row)
        return len(self._pattern().findall(f" {text} "))

    def _pattern(self) -> re.Pattern:
        # a lookahead, so that overlapping instances (发展 发展 in 发展发展发展) each count once
        words = " ".join(map(re.escape, self.tokens))
        return _compiled(f"(?= {words}{'[^ ]*' if self.prefix else ''} )")


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def varints(blob: bytes) -> list[int]:
    """SQLite's variable-length integers (1-9 bytes, big-endian, 7 bits a byte; the 9th byte 8)."""
    out, i = [], 0
    while i < len(blob):
        value = 0
        for j in range(9):
            byte = blob[i]
            i += 1
            if j == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        out.append(value)
    return out


def index_stats(conn, table: str = "sentence_index") -> tuple[int, int]:
    """(rows, tokens) of an FTS5 table: its 'averages' record (%_data, id 1)."""
    row = conn.execute(f"SELECT block FROM {table}_data WHERE id = 1").fetchone()
    if not row or not row[0]:
        return 0, 0
    numbers = varints(row[0])
    return numbers[0], sum(numbers[1:])


def row_sizes(conn, ids: list[int], table: str = "sentence_index") -> dict[int, int]:
    """Tokens in each row (all columns), from the %_docsize table."""
    sizes = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for rowid, blob in conn.execute(f"SELECT id, sz FROM {table}_docsize WHERE id IN "
                                        f"({','.join('?' * len(chunk))})", chunk):
            sizes[rowid] = sum(varints(blob))
    return sizes


def bm25_scores(conn, phrases: list[Phrase], rows: dict[int, list[str]],
                table: str = "sentence_index") -> dict[int, float]:
    """rowid -> the value FTS5's bm25() gives that row for a query made of `phrases` (negative:
    lower is better). `rows` holds each candidate's index tokens (the space-separated string as
    stored in the index, or a list)."""
    if not rows:
        return {}
    n_rows, n_tokens = index_stats(conn, table)
    avgdl = n_tokens / n_rows
    hits = {fts: phrase_rows(conn, fts, table)
            for fts in {phrase.fts for phrase in phrases}}     # a phrase written twice is counted once
    idf = [_idf(n_rows, hits[phrase.fts]) for phrase in phrases]
    sizes = row_sizes(conn, list(rows), table)
    scores = {}
    for rowid, tokens in rows.items():
        norm = K1 * (1 - B + B * sizes[rowid] / avgdl)
        score = 0.0
        for phrase, weight in zip(phrases, idf):
            freq = phrase.count_in(tokens)
            score += weight * ((freq * (K1 + 1.0)) / (freq + norm))    # FTS5's order of operations
        scores[rowid] = -score
    return scores


# Rows matching a phrase, counted once per state of the index: FTS5 finds them by reading the
# phrase's whole doclist (~65 ns a row: 发展, 828,000 rows at 10,000 reports, 55 ms; six times
# that at 60,000), which a very common term would pay on every search. The key holds the
# database file and a digest of the index's 'averages' record (its row and token totals, written
# by every insert and delete) and its structure record (FTS5 rewrites it, with a new cookie, at
# every change of its segments), so a count is not used after the index changed, whichever
# connection changed it.
_COUNTS: dict[tuple, int] = {}
_COUNTS_MAX = 4096


def index_state(conn, table: str = "sentence_index") -> tuple:
    """What identifies the index's contents for _COUNTS."""
    import hashlib
    digest = hashlib.blake2b(digest_size=16)
    for (block,) in conn.execute(f"SELECT block FROM {table}_data WHERE id IN (1, 10) ORDER BY id"):
        digest.update(block or b"")
        digest.update(b"|")
    file = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    return file or id(conn), table, digest.digest()     # a database in memory: this connection's


def phrase_rows(conn, fts: str, table: str = "sentence_index", state: tuple | None = None) -> int:
    """Rows of the index that match `fts` (FTS5's nHit for bm25's idf), counted once per index state."""
    key = (state or index_state(conn, table), fts)
    count = _COUNTS.get(key)
    if count is None:
        count = conn.execute(f"SELECT COUNT(*) FROM {table} WHERE {table} MATCH ?", (fts,)).fetchone()[0]
        if len(_COUNTS) >= _COUNTS_MAX:
            _COUNTS.clear()
        _COUNTS[key] = count
    return count


def _idf(n_rows: int, hits: int) -> float:
    value = math.log((n_rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0 else 1e-6         # FTS5 floors a non-positive idf
