"""Panels people can analyse (issue 14): integer periods, one unit per indicator and measure,
a region code on every row (the nation 100000), the sentence with its offsets, and exports that
pandas.read_stata and pyarrow read back with integer years and numeric values."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from baogao.store import Corpus
from conftest import CORPUS, ROOT


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    db = tmp_path_factory.mktemp("panels") / "panels.db"
    with Corpus(db) as corpus:
        corpus.ingest([CORPUS / "hailar", CORPUS / "national", CORPUS / "provinces-2026"], progress=False)
        yield corpus


def test_years_are_integers_and_spans_have_their_bounds(corpus):
    table = corpus.panel("gdp", "avg_growth_pct")
    assert str(table["period_start"].dtype) == "Int64" and str(table["year"].dtype) == "Int64"
    spans = table[table["period_start"] != table["period_end"]]
    assert len(spans) and spans["year"].isna().all()                  # 2021-2025: no single year
    assert (spans["period"] == spans["period_start"].astype(str) + "-" + spans["period_end"].astype(str)).all()
    single = corpus.panel("gdp", "growth_pct")
    assert single["year"].notna().all() and (single["year"] == single["period_start"]).all()


def test_one_unit_per_indicator_and_measure(corpus):
    """The national GDP level is printed in 亿元 and 万亿元 (and 千亿元): one unit, values converted,
    the printed value kept beside it."""
    table = corpus.panel("gdp", "level")
    assert set(table["unit"]) == {"亿元"}
    written = table[table["unit_written"] == "万亿元"]
    assert len(written) and (written["value"] == written["value_written"] * 10_000).all()
    assert set(corpus.panel("gdp", "growth_pct")["unit"]) == {"%"}       # ％ and % are one unit


def test_every_row_has_a_region_code_and_its_sentence(corpus):
    table = corpus.panel("gdp", "growth_pct", status="target")
    assert table["region_code"].notna().all()
    nation = table[table["region_level"] == "national"]
    assert set(nation["region_code"]) == {"100000"}
    texts = {int(i): corpus.report(int(i))["text"] for i in set(table["report_id"])}
    for row in table.itertuples():
        assert row.sentence == texts[row.report_id][row.sentence_start:row.sentence_end]
        assert row.sentence_start <= row.start < row.end <= row.sentence_end


def test_wide_says_its_unit(corpus):
    wide = corpus.panel("gdp", "level", status="actual", wide=True)
    assert "unit" in wide.columns and set(wide["unit"]) == {"亿元"}


@pytest.mark.parametrize("name", ["panel", "targets", "observations", "reports"])
def test_exports_read_back_with_integer_years(corpus, tmp_path, name):
    options = {"indicator": "gdp", "measure": "growth_pct"} if name in ("panel", "targets", "observations") else {}
    dta, rows, _ = corpus.export(name, "dta", tmp_path / f"{name}.dta", **options)
    parquet, _, _ = corpus.export(name, "parquet", tmp_path / f"{name}.parquet", **options)
    stata = pd.read_stata(dta)
    arrow = pq.read_table(parquet).to_pandas()
    assert len(stata) == len(arrow) == rows > 0
    years = {"panel": ["period_start", "period_end"], "targets": ["period_start", "period_end"],
             "observations": ["period_first", "period_last"], "reports": []}[name]
    for column in years:
        assert stata[column].dtype.kind == "i", (column, stata[column].dtype)
        assert arrow[column].dtype.kind == "i" or str(arrow[column].dtype) == "Int64", (column, arrow[column].dtype)
    value = {"panel": "value", "targets": "target", "observations": "value", "reports": "chars"}[name]
    assert stata[value].dtype.kind in "fi" and arrow[value].dtype.kind in "fi"


def run(*args):
    return subprocess.run([sys.executable, "-m", "baogao.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_indicators_and_dictionaries_are_listed():
    indicators = run("indicators", "--format", "csv")
    assert indicators.returncode == 0
    table = pd.read_csv(__import__("io").StringIO(indicators.stdout))
    assert {"gdp", "cpi", "new_urban_jobs"} <= set(table["id"]) and "地区生产总值" in set(table["name"])
    assert "growth_pct" in run("indicators").stdout
    dictionaries = run("dictionaries")
    assert dictionaries.returncode == 0 and "environment" in dictionaries.stdout and "河长制" in dictionaries.stdout


@pytest.mark.parametrize("args, says", [
    (["panel", "--indicator", "gdpp"], "no indicator 'gdpp': did you mean gdp (地区生产总值)"),
    (["panel", "--indicator", "gdp", "--measure", "growth"], "no measure 'growth': did you mean growth_pct"),
    (["attention", "--dict", "enviroment"], "no dictionary 'enviroment'"),
    (["facts", "--indicator", "nonsense"], "no indicator 'nonsense'"),
])
def test_unknown_names_are_errors_with_the_closest(corpus, args, says):
    proc = run(*args, "--db", str(corpus.path))
    assert proc.returncode == 2 and says in proc.stderr and proc.stdout == "", proc.stderr


def test_an_indicator_by_its_chinese_name(corpus):
    assert corpus.panel("地区生产总值", "growth_pct").equals(corpus.panel("gdp", "growth_pct"))
