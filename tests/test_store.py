"""The corpus store on the real sample corpus: ingest, idempotence, search, attention, export.

The whole of shared/corpus/ is ingested once for this module (about 20 s on two cores).
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import baogao
from baogao.store import SCHEMA_VERSION, Corpus, QueryError, StoreError
from baogao.store import analysis
from baogao.store.analysis import load_dictionary, shipped_dictionaries
from baogao.store.ingest import SUFFIXES
from baogao.store.schema import connect

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
HAILAR_2015 = CORPUS / "hailar" / "hailar_2015.txt"


def report_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "baogao.cli", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    db = tmp_path_factory.mktemp("store") / "corpus.db"
    with Corpus(db) as corpus:
        result = corpus.ingest([CORPUS], progress=False)
    return db, result


@pytest.fixture(scope="module")
def corpus(ingested):
    with Corpus(ingested[0], readonly=True) as corpus:
        yield corpus


def outside_boilerplate(report: dict, term: str) -> bool:
    """Plain substring search: does `term` occur in the report outside its boilerplate spans?"""
    struck = [(b["start"], b["end"]) for b in report["boilerplate"]]
    for m in re.finditer(re.escape(term), report["text"]):
        if not any(s <= m.start() < e for s, e in struck):
            return True
    return False


# -- ingest --------------------------------------------------------------------------------------
def test_every_file_is_ingested(ingested):
    _, result = ingested
    files = report_files(CORPUS)
    assert len(files) > 100
    assert result.failed == [], "\n".join(f"{p}: {r}" for p, r in result.failed)
    assert result.unchanged == []
    assert sorted(p for p, _ in result.ingested) == sorted(os.path.abspath(f) for f in files)


def test_second_run_changes_nothing_and_says_so(ingested):
    db, _ = ingested
    with Corpus(db) as corpus:
        result = corpus.ingest([CORPUS], progress=False)
        assert result.ingested == [] and result.failed == []
        assert len(result.unchanged) == len(report_files(CORPUS))
        assert corpus.conn.total_changes == 0
    cli = run_cli("ingest", str(CORPUS), "--db", str(db))
    assert cli.returncode == 0, cli.stderr
    assert "nothing to do" in cli.stdout and "unchanged" in cli.stdout


def test_database_is_consistent(corpus):
    assert corpus.check() == []
    assert corpus.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert corpus.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == str(SCHEMA_VERSION)
    assert corpus.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reports_table(corpus):
    reports = corpus.reports(alternates=True)
    assert len(reports) == len(report_files(CORPUS))
    counted = corpus.reports()
    assert counted["canonical_id"].isna().all() and len(counted) == corpus.counts()["canonical"]
    assert reports["sha256"].is_unique
    assert (reports["body_chars"] <= reports["chars"]).all() and (reports["body_chars"] > 0).all()
    hailar = reports[reports["doc"] == "hailar_2015"].iloc[0]
    assert (hailar["year"], hailar["review_year"], hailar["date"]) == (2015, 2014, "2015-02-05")
    assert hailar["format"] == "txt" and hailar["encoding"] == "gb18030"
    assert hailar["region_name"] and hailar["region_level"] == "county"


def test_report_comes_back_as_the_record(corpus):
    stored = corpus.report("hailar_2015")
    parsed = baogao.parse(HAILAR_2015).to_dict()
    for key, value in parsed.items():
        if key == "observations":       # the store adds each observation's sentence span
            assert [{k: v for k, v in o.items() if k != "sentence"} for o in stored[key]] == \
                   [{k: v for k, v in o.items() if k != "sentence"} for o in value]
        else:
            assert stored[key] == value, key
    assert stored["id"] == corpus.report(stored["id"])["id"]
    assert corpus.report(999_999) is None


def test_readonly_corpus_cannot_write(ingested, tmp_path):
    with Corpus(ingested[0], readonly=True) as corpus:
        with pytest.raises(StoreError):
            corpus.ingest([HAILAR_2015])
        with pytest.raises(sqlite3.OperationalError):
            corpus.conn.execute("DELETE FROM failures")
    with pytest.raises(StoreError, match="no corpus"):
        Corpus(tmp_path / "missing.db", readonly=True)


def test_schema_versions(tmp_path):
    conn = connect(tmp_path / "new.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        connect(tmp_path / "new.db")


def test_formats_duplicates_and_failures(tmp_path):
    """Every file ends up ingested, unchanged or failed; reasons are kept; a re-run changes nothing."""
    import pymupdf
    from docx import Document
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(HAILAR_2015, folder / "a.txt")
    shutil.copy(HAILAR_2015, folder / "sub" / "copy.txt")           # same bytes: a duplicate
    body = "政府工作报告\n各位代表：\n过去一年，全区地区生产总值增长6.5%。我们全面推行河长制。\n"
    (folder / "page.html").write_text(f"<html><body><p>{body}</p></body></html>", encoding="utf-8")
    document = Document()
    for line in body.splitlines():
        document.add_paragraph(line)
    document.save(folder / "report.docx")
    pdf = pymupdf.open()
    pdf.new_page().insert_text((50, 72), body.replace("\n", " ") + "（PDF）", fontname="china-s", fontsize=11)
    pdf.save(folder / "text.pdf")
    scanned = pymupdf.open()
    scanned.new_page()
    scanned.save(folder / "scanned.pdf")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "notes.md").write_text("not a report", encoding="utf-8")   # not a report suffix: skipped

    db = tmp_path / "mixed.db"
    with Corpus(db) as corpus:
        result = corpus.ingest([folder], jobs=2, progress=False)
        assert result.total == 7
        assert sorted(Path(p).name for p, _ in result.ingested) == ["a.txt", "page.html", "report.docx", "text.pdf"]
        assert [(Path(p).name, note) for p, note in result.unchanged] == \
               [("copy.txt", f"duplicate of {folder.resolve() / 'a.txt'}")]
        reasons = dict((Path(p).name, r) for p, r in result.failed)
        assert set(reasons) == {"scanned.pdf", "empty.txt"}
        assert "no text layer" in reasons["scanned.pdf"]
        assert set(corpus.failures()["reason"]) == set(reasons.values())
        every = corpus.reports(alternates=True)
        assert set(every["format"]) == {"txt", "html", "docx", "pdf"}
        # the html, docx and pdf hold the same report: one counts, two are its alternates
        same = every[every["format"] != "txt"]
        assert same["canonical_id"].isna().sum() == 1 and same["canonical_id"].nunique() == 1
        assert len(corpus.reports()) == 2 and "alternate" in result.summary()
        assert "duplicate of" in result.summary() and "no text layer" in result.summary()
        assert len(corpus.search("河长制", limit=50)) == 1
        assert len(corpus.search("河长制", limit=50, alternates=True)) == 3
        assert corpus.check() == []

    with Corpus(db) as corpus:                   # again: nothing changes, failures stay failures
        again = corpus.ingest([folder], progress=False)
        assert (len(again.ingested), len(again.unchanged), len(again.failed)) == (0, 5, 2)
        assert corpus.conn.total_changes == 0

        (folder / "page.html").write_text(f"<html><body><p>{body}再接再厉。</p></body></html>", encoding="utf-8")
        (folder / "empty.txt").write_text(body, encoding="utf-8")
        edited = corpus.ingest([folder], progress=False)
        assert sorted(Path(p).name for p, _ in edited.ingested) == ["empty.txt", "page.html"]
        assert len(corpus.reports(alternates=True)) == 5     # the edited page replaced its old version
        assert list(corpus.failures()["reason"]) == [reasons["scanned.pdf"]]
        assert corpus.check() == []

    missing = run_cli("ingest", str(tmp_path / "nowhere.txt"), "--db", str(db))
    assert missing.returncode == 1 and "no such file" in missing.stdout


# -- search --------------------------------------------------------------------------------------
@pytest.mark.parametrize("term", ["河长制", "营商环境", "保交楼"])
def test_search_finds_exactly_the_reports_that_contain_the_term(corpus, term):
    hits = corpus.search(term, limit=100_000)
    expected = {int(i) for i in corpus.reports()["id"] if outside_boilerplate(corpus.report(int(i)), term)}
    assert expected, term
    assert set(hits["report_id"]) == expected
    texts = {i: corpus.report(i)["text"] for i in expected}
    for hit in hits.itertuples():
        assert texts[hit.report_id][hit.offset:hit.end] == term
        assert f"[{term}]" in hit.snippet
        assert hit.sentence_start <= hit.offset < hit.sentence_end
        assert hit.year and hit.region_name
    # default order: newest year first, best bm25 first within a year
    keys = list(zip(-hits["year"].fillna(0), -hits["score"]))
    assert keys == sorted(keys)
    relevance = corpus.search(term, limit=100_000, order="relevance")
    assert list(relevance["score"]) == sorted(relevance["score"], reverse=True)
    assert sorted(zip(relevance["report_id"], relevance["offset"])) == sorted(zip(hits["report_id"], hits["offset"]))


@pytest.mark.parametrize("query, limit", [("营商环境", 1), ("营商环境", 7), ("营商环境", 30), ("河长制", 3),
                                          ("地区生产总值", 25), ("保交楼 OR 保交房", 4)])
def test_newest_order_reads_only_the_years_it_needs_and_still_ranks_exactly(corpus, query, limit):
    """search(limit=N) ranks only the years holding the N newest matches: its hits must be
    the first N of the full ranking by (year desc, score desc)."""
    def keys(hits):             # a report of unknown year ranks after every known year
        return list(zip(-hits["year"].fillna(0).astype(int), -hits["score"]))

    full = corpus.search(query, limit=100_000, order="relevance")
    got = corpus.search(query, limit=limit)
    assert keys(got) == sorted(keys(full))[:limit]
    filtered = corpus.search(query, limit=limit, level="county")
    assert keys(filtered) == sorted(keys(full[full["level"] == "county"]))[:limit]
    # a name, a county code, a province prefix: few reports each, so these take the path that
    # scores the candidates with rank.py; the expected order comes from bm25() over everything
    for region, kept in (("海拉尔区", full["region_name"].str.contains("海拉尔区", na=False)),
                         ("150702", full["region_code"].str.startswith("150702", na=False)),
                         ("15", full["region_code"].str.startswith("15", na=False))):
        assert kept.any() or query == "保交楼 OR 保交房"      # no 保交楼 in the Hailar reports
        for order in ("newest", "relevance"):
            one = corpus.search(query, limit=limit, region=region, order=order)
            expected = sorted(keys(full[kept]), key=(lambda k: k) if order == "newest" else (lambda k: k[1]))
            assert [k if order == "newest" else k[1] for k in keys(one)] == \
                   [k if order == "newest" else k[1] for k in expected[:limit]], (region, order)


@pytest.mark.parametrize("query, filters", [("营商环境", {}), ("地区生产总值", {"region": "海拉尔区"}),
                                            ("发展", {"level": "province"}), ("的", {"year": "2013-2016"})])
def test_pages_of_hits_add_up_to_the_whole_ranking(corpus, query, filters):
    """search(limit, offset) is a page of the ranking: the pages in turn give the same hits in the
    same order as one long search, for both orders and both ways of searching."""
    for order in ("newest", "relevance"):
        full = corpus.search(query, limit=600, order=order, **filters)
        pages = [corpus.search(query, limit=7, offset=start, order=order, **filters) for start in range(0, 602, 7)]
        joined = pd.concat(pages, ignore_index=True)[:600]
        assert len(full) > 7 and list(zip(joined["report_id"], joined["offset"])) == \
            list(zip(full["report_id"], full["offset"])), order
    assert corpus.search(query, offset=100_000, **filters).empty


@pytest.mark.parametrize("query, filters", [("营商环境", {}), ("地区生产总值", {"region": "海拉尔区"}),
                                            ("河长制", {"alternates": True}), ("发展", {"year": "2026"})])
def test_counts_by_year_and_region_are_those_of_the_hits(corpus, query, filters):
    counts = corpus.search_counts(query, **filters)
    hits = corpus.search(query, limit=100_000, **filters)
    assert counts["total"] == len(hits) > 0 and not counts["capped"]
    assert dict(counts["by_year"]) == hits.groupby("year").size().to_dict()
    by_region = {(code or "", name): n for code, name, _, n in counts["by_region"]}
    assert by_region == hits.fillna({"region_code": ""}).groupby(["region_code", "region_name"]).size().to_dict()
    assert [n for *_, n in counts["by_region"]] == sorted(by_region.values(), reverse=True)


def test_counts_stop_at_their_limit_and_say_so(corpus):
    from baogao.store.search import count_hits
    every = count_hits(corpus.conn, "的")
    assert every["total"] > 5000 and not every["capped"]
    newest = count_hits(corpus.conn, "的", limit=1000)
    assert newest["capped"] and newest["total"] == 1000
    assert newest["by_year"][0][0] == every["by_year"][0][0]        # the newest year is counted first
    few = count_hits(corpus.conn, "的", region="海拉尔区", limit=100)
    assert few["capped"] and 0 < few["total"] <= 100


def test_unknown_order_is_a_query_error(corpus):
    with pytest.raises(QueryError, match="order"):
        corpus.search("河长制", order="random")


def test_two_character_words_and_single_characters(corpus):
    two = corpus.search("河长", limit=100_000)
    assert set(two["report_id"]) >= set(corpus.search("河长制", limit=100_000)["report_id"])
    assert all(m == "河长" for m in two["match"])
    one = corpus.search("税", region="海拉尔区", limit=5)
    assert len(one) == 5 and all("[税]" in s for s in one["snippet"])


def test_search_operators(corpus):
    river = corpus.search("河长 NOT 湖长", limit=1000)
    assert len(river) and not any("湖长" in s for s in river["snippet"])
    either = set(corpus.search("保交楼 OR 保交房", limit=1000)["report_id"])
    assert either >= set(corpus.search("保交楼", limit=1000)["report_id"]) | \
                      set(corpus.search("保交房", limit=1000)["report_id"])
    both = corpus.search("保交楼 保交房", limit=1000)
    assert all("[保交楼]" in s and "[保交房]" in s for s in both["snippet"])
    phrase = corpus.search('"优化 营商环境"', limit=5)
    assert len(phrase) and all("营商环境" in s for s in phrase["snippet"])
    grouped = corpus.search("(河长制 OR 湖长制) AND 全面", limit=50)
    assert len(grouped) and all("全面" in s for s in grouped["snippet"])


def test_search_filters(corpus):
    hits = corpus.search("地区生产总值", region="海拉尔区", year="2012-2016", limit=1000)
    assert set(hits["region_name"]) == {"海拉尔区"}
    assert set(hits["year"]) == {2012, 2013, 2014, 2015, 2016}
    national = corpus.search("政府工作", level="national", limit=50)
    assert set(national["level"]) == {"national"}


@pytest.mark.parametrize("query", ["NOT 河长", '"保交楼', "(河长 OR 湖长", "河长 AND", "河长 OR", "", "，。", "河长)",
                                   "(" * 300 + "河长" + ")" * 300, "河长 " + "OR 河长 " * 300])
def test_malformed_query_is_one_line_and_exit_2(ingested, query):
    with pytest.raises(QueryError):
        Corpus(ingested[0], readonly=True).search(query)
    cli = run_cli("search", query, "--db", str(ingested[0]))
    assert cli.returncode == 2
    assert "Traceback" not in cli.stderr and len(cli.stderr.strip().splitlines()) == 1
    assert cli.stderr.startswith("baogao: ")


def test_search_cli_formats(ingested):
    table = run_cli("search", "保交楼", "--db", str(ingested[0]), "--limit", "3")
    assert table.returncode == 0 and "[保交楼]" in table.stdout and "region_name" in table.stdout
    as_json = run_cli("search", "保交楼", "--db", str(ingested[0]), "--format", "json")
    records = pd.read_json(__import__("io").StringIO(as_json.stdout))
    assert {"region_name", "year", "report_id", "offset", "snippet"} <= set(records.columns)
    none = run_cli("search", "没有这种词语组合", "--db", str(ingested[0]))
    assert none.returncode == 1


@pytest.mark.parametrize("query, message", [
    (" ".join(["河长"] * 16), None),                                   # at the limit
    (" ".join(["河长"] * 17), "too many terms: a query may have at most 16, this one has 17"),
    ("河长 " + "OR 河长 " * 300, "too many terms: a query may have at most 16, this one has 301"),
    ('"河长 湖长" ' * 17, "too many terms: a query may have at most 16, this one has 17"),
    ("(" * 8 + "河长" + ")" * 8, None),
    ("(" * 9 + "河长" + ")" * 9, "too deeply nested: at most 8 levels of parentheses, this query has 9"),
    ("(" * 300 + "河长" + ")" * 300, "too deeply nested: at most 8 levels of parentheses, this query has 300"),
    ("(" * 300 + "河长", "too deeply nested: at most 8 levels of parentheses, this query has 300"),
    ("河" * 200, None),
    ("河" * 201, "term too long: at most 200 characters, one has 201"),
])
def test_query_size_limits(corpus, query, message):
    if message is None:
        corpus.search(query)
        return
    with pytest.raises(QueryError) as error:
        corpus.search(query)
    assert str(error.value) == message


@pytest.mark.parametrize("region, found", [("%", False), ("_", False), ("%%", False), ("海拉尔%", False),
                                           ("海_尔", False), ("\\", False), ("海拉尔", True), ("150702", True)])
def test_region_names_are_matched_literally(corpus, region, found):
    """% and _ in a region name are characters to find, not LIKE's wildcards (search and panels)."""
    hits = corpus.search("的", region=region, limit=5)
    panel = corpus.panel("gdp", region=region)
    assert (len(hits) > 0, len(panel) > 0) == (found, found)


