"""Full-text search over the sentences of the corpus.

Why character bigrams, and not words
------------------------------------
SQLite's FTS5 has no Chinese word tokenizer, and its `trigram` tokenizer cannot find words of
two characters (河长, 化债, 双碳) at all. So we give FTS5 tokens we make ourselves and index them
with FTS5's plain `ascii` tokenizer (which splits on the spaces we put between them and takes
every non-ASCII byte as part of a token; the tokens are folded already, so unicode61's
classification of each character would be wasted work):

* each run of Chinese characters becomes its overlapping bigrams plus its last character
  (河长制 -> 河长 长制 制); each run of Latin letters or digits is one token (5G -> 5g);
* a query term becomes the *phrase* of its bigrams (保交楼 -> "保交 交楼"). Consecutive
  overlapping bigrams in a phrase line up only where the term itself occurs, so a term is
  found exactly where plain substring search finds it, whatever its length;
* a one-character term becomes a prefix query (税 -> "税" *), which matches every token that
  starts with it: every position of that character, thanks to the run's last character;
* spaces between two Chinese characters are dropped first (政 府 工 作 报 告 is 政府工作报告):
  Chinese is written without spaces, so they are layout, not word breaks.

A word segmenter (rjieba) was the alternative. It was not chosen because segmentation depends
on context: 河长制 can be cut 河长/制 in one sentence and 河/长制 in another, so a word-token
index misses real occurrences, and a query term that is not in the dictionary is cut into
pieces that do not line up with the document's. Bigrams cost a larger index (one token per
character, each with its position) and give up word boundaries (searching 长制 also finds it inside 河长制),
which is the right trade for a tool whose users check hits against the text.

Query language: terms separated by spaces are ANDed; "double quotes" (or “Chinese quotes”)
make one phrase of several words; AND, OR, NOT (upper case) and parentheses combine them.
FTS5's NOT is binary: `河长 NOT 湖长`. Ranking: the newest year first and FTS5's bm25 within a
year, or bm25 over all years (order="relevance"); see ORDERS below.
"""
from __future__ import annotations

import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import add

from ..clean.spans import SpanSet
from .rank import Phrase, bm25_scores, index_state, phrase_rows
from .schema import CANONICAL_ROWID_SQL, YEAR_SHIFT, year_ids

GRAMS_VERSION = "bigram-2;year-ids;ascii"    # stored in meta; a change rebuilds the index (see db.py)

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
TOKEN_RUN = re.compile(f"([{CJK}]+)|([0-9a-z]+)")
NOT_TOKEN = f"[^0-9a-z{CJK}]*"          # what may sit between the runs of one term in the text
CJK_GAP = re.compile(f"(?<=[{CJK}])\\s+(?=[{CJK}])")
ANY_SPACE = re.compile(r"\s")
OPERATORS = {"AND", "OR", "NOT"}
QUOTES = {'"': '"', "“": "”"}
WORD = re.compile(r'[^\s()"“]+')
SNIPPET_CHARS = 90
MARK = ("[", "]")
# Limits on one query, so that no request makes the parser or FTS5 work without bound: 300 ORed
# terms took 47 s, and 300 nested parentheses overflowed Python's stack (the parser recurses).
MAX_QUERY_TERMS = 16        # terms and "phrases" in one query
MAX_QUERY_DEPTH = 8         # levels of nested parentheses
MAX_TERM_CHARS = 200        # characters of one term or phrase (each character is an index token)
MAX_REGION_CHARS = 100      # a region filter (SQLite refuses LIKE patterns over 50,000 bytes)
NATIONAL_NAMES = {"全国", "中国", "中华人民共和国", "国务院", "national"}   # --region for the national reports


class QueryError(ValueError):
    """A search query that cannot be understood; str() is a one-line explanation."""


# -- tokens ----------------------------------------------------------------------------------
def fold(text: str) -> str:
    """Full-width to half-width, upper to lower case (NFKC, then lower): what both index and
    queries see. Fast path: each character of the Basic Multilingual Plane mapped to its own
    NFKC form by one translate; when the result is NFKC-normalized it is NFKC(text) (the
    per-character forms decompose to what text does), else the full normalization runs."""
    folded = text.translate(_nfkc_table())
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", text)
    return folded.lower()


@lru_cache(maxsize=1)
def _nfkc_table() -> dict[int, str]:
    table = {}
    for code in range(0x10000):
        if not 0xD800 <= code <= 0xDFFF:
            char = chr(code)
            form = unicodedata.normalize("NFKC", char)
            if form != char:
                table[code] = form
    return table


def tokens_text(text: str) -> str:
    """fold(), and spaces between Chinese characters dropped: Chinese is written without them,
    so they are layout (政 府 工 作 报 告, PDF justification) and must not break a word."""
    folded = fold(text)
    return CJK_GAP.sub("", folded) if ANY_SPACE.search(folded) else folded


def index_grams(text: str) -> str:
    """The token string indexed for a sentence (space-separated): a Chinese run's bigrams and its
    last character, a Latin or digit run whole. Built from findall's strings (this runs for every
    sentence of every report ingested)."""
    parts: list[str] = []
    for cjk, other in TOKEN_RUN.findall(tokens_text(text)):
        if not cjk:
            parts.append(other)
        elif len(cjk) > 1:
            parts.append(" ".join(map(add, cjk, cjk[1:])) + " " + cjk[-1])
        else:
            parts.append(cjk)
    return " ".join(parts)


