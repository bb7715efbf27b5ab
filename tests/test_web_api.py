"""The web app through FastAPI's TestClient, against a small corpus built from ../shared/corpus
plus one made-up report whose text contains a <script> tag and a line that a spreadsheet would
run as a formula."""
from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import warnings

import pytest

with warnings.catch_warnings():          # starlette's notice that httpx will give way to httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from baogao.cli import main
from baogao.serve import app as app_module
from baogao.serve import create_app
from baogao.store import Corpus

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SCRIPT_REPORT = """测试区人民政府工作报告
——2024年1月10日在测试区第一届人民代表大会第三次会议上
测试区人民政府区长  张三
各位代表：
现在，我代表区人民政府，向大会报告工作，请予审议。
一、2023年工作回顾
全年地区生产总值完成102.46亿元，增长2.3%。页面注入<script>alert(1)</script>不应执行。生态环境持续改善。
=HYPERLINK("http://example.com")公式注入不应执行。
二、2024年工作安排
2024年经济社会发展的主要预期目标是：地区生产总值增长6%左右。
"""


def corpus_files(folder: Path) -> list[Path]:
    """Seeds, hailar, one province, one national report, and the <script> report (written to folder)."""
    assert CORPUS.is_dir(), f"../shared/corpus not found at {CORPUS}"
    synthetic = folder / "script_report.txt"
    synthetic.write_text(SCRIPT_REPORT, encoding="utf-8")
    return [CORPUS / "seeds", CORPUS / "hailar", CORPUS / "provinces-2026" / "2026_上海市_政府工作报告.txt",
            CORPUS / "national" / "2024_2024年中华人民共和国国务院政府工作报告.txt", synthetic]


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("web")
    path = folder / "web.db"
    with Corpus(path) as corpus:
        result = corpus.ingest(corpus_files(folder), jobs=4)
    assert not result.failed, result.summary()
    return path


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def ids(client) -> dict[str, int]:
    return {r["doc"]: r["id"] for r in client.get("/api/reports").json()}