@pytest.mark.parametrize("region", [None, "海拉尔区"])     # bm25() in SQL; a few reports: rank.py's scores
def test_relevance_ranks_only_the_newest_candidates_when_too_many_match(corpus, monkeypatch, region):
    from baogao.store import search as search_module
    full = corpus.search("经济", region=region, limit=100_000, order="relevance")
    bound = search_module.FEW_REPORTS_CANDIDATES if region else search_module.RELEVANCE_CANDIDATES
    assert 100 < len(full) < bound                                       # every match ranked
    sentence_id = {(r, s): sid for sid, r, s in corpus.conn.execute("SELECT id, report_id, start FROM sentences")}
    ids = [sentence_id[(hit.report_id, hit.sentence_start)] for hit in full.itertuples()]
    newest = set(sorted(ids, reverse=True)[:100])
    monkeypatch.setattr(search_module, "RELEVANCE_CANDIDATES", 100)
    monkeypatch.setattr(search_module, "FEW_REPORTS_CANDIDATES", 100)
    got = corpus.search("经济", region=region, limit=20, order="relevance")
    expected = full[[sid in newest for sid in ids]].head(20)
    assert list(got["score"]) == list(expected["score"])
    assert {sentence_id[(h.report_id, h.sentence_start)] for h in got.itertuples()} <= newest