def report_grams(text: str, spans) -> list[str]:
    """index_grams(text[s:e]) for each (s, e) of `spans` (a report's sentences), the same strings,
    built for the whole report at once: ingest's token building, 2-3x faster than sentence by
    sentence (tests/test_fast_paths.py compares the two).

    * fold: the report is folded once, characters whose NFKC form is longer (…) left as they are
      so that offsets hold, and lower-cased (unless it holds a Σ, whose lower case depends on the
      next letter), so a sentence's fold is a slice of it; a sentence that holds a character of
      a longer form, or whose slice is not NFKC-normalized, is folded alone, as fold() does;
    * tokens: the sentences' token texts, joined by a line break (no token character), become one
      array of code points, and numpy writes each character's share of the token string: a
      Chinese character followed by another gives the bigram and a space, the last of a run
      itself and a space, a letter or digit itself (and a space at the end of its run)."""
    spans = list(spans)
    if not spans:
        return []
    lo = min(s for s, _ in spans)                 # fold only the stretch the sentences cover
    hi = max(max(e for _, e in spans), lo)
    whole = _fold_same_length(text[lo:hi])
    lowered = whole.lower() if "\u03a3" not in whole else None
    if lowered is not None and len(lowered) != len(whole):
        lowered = None
    longer = _fold_classes()[2].search
    is_normalized, space = unicodedata.is_normalized, ANY_SPACE.search
    texts = []
    for s, e in spans:
        if lowered is not None and e > s and not longer(text, s, e) and is_normalized("NFKC", whole[s - lo:e - lo]):
            t = lowered[s - lo:e - lo]
        else:
            t = fold(text[s:e])
        texts.append(CJK_GAP.sub("", t) if space(t) else t)
    return _grams_of_token_texts(texts)


def _grams_of_token_texts(texts: list[str]) -> list[str]:
    import numpy as np
    joined = "\n".join(texts)
    a = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    cjk = (((a >= 0x3400) & (a <= 0x4DBF)) | ((a >= 0x4E00) & (a <= 0x9FFF)) | ((a >= 0xF900) & (a <= 0xFAFF))
           | ((a >= 0x20000) & (a <= 0x3134F)))
    aln = ((a >= 0x30) & (a <= 0x39)) | ((a >= 0x61) & (a <= 0x7A))
    cjk_next = np.zeros_like(cjk)
    cjk_next[:-1] = cjk[1:]
    aln_next = np.zeros_like(aln)
    aln_next[:-1] = aln[1:]
    pair = cjk & cjk_next                         # bigram + space
    run_end = (cjk & ~cjk_next) | (aln & ~aln_next)   # the character + space
    length = pair * 3 + run_end * 2 + (aln & aln_next)
    ends = np.cumsum(length)
    starts = ends - length
    out = np.empty(int(ends[-1]) if len(ends) else 0, dtype="<u4")
    emit = length > 0
    out[starts[emit]] = a[emit]                   # every token character first
    idx = np.flatnonzero(pair)
    out[starts[idx] + 1] = a[idx + 1]
    out[starts[idx] + 2] = 0x20
    out[starts[run_end] + 1] = 0x20
    tokens = out.tobytes().decode("utf-32-le", "surrogatepass")
    # each text's share begins where its first character's would: sentence k starts at offset
    # sum(len(texts[:k])) + k of the joined string
    firsts = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]])
    bounds = starts[firsts].tolist() if len(a) else [0] * len(texts)
    bounds.append(len(tokens))
    return [tokens[b:c - 1] if c > b else "" for b, c in zip(bounds, bounds[1:])]


@lru_cache(maxsize=1)
def _fold_classes() -> tuple[re.Pattern, dict[str, str], re.Pattern]:
    table = _nfkc_table()
    one = {chr(c): form for c, form in table.items() if len(form) == 1}
    longer = [chr(c) for c, form in table.items() if len(form) != 1]
    return (re.compile("[" + "".join(map(re.escape, one)) + "]"), one,
            re.compile("[" + "".join(map(re.escape, longer)) + "]"))


def _fold_same_length(text: str) -> str:
    """text with every character whose NFKC form is one character replaced by it (the others
    left): the same length as text, and text[s:e].translate(_nfkc_table()) wherever text[s:e]
    holds no character of a longer form. Each character that changes is replaced everywhere at
    once (no form holds a character that changes, so this is translate's result)."""
    mapped, one, _ = _fold_classes()
    m = mapped.search(text)
    while m is not None:
        at = m.start()
        char = text[at]
        text = text.replace(char, one[char])
        m = mapped.search(text, at)
    return text