class TextOf(HTMLParser):
    """The text inside <div id="report-text">, as the browser's DOM would hold it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth or dict(attrs).get("id") == "report-text":
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def report_text_of(html: str) -> str:
    parser = TextOf()
    parser.feed(html)
    return "".join(parser.parts)


# -- overview ---------------------------------------------------------------------------------------
def test_overview_lists_reports_with_counts(client, ids):
    page = client.get("/")
    assert page.status_code == 200
    assert len(ids) == 14
    for name in ("海拉尔区", "上海市", "中华人民共和国", "By level", "By province", "By year"):
        assert name in page.text
    assert page.text.count('class="report-link"') == 14


def test_overview_filters(client):
    county = client.get("/", params={"level": "county"}).text
    assert county.count('class="report-link"') == 11 and "上海市政府工作报告" not in county
    inner_mongolia = client.get("/", params={"province": "内蒙古自治区"}).text
    assert inner_mongolia.count('class="report-link"') == 6
    assert client.get("/", params={"year": "2013"}).text.count('class="report-link"') == 1
    assert client.get("/", params={"year": "2012-2014"}).text.count('class="report-link"') == 3
    assert len(client.get("/api/reports", params={"level": "province"}).json()) == 1


def test_overview_bad_filters_are_400_with_a_message(client):
    for params, words in (({"level": "planet"}, "level must be one of"), ({"year": "last year"}, "year")):
        page = client.get("/", params=params)
        assert page.status_code == 400 and words in page.text and "Traceback" not in page.text
    assert client.get("/api/reports", params={"level": "x"}).json()["detail"].startswith("level must be")


# -- a report ---------------------------------------------------------------------------------------
def test_report_page_text_is_exactly_the_record_text(client, ids):
    for doc in ("hailar_2012", "000_35cb704d32544e9e", "script_report"):
        record = client.get(f"/api/reports/{ids[doc]}").json()
        html = client.get(f"/reports/{ids[doc]}").text
        assert report_text_of(html) == record["text"], doc       # CRLF of hailar included


def test_report_page_marks_figures_sections_and_boilerplate(client, ids):
    record = client.get(f"/api/reports/{ids['001_f5253541fc8dc972']}").json()
    html = client.get(f"/reports/{ids['001_f5253541fc8dc972']}").text
    assert record["boilerplate"] and '<del class="bp"' in html
    for i, section in enumerate(record["sections"]):
        assert f'id="sec-{i}"' in html and f'href="#sec-{i}"' in html
    figures = re.findall(r'<span class="fig( obs)?" data-s="(\d+)" data-q="([\d ]*)" data-o="([\d ]*)"', html)
    assert {int(q) for _, _, qs, _ in figures for q in qs.split()} == set(range(len(record["quantities"])))
    assert {int(o) for _, _, _, os_ in figures for o in os_.split()} == set(range(len(record["observations"])))
    first = record["observations"][0]
    assert f'data-s="{first["start"]}"' in html
    assert '<script type="application/json" id="report-data">' in html and "/static/report.js" in html


def test_report_by_doc_name_and_unknown_ids(client, ids):
    assert client.get("/reports/hailar_2013").status_code == 200
    for bad in ("999999", "no_such_report", "99999999999999999999999"):
        page = client.get(f"/reports/{bad}")
        assert page.status_code == 404 and "no report" in page.text and "Traceback" not in page.text
        answer = client.get(f"/api/reports/{bad}")
        assert answer.status_code == 404 and "no report" in answer.json()["detail"]
    assert client.get("/no/such/page").status_code == 404


def test_script_in_a_report_is_shown_as_text(client, ids):
    html = client.get(f"/reports/{ids['script_report']}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    hits = client.get("/search", params={"q": "页面注入"}).text
    assert "&lt;script&gt;alert(1)" in hits and "<script>alert" not in hits
    kwic = client.get("/attention", params={"terms": "注入", "by": "report", "report": ids["script_report"]}).text
    assert "&lt;script&gt;" in kwic and "<script>alert" not in kwic


# -- search -----------------------------------------------------------------------------------------
def test_search_page_links_to_the_exact_place(client, ids):
    page = client.get("/search", params={"q": "地区生产总值", "year": "2012-2016"})
    assert page.status_code == 200 and "<mark>地区生产总值</mark>" in page.text
    hits = client.get("/api/search", params={"q": "地区生产总值", "year": "2012-2016"}).json()["hits"]
    assert hits and all(2012 <= h["year"] <= 2016 for h in hits)
    for hit in hits[:5]:
        assert hit["url"] == f"/reports/{hit['report_id']}#pos-{hit['offset']}"
        assert f'href="{hit["url"]}"' in page.text
        text = client.get(f"/api/reports/{hit['report_id']}").json()["text"]
        assert text[hit["offset"]:hit["end"]] == hit["match"] == "地区生产总值"


def test_search_orders(client):
    newest = client.get("/api/search", params={"q": "营商环境", "limit": 50}).json()
    assert newest["order"] == "newest"
    years = [h["year"] for h in newest["hits"]]
    assert years == sorted(years, reverse=True) and len(set(years)) > 1
    best = client.get("/api/search", params={"q": "营商环境", "limit": 50, "order": "relevance"}).json()["hits"]
    scores = [h["score"] for h in best]
    assert scores == sorted(scores, reverse=True) and best != newest["hits"]
    page = client.get("/search", params={"q": "营商环境", "order": "relevance"}).text
    assert '<option value="relevance" selected>' in page
    assert client.get("/api/search", params={"q": "营商环境", "order": "random"}).status_code == 400
    assert client.get("/search", params={"q": "营商环境", "order": "random"}).status_code == 400


def test_malformed_queries_are_400_with_a_message(client):
    for query, words in (("(河长", "missing ')'"), ('"保交楼', "unclosed quote"), ("AND", "needs a term")):
        page = client.get("/search", params={"q": query})
        assert page.status_code == 400 and words in unescape(page.text) and "Traceback" not in page.text
        answer = client.get("/api/search", params={"q": query})
        assert answer.status_code == 400 and words in answer.json()["detail"]
    assert client.get("/api/search", params={"q": "  "}).status_code == 400
    missing = client.get("/api/search")
    assert missing.status_code == 422 and "q" in missing.json()["detail"]
    assert client.get("/search", params={"q": "生态", "year": "soon"}).status_code == 400
    assert client.get("/search").status_code == 200          # the empty form


# -- panel, targets, compare --------------------------------------------------------------------------
def test_panel_api_json_and_csv(client):
    rows = client.get("/api/panel", params={"indicator": "gdp", "measure": "growth_pct"}).json()
    hailar = {(r["year"], r["status"]): r["value"] for r in rows if r["region_code"] == "150702"}
    assert hailar[(2012, "actual")] == 18.5 and hailar[(2013, "target")] == 20.0
    two = client.get("/api/panel", params=[("indicator", "gdp"), ("measure", "growth_pct"),
                                           ("region", "150702"), ("region", "310000")]).json()
    assert {r["region_code"] for r in two} == {"150702", "310000"}
    csv = client.get("/api/panel", params={"indicator": "gdp", "measure": "growth_pct", "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv") and "attachment" in csv.headers["content-disposition"]
    assert csv.text.startswith("\ufeffregion_code,region_name")      # a BOM: Excel reads it as UTF-8
    import io
    import pandas as pd
    table = pd.read_csv(io.StringIO(csv.text))
    assert table["period_start"].dtype.kind == "i" and table["value"].dtype.kind == "f"


def test_panel_and_targets_bad_params(client):
    bad = client.get("/api/panel", params={"measure": "size"})
    assert bad.status_code == 400 and "measure must be one of" in bad.json()["detail"]
    fmt = client.get("/api/panel", params={"format": "xml"})
    assert fmt.status_code == 422 and "format" in fmt.json()["detail"]
    assert client.get("/api/panel", params={"status": "hoped"}).status_code == 400
    assert client.get("/api/targets", params={"complete": "perhaps"}).status_code == 422


def test_targets_api(client):
    rows = client.get("/api/targets", params={"indicator": "gdp", "measure": "growth_pct", "complete": "true"}).json()
    hailar_2012 = next(r for r in rows if r["region_code"] == "150702" and r["year"] == 2012)
    assert (hailar_2012["target"], hailar_2012["actual"], hailar_2012["outcome"]) == (21.0, 18.5, "missed")


def test_compare_page_draws_a_chart_with_table_and_csv_link(client):
    page = client.get("/compare", params=[("indicator", "gdp"), ("measure", "growth_pct"),
                                          ("region", "150702"), ("region", "310000")])
    assert page.status_code == 200
    assert '<svg class="chart line-chart"' in page.text
    assert page.text.count('class="point"') >= 8 and 'stroke-dasharray="6 4"' in page.text   # targets dashed
    for fmt in ("csv", "json"):         # the chart's values, for the regions chosen
        assert f"/api/panel?indicator=gdp&amp;measure=growth_pct&amp;region=150702&amp;region=310000&amp;format={fmt}" \
            in page.text
    assert page.text.count('<tr class="actual">') >= 6 and page.text.count('<tr class="target">') >= 6
    assert client.get("/compare").status_code == 200
    bad = client.get("/compare", params={"indicator": "happiness"})
    assert bad.status_code == 400 and "no observations of indicator" in bad.text


# -- attention --------------------------------------------------------------------------------------
def test_attention_api_and_page(client, ids):
    rows = client.get("/api/attention", params={"terms": "生态, 环境"}).json()
    assert len(rows) == 14 and all(r["per_10k"] is not None for r in rows)
    kwic = client.get("/api/attention", params={"terms": "生态", "kwic": "true", "report": ids["hailar_2015"]}).json()
    text = client.get(f"/api/reports/{ids['hailar_2015']}").json()["text"]
    assert kwic and all(text[m["start"]:m["end"]] == "生态" for m in kwic)
    bars = client.get("/attention", params={"terms": "生态", "by": "report"})
    assert bars.status_code == 200 and bars.text.count('<rect class="bar"') == 14 and f"report={ids['hailar_2013']}" in bars.text
    drill = client.get("/attention", params={"terms": "生态", "by": "report", "drill_year": "2013"})
    assert 'id="drill"' in drill.text and f"/reports/{ids['hailar_2013']}#pos-" in drill.text


def test_attention_over_years_is_a_line_of_one_level(client, ids):
    """by=year: one level's mean per year as a line (a gap where that level has no report), the
    level with the most reports unless one is chosen, never a mean over a mix of levels."""
    page = client.get("/attention", params={"terms": "生态", "by": "year"})
    assert page.status_code == 200 and '<svg class="chart line-chart"' in page.text and '<rect class="bar"' not in page.text
    assert "Level: <b>county</b>" in page.text                       # 11 of the 14 reports are counties'
    assert "matches per 10,000 characters · mean of county reports" in page.text and ">year</text>" in page.text
    assert "drill_year=2013&amp;level=county#drill" in page.text
    years = [int(y) for y in re.findall(r'<tr><td>(\d{4})</td><td>county</td>', page.text)]
    assert years == sorted(years) and 2017 not in years               # no county report of 2017: a gap
    assert len(re.findall(r'<path class="line"', page.text)) == 2    # 2012-2016 and 2022-2024; 2019 a lone point
    national = client.get("/attention", params={"terms": "生态", "by": "year", "level": "national"})
    assert "Level: <b>national</b>" in national.text and "<td>county</td>" not in national.text


def test_attention_by_year_keeps_levels_apart(client):
    per_report = client.get("/api/attention", params={"terms": "生态"}).json()
    rows = client.get("/api/attention", params={"terms": "生态", "by": "year"}).json()
    assert len({(r["level"], r["year"]) for r in rows}) == len(rows) and {r["level"] for r in rows} == \
        {"county", "province", "national"}
    for row in rows:
        mine = [r["per_10k"] for r in per_report if r["level"] == row["level"] and r["year"] == row["year"]]
        assert row["reports"] == len(mine) and row["per_10k"] == pytest.approx(sum(mine) / len(mine), abs=1e-3)
        assert row["per_10k_min"] == min(mine) and row["per_10k_max"] == max(mine)


def test_attention_refuses_unknown_dictionaries_and_paths(client):
    for name in ("no_such_dictionary", "/etc/passwd", "../../pyproject"):
        answer = client.get("/api/attention", params={"dictionary": name})
        assert answer.status_code == 400 and "no dictionary" in answer.json()["detail"]
        assert client.get("/attention", params={"dictionary": name}).status_code == 400
    assert client.get("/api/attention").status_code == 400
    assert client.get("/api/attention", params={"terms": "生态", "report": "x"}).status_code == 422


# -- the rest -----------------------------------------------------------------------------------------
def test_docs_and_openapi_without_a_cdn(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/reports", "/api/reports/{report_id}", "/api/search", "/api/panel", "/api/targets",
                 "/api/attention"):
        assert path in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text
    for url in ("/", "/docs", "/search?q=生态", "/compare", "/attention?terms=生态", "/reports/1"):
        html = client.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', html), url
        for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
            assert client.get(asset).status_code == 200


def test_the_app_cannot_write(client, db):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for url in ("/", "/reports/1", "/search?q=生态", "/compare", "/attention?terms=生态"):
        client.get(url)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        client.app.state.corpus.conn.execute("CREATE TABLE intruder (x)")
    assert client.post("/api/reports").status_code == 405
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_serve_command_without_a_database(tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "missing.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no corpus at" in err
    not_a_db = tmp_path / "junk.db"
    not_a_db.write_text("hello")
    assert main(["serve", "--db", str(not_a_db)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


# -- hardening: bounded answers to hostile requests (issue 13) -----------------------------------------
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY",
                    "referrer-policy": "same-origin"}


@pytest.mark.parametrize("name, disposition", [
    ("panel_gdp.csv", "attachment; filename=\"panel_gdp.csv\"; filename*=UTF-8''panel_gdp.csv"),
    ("panel_地区生产总值.csv", "attachment; filename=\"panel_______.csv\"; "
                          "filename*=UTF-8''panel_%E5%9C%B0%E5%8C%BA%E7%94%9F%E4%BA%A7%E6%80%BB%E5%80%BC.csv"),
    ("panel_a\r\nb.csv", "attachment; filename=\"panel_a__b.csv\"; filename*=UTF-8''panel_a%0D%0Ab.csv"),
    ("panel_a\x00b.csv", "attachment; filename=\"panel_a_b.csv\"; filename*=UTF-8''panel_a%00b.csv"),
    ("panel_%00.csv", "attachment; filename=\"panel__00.csv\"; filename*=UTF-8''panel_%2500.csv"),
    ('panel_x"; filename="evil.sh.csv', "attachment; filename=\"panel_x___filename__evil.sh.csv\"; "
                                       "filename*=UTF-8''panel_x%22%3B%20filename%3D%22evil.sh.csv"),
])
def test_csv_download_names_are_built_safely(name, disposition):
    from baogao.serve.common import content_disposition
    assert content_disposition(name) == disposition


def test_a_download_named_by_a_chinese_indicator(client):
    """/api/panel?format=csv&indicator=地区生产总值 was a 500: the name is gdp's, the header safe."""
    answer = client.get("/api/panel", params={"indicator": "地区生产总值", "format": "csv"})
    assert answer.status_code == 200 and answer.text.startswith("\ufeffregion_code,")
    assert answer.headers["content-disposition"] == \
        "attachment; filename=\"panel_______.csv\"; filename*=UTF-8''panel_%E5%9C%B0%E5%8C%BA%E7%94%9F%E4%BA%A7%E6%80%BB%E5%80%BC.csv"