@pytest.mark.parametrize("query", ["的", "的 OR 地 OR 得 OR 了", "发展 的"])
def test_relevance_on_very_common_terms_is_fast(corpus, query):
    started = time.monotonic()
    hits = corpus.search(query, limit=20, order="relevance")
    assert len(hits) == 20 and time.monotonic() - started < 1.5


# -- attention -----------------------------------------------------------------------------------
def test_shipped_dictionaries():
    assert set(shipped_dictionaries()) == {"environment", "digital_economy", "innovation",
                                           "business_environment", "livelihood", "risk_debt"}
    for name in shipped_dictionaries():
        _, terms = load_dictionary(name)
        assert 15 <= len(terms) <= 40, name


def test_attention_per_report(corpus):
    table = corpus.attention("environment")
    assert len(table) == len(corpus.reports())
    assert (table["per_10k"] - table["matches"] / table["body_chars"] * 10_000).abs().max() < 1e-2
    assert table["matches"].sum() > 0 and table["region_name"].notna().all()


def test_attention_user_file_and_kwic(corpus, tmp_path):
    terms = tmp_path / "housing.txt"
    terms.write_text("# housing delivery\n保交楼\n", encoding="utf-8")
    table = corpus.attention(terms)
    assert set(table["dictionary"]) == {"housing"}
    for row in table[table["matches"] > 0].itertuples():
        report = corpus.report(row.report_id)
        struck = [(b["start"], b["end"]) for b in report["boilerplate"]]
        count = sum(1 for m in re.finditer("保交楼", report["text"]) if not any(s <= m.start() < e for s, e in struck))
        assert row.matches == count
    kwic = corpus.attention("risk_debt", kwic=True, report=int(table.loc[table["matches"].idxmax(), "report_id"]))
    report = corpus.report(int(kwic["report_id"].iloc[0]))
    for row in kwic.itertuples():
        assert report["text"][row.start:row.end] == row.keyword == row.term
        assert row.sentence_start <= row.start < row.sentence_end