def phrase_of(term: str) -> Phrase:
    """One query term as a phrase of index tokens (see the module's docstring)."""
    runs = list(TOKEN_RUN.finditer(tokens_text(term)))
    if not runs:
        raise QueryError(f"'{term}' has no characters to search for (Chinese characters, letters or digits)")
    tokens, prefix = [], False
    for i, m in enumerate(runs):
        run, last = m.group(), i == len(runs) - 1
        if not m.group(1):
            tokens.append(run)
        elif len(run) == 1:
            tokens.append(run)
            prefix = last          # a lone last character may be followed by more in the text
        else:
            tokens.extend(run[j:j + 2] for j in range(len(run) - 1))
            if not last:           # the run ends here in the text too: its last-character token follows
                tokens.append(run[-1])
    return Phrase(tuple(tokens), prefix, '"' + " ".join(tokens) + '"' + (" *" if prefix else ""))


# -- query parsing -----------------------------------------------------------------------------
@dataclass
class Query:
    fts: str                # the FTS5 MATCH expression
    terms: list[str]        # the positive terms (not under NOT), for highlighting
    phrases: list[Phrase]   # every phrase of the expression, in order (as FTS5's bm25 sees them)


def parse_query(query: str) -> Query:
    """Parse the user's query into an FTS5 expression, or raise QueryError."""
    tokens = _lex(query)
    if not tokens:
        raise QueryError("empty query: give a word to search for, e.g. 河长制")
    _check_size(tokens)
    parser = _Parser(tokens)
    fts = parser.parse()
    return Query(fts=fts, terms=parser.positive, phrases=parser.phrases)


def _lex(query: str) -> list[tuple[str, str]]:
    """Split into ('term', text), ('op', AND|OR|NOT), ('(' | ')', ...)."""
    out, i = [], 0
    while i < len(query):
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch in "()":
            out.append((ch, ch))
            i += 1
        elif ch in QUOTES:
            close = query.find(QUOTES[ch], i + 1)
            if close < 0:
                raise QueryError(f"unclosed quote {ch} in the query")
            phrase = query[i + 1:close].strip()
            if not phrase:
                raise QueryError("empty quotes in the query")
            out.append(("term", phrase))
            i = close + 1
        else:
            m = WORD.match(query, i)
            word = m.group()
            out.append(("op", word) if word in OPERATORS else ("term", word))
            i = m.end()
    return out


def _check_size(tokens: list[tuple[str, str]]) -> None:
    """QueryError unless the query keeps within MAX_QUERY_TERMS, MAX_TERM_CHARS and MAX_QUERY_DEPTH.
    Checked on the tokens, before the (recursive) parser sees them."""
    terms = [text for kind, text in tokens if kind == "term"]
    if len(terms) > MAX_QUERY_TERMS:
        raise QueryError(f"too many terms: a query may have at most {MAX_QUERY_TERMS}, this one has {len(terms)}")
    longest = max(terms, key=len, default="")
    if len(longest) > MAX_TERM_CHARS:
        raise QueryError(f"term too long: at most {MAX_TERM_CHARS} characters, one has {len(longest)}")
    depth = deepest = 0
    for kind, _ in tokens:
        depth += (kind == "(") - (kind == ")")
        deepest = max(deepest, depth)
    if deepest > MAX_QUERY_DEPTH:
        raise QueryError(f"too deeply nested: at most {MAX_QUERY_DEPTH} levels of parentheses, "
                         f"this query has {deepest}")


class _Parser:
    """or := and (OR and)* ; and := not ([AND] not)* ; not := atom (NOT atom)* ; atom := term | (or)"""

    def __init__(self, tokens):
        self.tokens, self.i, self.positive, self.negated, self.phrases = tokens, 0, [], 0, []

    def parse(self) -> str:
        expr = self.or_expr()
        if self.i < len(self.tokens):
            kind, text = self.tokens[self.i]
            raise QueryError("unmatched ')' in the query" if kind == ")" else f"unexpected '{text}' in the query")
        return expr

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def or_expr(self) -> str:
        parts = [self.and_expr()]
        while self.peek() == ("op", "OR"):
            self.i += 1
            parts.append(self.and_expr("OR"))
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def and_expr(self, after: str | None = None) -> str:
        parts = [self.not_expr(after)]
        while True:
            kind, text = self.peek()
            if (kind, text) == ("op", "AND"):
                self.i += 1
                parts.append(self.not_expr("AND"))
            elif kind in ("term", "("):
                parts.append(self.not_expr())
            else:
                break
        return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"

    def not_expr(self, after: str | None = None) -> str:
        expr = self.atom(after)
        while self.peek() == ("op", "NOT"):
            self.i += 1
            self.negated += 1
            expr = f"({expr} NOT {self.atom('NOT')})"
            self.negated -= 1
        return expr

    def atom(self, after: str | None) -> str:
        kind, text = self.peek()
        if kind == "term":
            self.i += 1
            if not self.negated:
                self.positive.append(text)
            phrase = phrase_of(text)
            self.phrases.append(phrase)
            return phrase.fts
        if kind == "(":
            self.i += 1
            expr = self.or_expr()
            if self.peek()[0] != ")":
                raise QueryError("missing ')' in the query")
            self.i += 1
            return expr
        if kind == "op" and text == "NOT" and after is None:
            raise QueryError("NOT needs a term before it, as in: 河长 NOT 湖长")
        if after:
            raise QueryError(f"{after} needs a term after it")
        if kind == ")":
            raise QueryError("unmatched ')' in the query")
        if kind == "op":
            raise QueryError(f"{text} needs a term before it")
        raise QueryError("the query ends too early")