@pytest.mark.parametrize("params, says", [
    ({"indicator": "GDPP"}, "no indicator 'GDPP'"),
    ({"indicator": "gdp", "measure": "growth"}, "did you mean growth_pct"),
    ({"indicator": "x" * 30_000, "format": "csv"}, "no indicator"),
])
def test_an_unknown_indicator_or_measure_is_400_with_the_closest_names(client, params, says):
    answer = client.get("/api/panel", params=params)
    assert answer.status_code == 400 and says in answer.json()["detail"]


def test_a_long_download_name_is_cut():
    from baogao.serve.common import MAX_FILENAME_CHARS, csv_download
    import pandas as pd
    answer = csv_download(pd.DataFrame({"a": [1]}), "panel", "x" * 30_000)
    assert answer.headers["content-disposition"] == \
        f"attachment; filename=\"panel_{'x' * (MAX_FILENAME_CHARS - 6)}.csv\"; filename*=UTF-8''panel_{'x' * (MAX_FILENAME_CHARS - 6)}.csv"


def test_kwic_stops_at_its_row_limit_and_says_so(client, ids, monkeypatch):
    from baogao.serve.common import KWIC_MAX_ROWS
    started = time.monotonic()
    answer = client.get("/api/attention", params={"terms": "的", "kwic": "true"})
    assert time.monotonic() - started < 2
    assert answer.status_code == 200 and len(answer.json()) == KWIC_MAX_ROWS == 1000
    assert (answer.headers["x-truncated"], answer.headers["x-row-limit"]) == ("true", "1000")
    few = client.get("/api/attention", params={"terms": "生态", "kwic": "true", "report": ids["hailar_2015"]})
    assert few.status_code == 200 and 0 < len(few.json()) < 1000 and "x-truncated" not in few.headers
    monkeypatch.setattr(app_module, "DRILL_ROWS", 50)       # the page's own limit (500) on a smaller scale
    drill = client.get("/attention", params={"terms": "的", "by": "report", "drill_year": "2024"})
    assert drill.status_code == 200 and "year 2024: more than 50 matches (the first 50 shown)" in drill.text
    assert drill.text.count('class="kw"') == 50