def test_kwic_row_limit(corpus, tmp_path):
    terms = tmp_path / "common.txt"
    terms.write_text("发展\n", encoding="utf-8")
    full = analysis.attention(corpus.conn, terms, kwic=True)
    n = len(full)
    assert n > 100 and not full.attrs["truncated"]
    for max_rows, rows, truncated in ((None, n, False), (n, n, False), (n - 1, n - 1, True), (1, 1, True),
                                      (0, 0, True)):
        limited = analysis.attention(corpus.conn, terms, kwic=True, max_rows=max_rows)
        assert (len(limited), limited.attrs["truncated"]) == (rows, truncated), max_rows
        assert limited.to_dict("records") == full.head(rows).to_dict("records")


def test_kwic_row_limit_stops_matching_early(corpus, tmp_path, monkeypatch):
    """The limit stops the work: one report read, and one match more than asked (to know there are more)."""
    terms = tmp_path / "common.txt"
    terms.write_text("的\n", encoding="utf-8")
    taken, real = [], analysis._kwic_rows
    monkeypatch.setattr(analysis, "_kwic_rows", lambda conn, r, matches, context:
                        taken.append(len(matches)) or real(conn, r, matches, context))
    table = analysis.attention(corpus.conn, terms, kwic=True, max_rows=5)
    assert (len(table), table.attrs["truncated"], taken) == (5, True, [6])


