"""``bienche serve`` in a real browser: headless Debian Chromium driven by selenium.

A real ``bienche serve --port 0`` process is started; the page uploads the sample
PDF, the sample DOCX and a broken file, shows the results table with the error,
opens a document's report and downloads the XLSX, read back with openpyxl.
Skipped without chromium/chromedriver/selenium unless ``BIENCHE_REQUIRE_BROWSER=1``.
Screenshots: ``test-artifacts/web.png`` (results) and ``test-artifacts/web-report.png``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_report_browser import start_chromium

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """The address of a ``bienche serve`` process started for this module."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "serve", "--port", "0"], env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert found, line
        yield found.group(1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser saves downloads."""
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[Any]:
    """One headless Chromium that saves downloads without asking, its console log recorded."""
    prefs = {"download.default_directory": str(downloads), "download.prompt_for_download": False}
    driver = start_chromium(tmp_path_factory.mktemp("chromium-profile"), prefs)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: Any, script: str, timeout: float = 10) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script))


@pytest.fixture(scope="module")
def done(browser: Any, url: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The page after uploading the PDF, the DOCX and a broken file, once the job is done."""
    broken = tmp_path_factory.mktemp("broken") / "tệp hỏng.docx"
    broken.write_bytes(b"this is not a zip file")
    browser.get(url)
    _wait(browser, "return document.getElementById('limits').textContent.length > 0")
    files = [CORPUS / "kh-123-longan.pdf", CORPUS / "hoi-nghi-bien-che.docx", broken]
    browser.find_element("id", "pick").send_keys("\n".join(str(f) for f in files))
    _wait(browser, "return document.getElementById('job').dataset.status === 'done'", timeout=180)
    return browser


def _row(page: Any, name: str) -> Any:
    return next(r for r in page.find_elements("css selector", "#results tbody tr") if r.get_attribute("data-name") == name)


def _cell(row: Any, col: str) -> str:
    text: str = row.find_element("css selector", f'[data-col="{col}"]').text
    return text


def test_web_browser_shows_results_and_the_error(done: Any) -> None:
    rows = done.find_elements("css selector", "#results tbody tr")
    assert [r.get_attribute("data-name") for r in rows] == ["kh-123-longan.pdf", "hoi-nghi-bien-che.docx", "tệp hỏng.docx"]
    pdf = _row(done, "kh-123-longan.pdf")
    assert (_cell(pdf, "status"), _cell(pdf, "pages")) == ("Xong", "10")
    assert int(_cell(pdf, "citations")) > 0 and int(_cell(pdf, "figures")) > 0
    assert "9 lỗi" in _cell(pdf, "findings")
    broken = _row(done, "tệp hỏng.docx")
    assert broken.get_attribute("data-status") == "failed" and _cell(broken, "status") == "Không đọc được"
    assert "E_DOCX_CORRUPT" in _cell(broken, "errors") and "tệp hỏng.docx" in _cell(broken, "errors")
    assert done.find_element("id", "count").text == "Đã xử lý 3/3 tệp"
    ARTIFACTS.mkdir(exist_ok=True)
    assert done.save_screenshot(str(ARTIFACTS / "web.png"))


def test_web_browser_opens_a_document_report(done: Any) -> None:
    _row(done, "kh-123-longan.pdf").find_element("css selector", "button.view").click()
    _wait(done, "return !document.getElementById('viewer').hidden")
    done.switch_to.frame(done.find_element("id", "viewer-frame"))
    try:
        _wait(done, "return document.querySelectorAll('.text .fig[data-kind]').length > 0")
        assert done.execute_script("return document.querySelectorAll('section.doc').length") == 1
        assert "28.960 biên chế" in done.execute_script("return [...document.querySelectorAll('.fig[data-kind=level]')].map(e => e.textContent)")
        done.find_element("css selector", "li.finding").click()
        _wait(done, "return !document.getElementById('panel').hidden")  # the report's own script runs
    finally:
        done.switch_to.default_content()
    assert done.find_element("id", "viewer-name").text == "kh-123-longan.pdf"
    assert done.save_screenshot(str(ARTIFACTS / "web-report.png"))


def test_web_browser_downloads_the_workbook(done: Any, downloads: Path) -> None:
    import openpyxl

    links = {a.get_attribute("data-file"): a for a in done.find_elements("css selector", "#downloads a[data-file]")}
    assert set(links) == {"bienche.xlsx", "figures.csv", "citations.csv", "results.jsonl", "report.html"}
    links["bienche.xlsx"].click()
    target = downloads / "bienche.xlsx"
    deadline = time.monotonic() + 30
    while not target.is_file() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.is_file(), list(downloads.iterdir())
    book = openpyxl.load_workbook(target, read_only=True)
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    assert {"kh-123-longan.pdf", "hoi-nghi-bien-che.docx"} <= cells
    assert any("E_DOCX_CORRUPT" in c for c in cells)


def test_web_browser_refuses_a_file_too_large(browser: Any, url: str, tmp_path: Path) -> None:
    big = tmp_path / "quá lớn.txt"
    with big.open("wb") as handle:
        handle.truncate(21_000_000)
    browser.get(url)
    _wait(browser, "return document.getElementById('limits').textContent.length > 0")
    browser.find_element("id", "pick").send_keys(str(big))
    _wait(browser, "return !document.getElementById('message').hidden")
    assert "quá lớn.txt: lớn hơn 20 MB" in browser.find_element("id", "message").text
    assert not browser.find_element("id", "job").is_displayed()


def test_web_browser_has_no_console_errors(done: Any) -> None:
    logs = done.get_log("browser")
    assert [entry for entry in logs if entry["level"] in ("SEVERE", "WARNING")] == []
