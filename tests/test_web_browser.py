"""The web app in a real browser: headless Debian chromium driven by Playwright, against uvicorn
serving a small corpus on a free port of 127.0.0.1. Screenshots go to tests/screenshots/."""
from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from baogao.serve import create_app
from baogao.store import Corpus

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# 2026 GDP growth targets worded four ways: 5%左右, 5%-5.5%, 5.5%左右, 5%以上
PROVINCES = ["上海市", "安徽省", "湖北省", "山东省"]
SCRIPT_REPORT = """测试区人民政府工作报告
——2024年1月10日在测试区第一届人民代表大会第三次会议上
测试区人民政府区长  张三
各位代表：
一、2023年工作回顾
全年地区生产总值完成102.46亿元，增长2.3%。页面注入<script>alert(1)</script><img src=x onerror=alert(2)>不应执行。
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Base URL of the app, served by uvicorn in a thread of this process."""
    folder = tmp_path_factory.mktemp("browser")
    (folder / "script_report.txt").write_text(SCRIPT_REPORT, encoding="utf-8")
    with Corpus(folder / "web.db") as corpus:
        corpus.ingest([CORPUS / "seeds", CORPUS / "hailar", folder / "script_report.txt",
                       CORPUS / "national" / "2024_2024年中华人民共和国国务院政府工作报告.txt"]
                      + [CORPUS / "provinces-2026" / f"2026_{name}_政府工作报告.txt" for name in PROVINCES], jobs=4)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(folder / "web.db"), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                    f"(`make browser`, or apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    # what the Content-Security-Policy blocked (an inline script or style) counts as an error too
    page.on("console", lambda message: page.errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    context.close()


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def in_viewport(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """el => { const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""")


def test_overview_lists_reports_and_filters(server, page):
    page.goto(server + "/")
    assert page.locator("a.report-link").count() == 17
    page.select_option("select[name=level]", "province")
    page.click("form.filters button")
    page.wait_for_url("**/?level=province**")
    assert page.locator("a.report-link").count() == len(PROVINCES)
    page.goto(server + "/")
    shot(page, "overview")
    assert not page.errors


def test_clicking_a_figure_shows_its_record(server, page):
    page.goto(server + "/")
    page.click("a.report-link:has-text('海拉尔区人民政府工作报告') >> nth=0")
    page.wait_for_selector("#report-text .fig.obs")
    figure = page.locator("#report-text .fig.obs").first
    figure_text = figure.inner_text()
    figure.click()
    panel = page.locator("#panel-body")
    panel.locator("dl.record").first.wait_for()
    text = panel.inner_text()
    for label in ("indicator", "measure", "value", "unit", "period", "status", "flags", "audit notes"):
        assert label in text
    assert f"quantity «{figure_text}»" in text
    assert "selected" in figure.get_attribute("class")
    shot(page, "report-panel")
    assert not page.errors


def test_search_hit_leads_to_the_marked_place(server, page):
    page.goto(server + "/search")
    page.fill("input[name=q]", "地区生产总值")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("li.hit")
    assert page.locator("li.hit mark").first.inner_text() == "地区生产总值"
    shot(page, "search")
    links = page.locator("a.hit-link")
    href = links.nth(links.count() - 1).get_attribute("href")      # a hit far down in its report
    offset = int(href.rsplit("#pos-", 1)[1])
    links.nth(links.count() - 1).click()
    target = page.locator(f"mark.target#pos-{offset}")
    target.wait_for()
    assert target.inner_text().startswith("地区生产总值")
    assert page.evaluate(f"document.querySelector('#report-text [data-s]') !== null")
    page.wait_for_timeout(300)
    assert in_viewport(page, f"mark.target#pos-{offset}")
    shot(page, "search-hit")
    assert not page.errors


def test_compare_draws_a_chart(server, page):
    page.goto(server + "/compare")
    other = page.locator("select[name=indicator] option:not([value=gdp])").first.get_attribute("value")
    page.select_option("select[name=indicator]", other)        # static/compare.js reloads for it
    page.wait_for_url(f"**/compare?indicator={other}")
    page.select_option("select[name=indicator]", "gdp")
    page.wait_for_url("**/compare?indicator=gdp")
    page.select_option("select[name=measure]", "growth_pct")
    for box in page.locator("input[name=region]").all():
        box.uncheck()
    page.check("input[name=region][value='150702']")
    page.check("input[name=region][value='310000']")
    page.click("#compare-form button")
    page.wait_for_selector("svg.line-chart")
    # a line joins consecutive years only: one path per run of two or more, none across a gap
    rows = page.request.get(server + "/api/panel?indicator=gdp&measure=growth_pct&region=150702&region=310000").json()
    runs = consecutive_runs(rows)
    assert len(runs) >= 2 and any(len(run) == 1 for run in runs)          # 海拉尔区 2018 stands alone
    assert page.locator("svg.line-chart path.line").count() == sum(len(run) > 1 for run in runs)
    assert page.locator("svg.line-chart circle.point").count() >= 10
    assert page.locator("table.panel-table tbody tr").count() >= 10
    assert page.locator("a.csv").get_attribute("href").startswith("/api/panel?")
    shot(page, "compare")
    assert not page.errors


def consecutive_runs(rows: list[dict]) -> list[list[int]]:
    """The years of each region and status, cut where a year is missing."""
    years: dict[tuple, list[int]] = {}
    for row in rows:
        if row["year"] is not None:
            years.setdefault((row["region_code"], row["status"]), []).append(row["year"])
    runs = []
    for found in years.values():
        mine: list[list[int]] = []
        for year in sorted(found):
            if mine and mine[-1][-1] == year - 1:
                mine[-1].append(year)
            else:
                mine.append([year])
        runs += mine
    return runs


def test_attention_chart_and_drill_down(server, page):
    page.goto(server + "/attention?terms=生态,环境&by=year")
    assert page.inner_text("p.note").startswith("Level: county")           # one level, the one with most reports
    assert page.locator("svg.line-chart text.axis-label").first.text_content().startswith("matches per 10,000 characters")
    page.locator("svg.line-chart a").first.click()                         # a year's point: its matches
    page.wait_for_selector("#drill table.kwic tr")
    assert page.locator("#drill td.kw mark").count() > 0 and "&level=county" in page.url
    shot(page, "attention")
    page.goto(server + "/attention?terms=生态,环境&by=report")
    page.locator("svg.bar-chart a.bar-link").first.click()                 # a report's bar, anywhere on its row
    page.wait_for_selector("#drill table.kwic tr")
    assert "report=" in page.url and page.locator("#drill td.kw mark").count() > 0
    assert not page.errors


def test_targets_page_links_sorts_and_judges(server, page):
    page.goto(server + "/targets?indicator=gdp&measure=growth_pct")
    row = page.locator("table.targets-table tbody tr", has=page.locator("a.target", has_text=re.compile("^21%$")))
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert cells[:6] == ["海拉尔区", "2012", "21%", "18.5%", "−2.5 pp", "missed"] and cells[6] == "≥ 21%"
    page.click("table.targets-table th:has-text('Gap') button.sort")         # ascending: the largest shortfall first
    assert page.get_attribute("table.targets-table th:has-text('Gap')", "aria-sort") == "ascending"
    assert page.locator("table.targets-table tbody tr").first.locator("td").nth(4).inner_text() == "−9.9 pp"
    shot(page, "targets")
    row.locator("a.actual").click()                                       # the result, in the next year's report
    mark = page.locator("mark.target").first
    mark.wait_for()
    assert "18.5" in mark.inner_text() and page.url.endswith(row_href(page))
    assert not page.errors


def row_href(page) -> str:
    return "#" + page.url.rsplit("#", 1)[1]


def test_one_year_view_ranks_regions_with_ranges_and_the_nation(server, page):
    page.goto(server + "/year?indicator=gdp&measure=growth_pct&status=target&year=2026&level=province")
    chart = page.locator("svg.range-chart")
    assert chart.locator("text.row-label").all_text_contents() == ["湖北", "安徽", "上海", "山东"]   # 5.5, 5-5.5, 5, 5
    assert chart.locator("rect.range").count() == 1                        # 安徽 5%-5.5%: a bar from low to high
    assert chart.locator("circle.dot[fill='#fff']").count() == 2            # 左右: hollow
    assert chart.locator("text.row-value").all_text_contents() == ["5.5%左右", "5–5.5%", "5%左右", "5%以上"]
    ranks = page.locator("table.year-table tbody td:first-child").all_inner_texts()
    assert ranks == ["1", "2", "3", "3"]
    page.click("table.year-table th:has-text('Region') button.sort")         # Chinese order: by pinyin
    assert page.locator("table.year-table tbody tr td:nth-child(2)").all_inner_texts() == ["安徽省", "湖北省", "山东省", "上海市"]
    shot(page, "one-year")
    chart.locator("a.row-link").first.click()                              # 湖北: its sentence
    page.locator("mark.target").first.wait_for()
    assert "5.5" in page.locator("mark.target").first.inner_text()
    page.goto(server + "/year?indicator=gdp&measure=growth_pct&status=actual&year=2023&level=county")
    assert page.locator("svg.range-chart text.row-label.nation").text_content() == "全国"
    assert page.locator("svg.range-chart line.reference").count() == 1
    assert not page.errors


DOWNLOAD_PAGES = ["/", "/search?q=生态", "/compare", "/year", "/targets", "/attention?terms=生态",
                  "/attention?terms=生态&by=year&drill_year=2013"]


@pytest.mark.parametrize("url", DOWNLOAD_PAGES)
def test_every_download_is_really_csv_or_json(server, page, url):
    page.goto(server + url)
    links = page.locator("p.downloads a")
    assert links.count() >= 2
    for i in range(links.count()):
        link = links.nth(i)
        answer = page.request.get(server + link.get_attribute("href"))
        assert answer.ok
        if link.inner_text() == "CSV":
            assert answer.headers["content-type"] == "text/csv; charset=utf-8"
            assert answer.body().startswith("\ufeff".encode())
            rows = list(csv.reader(io.StringIO(answer.body().decode("utf-8-sig"))))
            assert len(rows) >= 2 and len(rows[1]) == len(rows[0]) > 1, url          # a header and a data row
        else:
            assert link.inner_text() == "JSON" and answer.headers["content-type"] == "application/json"
            data = json.loads(answer.body())
            data = data["hits"] if isinstance(data, dict) else data
            assert data and isinstance(data[0], dict), url
    with page.expect_download() as download:                               # the browser saves it as a file
        page.locator("p.downloads a.csv").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    assert not page.errors


def test_search_pages_and_counts(server, page):
    page.goto(server + "/search?q=发展&limit=10")
    first = re.fullmatch(r"1–10 of (\d+) sentences · page 1 of (\d+)", page.inner_text("#hit-count"))
    total = int(first.group(1))
    assert total > 20 and int(first.group(2)) == -(-total // 10)
    page_one = [a.get_attribute("href") for a in page.locator("a.hit-link").all()]
    page.click("nav.pager a.next")
    page.wait_for_url("**page=2**")
    assert page.inner_text("#hit-count").startswith(f"11–20 of {total} sentences")
    page_two = [a.get_attribute("href") for a in page.locator("a.hit-link").all()]
    assert len(page_two) == 10 and not set(page_one) & set(page_two)
    shot(page, "search-page-2")
    chip = page.locator(".facet:has(h3:text('By year')) a.chip").first
    year, n = chip.inner_text().split()
    chip.click()
    page.wait_for_url(f"**year={year}**")
    assert re.match(rf"1–{min(int(n), 10)} of {n} sentences", page.inner_text("#hit-count"))
    assert "page=" not in page.url and not page.errors


# Every page, at a desktop width and at a phone's 390 pixels: nothing wider than the screen.
PAGES = {"overview": "/", "report": "/reports/hailar_2015", "search": "/search?q=营商环境", "compare": "/compare",
         "one-year": "/year?indicator=gdp&measure=growth_pct&status=target&year=2026&level=province",
         "targets": "/targets", "attention": "/attention?terms=生态,环境&by=year&drill_year=2013",
         "attention-reports": "/attention?terms=生态,环境&by=report", "docs": "/docs", "not-found": "/reports/999999"}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_fits_a_desktop_and_a_phone(server, browser, name):
    for width, height, label in ((1400, 900, "desktop"), (390, 844, "390")):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        blocked = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(server + PAGES[name])
        page.wait_for_load_state("load")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, label)
        shot(page, f"{name}-{label}")
        if name == "report" and width == 390:
            phone_report_panel(page)
        assert not blocked
        context.close()


def phone_report_panel(page) -> None:
    """On a phone the record panel comes after the text, and a tapped figure's record is in view."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")   # where the panel rests
    assert page.evaluate("document.getElementById('panel').getBoundingClientRect().top >= "
                         "document.querySelector('article.report').getBoundingClientRect().bottom")
    assert page.evaluate("getComputedStyle(document.querySelector('.report-layout')).display") == "block"
    figure = page.locator("#report-text .fig.obs").nth(2)
    figure.scroll_into_view_if_needed()
    figure.click()
    page.locator("#panel-body dl.record").first.wait_for()
    assert in_viewport(page, "#panel-body dl.record") and in_viewport(page, "#report-text .fig.selected")
    shot(page, "report-390-record")


def test_script_in_a_report_does_not_run(server, page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/search?q=页面注入")
    page.click("a.hit-link")
    page.wait_for_selector("mark.target")
    page.wait_for_timeout(300)
    assert "<script>alert(1)</script>" in page.inner_text("#report-text")
    assert not dialogs and not page.errors
    shot(page, "script-report")