def test_a_long_dictionary_loads_in_linear_time(tmp_path):
    terms = tmp_path / "many.txt"
    terms.write_text("\n".join(f"词{i}" for i in range(100_000)) + "\n词0\n", encoding="utf-8")
    started = time.monotonic()
    name, loaded = load_dictionary(terms)
    assert (name, len(loaded), loaded[:2]) == ("many", 100_000, ["词0", "词1"])
    assert time.monotonic() - started < 2


def test_attention_kwic_cli_limit(ingested, tmp_path):
    terms = tmp_path / "common.txt"
    terms.write_text("的\n", encoding="utf-8")
    cli = run_cli("attention", "--dict", str(terms), "--kwic", "--limit", "3", "--format", "csv",
                  "--db", str(ingested[0]))
    assert cli.returncode == 0, cli.stderr
    assert len(pd.read_csv(__import__("io").StringIO(cli.stdout))) == 3


def test_attention_unknown_dictionary_exit_2(ingested):
    cli = run_cli("attention", "--dict", "no_such_dictionary", "--db", str(ingested[0]))
    assert cli.returncode == 2 and "no dictionary" in cli.stderr and "Traceback" not in cli.stderr


# -- export --------------------------------------------------------------------------------------
def test_export_round_trips(corpus, tmp_path):
    import pyreadstat
    for table in ("reports", "observations", "quantities"):
        out, rows, _ = corpus.export(table, "parquet", tmp_path / f"{table}.parquet")
        back = pd.read_parquet(out)
        assert len(back) == rows == len(corpus.table(table))
    reports = pd.read_parquet(tmp_path / "reports.parquet")
    assert reports["text"].str.len().sum() == corpus.reports(text=True)["text"].str.len().sum()

    out, rows, notes = corpus.export("reports", "dta", tmp_path / "reports.dta")
    data, meta = pyreadstat.read_dta(str(out))
    assert len(data) == rows
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", c) for c in data.columns)
    assert meta.column_labels[list(data.columns).index("region_code")].startswith("division code")
    assert all(label for label in meta.column_labels)
    assert data["text"].map(lambda s: len(s.encode("utf-8"))).max() <= 2045
    assert any("text" in n and "2045" in n for n in notes)

    out, rows, _ = corpus.export("observations", "dta", tmp_path / "obs.dta")
    data, meta = pyreadstat.read_dta(str(out))
    assert len(data) == rows and "indicator" in data.columns

    out, rows, _ = corpus.export("quantities", "jsonl", tmp_path / "q.jsonl")
    assert sum(1 for _ in open(out, encoding="utf-8")) == rows
    out, rows, _ = corpus.export("reports", "csv", tmp_path / "r.csv")
    assert len(pd.read_csv(out)) == rows


