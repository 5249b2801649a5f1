"""``arhiva serve`` in a real browser: Debian's chromium, headless, driven by Playwright, against the
server started as a real process on the bundled samples (ingested with the real Tesseract).

Without chromium or Playwright these tests are skipped with the reason, unless
ARHIVA_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

CHROMIUM = Path(os.environ.get("ARHIVA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SAMPLES = Path(__file__).parent.parent / "samples"
HOSTILE = "Comunicat de presă\n\nAtenție: <script>alert('xss')</script> și <b>bold</b> rămân text.\n"


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; scripts/setup.sh installs it)"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing_browser()
    if reason:
        if os.environ.get("ARHIVA_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (ARHIVA_REQUIRE_BROWSER=1), but {reason}")
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory, browser):
    """``arhiva serve`` on the samples (and one text holding markup), as a real process; its URL."""
    root = tmp_path_factory.mktemp("browser")
    files = root / "files"
    shutil.copytree(SAMPLES, files)
    (files / "comunicat-ostil.txt").write_text(HOSTILE, "utf-8")
    archive = root / "archive"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "ARHIVA_HOME": str(archive)}
    arhiva = [sys.executable, "-m", "arhiva"]
    done = subprocess.run([*arhiva, "ingest", "--jobs", "1", str(files)], env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    port = _free_port()
    process = subprocess.Popen([*arhiva, "serve", "--port", str(port)], env=env, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()  # "arhiva: serving ... at http://127.0.0.1:PORT/" once it listens
        assert f"http://127.0.0.1:{port}/" in line, line + (process.stderr.read() if process.poll() is not None else "")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ro-RO")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: page.problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda err: page.problems.append(str(err)))
    page.on("dialog", lambda dialog: (page.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


def test_search_then_open_the_minutes_with_scan_beside_text(server, page, tmp_path):
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "ro"
    page.get_by_label("Cuvinte căutate").fill("sedinta consiliului")
    page.get_by_label("Cuvinte căutate").press("Enter")
    page.wait_for_url("**/?q=*")
    first = page.locator("ol.results li.result").first
    assert "Proces-verbal" in first.locator("h2").inner_text()
    assert first.locator("mark").count() >= 1 and "p. 1" in first.inner_text()
    page.screenshot(path=str(tmp_path / "search.png"), full_page=True)

    first.locator("h2 a").click()
    page.wait_for_url("**/document/*")
    assert page.locator("h1").inner_text().startswith("Proces-verbal")
    scan = page.locator("#pagina-1 figure.scan img")
    scan.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=scan.element_handle())
    text = page.locator("#pagina-1 .raw pre")
    assert "ședinței extraordinare" in text.inner_text()
    left, right = scan.bounding_box(), text.bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 200  # side by side
    assert "Vasile Țăranu" in page.locator("#text pre").inner_text()
    assert page.locator("#metadate").get_by_text("proces-verbal").count() >= 1
    assert page.get_by_role("link", name="Descarcă originalul").count() == 1
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)
    assert (tmp_path / "search.png").stat().st_size > 0 and (tmp_path / "document.png").stat().st_size > 0
    assert page.problems == []  # no CSP violation, no script error


def test_markup_in_a_text_is_shown_as_text(server, page, tmp_path):
    page.goto(server + "/?q=atentie+bold")
    page.locator("ol.results li.result h2 a").first.click()
    page.wait_for_url("**/document/*")
    shown = page.locator("#text pre").inner_text()
    assert "<script>alert('xss')</script>" in shown and "<b>bold</b>" in shown
    assert page.locator("main script").count() == 0 and page.locator("main b").count() == 0
    page.screenshot(path=str(tmp_path / "hostile.png"), full_page=True)
    assert page.problems == []


def test_keyboard_reaches_the_search_first(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Salt la conținut"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q-top"
    page.keyboard.type("hotarare buget")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    assert "Hotărârea nr. 45" in page.locator("ol.results").inner_text()


def test_pdf_document_shows_its_page_image(server, page):
    page.goto(server + "/?q=hotararea+bugetului&tip=hot%C4%83r%C3%A2re")
    page.locator("ol.results li.result h2 a").first.click()
    page.wait_for_url("**/document/*")
    scan = page.locator("#pagina-1 figure.scan img")
    scan.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=scan.element_handle())
    assert page.get_by_role("link", name="Deschide originalul").count() == 1
    assert page.request.get(server + "/api/search?q=buget").json()["total"] >= 1
    assert page.problems == []