# -- hits ------------------------------------------------------------------------------------
def find_terms(sentence: str, terms: list[str]) -> list[tuple[int, int]]:
    """Spans (in `sentence`) of every occurrence of the query's positive terms, sorted."""
    folded, index = _fold_with_index(sentence)
    spans = []
    for term in terms:
        runs = [m.group() for m in TOKEN_RUN.finditer(tokens_text(term))]
        if not runs:
            continue
        # Spaces may sit between Chinese characters in the text (see tokens_text).
        pattern = re.compile(NOT_TOKEN.join(r"\s*".join(map(re.escape, run)) if _is_cjk(run) else re.escape(run)
                                            for run in runs))
        for m in pattern.finditer(folded):
            spans.append((index[m.start()], index[m.end() - 1] + 1))
    return list(SpanSet(spans))


def snippet(sentence: str, spans: list[tuple[int, int]], mark=MARK, width: int = SNIPPET_CHARS) -> str:
    """The sentence (cut around the first hit if long) with hits marked, on one line."""
    lo, hi = 0, len(sentence)
    if hi > width:
        first = spans[0][0] if spans else 0
        lo = max(0, min(first - width // 3, hi - width))
        hi = lo + width
    out, pos = [], lo
    for s, e in spans:
        if e <= lo or s >= hi:
            continue
        s, e = max(s, lo), min(e, hi)
        out += [sentence[pos:s], mark[0], sentence[s:e], mark[1]]
        pos = e
    out.append(sentence[pos:hi])
    text = "".join(out)
    text = re.sub(r"\s+", " ", text)
    return ("…" if lo > 0 else "") + text + ("…" if hi < len(sentence) else "")


def _is_cjk(run: str) -> bool:
    return bool(re.match(f"[{CJK}]", run))


def _fold_with_index(text: str) -> tuple[str, list[int]]:
    """fold() character by character, remembering each folded character's source index."""
    chars, index = [], []
    for i, ch in enumerate(text):
        folded = fold(ch)
        chars.append(folded)
        index.extend([i] * len(folded))
    return "".join(chars), index


# -- the search ------------------------------------------------------------------------------
# Two orders. "newest" (the default): the newest year with hits first, and within a year the best
# bm25 score first. "relevance": bm25 over the whole corpus. bm25 costs about 1.5 µs per
# matching sentence, so "relevance" on a common term grows with the corpus (营商环境 matches
# 115,000 sentences of 60,000 reports: ~200 ms). "newest" scores only the years it shows: it
# reads the `limit` newest matches backwards in rowid order (cheap: no scoring), and ranks the
# matches of the years those fall in (sentence ids are partitioned by year, schema.YEAR_SHIFT).
# A year holds at most one report per government (some 3,300), so its cost is bounded by the
# matches of one year's reports, whatever the corpus's span. A filter to one county or city
# (few reports, FEW_REPORTS) takes a third way: its matches found report by report and scored
# in rank.py, since its hits are scattered over every year.
# "relevance" is bounded for very common terms: when more than RELEVANCE_CANDIDATES sentences
# match, only the RELEVANCE_CANDIDATES newest matches (the highest sentence ids: the newest years)
# are ranked, so that 的 costs what 20,000 matches cost, not what every sentence of the corpus does;
# FEW_REPORTS_CANDIDATES under a filter to few reports, whose matches are scored in Python.
ORDERS = ("newest", "relevance")
FEW_REPORTS = 300       # a region filter keeping at most this many reports is searched report by report
MANY_REPORTS = 10_000   # in relevance order, a filter keeping at most this many is applied by sentence id
RANGE_ROWS_PER_REPORT = 10  # ... when the query's phrases match more rows than this per report kept: then
                            # two seeks per kept report cost less than two joins per match (_relevance_in_ranges)
RELEVANCE_CANDIDATES = 20_000   # order="relevance" ranks at most this many matches (the newest): ~50 ms
FEW_REPORTS_CANDIDATES = 2_000  # the same, report by report: rank.py scores ~15 µs a sentence, and its
                                # tokens and a MATCH per report cost more (16,000 took 1.7 s)
# A phrase matching more rows than this (发展, 的) is very common: bm25() would count its rows over
# the whole index at every search (65 ns a row: 0.3 s for 发展 at 60,000 reports) and, in the
# default order, score every match of the newest year. Such a query takes its COMMON_CANDIDATES
# newest matches (filters applied, no scoring) and scores them in rank.py, whose phrase counts
# are kept per state of the index (rank.phrase_rows): in both orders the hits are the best of the
# newest COMMON_CANDIDATES matches (newest first: all of them from the newest year when that year
# has that many).
COMMON_ROWS = 200_000
COMMON_CANDIDATES = FEW_REPORTS_CANDIDATES
# A few reports' matches are read one MATCH per report (~0.3 ms each), or, when the query's
# phrases match at most this many rows per report kept, in one pass over all the matches kept by
# their id ranges. The pass costs ~1.2 µs a row for a phrase with a common token (营商环境 at 60k
# reports: 83,000 rows, 100 ms, where 201 MATCHes took 79 ms in all): at 10k reports 营商环境
# (13,600 rows) in a province of 324 reports still takes the one pass.
SCAN_ROWS_PER_REPORT = 100
# What _hit() reads of a sentence (s) and its report (r).
HIT_COLUMNS = """s.report_id, s.start AS s_start, s.end AS s_end,
               r.doc, r.year, r.region_code, r.region_name, r.region_level,
               substr(r.text, s.start + 1, s.end - s.start) AS sentence"""


def search(conn, query: str, region: str | None = None, year: str | int | None = None,
           level: str | None = None, limit: int = 20, mark=MARK, order: str = "newest",
           alternates: bool = False, offset: int = 0) -> list[dict]:
    """Ranked sentence hits for `query` (see ORDERS), `limit` of them after the first `offset`
    (a page of hits). Raises QueryError. Alternates (other copies of a report, dedup.py) are
    left out unless `alternates`.

    order="relevance" ranks every match by bm25, unless more than RELEVANCE_CANDIDATES sentences
    match: then it ranks only the RELEVANCE_CANDIDATES newest of them (by sentence id: the newest
    years first), so a very common term is answered in bounded time. Under a region filter that
    keeps at most FEW_REPORTS reports, the bound is FEW_REPORTS_CANDIDATES."""
    if order not in ORDERS:
        raise QueryError(f"order must be one of {', '.join(ORDERS)}, not {order!r}")
    parsed = parse_query(query)
    limit, offset = int(limit), max(int(offset), 0)
    rows = _phrase_rows(conn, query, parsed)
    if region:
        few = _few_reports(conn, region, year, level, alternates)
        if few is not None:
            return _search_reports(conn, query, parsed, few, sum(rows), order, limit, mark, offset)
    joins, where, params = _match_filters(parsed, region, year, level, alternates)
    if max(rows) > COMMON_ROWS:
        found = [sid for (sid,) in _execute(conn, query, f"""SELECT sentence_index.rowid FROM sentence_index {joins}
                 WHERE {' AND '.join(where)} ORDER BY sentence_index.rowid DESC LIMIT ?""",
                                           params + [COMMON_CANDIDATES])]
        return _rank_candidates(conn, parsed, found, order, limit, mark, offset)
    if region and order == "relevance":
        kept = report_filters(region, year, level, alternates=alternates)
        if sum(rows) > RANGE_ROWS_PER_REPORT * _count_reports(conn, *kept):
            ranges = _report_ranges(conn, *kept, most=MANY_REPORTS)
            if ranges is not None:
                return _relevance_in_ranges(conn, query, parsed, ranges, limit, mark, offset)
    scored = f"""SELECT sentence_index.rowid AS sid, bm25(sentence_index) AS score
                 FROM sentence_index {joins} WHERE {' AND '.join(where)}"""
    if order == "newest":
        oldest = _oldest_year_needed(conn, query, joins, where, params, limit + offset)
        if oldest:
            scored += " AND sentence_index.rowid >= ?"
            params.append(year_ids(oldest, oldest)[0])
        rank = f"(sid >> {YEAR_SHIFT}) DESC, score"
        ranked = f"{scored} ORDER BY {rank}, sid LIMIT ? OFFSET ?"
    else:   # the newest RELEVANCE_CANDIDATES matches, scored as they are read: one pass, then ranked
        rank = "score"
        ranked = (f"SELECT * FROM ({scored} ORDER BY sentence_index.rowid DESC LIMIT ?) "
                  f"ORDER BY score, sid LIMIT ? OFFSET ?")
        params.append(RELEVANCE_CANDIDATES)
    # Rank and cut first, read report text only for the hits kept: joining every match to its
    # report's text before ORDER BY ... LIMIT cost tens of thousands of text reads for a
    # common term (营商环境: p95 over 300 ms at 10,000 reports).
    sql = f"""
        WITH hits AS ({ranked})
        SELECT hits.score AS score, {HIT_COLUMNS}
        FROM hits
        JOIN sentences s ON s.id = hits.sid
        JOIN reports r ON r.id = s.report_id
        ORDER BY {rank}, hits.sid"""
    rows = _execute(conn, query, sql, params + [limit, offset])
    return [_hit(row, parsed.terms, mark) for row in rows]


def _count_reports(conn, where: list[str], params: list) -> int:
    """How many reports the conditions keep (from reports_region, without reading the table)."""
    return conn.execute(f"SELECT COUNT(*) FROM reports r WHERE {' AND '.join(where)}", params).fetchone()[0]


def _report_ranges(conn, where: list[str], params: list, most: int | None = None) -> list[tuple[int, int, int]] | None:
    """(report id, first sentence id, last sentence id) of the reports the conditions keep that
    have sentences; None when they are more than `most`. A report's sentence ids are consecutive
    in seq order: its first and last are two seeks in sentences_report (MIN/MAX over every
    sentence read them all: 35 ms for 300 reports)."""
    limit = "" if most is None else f" LIMIT {int(most) + 1}"
    rows = conn.execute(
        "SELECT r.id, (SELECT id FROM sentences WHERE report_id = r.id ORDER BY seq LIMIT 1), "
        "(SELECT id FROM sentences WHERE report_id = r.id ORDER BY seq DESC LIMIT 1) "
        f"FROM reports r WHERE {' AND '.join(where)}{limit}", params).fetchall()
    if most is not None and len(rows) > most:
        return None
    return [tuple(row) for row in rows if row[1] is not None]


def _relevance_in_ranges(conn, query: str, parsed: Query, ranges: list, limit: int, mark,
                         offset: int = 0) -> list[dict]:
    """Relevance order under a filter that keeps many reports (a province's: more than
    FEW_REPORTS). Joining every match of the corpus to its sentence and report to test the
    filter cost ~1.3 µs a match (营商环境 in a province at 60,000 reports: 83,000 matches, 230 ms).
    Here the matches are kept by their ids, in numpy, against the kept reports' id ranges; FTS5
    then scores only those (bm25 over the newest RELEVANCE_CANDIDATES, as the general path does):
    the same hits in the same order."""
    found = _matches_in_ranges(conn, query, parsed, ranges)
    if not found:
        return []
    found.sort(reverse=True)
    # `+rowid`: the list is tested row by row; as a constraint FTS5 would run the query once per id
    sql = f"""
        WITH hits AS (SELECT sentence_index.rowid AS sid, bm25(sentence_index) AS score FROM sentence_index
                      WHERE sentence_index MATCH ? AND +sentence_index.rowid IN (SELECT value FROM json_each(?))
                      ORDER BY score, sid LIMIT ? OFFSET ?)
        SELECT hits.score AS score, {HIT_COLUMNS}
        FROM hits
        JOIN sentences s ON s.id = hits.sid
        JOIN reports r ON r.id = s.report_id
        ORDER BY hits.score, hits.sid"""
    rows = _execute(conn, query, sql, [parsed.fts, json.dumps(found[:RELEVANCE_CANDIDATES]), limit, offset])
    return [_hit(row, parsed.terms, mark) for row in rows]


def _match_filters(parsed: Query, region, year, level, alternates) -> tuple[str, list[str], list]:
    """(joins, conditions, parameters) of the sentences matching a query under the filters: the
    year and whether a copy counts are read from the sentence id itself, the rest by a join."""
    where, params = ["sentence_index MATCH ?"], [parsed.fts]
    if year:
        first, last = parse_years(year)
        where.append("sentence_index.rowid BETWEEN ? AND ?")
        params += list(year_ids(max(first, 1000), last)) if last >= 1000 else [1, 0]
    if not alternates:
        where.append(CANONICAL_ROWID_SQL)       # by the id alone: no join to reports (schema.py)
    report_where, report_params = report_filters(region, None, level, alternates=True)
    joins = ("JOIN sentences s ON s.id = sentence_index.rowid JOIN reports r ON r.id = s.report_id"
             if report_where else "")
    return joins, where + report_where, params + report_params


# -- counting ------------------------------------------------------------------------------------
COUNT_LIMIT = 20_000        # matches counted at most (the newest): 的 matches every sentence of a corpus


def count_hits(conn, query: str, region: str | None = None, year: str | int | None = None,
               level: str | None = None, alternates: bool = False, limit: int = COUNT_LIMIT) -> dict:
    """How many sentences match `query` under the filters, and how many in each year and region:
    {"total", "capped", "by_year": [(year, n)], "by_region": [(code, name, level, n)]}, years
    newest first, regions most matches first. At most `limit` matches are counted (the newest);
    "capped" says more matched, and the counts are then of the newest matches (at most `limit`)."""
    parsed = parse_query(query)
    few = _few_reports(conn, region, year, level, alternates) if region else None
    if few is not None:
        per_report, capped = _count_in_reports(conn, query, parsed, few, limit)
    else:
        per_report, capped = _count_matches(conn, query, parsed, (region, year, level, alternates), limit)
    return _tally(conn, per_report, capped)


def _count_matches(conn, query: str, parsed: Query, filters: tuple, limit: int) -> tuple[dict[int, int], bool]:
    """Matches per report id among the `limit` newest, and whether there were more."""
    joins, where, params = _match_filters(parsed, *filters)
    newest = f"""SELECT sentence_index.rowid AS sid FROM sentence_index {joins} WHERE {' AND '.join(where)}
                 ORDER BY sentence_index.rowid DESC"""
    rows = _execute(conn, query, f"""SELECT s.report_id, COUNT(*) FROM ({newest} LIMIT ?) AS m
                                     JOIN sentences s ON s.id = m.sid GROUP BY s.report_id""", params + [limit])
    more = _execute(conn, query, f"SELECT sid FROM ({newest}) LIMIT 1 OFFSET ?", params + [limit])
    return dict(rows), bool(more)


def _count_in_reports(conn, query: str, parsed: Query, reports: list, limit: int) -> tuple[dict[int, int], bool]:
    """Matches per report among a few reports (a rowid range each), newest reports first, until
    more than `limit` are found."""
    ids = [rid for rid, _ in reports]
    if not ids:
        return {}, False
    ranges = _report_ranges(conn, [f"r.id IN ({','.join('?' * len(ids))})"], ids)
    counts, total = {}, 0
    for report_id, lo, hi in sorted(ranges, key=lambda r: (-r[2], r[0])):
        n = _execute(conn, query, "SELECT COUNT(*) FROM sentence_index WHERE sentence_index MATCH ? "
                                  "AND rowid BETWEEN ? AND ?", [parsed.fts, lo, hi])[0][0]
        if n and total + n > limit:
            return counts, True
        if n:
            counts[report_id], total = n, total + n
    return counts, False


def _tally(conn, per_report: dict[int, int], capped: bool) -> dict:
    """Counts per report summed by year and by region (code, name and level of the reports)."""
    ids = list(per_report)
    rows = conn.execute(f"SELECT id, year, region_code, region_name, region_level FROM reports "
                        f"WHERE id IN ({','.join('?' * len(ids))})", ids).fetchall() if ids else []
    by_year: dict = {}
    by_region: dict = {}
    for report_id, year, code, name, level in rows:
        n = per_report[report_id]
        by_year[year] = by_year.get(year, 0) + n
        key = (code, name, level)
        by_region[key] = by_region.get(key, 0) + n
    years = sorted(by_year.items(), key=lambda kv: (kv[0] is None, -(kv[0] or 0)))
    regions = sorted(((*key, n) for key, n in by_region.items()), key=lambda r: (-r[3], r[1] or "", r[0] or ""))
    return {"total": sum(per_report.values()), "capped": capped, "by_year": years, "by_region": regions}


def _phrase_rows(conn, query: str, parsed: Query) -> list[int]:
    """Rows of the whole index matching each distinct phrase of the query (rank.phrase_rows: kept
    per state of the index), which decide the way a search takes."""
    try:
        state = index_state(conn)
        return [phrase_rows(conn, fts, state=state) for fts in {p.fts for p in parsed.phrases}]
    except sqlite3.OperationalError as e:
        raise QueryError(f"cannot search for {query!r}: {e}") from None


def _few_reports(conn, region, year, level, alternates) -> list[tuple[int, int | None]] | None:
    """(id, year) of the reports a region filter keeps, when they are few (else None)."""
    where, params = report_filters(region, year, level, alternates=alternates)
    rows = conn.execute(f"SELECT r.id, r.year FROM reports r WHERE {' AND '.join(where)} LIMIT ?",
                        params + [FEW_REPORTS + 1]).fetchall()
    return [tuple(row) for row in rows] if len(rows) <= FEW_REPORTS else None


def _search_reports(conn, query: str, parsed: Query, reports: list, rows: int, order: str, limit: int, mark,
                    offset: int = 0) -> list[dict]:
    """Search a few reports (one county's, one city's): find their matching sentences report by
    report (a rowid range each, no scoring), then score those with rank.bm25_scores. bm25()
    would rank every match in the corpus to keep these (see rank.py). `rows`: the rows of the
    query's phrases in the whole index (_phrase_rows)."""
    if not reports:
        return []
    ids = [rid for rid, _ in reports]
    ranges = _report_ranges(conn, [f"r.id IN ({','.join('?' * len(ids))})"], ids)
    # newest: the years holding the `limit` newest matches; relevance: the newest candidates.
    enough = limit + offset if order == "newest" else FEW_REPORTS_CANDIDATES
    if rows <= SCAN_ROWS_PER_REPORT * len(ranges):
        found = _matches_in_ranges(conn, query, parsed, ranges)
    else:
        found, year_done = [], None
        for report_id, lo, hi in sorted(ranges, key=lambda r: (-(r[1] >> YEAR_SHIFT), r[0])):
            year = lo >> YEAR_SHIFT
            if len(found) >= enough and year != year_done:
                break                   # the years still to come are older than the matches in hand
            found += [sid for (sid,) in _execute(conn, query, "SELECT rowid FROM sentence_index WHERE "
                                                 "sentence_index MATCH ? AND rowid BETWEEN ? AND ?", [parsed.fts, lo, hi])]
            year_done = year
    found.sort(reverse=True)
    if order == "relevance":
        found = found[:FEW_REPORTS_CANDIDATES]
    elif len(found) > enough:           # the whole years that hold the `limit` newest matches
        last_year = found[enough - 1] >> YEAR_SHIFT
        found = [sid for sid in found if sid >> YEAR_SHIFT >= last_year]
    return _rank_candidates(conn, parsed, found, order, limit, mark, offset)


def _matches_in_ranges(conn, query: str, parsed: Query, ranges: list) -> list[int]:
    """The query's matches that fall in one of the (report, first id, last id) ranges: one pass
    over all its matches (rowids only), kept by a binary search of the ranges in numpy."""
    import numpy as np
    ids = np.fromiter((sid for (sid,) in _execute(conn, query, "SELECT rowid FROM sentence_index WHERE "
                                                  "sentence_index MATCH ?", [parsed.fts])), dtype=np.int64)
    if not len(ids) or not ranges:
        return []
    spans = np.array(sorted((lo, hi) for _, lo, hi in ranges), dtype=np.int64)
    k = np.searchsorted(spans[:, 0], ids, side="right") - 1
    inside = (k >= 0) & (ids <= spans[np.maximum(k, 0), 1])
    return ids[inside].tolist()


def _rank_candidates(conn, parsed: Query, found: list[int], order: str, limit: int, mark,
                     offset: int = 0) -> list[dict]:
    """Score candidate sentences with rank.bm25_scores (FTS5's bm25, by hand) and return the
    `limit` best as hits: the newest year first for order "newest"."""
    if not found:
        return []
    marks = ",".join("?" * len(found))
    # score the candidates on their index tokens (the index is contentless: rebuilt from the
    # sentence), then read the full hit of the `limit` kept only
    # (each report's text read once and cut here: SQLite's substr walks the UTF-8 from the start)
    spans = conn.execute(f"SELECT id, report_id, start, end FROM sentences WHERE id IN ({marks})", found).fetchall()
    report_ids = sorted({row[1] for row in spans})
    texts = dict(conn.execute(f"SELECT id, text FROM reports WHERE id IN ({','.join('?' * len(report_ids))})",
                              report_ids))
    place = {sid: (report_id, start) for sid, report_id, start, _ in spans}
    by_report: dict[int, list] = {}
    for sid, report_id, start, end in spans:
        by_report.setdefault(report_id, []).append((sid, start, end))
    grams = {}
    for report_id, rows in by_report.items():
        grams.update(zip((r[0] for r in rows), report_grams(texts[report_id], [(r[1], r[2]) for r in rows])))
    scores = bm25_scores(conn, parsed.phrases, grams)
    newest = order == "newest"
    # ties broken by sentence id, as the SQL paths break them, so every path ranks alike
    ranked = sorted(place, key=lambda sid: ((-(sid >> YEAR_SHIFT) if newest else 0), scores[sid], sid))
    ranked = ranked[offset:offset + limit]
    if not ranked:
        return []
    rows = {row["sid"]: dict(row) for row in conn.execute(f"""
        SELECT s.id AS sid, {HIT_COLUMNS}
        FROM sentences s JOIN reports r ON r.id = s.report_id
        WHERE s.id IN ({','.join('?' * len(ranked))})""", ranked)}
    for sid, row in rows.items():
        row["score"] = scores[sid]
    return [_hit(rows[sid], parsed.terms, mark) for sid in ranked]


def _oldest_year_needed(conn, query: str, joins: str, where: list[str], params: list, limit: int) -> int | None:
    """The year of the limit-th newest match (None: fewer matches than that, every year is needed).
    Read backwards in rowid order, without scoring, this costs `limit` rows, not every match."""
    sql = f"""SELECT sentence_index.rowid FROM sentence_index {joins} WHERE {' AND '.join(where)}
              ORDER BY sentence_index.rowid DESC LIMIT 1 OFFSET ?"""
    row = _execute(conn, query, sql, params + [max(limit - 1, 0)])
    return row[0][0] >> YEAR_SHIFT if row else None


def _execute(conn, query: str, sql: str, params: list) -> list:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as e:      # FTS5's own complaints about an expression
        raise QueryError(f"cannot search for {query!r}: {e}") from None


def _hit(row, terms: list[str], mark) -> dict:
    sentence = row["sentence"]
    spans = find_terms(sentence, terms)
    first = spans[0] if spans else (0, 0)
    return {
        "report_id": row["report_id"], "doc": row["doc"], "year": row["year"],
        "region_code": row["region_code"], "region_name": row["region_name"],
        "level": row["region_level"], "score": round(-row["score"], 4),
        "offset": row["s_start"] + first[0], "end": row["s_start"] + first[1],
        "match": sentence[first[0]:first[1]],
        "sentence_start": row["s_start"], "sentence_end": row["s_end"],
        "snippet": snippet(sentence, spans, mark),
    }


def report_filters(region=None, year=None, level=None, alias: str = "r",
                   alternates: bool = False) -> tuple[list[str], list]:
    """SQL conditions on reports for --region (code, code prefix or name), --year (Y or Y1-Y2),
    --level, and (unless alternates) only the copy of each report that counts (dedup.py)."""
    where, params = [], []
    if not alternates:
        # unary + keeps SQLite from reading this through reports_canonical (nearly every report
        # has a NULL there): a region filter then scanned the whole table, 8.8 ms at 10,000
        # reports, where reports_region's range takes 0.1 ms
        where.append(f"+{alias}.canonical_id IS NULL")
    if region:
        region = str(region).strip()
        if len(region) > MAX_REGION_CHARS:
            raise QueryError(f"region too long: at most {MAX_REGION_CHARS} characters, not {len(region)}")
        if region in NATIONAL_NAMES:    # the State Council's reports: stored under 中华人民共和国, no code
            where.append(f"{alias}.region_level = 'national'")
        elif region.isdigit():
            where.append(f"{alias}.region_code GLOB ?")     # GLOB (case-sensitive) can use the index
            params.append(region + "*")
        else:       # the name's own % and _ are characters to find, not LIKE's wildcards
            where.append(f"({alias}.region_name LIKE ? ESCAPE '\\' OR {alias}.region_key = ?)")
            params += [f"%{like_literal(region)}%", region]
    if year:
        first, last = parse_years(year)
        where.append(f"{alias}.year BETWEEN ? AND ?")
        params += [first, last]
    if level:
        where.append(f"{alias}.region_level = ?")
        params.append(level)
    return where, params


def like_literal(text: str) -> str:
    """`text` as a LIKE pattern that matches itself only (with ESCAPE '\\')."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def parse_years(year: str | int) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-:–~]\s*(\d{4}))?\s*", str(year))
    if not m:
        raise QueryError(f"--year wants a year or a range like 2012-2016, not {year!r}")
    first = int(m.group(1))
    return first, int(m.group(2) or first)