@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+86 10", "'+86 10"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("a=b", "a=b"), ("生态", "生态"), ("'=x", "'=x"), ("", ""),
])
def test_every_csv_writer_defuses_formula_cells(tmp_path, capsys, cell, written):
    """export, the CLI's --format csv and the web's downloads: text cells that a spreadsheet would
    run as a formula get a leading ', numbers stay numbers."""
    from baogao.serve.common import csv_download
    from baogao.store.commands import emit
    from baogao.store.export import write
    frame = pd.DataFrame({"text": [cell], "value": [-2.6], "count": [-3]})
    write(frame, "csv", tmp_path / "out.csv")
    emit(frame, "csv")
    written_by = {"export": (tmp_path / "out.csv").read_bytes().decode("utf-8-sig"),
                  "cli": capsys.readouterr().out, "web": csv_download(frame, "out").body.decode("utf-8")}
    for writer, text in written_by.items():
        back = pd.read_csv(__import__("io").StringIO(text), keep_default_na=False)
        assert back.to_dict("records") == [{"text": written, "value": -2.6, "count": -3}], writer


def test_export_cli(ingested, tmp_path):
    out = tmp_path / "panel.dta"
    cli = run_cli("export", "panel", "--format", "dta", "--indicator", "gdp", "--out", str(out), "--db", str(ingested[0]))
    assert cli.returncode == 0, cli.stderr
    assert out.exists() and "wrote" in cli.stderr
    bad = run_cli("export", "nonsense", "--format", "csv", "--out", str(tmp_path / "x.csv"), "--db", str(ingested[0]))
    assert bad.returncode == 2 and "no table" in bad.stderr


def test_version_1_corpus_is_migrated_and_searches_the_same(tmp_path):
    """Schema 1 numbered sentences 1, 2, 3...; schema 2 partitions them by year; schema 5 indexes
    them with the ascii tokenizer. Opening a version-1 file renumbers the sentences and rebuilds
    the index under the new ids and tokenizer, and every search finds and scores the same."""
    from baogao.store.db import index_grams
    from baogao.store.schema import YEAR_SHIFT

    db = tmp_path / "v1.db"
    seeds = sorted((CORPUS / "seeds").glob("*.txt"))[:3]
    with Corpus(db) as corpus:
        corpus.ingest(seeds, jobs=1)
        before = corpus.search("经济", limit=1000, order="relevance")
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")           # turn it back into what schema 1 wrote
    old = [row[0] for row in conn.execute("SELECT id FROM sentences ORDER BY report_id, seq")]
    for n, sid in enumerate(old, 1):
        conn.execute("UPDATE sentences SET id = ? WHERE id = ?", (-n, sid))
    conn.execute("UPDATE sentences SET id = -id")
    conn.execute("DROP TABLE sentence_index")                   # step 5 changed its tokenizer
    conn.execute("CREATE VIRTUAL TABLE sentence_index USING fts5(grams, content='', "
                 "tokenize='unicode61 remove_diacritics 0')")
    for sid, s, e, text in conn.execute("SELECT s.id, s.start, s.end, r.text FROM sentences s "
                                        "JOIN reports r ON r.id = s.report_id").fetchall():
        conn.execute("INSERT INTO sentence_index(rowid, grams) VALUES (?, ?)", (sid, index_grams(text[s:e])))
    conn.execute("DROP INDEX reports_region")                   # added by step 3 (again by step 4)
    conn.execute("DROP INDEX reports_canonical")                # step 4
    conn.execute("DROP TABLE report_bands")
    for column in ("year_source", "review_year_source", "canonical_id", "signature", "shingles"):
        conn.execute(f"ALTER TABLE reports DROP COLUMN {column}")
    conn.execute("ALTER TABLE observations DROP COLUMN basis")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("UPDATE meta SET value = 'bigram-2' WHERE key = 'grams_version'")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("COMMIT")
    assert conn.execute("SELECT MAX(id) FROM sentences").fetchone()[0] == len(old)
    conn.close()

    with pytest.raises(StoreError, match="version 1"):
        Corpus(db, readonly=True)
    with Corpus(db) as corpus:      # read-write: migrates, then rebuilds the index
        assert corpus.check() == []
        ddl = corpus.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'sentence_index'").fetchone()[0]
        assert "tokenize='ascii'" in ddl
        ids = corpus.conn.execute("SELECT s.id, r.year FROM sentences s JOIN reports r ON r.id = s.report_id")
        assert all(sid >> YEAR_SHIFT == year for sid, year in ids)
        after = corpus.search("经济", limit=1000, order="relevance")
    assert after[["report_id", "offset", "score"]].equals(before[["report_id", "offset", "score"]])


