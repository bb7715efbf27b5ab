"""The web app in a real browser: headless Debian chromium driven by Playwright, against uvicorn
serving a small corpus on a free port of 127.0.0.1. Screenshots go to tests/screenshots/."""
from __future__ import annotations

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
        corpus.ingest([CORPUS / "seeds", CORPUS / "hailar", CORPUS / "provinces-2026" / "2026_上海市_政府工作报告.txt",
                       folder / "script_report.txt"], jobs=4)
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
    assert page.locator("a.report-link").count() == 13
    page.select_option("select[name=level]", "province")
    page.click("form.filters button")
    page.wait_for_url("**/?level=province**")
    assert page.locator("a.report-link").count() == 1
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
    page.locator("svg.bar-chart a.bar-link").first.click()
    page.wait_for_selector("#drill table.kwic tr")
    assert page.locator("#drill td.kw mark").count() > 0
    shot(page, "attention")
    assert not page.errors


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
