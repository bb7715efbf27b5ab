"""One report, counted once (issue 12): the same report from two sources is one canonical report
with the others linked as alternates; every count leaves the alternates out by default."""
import shutil

import pytest
from conftest import CORPUS

from baogao.store import Corpus
from baogao.store import dedup

NATIONAL_2017 = CORPUS / "national" / "2017_2017年中华人民共和国国务院政府工作报告.txt"
GOVCN_2017 = CORPUS / "national-govcn-gbk" / "2017.txt"


def test_the_2017_report_from_two_sources_is_one_report_with_one_alternate(tmp_path):
    with Corpus(tmp_path / "c.db") as corpus:
        result = corpus.ingest([NATIONAL_2017, GOVCN_2017], jobs=1, progress=False)
        every = corpus.reports(alternates=True)
        assert len(every) == 2 and every["canonical_id"].notna().sum() == 1
        canonical = every[every["canonical_id"].isna()].iloc[0]
        # the gov.cn page prints the dateline and the speaker: more complete, so it counts
        assert canonical["path"].endswith("2017.txt") and canonical["date"] == "2017-03-05"
        assert corpus.counts() == {"reports": 2, "canonical": 1, "alternates": 1, "no_year": 0,
                                   "year_from_file_name": 0}
        assert "1 reports counted once, 1 alternates" in result.summary()
        assert f"alternate  {NATIONAL_2017}: the same report as {GOVCN_2017}" in result.summary()
        assert len(corpus.reports()) == 1
        hits = corpus.search("供给侧结构性改革", limit=1000)
        assert set(hits["report_id"]) == {int(canonical["id"])}
        assert len(corpus.search("供给侧结构性改革", limit=1000, alternates=True)) > len(hits)
        panel = corpus.panel("gdp", "growth_pct", status="target")
        assert list(panel["value"]) == [6.5] and panel["n_obs"].tolist() == [1]
        assert len(corpus.panel("gdp", "growth_pct", status="target", alternates=True)) == 1
        assert corpus.panel("gdp", "growth_pct", status="target", alternates=True)["n_obs"].tolist() == [2]
        assert len(corpus.attention("environment")) == 1
        assert corpus.check() == []


@pytest.mark.parametrize("year", [1954, 2006])
def test_traditional_characters_and_a_first_page_only_are_the_same_report(tmp_path, year):
    """1954: Wikisource prints it in traditional characters, gov.cn in simplified; 2006: gov.cn's
    page holds only the first of four pages."""
    national = next((CORPUS / "national").glob(f"{year}_*.txt"))
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest([national, CORPUS / "national-govcn-gbk" / f"{year}.txt"], jobs=1, progress=False)
        assert corpus.counts()["alternates"] == 1


def test_different_reports_of_one_government_stay_apart(tmp_path):
    files = sorted((CORPUS / "hailar").glob("*.txt")) + [NATIONAL_2017, CORPUS / "national" / "2018_2018年中华人民共和国国务院政府工作报告.txt"]
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest(files, jobs=1, progress=False)
        assert corpus.counts()["alternates"] == 0


def test_similarity_of_copies_and_of_neighbours():
    """The thresholds against real pairs: a copy, a first page, next year's report."""
    from baogao import parse

    def sig(path):
        r = parse(path)
        return dedup.signature(r.text, [(b.start, b.end) for b in r.boilerplate])
    copy_a, copy_b = sig(NATIONAL_2017), sig(GOVCN_2017)
    next_year = sig(CORPUS / "national" / "2018_2018年中华人民共和国国务院政府工作报告.txt")
    assert dedup.similarity(copy_a[0], copy_b[0]) > 0.9
    assert dedup.is_same(*copy_a, *copy_b) and not dedup.is_same(*copy_a, *next_year)
    assert dedup.similarity(copy_a[0], next_year[0]) < 0.2


def test_when_the_copy_that_counts_goes_its_alternate_takes_its_place(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(NATIONAL_2017, folder / "wikisource.txt")
    shutil.copy(GOVCN_2017, folder / "govcn.txt")
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest([folder], jobs=1, progress=False)
        first = corpus.reports()
        assert first["path"].iloc[0].endswith("govcn.txt")
        # the gov.cn file is replaced by another report: the Wikisource copy now counts
        shutil.copy(CORPUS / "hailar" / "hailar_2015.txt", folder / "govcn.txt")
        corpus.ingest([folder], jobs=1, progress=False)
        counted = corpus.reports()
        assert sorted(p.rsplit("/", 1)[1] for p in counted["path"]) == ["govcn.txt", "wikisource.txt"]
        assert corpus.counts()["alternates"] == 0
        assert len(corpus.search("供给侧结构性改革", limit=1000)) > 0
        assert corpus.check() == []


def test_a_better_copy_arriving_later_becomes_the_one_that_counts(tmp_path):
    with Corpus(tmp_path / "c.db") as corpus:
        corpus.ingest([NATIONAL_2017], jobs=1, progress=False)
        old_id = int(corpus.reports()["id"].iloc[0])
        corpus.ingest([GOVCN_2017], jobs=1, progress=False)
        every = corpus.reports(alternates=True).set_index("id")
        assert every.loc[old_id, "canonical_id"] == every.index[every["canonical_id"].isna()][0]
        assert corpus.check() == []          # the old report's sentences moved to the alternates' half


def test_stored_corpus_gets_signatures_on_upgrade(tmp_path):
    db = tmp_path / "c.db"
    with Corpus(db) as corpus:
        corpus.ingest([NATIONAL_2017, GOVCN_2017], jobs=1, progress=False)
        corpus.conn.execute("UPDATE reports SET signature = NULL, shingles = NULL, canonical_id = NULL")
        corpus.conn.execute("DELETE FROM report_bands")
    with Corpus(db) as corpus:           # read-write open: ensure_signatures() groups them again
        assert corpus.counts()["alternates"] == 1
        assert corpus.check() == []


@pytest.mark.parametrize("n", [0, 1, 7, 4096])
def test_minhash_is_datasketchs_affine32_minhash(n):
    """dedup.minhash writes datasketch's MinHash out in numpy (importing datasketch imports scipy,
    0.3 s per ingest worker): the same hash values, so stored signatures keep their meaning."""
    import numpy as np
    from datasketch import MinHash
    values = np.random.default_rng(n).integers(0, 2**32, n, dtype=np.uint64)
    theirs = MinHash(num_perm=dedup.NUM_PERM, seed=1, hashfunc=int, scheme="affine32")
    if n:
        theirs.update_batch(values.tolist())
    ours = dedup.minhash(values)
    assert ours.dtype == theirs.hashvalues.dtype
    assert ours.tolist() == theirs.hashvalues.tolist()