@pytest.mark.parametrize("query", ["营商环境", "河长", "税", "保交楼 OR 保交房", "河长 NOT 湖长", '"优化 营商环境"',
                                   "(河长制 OR 湖长制) AND 全面", "5G", "数字经济 实体经济", "GDP 增长",
                                   "发展 发展", "哈哈"])
def test_hand_bm25_equals_fts5_bm25(corpus, query):
    """store/rank.py scores a few rows itself (see why there); it must agree with bm25()."""
    from baogao.store.rank import bm25_scores
    from baogao.store.search import index_grams, parse_query

    parsed = parse_query(query)
    fts5 = dict(corpus.conn.execute(
        "SELECT rowid, bm25(sentence_index) FROM sentence_index WHERE sentence_index MATCH ?", (parsed.fts,)))
    rows = {sid: index_grams(text[s:e]).split(" ") for sid, s, e, text in corpus.conn.execute(
        "SELECT s.id, s.start, s.end, r.text FROM sentences s JOIN reports r ON r.id = s.report_id "
        f"WHERE s.id IN ({','.join(map(str, fts5))})")} if fts5 else {}
    ours = bm25_scores(corpus.conn, parsed.phrases, rows)
    assert ours.keys() == fts5.keys()
    for rowid, score in fts5.items():
        assert ours[rowid] == pytest.approx(score, rel=1e-12, abs=1e-12), rowid


def test_facts_csv_defuses_formula_cells_too():
    """`baogao facts --format csv` writes with the csv module (no pandas): the same rule."""
    from baogao.extract.facts import _defused
    rows = [{"region": "=HYPERLINK(1)", "value": -2.6, "sentence": "增长-2.6%", "wide": "-2.6 / 5"}]
    assert _defused(rows) == [{"region": "'=HYPERLINK(1)", "value": -2.6, "sentence": "增长-2.6%", "wide": "'-2.6 / 5"}]


@pytest.mark.parametrize("order", ["newest", "relevance"])
@pytest.mark.parametrize("query, filters", [("经济", {}), ("发展 的", {}), ("经济 OR 改革", {"level": "county"}),
                                            ("经济", {"year": "2010-2030"}), ("经济 NOT 改革", {})])
def test_very_common_terms_scored_by_hand_as_bm25_would(corpus, monkeypatch, order, query, filters):
    """A phrase over COMMON_ROWS rows sends the search to its newest COMMON_CANDIDATES matches,
    scored in rank.py (bm25() would count the phrase over the whole index each time): with every
    match a candidate, the hits are bm25()'s."""
    from baogao.store import search as search_module
    want = corpus.search(query, limit=30, order=order, **filters)
    monkeypatch.setattr(search_module, "COMMON_ROWS", 5)
    monkeypatch.setattr(search_module, "COMMON_CANDIDATES", 1_000_000)
    got = corpus.search(query, limit=30, order=order, **filters)
    assert len(want) > 5
    assert list(got["score"]) == pytest.approx(list(want["score"]), rel=1e-9)
    # which of several equal scores the limit cuts is bm25()'s SQL's choice: compare the others
    last = want["score"].iloc[-1]
    above = lambda hits: [(h.year, h.report_id, h.offset) for h in hits.itertuples() if abs(h.score - last) > 1e-9]
    assert above(got) == above(want)
    monkeypatch.setattr(search_module, "COMMON_CANDIDATES", 50)       # the bound: the newest 50 only
    bounded = corpus.search(query, limit=100, order=order, **filters)
    assert 0 < len(bounded) <= 50


def test_phrase_counts_follow_the_index(tmp_path):
    """rank.phrase_rows keeps a count per state of the index: a report ingested after a search
    changes the count the next search uses."""
    from baogao.store.rank import phrase_rows
    from baogao.store.search import parse_query
    db = tmp_path / "c.db"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text("政府工作报告\n各位代表：\n河长制全面推行。河长制落实。\n", encoding="utf-8")
    assert run_cli("ingest", str(tmp_path / "a"), "--db", str(db)).returncode == 0
    fts = parse_query("河长制").phrases[0].fts
    with Corpus(db, readonly=True) as reader:
        assert phrase_rows(reader.conn, fts) == 2
        (tmp_path / "b").mkdir()
        (tmp_path / "b" / "two.txt").write_text("政府工作报告\n各位代表：\n深化河长制。\n", encoding="utf-8")
        assert run_cli("ingest", str(tmp_path / "b"), "--db", str(db)).returncode == 0
        assert phrase_rows(reader.conn, fts) == 3


