"""The HTML report in a real browser: headless Debian Chromium driven by selenium.

Needs ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` (Debian packages
``chromium`` and ``chromium-driver``) and the ``selenium`` package; skipped
without them unless ``BIENCHE_REQUIRE_BROWSER=1`` (set in CI), which makes a
missing browser a failure. A screenshot is kept in ``test-artifacts/report.png``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

from extractor.export.html import write_report
from extractor.models import DocumentResult
from extractor.report import build_report

ROOT = Path(__file__).resolve().parents[1]
LONG_AN = ROOT / "corpus" / "001_02c0c7e95a57206c.txt"
CONFERENCE = ROOT / "corpus" / "002_b492399a474e869d.txt"
ARTIFACTS = ROOT / "test-artifacts"
HOSTILE = """KẾ HOẠCH THỬ NGHIỆM (văn bản giả định cho kiểm thử)

Căn cứ Quyết định số 999-QĐ/TU ngày 01/02/2024 của Ban Thường vụ Tỉnh ủy.
<script>window.__pwned = 1</script>
<img src="x" onerror="window.__pwned = 2">
Tổng biên chế năm 2023 là 1.220 biên chế. Năm 2024, tổng biên chế là 1.200 biên chế, giảm 25 biên chế so với năm 2023 & "tỷ lệ" 2,05%.
"""
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--window-size=1400,1000", "--lang=vi",
)  # fmt: skip


def _binary(*names: str) -> str | None:
    for name in names:
        found = shutil.which(name) or (name if os.path.isfile(name) and os.access(name, os.X_OK) else None)
        if found:
            return found
    return None


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("BIENCHE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BIENCHE_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[DocumentResult, str | None]]]:
    """The report for the Long An plan, the conference report, a hostile made-up plan and an empty file."""
    folder = tmp_path_factory.mktemp("report")
    hostile = folder / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    empty = folder / "empty.txt"
    empty.write_text("", encoding="utf-8")
    items = build_report([LONG_AN, CONFERENCE, hostile, empty])
    page = folder / "report.html"
    write_report(items, page)
    return page, items


def start_chromium(profile: Path, prefs: dict[str, object] | None = None) -> Any:
    """A headless Debian Chromium under selenium with ``profile`` as its user data,
    its console log recorded; skips (or fails, with BIENCHE_REQUIRE_BROWSER=1) without one."""
    chromium = _binary("chromium", "/usr/bin/chromium", "chromium-browser")
    driver_path = _binary("chromedriver", "/usr/bin/chromedriver")
    if chromium is None or driver_path is None:
        _unavailable("no chromium / chromedriver (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = str(chromium)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=str(driver_path)), options=options)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One headless Chromium for the module, with its console log recorded."""
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture()
def page(browser: Any, report: tuple[Path, list[tuple[DocumentResult, str | None]]]) -> Any:
    """The report freshly loaded, with the console log read up to now."""
    browser.get(report[0].as_uri())
    browser.get_log("browser")
    return browser


def _section(source: Path) -> str:
    return f'section.doc[data-source="{source}"]'


def _wait(driver: Any, script: str) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, 5).until(lambda d: d.execute_script(script))


SPANS_JS = """
const out = {};
for (const el of document.querySelectorAll(arguments[0])) {
  const doc = el.closest('section.doc').dataset.source;
  const key = [doc, el.dataset.figure || el.dataset.citation || el.dataset.finding, el.dataset.part || '',
               el.dataset.start, el.dataset.end].join('|');
  out[key] = (out[key] || '') + el.textContent;
}
return out;
"""


def _check_spans(driver: Any, selector: str, texts: dict[str, str]) -> int:
    """Every highlight's text (its fragments joined) equals the document text at its offsets."""
    found: dict[str, str] = driver.execute_script(SPANS_JS, selector)
    for key, shown in found.items():
        source, _ident, _part, start, end = key.split("|")
        assert shown == texts[source][int(start) : int(end)], key
    return len(found)


def test_report_marks_every_finding_in_place(page: Any, report: tuple[Path, list[tuple[DocumentResult, str | None]]]) -> None:
    for source, expected in ((LONG_AN, 9), (CONFERENCE, 3)):
        section = _section(source)
        ids = page.execute_script(
            "return [...new Set([...document.querySelectorAll(arguments[0] + ' .text .fm[data-rule]')].map(e => e.dataset.finding))]",
            section,
        )
        assert len(ids) == expected, source
        assert len(page.find_elements("css selector", f"{section} .fbadge[data-rule]")) == expected
        assert len(page.find_elements("css selector", f"{section} li.finding[data-rule]")) == expected
        severities = {e.get_attribute("data-severity") for e in page.find_elements("css selector", f"{section} .fm")}
        assert severities <= {"error", "warning"} and severities
    texts = {str(result.source): text for result, text in report[1] if text is not None}
    assert _check_spans(page, ".text .fm[data-finding]", texts) >= 12


def test_report_highlights_figures_and_citations_at_their_offsets(page: Any, report: tuple[Path, list[tuple[DocumentResult, str | None]]]) -> None:
    texts = {str(result.source): text for result, text in report[1] if text is not None}
    assert _check_spans(page, ".text .fig[data-kind]", texts) >= sum(len(r.figures) for r, _ in report[1])
    assert _check_spans(page, ".text .cit", texts) >= sum(len(r.citations) for r, _ in report[1])
    shown = page.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' .fig[data-kind=level]')].map(e => e.textContent)",
        _section(LONG_AN),
    )
    assert "28.960 biên chế" in shown
    kinds = set(page.execute_script("return [...document.querySelectorAll('.fig')].map(e => e.dataset.kind)"))
    assert kinds >= {"level", "change", "rate"}
    colours = page.execute_script(
        "return ['level','change','rate'].map(k => getComputedStyle(document.querySelector('.text .fig.k-' + k)).backgroundColor)"
    )
    assert len(set(colours)) == 3 and "rgba(0, 0, 0, 0)" not in colours


