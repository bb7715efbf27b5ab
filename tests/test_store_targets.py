"""Panel and targets-vs-results on the 海拉尔区 reports 2012-2016, checked against what the texts say.

The cells below were read off the reports by hand, e.g. the 2015 report sets 地区生产总值增长8%
for 2015 and the 2016 report says 2015's 地区生产总值 ... 同比增长8.9%.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from baogao.store import Corpus

ROOT = Path(__file__).resolve().parents[1]
HAILAR = ROOT.parent / "shared" / "corpus" / "hailar"

# (indicator, measure, year): (target, target text, target report, actual, actual text, actual report, outcome)
CELLS = {
    ("gdp", "growth_pct", 2012): (21, "21%", "hailar_2012", 18.5, "18.5%", "hailar_2013", "missed"),
    ("gdp", "growth_pct", 2013): (20, "20%", "hailar_2013", 10.1, "10.1%", "hailar_2014", "missed"),
    ("gdp", "growth_pct", 2014): (11, "11%", "hailar_2014", 9.1, "9.1%", "hailar_2015", "missed"),
    ("gdp", "growth_pct", 2015): (8, "8%", "hailar_2015", 8.9, "8.9%", "hailar_2016", "met"),
    ("gdp", "level", 2012): (240, "240亿元", "hailar_2012", 235.2, "235.2亿元", "hailar_2013", "missed"),
    ("gdp", "level", 2015): (296, "296亿元", "hailar_2015", 287.9, "287.9亿元", "hailar_2016", "missed"),
    ("fixed_asset_investment", "growth_pct", 2014): (20, "20%", "hailar_2014", 33.5, "33.5%", "hailar_2015", "met"),
    ("retail_sales", "growth_pct", 2014): (14, "14%", "hailar_2014", 11.6, "11.6%", "hailar_2015", "missed"),
    ("urban_disposable_income", "growth_pct", 2014): (12, "12%", "hailar_2014", 10.4, "10.4%", "hailar_2015", "missed"),
    ("rural_disposable_income", "growth_pct", 2014): (14, "14%", "hailar_2014", 13.6, "13.6%", "hailar_2015", "missed"),
    # 城镇登记失业率控制在4%以内 (2014 report), 3.79% (2015 report): a ceiling, met
    ("urban_unemployment_rate", "level", 2014): (4, "4%", "hailar_2014", 3.79, "3.79%", "hailar_2015", "met"),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    db = tmp_path_factory.mktemp("hailar") / "hailar.db"
    with Corpus(db) as corpus:
        result = corpus.ingest([HAILAR], progress=False)
        assert result.failed == []
        yield corpus


def texts(corpus) -> dict[int, str]:
    return {int(i): corpus.report(int(i))["text"] for i in corpus.reports()["id"]}


def test_panel_gdp_growth(corpus):
    panel = corpus.panel("gdp", "growth_pct", status="actual")
    hailar = panel[panel["region_name"].str.contains("海拉尔区")]
    values = dict(zip(hailar["year"], hailar["value"]))
    assert {y: values.get(y) for y in range(2011, 2016)} == {2011: 22.3, 2012: 18.5, 2013: 10.1, 2014: 9.1, 2015: 8.9}
    assert hailar["region_name"].notna().all() and hailar["region_code"].notna().all()
    assert set(hailar["region_code"]) == {"150702"}          # 呼伦贝尔市海拉尔区
    by_id = texts(corpus)
    docs = dict(zip(corpus.reports()["id"], corpus.reports()["doc"]))
    for row in hailar.itertuples():                          # provenance: the cell's own characters
        assert by_id[row.report_id][row.start:row.end].startswith(f"{row.value:g}")
        assert docs[row.report_id] == f"hailar_{row.year + 1}"


def test_panel_targets_and_wide(corpus):
    panel = corpus.panel("gdp", "growth_pct")
    targets = panel[panel["status"] == "target"]
    assert dict(zip(targets["year"], targets["value"]))[2015] == 8
    wide = corpus.panel("gdp", "growth_pct", status="actual", wide=True)
    row = wide[wide["region_name"].str.contains("海拉尔区")].iloc[0]
    assert row["2015"] == 8.9 and row["2012"] == 18.5


@pytest.mark.parametrize("key", list(CELLS), ids=["/".join(map(str, k)) for k in CELLS])
def test_target_against_result(corpus, key):
    target, target_text, target_doc, actual, actual_text, actual_doc, outcome = CELLS[key]
    table = corpus.targets()
    indicator, measure, year = key
    rows = table[(table["indicator"] == indicator) & (table["measure"] == measure) & (table["year"] == year)
                 & table["region_name"].str.contains("海拉尔区")]
    assert len(rows) == 1, rows
    row = rows.iloc[0]
    assert row["target"] == target and row["actual"] == pytest.approx(actual)
    assert row["gap"] == pytest.approx(actual - target)
    assert row["outcome"] == outcome
    assert row["region_code"] == "150702"
    by_id = texts(corpus)
    docs = dict(zip(corpus.reports()["id"], corpus.reports()["doc"]))
    assert docs[row["target_report_id"]] == target_doc and docs[row["actual_report_id"]] == actual_doc
    assert by_id[row["target_report_id"]][row["target_start"]:row["target_end"]] == target_text
    assert by_id[row["actual_report_id"]][row["actual_start"]:row["actual_end"]] == actual_text


def test_targets_cover_every_year_with_a_next_report(corpus):
    table = corpus.targets(complete=True)
    hailar = table[table["region_name"].str.contains("海拉尔区")]
    assert set(hailar["year"]) >= {2012, 2013, 2014, 2015}
    assert set(hailar["outcome"]) <= {"met", "missed", "units differ"}
    assert not (table["year"] == 2016).any()                 # no 2017 report: 2016 has no result


def test_targets_cli_csv(corpus):
    cli = subprocess.run([sys.executable, "-m", "baogao.cli", "targets", "--indicator", "gdp", "--format", "csv",
                          "--db", str(corpus.path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert cli.returncode == 0, cli.stderr
    table = pd.read_csv(__import__("io").StringIO(cli.stdout))
    assert {"region_code", "region_name", "target", "actual", "gap", "outcome",
            "target_report_id", "target_start", "actual_report_id", "actual_start"} <= set(table.columns)
    assert table["region_name"].notna().all()


@pytest.mark.parametrize("indicator, measure, year, rule, reason", [
    # the 2013 report gives 2012's investment only as a level: the target's year has a report
    ("fixed_asset_investment", "growth_pct", 2012, ">= 25", "the 2013 report does not state it"),
    ("gdp", "growth_pct", 2016, ">= 7.5", "no report for 2017 in the corpus"),
    ("tourism_revenue", "level", 2014, ">= 50 (以上: a floor)", None),
    ("urban_unemployment_rate", "level", 2014, "<= 4 (以内: a ceiling)", None),
])
def test_targets_say_their_rule_and_why_a_result_is_missing(corpus, indicator, measure, year, rule, reason):
    table = corpus.targets(indicator, measure)
    row = table[(table["year"] == year) & table["region_name"].str.contains("海拉尔区")].iloc[0]
    assert row["rule"] == rule
    assert (None if pd.isna(row["reason"]) else row["reason"]) == reason
    assert (row["outcome"] == "no result") == (reason is not None)


# The outcomes of 海拉尔区's GDP growth targets: CELLS for 2012-2015; the 2016 report's 7.5% and the
# 2019 report's 地区生产总值增长3.5%左右 have no result (no report for 2017 or 2020 in the corpus)
GDP_GROWTH = {2012: "missed", 2013: "missed", 2014: "missed", 2015: "met", 2016: "no result", 2019: "no result"}


@pytest.mark.parametrize("level, year, outcome, kept", [
    (None, None, None, GDP_GROWTH),
    ("county", None, None, GDP_GROWTH),                       # 海拉尔区 is a county-level district
    (["county", "city"], None, None, GDP_GROWTH),
    ("province", None, None, {}),
    (None, 2014, None, {2014: "missed"}),
    (None, "2012-2013", None, {2012: "missed", 2013: "missed"}),
    (None, " 2015 ", None, {2015: "met"}),
    (None, None, "met", {2015: "met"}),
    (None, None, "no result", {2016: "no result", 2019: "no result"}),
    (None, "2016-2020", "no result", {2016: "no result", 2019: "no result"}),
    ("county", "2013-2016", "missed", {2013: "missed", 2014: "missed"}),
])
def test_targets_kept_by_level_year_and_outcome(corpus, level, year, outcome, kept):
    table = corpus.targets("gdp", "growth_pct", level=level, year=year, outcome=outcome)
    assert dict(zip(table["year"], table["outcome"])) == kept


@pytest.mark.parametrize("arguments, words", [
    (dict(level="town"), "level must be one of"),
    (dict(outcome="won"), "outcome must be one of"),
])
def test_targets_refuse_an_unknown_level_or_outcome(corpus, arguments, words):
    from baogao.store.schema import AnalysisError
    with pytest.raises(AnalysisError, match=words):
        corpus.targets("gdp", "growth_pct", **arguments)


def test_targets_cli_filters(corpus):
    cli = subprocess.run([sys.executable, "-m", "baogao.cli", "targets", "--indicator", "gdp", "--measure", "growth_pct",
                          "--level", "county", "--year", "2013-2015", "--outcome", "missed", "--format", "csv",
                          "--db", str(corpus.path)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert cli.returncode == 0, cli.stderr
    table = pd.read_csv(__import__("io").StringIO(cli.stdout))
    assert table["year"].tolist() == [2013, 2014] and set(table["outcome"]) == {"missed"}
    bad = subprocess.run([sys.executable, "-m", "baogao.cli", "targets", "--year", "soon", "--db", str(corpus.path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert bad.returncode != 0 and "--year wants a year" in bad.stderr and "Traceback" not in bad.stderr
