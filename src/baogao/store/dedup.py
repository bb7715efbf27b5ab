"""One report, counted once: the same report from two sources.

The sample corpus holds most State Council reports twice (Wikisource's clean text and gov.cn's
scraped page), and a real collection holds many more such pairs. Their bytes differ, so the
sha256 identity of ingest does not see them; their text does not. Every report gets a MinHash
signature of the set of 5-character shingles of its body: boilerplate removed,
only letters, digits and Chinese characters kept, full-width as ASCII, traditional characters
as simplified (OpenCC's character table: 1954 is traditional on Wikisource, simplified on
gov.cn), one shingle in four kept by its hash value (the same shingles in every text, so the
samples' similarity estimates the sets'). Two reports are the same report when the estimated Jaccard similarity of their shingle
sets is at least SAME_REPORT, or when one is contained in the other (CONTAINED of the smaller
set's shingles in the larger: a page that holds only the first part of a report). On the
sample corpus copies of one speech measure Jaccard 0.92-1.00, gov.cn's first pages of the 2006-
2008 reports are 0.96-0.99 contained in Wikisource's whole text, and two reports of one
government in consecutive years measure Jaccard 0.06-0.09 and containment 0.15-0.26.

Candidates: reports that share an LSH bucket with the new one (the signature's BANDS bands of
ROWS values hashed into `report_bands`, an indexed table, so nothing is rebuilt in memory at
each run), and reports of the same region and year (a part of a report is too dissimilar to
share a bucket with the whole).

Which copy counts (the canonical report): the most complete, then the cleanest. Complete: a
body within 2% of the longest of the group, then more header fields printed (date, congress,
speaker); clean: a larger share of the file is the report (body chars / chars); then the lowest
id (a hash of the file's bytes: the choice does not depend on the order of ingest). The others
are alternates: reports.canonical_id names their canonical report, and search, attention,
panels, targets and exports leave them out unless asked to include them.
Sentence ids keep alternates in the upper half of each year's id range (schema.ALTERNATE_BIT),
so a search leaves them out without reading the reports table.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from ..clean.normalize import _TABLE as NORMALIZE_TABLE

if TYPE_CHECKING:
    import numpy as np

NUM_PERM = 128
BANDS, ROWS = 32, 4             # 32 x 4 = NUM_PERM; a pair at similarity 0.5 shares a band with p = 0.87
SHINGLE = 5
SAMPLE = 4                      # a power of two
SAME_REPORT = 0.5
CONTAINED = 0.8
COMPLETE_WITHIN = 0.98
_KEEP = re.compile(r"[\W_]+")    # what a shingle ignores: white space and punctuation


# -- the signature (computed in ingest workers, with the other derived values) -------------------
def signature(text: str, boilerplate: list[tuple[int, int]]) -> tuple[bytes, int]:
    """The MinHash signature of a report's body (NUM_PERM little-endian uint32) and the number
    of distinct shingles it summarises."""
    shingles = _shingle_hashes(_body_codes(_body(text, boilerplate)))
    return minhash(shingles).astype("<u4").tobytes(), len(shingles)


def minhash(values: "np.ndarray") -> "np.ndarray":
    """datasketch's MinHash(num_perm=NUM_PERM, seed=1, hashfunc=int, scheme="affine32") of these
    32-bit values, its `hashvalues`: each value mixed by MurmurHash3's finaliser, then per
    permutation k the least of a_k * h + b_k (mod 2^32). Written out here (tests/test_dedup.py
    compares it with datasketch's, value for value) because importing datasketch imports scipy:
    0.3 s in every ingest worker, for these six lines of numpy."""
    import numpy as np
    a, b = _permutations()
    h = np.asarray(values, dtype=np.uint32)
    if not len(h):
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint32(16))
        h = h * np.uint32(0x85EBCA6B)
        h = h ^ (h >> np.uint32(13))
        h = h * np.uint32(0xC2B2AE35)
        h = h ^ (h >> np.uint32(16))
        return (h[:, None] * a + b).min(axis=0)


@lru_cache(maxsize=1)
def _permutations() -> tuple["np.ndarray", "np.ndarray"]:
    """datasketch's affine32 permutations for seed 1: odd multipliers a, offsets b."""
    import numpy as np
    gen = np.random.RandomState(1)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _body(text: str, boilerplate: list[tuple[int, int]]) -> str:
    parts, pos = [], 0
    for s, e in sorted(boilerplate):
        if s > pos:
            parts.append(text[pos:s])
        pos = max(pos, e)
    parts.append(text[pos:])
    return "".join(parts)


def _body_codes(body: str) -> "np.ndarray":
    """The code points of _KEEP.sub("", body.translate(_folding_table())) as uint64: folded by
    a lookup array over the Basic Multilingual Plane and filtered by a mask of the characters
    \\w keeps, in numpy (the same values; 5x faster than translate and the regex). A body with a
    character beyond the BMP takes the plain way."""
    import numpy as np
    codes = np.frombuffer(body.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    if len(codes) and int(codes.max()) > 0xFFFF:
        plain = _KEEP.sub("", body.translate(_folding_table()))
        return np.frombuffer(plain.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    fold, word = _fold_arrays()
    folded = fold[codes]
    if len(folded) and int(folded.max()) > 0xFFFF:       # a character folded beyond the BMP
        plain = _KEEP.sub("", body.translate(_folding_table()))
        return np.frombuffer(plain.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    return folded[word[folded]].astype(np.uint64)


@lru_cache(maxsize=1)
def _fold_arrays() -> tuple["np.ndarray", "np.ndarray"]:
    """_folding_table() as a lookup array over the BMP (its entries beyond it never meet a BMP
    body; a BMP character folded beyond it gives a value over 0xFFFF, which sends the body the
    plain way), and which BMP characters [\\W_] does not remove."""
    import numpy as np
    fold = np.arange(0x10000, dtype=np.uint32)
    for k, v in _folding_table().items():
        v = v if isinstance(v, int) else ord(v) if len(v) == 1 else 0x110000   # longer: the plain way
        if k <= 0xFFFF:
            fold[k] = v
    bmp = "".join(chr(c) if not 0xD800 <= c <= 0xDFFF else "_" for c in range(0x10000))
    kept = _KEEP.sub(lambda m: "\0" * len(m.group()), bmp)
    word = np.frombuffer(kept.encode("utf-32-le"), dtype="<u4") != 0
    word[0] = False                                  # NUL is not a word character either
    return fold, word


def _shingle_hashes(body: "str | np.ndarray") -> "np.ndarray":
    """32-bit hashes of the SHINGLE-character windows, each distinct value once, of one window in
    SAMPLE: a polynomial over the code points, mixed (splitmix64's finaliser), in numpy rather
    than a Python loop over tens of thousands of windows."""
    import numpy as np              # here, not at import: the CLI imports this module to start
    codes = body if isinstance(body, np.ndarray) else np.frombuffer(body.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for i in range(SHINGLE):
            h = h * np.uint64(1_000_003) + codes[i:i + n]
        h ^= h >> np.uint64(30)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(27)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(31)
        h &= np.uint64(0xFFFFFFFF)
    # one shingle in SAMPLE, chosen by its hash (the same shingles in every text, so the Jaccard
    # similarity of the samples estimates that of the whole sets): a quarter of the MinHash work
    return np.unique(h[(h & np.uint64(SAMPLE - 1)) == 0])


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    """OpenCC's traditional-to-simplified character table (its first choice for each character)."""
    data = resources.files("opencc").joinpath("dictionary/TSCharacters.txt").read_text("utf-8")
    table = {}
    for row in data.splitlines():
        trad, _, simp = row.partition("\t")
        if len(trad) == 1 and simp:
            table[ord(trad)] = simp.split()[0]
    return table


@lru_cache(maxsize=1)
def _folding_table() -> dict[int, int | str]:
    """Full-width as ASCII (clean.normalize) and traditional as simplified, in one pass."""
    return {**_t2s_table(), **NORMALIZE_TABLE}


def bands(sig: bytes) -> list[int]:
    """The LSH bucket of each band: 8 bytes of a hash of the band's values, as a signed int."""
    return [int.from_bytes(hashlib.blake2b(sig[b * ROWS * 4:(b + 1) * ROWS * 4], digest_size=8).digest(),
                           "little", signed=True) for b in range(BANDS)]


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or not b or len(a) != len(b):
        return 0.0
    import numpy as np
    return float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")))


def containment(jaccard: float, n_a: int, n_b: int) -> float:
    """The estimated share of the smaller shingle set found in the larger: |A & B| / min(|A|, |B|),
    with |A & B| = J (|A| + |B|) / (1 + J)."""
    if not n_a or not n_b:
        return 0.0
    return min(1.0, jaccard * (n_a + n_b) / (1 + jaccard) / min(n_a, n_b))


def is_same(sig_a: bytes, n_a: int, sig_b: bytes, n_b: int) -> bool:
    j = similarity(sig_a, sig_b)
    return j >= SAME_REPORT or containment(j, n_a, n_b) >= CONTAINED


# -- groups (in the writing process) ------------------------------------------------------------
def same_reports(conn, sig: bytes, shingles: int, region_key: str | None = None,
                 year: int | None = None, exclude: int | None = None) -> list[int]:
    """Stored reports that are the same report as the one with this signature."""
    buckets = bands(sig)
    candidates = {r[0] for r in conn.execute(
        f"SELECT DISTINCT report_id FROM report_bands WHERE {' OR '.join(['(band = ? AND bucket = ?)'] * BANDS)}",
        [x for b, bucket in enumerate(buckets) for x in (b, bucket)])}
    if region_key and year:
        candidates |= {r[0] for r in conn.execute("SELECT id FROM reports WHERE region_key = ? AND year = ?",
                                                  (region_key, year))}
    out = []
    for report_id in sorted(candidates - {exclude}):
        other = conn.execute("SELECT signature, shingles FROM reports WHERE id = ?", (report_id,)).fetchone()
        if other and other[0] and is_same(sig, shingles, other[0], other[1] or 0):
            out.append(report_id)
    return out


def group_of(conn, report_ids: list[int]) -> list[int]:
    """The reports of the groups these reports belong to (canonical and alternates)."""
    if not report_ids:
        return []
    marks = ",".join("?" * len(report_ids))
    canon = [r[0] for r in conn.execute(
        f"SELECT DISTINCT COALESCE(canonical_id, id) FROM reports WHERE id IN ({marks})", report_ids)]
    marks = ",".join("?" * len(canon))
    return sorted({r[0] for r in conn.execute(
        f"SELECT id FROM reports WHERE id IN ({marks}) OR canonical_id IN ({marks})", canon + canon)})


def choose_canonical(rows: list[dict]) -> int:
    """The id of the copy that counts (see the module's docstring). rows: id, chars, body_chars,
    date, term, speaker_name."""
    longest = max(r["body_chars"] for r in rows) or 1

    def key(r):
        complete = r["body_chars"] >= COMPLETE_WITHIN * longest
        header = sum(r[k] is not None for k in ("date", "term", "speaker_name"))
        clean = r["body_chars"] / r["chars"] if r["chars"] else 0
        return (not complete, -header, -round(clean, 3), r["id"])
    return min(rows, key=key)["id"]


def store_bands(conn, report_id: int, sig: bytes) -> None:
    conn.executemany("INSERT OR IGNORE INTO report_bands(band, bucket, report_id) VALUES (?,?,?)",
                     [(b, bucket, report_id) for b, bucket in enumerate(bands(sig))])


def _rows(conn, ids: list[int]) -> list[dict]:
    marks = ",".join("?" * len(ids))
    return [dict(r) for r in conn.execute(
        f"SELECT id, chars, body_chars, date, term, speaker_name, canonical_id FROM reports WHERE id IN ({marks})", ids)]


def regroup(conn, ids: list[int]) -> int:
    """Make these reports one group: the copy that counts is chosen again, the others point to
    it, and sentence ids move between the halves where a report's standing changed. Returns
    the canonical id. (The caller holds the transaction.)"""
    from .db import move_sentences
    rows = _rows(conn, ids)
    canon = choose_canonical(rows)
    for r in rows:
        want = None if r["id"] == canon else canon
        if r["canonical_id"] != want:
            conn.execute("UPDATE reports SET canonical_id = ? WHERE id = ?", (want, r["id"]))
        move_sentences(conn, r["id"], alternate=want is not None)
    return canon


def detach(conn, report_id: int) -> None:
    """Before a report is removed: if it was the copy that counted, another copy takes its place."""
    row = conn.execute("SELECT canonical_id FROM reports WHERE id = ?", (report_id,)).fetchone()
    if row is None or row[0] is not None:
        return
    others = [r[0] for r in conn.execute("SELECT id FROM reports WHERE canonical_id = ?", (report_id,))]
    if others:
        regroup(conn, others)


def place(conn, sig: bytes | None, shingles: int = 0, region_key: str | None = None,
          year: int | None = None, exclude: int | None = None) -> tuple[int | None, list[int]]:
    """Where a new report with this signature stands before it is stored: (the canonical id of
    its group, the group), or (None, []) when it is the only copy."""
    group = group_of(conn, same_reports(conn, sig, shingles, region_key, year, exclude)) if sig else []
    if not group:
        return None, []
    canon = conn.execute("SELECT COALESCE(canonical_id, id) FROM reports WHERE id = ?", (group[0],)).fetchone()[0]
    return canon, group


def ensure_signatures(conn) -> int:
    """Signatures (and groups) for reports stored before schema 4, from their stored text and
    boilerplate. Returns how many were computed."""
    from .schema import transaction
    todo = [r[0] for r in conn.execute("SELECT id FROM reports WHERE signature IS NULL ORDER BY id")]
    for report_id in todo:
        with transaction(conn):
            text, region_key, year = conn.execute("SELECT text, region_key, year FROM reports WHERE id = ?",
                                                  (report_id,)).fetchone()
            struck = conn.execute("SELECT start, end FROM boilerplate WHERE report_id = ?", (report_id,)).fetchall()
            sig, shingles = signature(text, [tuple(s) for s in struck])
            _, group = place(conn, sig, shingles, region_key, year, exclude=report_id)
            conn.execute("UPDATE reports SET signature = ?, shingles = ? WHERE id = ?", (sig, shingles, report_id))
            store_bands(conn, report_id, sig)
            if group:
                regroup(conn, group + [report_id])
    return len(todo)