def test_report_shows_script_as_text(page: Any, report: tuple[Path, list[tuple[DocumentResult, str | None]]]) -> None:
    hostile = next(str(r.source) for r, _ in report[1] if str(r.source).endswith("hostile.txt"))
    text = page.execute_script("return document.querySelector(arguments[0] + ' .text').textContent", _section(Path(hostile)))
    assert "<script>window.__pwned = 1</script>" in text
    assert '<img src="x" onerror="window.__pwned = 2">' in text
    assert page.execute_script("return typeof window.__pwned") == "undefined"
    assert page.execute_script("return document.querySelectorAll('script').length") == 1
    assert page.execute_script("return document.querySelectorAll('.text img, .text script').length") == 0
    assert page.find_elements("css selector", f"{_section(Path(hostile))} .fig[data-kind=level]")


def test_report_summary_links_each_document(page: Any, report: tuple[Path, list[tuple[DocumentResult, str | None]]]) -> None:
    rows = page.find_elements("css selector", ".summary-table tbody tr")
    assert len(rows) == len(report[1]) == 4
    cells = {r.get_attribute("data-source"): r.find_element("css selector", '[data-col="errors"]').text for r in rows}
    assert cells[str(LONG_AN)] == "9"
    empty = rows[3]
    assert empty.find_element("css selector", '[data-col="read_errors"]').text == "1"
    assert "E_EMPTY" in page.find_element("css selector", "section.doc#doc-4 .read-errors").text
    rows[1].find_element("css selector", "a").click()
    assert page.execute_script("return location.hash") == "#doc-2"


def test_report_click_finding_shows_suggestion(page: Any) -> None:
    section = _section(LONG_AN)
    item = next(
        li for li in page.find_elements("css selector", f"{section} li.finding")
        if li.find_elements("css selector", ".suggestion")
    )  # fmt: skip
    ident = item.get_attribute("data-finding")
    suggestion = item.find_element("css selector", ".suggestion").text
    assert page.find_element("id", "panel").is_displayed() is False
    item.click()
    _wait(page, "return !document.getElementById('panel').hidden")
    panel = page.find_element("id", "panel")
    assert suggestion in panel.text and panel.get_attribute("data-finding") == ident
    active = page.execute_script("return [...document.querySelectorAll('.text .active')].map(e => e.dataset.finding)")
    assert active and set(active) == {ident}
    first = page.find_element("css selector", f'.fm[data-finding="{ident}"]')
    assert page.execute_script(
        "const r = arguments[0].getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight", first
    )  # the text was scrolled to the finding
    ARTIFACTS.mkdir(exist_ok=True)
    assert page.save_screenshot(str(ARTIFACTS / "report.png"))


def test_report_click_and_hover_mark_in_text(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    section = _section(CONFERENCE)
    badge = page.find_element("css selector", f"{section} .fbadge")
    ident = badge.get_attribute("data-finding")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", badge)
    badge.click()
    _wait(page, "return !document.getElementById('panel').hidden")
    message = page.find_element("css selector", f"#{ident} .msg").text
    assert message in page.find_element("id", "panel").text
    page.find_element("css selector", "#panel .close").click()
    assert not page.find_element("id", "panel").is_displayed()

    figure = page.find_element("css selector", f"{_section(LONG_AN)} .fig[data-figure=f1]")
    page.execute_script("arguments[0].scrollIntoView({block: 'center'})", figure)
    ActionChains(page).move_to_element(figure).perform()
    _wait(page, "return !document.getElementById('tip').hidden")
    assert "28.960 biên chế" in page.find_element("id", "tip").text


def test_report_has_no_console_errors(page: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    for li in page.find_elements("css selector", "li.finding")[:5]:
        li.click()
    ActionChains(page).move_to_element(page.find_element("css selector", ".text .cit")).perform()
    logs = page.get_log("browser")
    assert [entry for entry in logs if entry["level"] in ("SEVERE", "WARNING")] == []


@pytest.fixture(scope="module")
def pdf_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report for the sample PDF of the Long An plan (text layer, with findings)."""
    page = tmp_path_factory.mktemp("pdf-report") / "report.html"
    write_report(build_report([ROOT / "corpus" / "kh-123-longan.pdf"]), page)
    return page


def test_report_pdf_finding_and_figure_show_page_crop(browser: Any, pdf_report: Path) -> None:
    browser.get(pdf_report.as_uri())
    item = browser.find_element("css selector", "li.finding")
    item.click()
    _wait(browser, "return !document.getElementById('panel').hidden")
    loaded = "return [...document.querySelectorAll(arguments[0])].map(i => i.complete && i.naturalWidth > 0)"
    in_panel = browser.execute_script(loaded, "#panel figure.crop img")
    assert in_panel == [True]  # the finding's page band, rendered and embedded
    caption = browser.find_element("css selector", "#panel figure.crop figcaption").text
    assert caption.startswith("Trang ")
    browser.execute_script("document.querySelector('details.crops').open = true")
    figures = browser.execute_script(loaded, "details.crops img")
    assert figures and all(figures)
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / "report-pdf-crop.png"))