@pytest.mark.parametrize("url, params, status, message", [
    ("/api/attention", {"terms": " ".join(f"词{i}" for i in range(51))}, 400,
     "terms: at most 50 terms per request, not 51"),
    ("/api/attention", {"terms": "长" * 41}, 400, "terms: at most 40 characters a term, not 41"),
    ("/attention", {"terms": ",".join(f"词{i}" for i in range(51))}, 400,
     "terms: at most 50 terms per request, not 51"),
    ("/api/attention", {"terms": " ".join(f"词{i}" for i in range(50))}, 200, None),
    ("/api/panel", [("region", str(i)) for i in range(51)], 400, "region: at most 50 regions per request, not 51"),
    ("/api/search", {"q": "的 " + "OR 的 " * 300}, 400,
     "too many terms: a query may have at most 16, this one has 301"),
    ("/api/search", {"q": "(" * 300 + "的" + ")" * 300}, 400,
     "too deeply nested: at most 8 levels of parentheses, this query has 300"),
    ("/search", {"q": "(" * 300 + "的" + ")" * 300}, 400,
     "too deeply nested: at most 8 levels of parentheses, this query has 300"),
    ("/api/search", {"q": "长" * 201}, 400, "term too long: at most 200 characters, one has 201"),
    ("/api/search", {"q": "的", "region": "x" * 101}, 400, "region too long: at most 100 characters, not 101"),
])
def test_request_limits_are_400_naming_the_limit(client, url, params, status, message):
    answer = client.get(url, params=params)
    assert answer.status_code == status
    if message and url.startswith("/api"):
        assert answer.json()["detail"] == message
    elif message:
        assert message in unescape(answer.text)