@pytest.mark.parametrize("order", ["newest", "relevance"])
@pytest.mark.parametrize("query, region", [("经济", "海拉尔区"), ("发展 OR 改革", "150702"), ("政府", "15"),
                                           ("河长", "海拉尔区"), ('"经济发展"', "1507")])
def test_few_reports_one_pass_or_report_by_report_alike(corpus, monkeypatch, order, query, region):
    """A region filter keeping few reports reads their matches one MATCH per report, or in one
    pass over all the query's matches kept by the reports' id ranges: the same hits."""
    from baogao.store import search as search_module
    monkeypatch.setattr(search_module, "SCAN_ROWS_PER_REPORT", 0)
    by_report = corpus.search(query, region=region, limit=40, order=order)
    monkeypatch.setattr(search_module, "SCAN_ROWS_PER_REPORT", 10**9)
    one_pass = corpus.search(query, region=region, limit=40, order=order)
    assert len(by_report) > 0
    assert by_report[["report_id", "offset", "score"]].equals(one_pass[["report_id", "offset", "score"]])
    monkeypatch.setattr(search_module, "FEW_REPORTS_CANDIDATES", 7)
    monkeypatch.setattr(search_module, "SCAN_ROWS_PER_REPORT", 0)
    a = corpus.search(query, region=region, limit=5, order=order)
    monkeypatch.setattr(search_module, "SCAN_ROWS_PER_REPORT", 10**9)
    b = corpus.search(query, region=region, limit=5, order=order)
    assert a[["report_id", "offset", "score"]].equals(b[["report_id", "offset", "score"]])


@pytest.mark.parametrize("query, region, year", [("经济", "15", None), ("发展 OR 改革", "1", None),
                                                 ('"经济发展"', "15", "2015-2020"), ("河长", "150702", None),
                                                 ("增长", "中华人民共和国", None)])
def test_relevance_under_a_large_filter_by_sentence_ids_or_by_joins_alike(corpus, monkeypatch, query, region, year):
    """In relevance order a filter keeping many reports (a province) selects the matches by the
    kept reports' sentence-id ranges (_relevance_in_ranges), or joins each match to its report:
    the same hits, scores and order, and the bound of RELEVANCE_CANDIDATES applies alike."""
    from baogao.store import search as search_module
    monkeypatch.setattr(search_module, "FEW_REPORTS", 0)                # never report by report
    monkeypatch.setattr(search_module, "RANGE_ROWS_PER_REPORT", -1)     # by sentence ids
    by_ids = corpus.search(query, region=region, year=year, limit=50, order="relevance")
    monkeypatch.setattr(search_module, "MANY_REPORTS", 0)               # by joins
    by_joins = corpus.search(query, region=region, year=year, limit=50, order="relevance")
    assert len(by_ids) > 0
    assert by_ids[["report_id", "offset", "score"]].equals(by_joins[["report_id", "offset", "score"]])
    monkeypatch.setattr(search_module, "RELEVANCE_CANDIDATES", 9)
    bounded_joins = corpus.search(query, region=region, year=year, limit=5, order="relevance", offset=2)
    monkeypatch.setattr(search_module, "MANY_REPORTS", 10_000)
    bounded_ids = corpus.search(query, region=region, year=year, limit=5, order="relevance", offset=2)
    assert bounded_ids[["report_id", "offset", "score"]].equals(bounded_joins[["report_id", "offset", "score"]])


@pytest.mark.parametrize("name", ["全国", "中国", "中华人民共和国", "国务院", "national"])
def test_region_filter_by_a_name_of_the_nation_keeps_the_state_councils_reports(corpus, name):
    """A journalist's --region 全国 finds the national reports (stored as 中华人民共和国, no code),
    in search as in panels."""
    hits = corpus.search("增长", region=name, limit=50)
    assert len(hits) == 50 and set(hits["level"]) == {"national"}
    assert hits[["report_id", "offset"]].equals(corpus.search("增长", level="national", limit=50)[["report_id", "offset"]])
    panel = corpus.panel("gdp", "growth_pct", status="target", region=name)
    assert len(panel) > 20 and set(panel["region_name"]) == {"中华人民共和国"}


def test_attention_by_year_keeps_levels_apart_in_the_cli_and_the_api(ingested, corpus):
    """The index a researcher exports: a row per level and year, the mean of that level's reports."""
    res = run_cli("attention", "--dict", "environment", "--by", "year", "--format", "csv", "--db", str(ingested[0]))
    assert res.returncode == 0, res.stderr
    header = res.stdout.lstrip("\ufeff").splitlines()[0]
    assert header == "level,year,reports,matches,per_10k,per_10k_min,per_10k_max"
    years = corpus.attention("environment", by="year")
    per_report = corpus.attention("environment")
    for row in years.itertuples():
        same = per_report[(per_report["level"] == row.level) & (per_report["year"] == row.year)]
        assert row.reports == len(same) and row.per_10k == round(same["per_10k"].mean(), 3)
