"""Every file of ../shared/corpus parses; headers agree with the hand-checked labels; the scorer's
bars on the development gold set hold (the figures are printed at the end of the run)."""
import csv
import json
import re
import subprocess
import sys

import pytest

import baogao
from baogao.parse.numerals import cn_to_int
from conftest import CORPUS, SCORES, SHARED

ALL_FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix in (".txt", ".html", ".htm"))
LABELS = list(csv.DictReader((CORPUS / "labels_header.tsv").open(encoding="utf-8"), delimiter="\t"))


def test_corpus_is_there():
    assert len(ALL_FILES) >= 130 and len(LABELS) >= 30


@pytest.mark.parametrize("path", ALL_FILES, ids=[p.name[:24] for p in ALL_FILES])
def test_every_file_parses_with_spans_inside_the_text(path):
    report = baogao.parse(path)
    n = len(report.text)
    for q in report.quantities:
        assert report.text[q.start:q.end] == q.text
    for span in [*report.boilerplate, *report.sentences, *report.sections]:
        assert 0 <= span.start <= span.end <= n


@pytest.mark.parametrize("row", LABELS, ids=[r["file"].split("/")[-1][:24] for r in LABELS])
def test_header_agrees_with_labels(row):
    meta = baogao.parse(CORPUS / row["file"]).meta
    m = re.match(r"第(.+)届人民代表大会第(.+)次会议", row["session"])
    assert meta.date == row["date_delivered"]
    assert (meta.congress["term"], meta.congress["session"]) == (cn_to_int(m.group(1)), cn_to_int(m.group(2)))
    assert meta.speaker["name"] == row["speaker_name"]
    # labels give the office with its organisation (海拉尔区人民政府区长); the record keeps the office
    assert meta.speaker["title"] and row["speaker_title"].endswith(meta.speaker["title"])


def score(gold_dir, files, tmp_path, name):
    out = tmp_path / name
    out.mkdir()
    for f in files:
        (out / f"{f.stem}.json").write_text(baogao.parse(f).to_json(), encoding="utf-8")
    res = subprocess.run([sys.executable, str(SHARED / "bench/score.py"), "--gold", str(gold_dir),
                          "--pred", str(out), "--json"], capture_output=True, text=True, check=True)
    figures = json.loads(res.stdout)
    SCORES[name] = figures
    return figures


def test_scorer_bars_on_seeds(tmp_path):
    res = score(SHARED / "bench/gold/seeds", sorted((CORPUS / "seeds").glob("*.txt")), tmp_path, "seeds")
    for field in ("date", "congress.term", "congress.session", "speaker.name", "speaker.title", "review_year"):
        assert res["meta_accuracy"][field] == 1.0, field
    assert res["boilerplate"]["f1"] >= 0.98
    assert res["sections"]["f1"] == 1.0
    assert res["quantities"]["f1"] >= 0.97
    assert res["quantity_value_accuracy"] >= 0.99
    assert res["observations"]["f1"] >= 0.95                 # issue 4's bar
    assert res["meta_accuracy"]["region.code"] == 1.0         # issue 3's bar