@pytest.mark.parametrize("params, hits", [
    ({"q": "的", "region": "%"}, 0),                     # a literal %, not LIKE's wildcard
    ({"q": "的", "region": "_"}, 0),
    ({"q": "的", "region": "%", "order": "relevance"}, 0),
    ({"q": "的", "order": "relevance"}, 20),             # a very common term: ranks a bounded candidate set
    ({"q": "的 OR 地 OR 得", "order": "relevance"}, 20),
    ({"q": "地区生产总值", "region": "海拉尔", "limit": 5}, 5),    # a name's part still finds it
])
def test_search_filters_and_relevance_are_bounded(client, params, hits):
    started = time.monotonic()
    answer = client.get("/api/search", params=params)
    assert time.monotonic() - started < 1
    assert answer.status_code == 200 and len(answer.json()["hits"]) == hits


@pytest.mark.parametrize("url, status", [("/", 200), ("/search?q=生态", 200), ("/reports/hailar_2015", 200),
                                         ("/docs", 200), ("/api/reports", 200), ("/static/style.css", 200),
                                         ("/openapi.json", 200), ("/no/such/page", 404), ("/api/search", 422),
                                         ("/api/panel?measure=x", 400)])
def test_every_response_carries_the_security_headers(client, url, status):
    answer = client.get(url)
    assert answer.status_code == status
    assert {k: answer.headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS
    assert answer.headers["content-security-policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def test_a_server_error_carries_the_security_headers_too(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(client.app.state.corpus, "counts", broken)
    answer = client.get("/")
    assert answer.status_code == 500 and "internal error (RuntimeError)" in answer.text
    assert {k: answer.headers.get(k) for k in SECURITY_HEADERS} == SECURITY_HEADERS


@pytest.mark.parametrize("url", ["/", "/reports/hailar_2015", "/search?q=生态", "/compare", "/attention?terms=生态",
                                 "/docs", "/api/reports", "/api/reports/hailar_2015", "/api/search?q=生态",
                                 "/api/panel?format=csv", "/api/targets", "/api/attention?terms=生态", "/openapi.json",
                                 "/static/report.js"])
def test_head_is_answered_for_every_get_route(client, url):
    got, head = client.get(url), client.head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["x-frame-options"] == "DENY"
    assert client.head("/no/such/page").status_code == 404


def test_the_read_only_connection_refuses_attach(client, tmp_path):
    conn = client.app.state.corpus.conn
    assert conn.execute("PRAGMA query_only").fetchone()[0] == 1
    with pytest.raises(sqlite3.OperationalError, match="too many attached databases"):
        conn.execute("ATTACH DATABASE ? AS other", (str(tmp_path / "other.db"),))
    assert not (tmp_path / "other.db").exists()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("PRAGMA user_version = 99")


# -- downloads: every table as CSV and as JSON (issue 14) ------------------------------------------------
DOWNLOADS = [("/api/reports", {}), ("/api/reports", {"level": "county"}), ("/api/search", {"q": "生态"}),
             ("/api/panel", {"indicator": "gdp", "measure": "growth_pct"}),
             ("/api/panel", {"indicator": "gdp", "year": "2022", "level": ["county", "national"]}),
             ("/api/targets", {"indicator": "gdp"}), ("/api/attention", {"terms": "生态"}),
             ("/api/attention", {"terms": "生态", "by": "year"}), ("/api/attention", {"terms": "生态", "kwic": "true"})]


@pytest.mark.parametrize("url, params", DOWNLOADS)
def test_every_table_downloads_as_csv_and_as_json(client, url, params):
    import csv as csv_module
    import io
    as_json = client.get(url, params={**params, "format": "json"})
    assert as_json.status_code == 200 and as_json.headers["content-type"] == "application/json"
    rows = as_json.json()
    rows = rows["hits"] if isinstance(rows, dict) else rows
    as_csv = client.get(url, params={**params, "format": "csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert as_csv.headers["content-disposition"].startswith("attachment; filename=")
    assert as_csv.content.startswith("\ufeff".encode())              # a BOM: Excel reads UTF-8
    table = list(csv_module.reader(io.StringIO(as_csv.text.lstrip("\ufeff"))))
    assert len(rows) > 0 and len(table) == len(rows) + 1                # a header and the same rows
    assert table[0][:3] == list(rows[0])[:3]


def test_a_csv_cell_that_would_run_as_a_formula_is_defused(client):
    answer = client.get("/api/search", params={"q": "公式注入", "format": "csv"})
    assert ",'=HYPERLINK(" in answer.text or "\"'=HYPERLINK(" in answer.text
    assert client.get("/api/search", params={"q": "公式注入"}).json()["hits"][0]["snippet"].startswith("=HYPERLINK(")


@pytest.mark.parametrize("url, params", DOWNLOADS)
def test_a_format_other_than_csv_or_json_is_refused(client, url, params):
    answer = client.get(url, params={**params, "format": "xlsx"})
    assert answer.status_code == 422 and "format" in answer.json()["detail"]


@pytest.mark.parametrize("url", ["/", "/search?q=生态", "/compare", "/year", "/targets", "/attention?terms=生态",
                                 "/attention?terms=生态&by=year", "/attention?terms=生态&drill_year=2013"])
def test_every_page_offers_its_table_as_csv_and_json(client, url):
    page = client.get(url)
    links = re.findall(r'<p class="downloads">[^<]*<a class="csv" href="([^"]+)" download>CSV</a> · '
                       r'<a class="json" href="([^"]+)">JSON</a>', page.text)
    assert links, url
    for csv_link, json_link in links:
        csv_link, json_link = unescape(csv_link), unescape(json_link)
        assert csv_link.replace("format=csv", "format=json") == json_link
        assert client.get(csv_link).headers["content-type"].startswith("text/csv")
        assert client.get(json_link).headers["content-type"] == "application/json"


# -- search: N of M, pages, counts by year and region --------------------------------------------------
def test_search_says_how_many_and_pages_through_them(client):
    counts = client.get("/api/search/counts", params={"q": "经济"}).json()
    every = client.get("/api/search", params={"q": "经济", "limit": 500}).json()["hits"]
    assert counts["total"] == len(every) > 40 and not counts["capped"]
    assert sum(c["sentences"] for c in counts["by_year"]) == sum(c["sentences"] for c in counts["by_region"]) \
        == counts["total"]
    first = client.get("/search", params={"q": "经济", "limit": "20"}).text
    assert f"1–20 of {counts['total']} sentences" in first and f"page 1 of {-(-counts['total'] // 20)}" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/search", params={"q": "经济", "limit": "20", "page": "2"}).text
    assert f"21–40 of {counts['total']} sentences" in second and 'rel="prev"' in second and '<ol class="hits" start="21">' in second
    shown = re.findall(r'class="hit-link" href="([^"]+)"', first) + re.findall(r'class="hit-link" href="([^"]+)"', second)
    assert shown == [h["url"] for h in every[:40]]                  # the pages in turn are the ranking
    api_page = client.get("/api/search", params={"q": "经济", "limit": 20, "offset": 20}).json()
    assert [h["url"] for h in api_page["hits"]] == [h["url"] for h in every[20:40]] and api_page["offset"] == 20


def test_search_counts_by_year_and_region_link_to_narrower_searches(client):
    page = client.get("/search", params={"q": "地区生产总值"}).text
    counts = client.get("/api/search/counts", params={"q": "地区生产总值"}).json()
    for row in counts["by_year"]:
        assert f'<a class="chip" href="/search?q=%E5%9C%B0%E5%8C%BA%E7%94%9F%E4%BA%A7%E6%80%BB%E5%80%BC&amp;year={row["year"]}">' \
               f'{row["year"]} <b>{row["sentences"]}</b></a>' in page
    hailar = next(r for r in counts["by_region"] if r["region_name"] == "海拉尔区")
    assert f'region={hailar["region_code"]}">海拉尔区 <b>{hailar["sentences"]}</b>' in page
    narrowed = client.get("/api/search/counts", params={"q": "地区生产总值", "region": hailar["region_code"]}).json()
    assert narrowed["total"] == hailar["sentences"]


@pytest.mark.parametrize("params, says", [({"page": "0"}, "page must be a number from 1"),
                                          ({"page": "x"}, "page must be a number"),
                                          ({"page": "9999", "limit": "500"}, "search pages go 10,000 hits deep"),
                                          ({"limit": "501"}, "limit must be a number from 1 to 500")])
def test_search_pages_out_of_bounds_are_400(client, params, says):
    page = client.get("/search", params={"q": "发展", **params})
    assert page.status_code == 400 and says in unescape(page.text)
    assert client.get("/api/search", params={"q": "发展", "offset": 10_001}).status_code == 422


# -- targets ----------------------------------------------------------------------------------------------
def test_targets_page_links_each_target_and_result_to_its_sentence(client, ids):
    page = client.get("/targets", params={"indicator": "gdp", "measure": "growth_pct", "region": "海拉尔区"}).text
    row = re.search(r'<tr class="missed">\s*<td>海拉尔区</td>\s*<td data-sort="2012">.*?</tr>', page, re.S).group(0)
    target = re.search(r'<a class="target" href="/reports/(\d+)#pos-(\d+)-(\d+)"[^>]*>21%</a>', row)
    actual = re.search(r'<a class="actual" href="/reports/(\d+)#pos-(\d+)-(\d+)"[^>]*>18.5%</a>', row)
    assert target and actual and "−2.5 pp" in row and "≥ 21%" in row and ">missed</span>" in row
    for link, value in ((target, "21"), (actual, "18.5")):
        report_id, start, end = map(int, link.groups())
        assert value in client.get(f"/api/reports/{report_id}").json()["text"][start:end]
    assert int(target.group(1)) == ids["hailar_2012"] and int(actual.group(1)) == ids["hailar_2013"]
    assert '<span class="outcome met">met <b>1</b></span>' in page and '<span class="outcome missed">missed <b>3</b></span>' in page
    assert 'href="/year?indicator=gdp&amp;measure=growth_pct&amp;status=target&amp;year=2012&amp;level=county"' in page
    # the grid: regions down, years across (newest first), a cell per target with both links
    grid = re.search(r'<table class="data target-grid">.*?</table>', page, re.S).group(0)
    years = [int(y) for y in re.findall(r'year=(\d{4})" title', grid)]
    assert years == sorted(years, reverse=True) and {2012, 2016, 2019} <= set(years) and 2017 not in years
    cell = re.search(r'<td class="cell missed"><div title="missed: target 21%, result 18.5%, gap −2.5 pp; met if ≥ 21%">'
                     r'<a class="target" href="([^"]+)">21%</a> <span class="arrow">→</span> '
                     r'<a class="actual" href="([^"]+)">18.5%</a></div></td>', grid)
    assert cell and cell.groups() == (target.group(0).split('"')[3], actual.group(0).split('"')[3])


def test_targets_grid_is_one_measure_and_all_measures_is_a_table(client):
    default = client.get("/targets", params={"indicator": "地区生产总值"}).text       # a Chinese name is gdp
    assert '<option value="growth_pct" selected>' in default and 'class="data target-grid"' in default
    every = client.get("/targets", params={"indicator": "gdp", "measure": "all"}).text
    assert 'class="data target-grid"' not in every and "<td>国内生产总值 增速</td>" in every and "<td>地区生产总值</td>" in every
    assert 'href="/api/targets?indicator=gdp&amp;format=csv"' in every
    assert client.get("/targets", params={"indicator": "gdpp"}).status_code == 400


def test_targets_filters_and_their_api(client):
    rows = client.get("/api/targets", params={"level": "county", "outcome": "met"}).json()
    assert rows and {r["region_level"] for r in rows} == {"county"} and {r["outcome"] for r in rows} == {"met"}
    years = client.get("/api/targets", params={"indicator": "gdp", "year": "2013-2014"}).json()
    assert {r["year"] for r in years} == {2013, 2014}
    page = client.get("/targets", params={"indicator": "gdp", "level": "national"}).text
    assert "中华人民共和国" in page and "海拉尔区" not in page and "no report for 2025 in the corpus" in page
    assert client.get("/targets", params={"outcome": "won"}).status_code == 400
    assert client.get("/api/targets", params={"level": "planet"}).status_code == 400


# -- one year across regions -----------------------------------------------------------------------------
def test_one_year_view_ranks_the_regions_and_marks_the_nation(client):
    page = client.get("/year", params={"indicator": "gdp", "measure": "growth_pct", "status": "actual",
                                       "year": "2022", "level": "county"}).text
    assert '<svg class="chart range-chart"' in page
    assert re.findall(r'class="row-label"[^>]*>([^<]+)</text>', page) == ["石峰区", "晋源区", "千山区"]   # 5, 2.3, 2.0
    svg = re.search(r'<svg class="chart range-chart".*?</svg>', page, re.S).group(0)
    assert svg.count('class="dot"') == 3 and svg.count('fill="#fff"') == 1                            # 石峰区 5%左右
    assert "5%左右" in page and "The nation has no actual for 2022 in this corpus." in page
    with_nation = client.get("/year", params={"indicator": "gdp", "measure": "growth_pct", "status": "actual",
                                              "year": "2023", "level": "county"}).text
    assert re.search(r'class="row-label nation"[^>]*>全国</text>', with_nation) and 'class="reference"' in with_nation
    assert '<tr class="nation">' in with_nation


def test_one_year_view_defaults_to_where_the_values_are(client):
    page = client.get("/year").text       # gdp growth targets: one region a level, so the higher level, its year
    assert '<option value="national" selected>' in page and '<option value="target" selected>' in page
    assert '<option value="2024" selected>' in page
    assert "/api/panel?indicator=gdp&amp;measure=growth_pct&amp;status=target&amp;year=2024&amp;level=national" in page
    county = client.get("/year", params={"level": "county"}).text         # 海拉尔区 alone, its latest year
    assert '<option value="2019" selected>' in county
    for bad, says in (({"year": "soon"}, "year must be one year"), ({"level": "galaxy"}, "level must be one of"),
                      ({"indicator": "happiness"}, "no observations of indicator")):
        answer = client.get("/year", params=bad)
        assert answer.status_code == 400 and says in unescape(answer.text)


def test_panel_api_by_year_and_levels(client):
    rows = client.get("/api/panel", params={"indicator": "gdp", "measure": "growth_pct", "year": "2023",
                                            "level": ["county", "national"]}).json()
    assert {(r["region_name"], r["year"]) for r in rows} == {("山阳区", 2023), ("中华人民共和国", 2023)}
    spans = client.get("/api/panel", params={"indicator": "gdp", "measure": "avg_growth_pct", "year": "2011-2015"}).json()
    assert [r["period"] for r in spans] == ["2011-2015"]
    assert client.get("/api/panel", params={"indicator": "gdp", "year": "2011-2014", "measure": "avg_growth_pct"}).json() == []


def test_compare_names_the_spans_it_leaves_out_of_the_chart(client):
    page = client.get("/compare", params={"indicator": "gdp", "measure": "avg_growth_pct"}).text
    assert "1 value for spans of years (2011-2015) is in the table, not the chart" in page


def test_tables_are_sortable_and_scroll_in_their_own_box(client):
    for url in ("/", "/compare", "/year", "/targets", "/attention?terms=生态"):
        page = client.get(url).text
        assert re.search(r'<div class="table-box">\s*<table class="data [\w-]+ sortable">', page), url
        assert '<script src="/static/sort.js"></script>' in page
    assert client.get("/static/sort.js").status_code == 200


def test_attention_is_over_years_by_default(client):
    """A researcher's index is charted over years: the page opens on one level's line, not a bar per report."""
    page = client.get("/attention", params={"terms": "生态"}).text
    assert 'class="chart line-chart"' in page and 'class="chart bar-chart"' not in page
