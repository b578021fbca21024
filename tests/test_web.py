"""The web page at "/", end to end in a real browser (Playwright with Debian's Chromium).

The service runs in a background thread on a free loopback port. Playwright must
not download a browser: the tests launch /usr/bin/chromium and are skipped when it
or Playwright is missing, unless LINT_REPLY_REQUIRE_BROWSER=1 (then they fail).
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from linter.api import get_linter
from linter.service import create_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("LINT_REPLY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
REQUIRE_BROWSER = os.environ.get("LINT_REPLY_REQUIRE_BROWSER") == "1"
TIMEOUT_MS = 20_000

GOOD = (ROOT / "examples" / "huurverhoging-goed.txt").read_text(encoding="utf-8")
CAPITULATING = "Beste meneer De Vries,\n\nIk geef u groot gelijk. Wij kunnen uw aanvraag helaas niet toekennen.\n"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def _missing() -> str | None:
    if sync_playwright is None:
        return "Playwright for Python is not installed (pip install playwright)"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


class Service:
    """lint-reply-serve's app under uvicorn in a thread, on a socket bound before it starts (no port race)."""

    def __init__(self):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        config = uvicorn.Config(create_app(get_linter("embedded")), log_level="warning", access_log=False, timeout_graceful_shutdown=2)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def start(self) -> "Service":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("lint-reply service did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"LINT_REPLY_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def service():
    running = Service().start()
    yield running
    running.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def lint_requests(page) -> list:
    seen: list = []
    page.on("request", lambda request: seen.append(request) if request.url.endswith("/v1/lint") else None)
    return seen


# --- the page as a writer uses it ----------------------------------------------------


def test_page_has_labelled_controls(page, service) -> None:
    page.goto(service.url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_label("Uw concept-antwoord")).to_have_id("draft")
    expect(page.get_by_label("Kanaal")).to_have_id("channel")
    assert page.locator("#channel option").evaluate_all("os => os.map(o => o.value)") == ["email", "chat"]
    for ident in ("feedback", "handles", "summary", "status"):
        assert page.locator(f"#{ident}").count() == 1
    expect(page.locator("#status")).to_have_attribute("aria-live", re.compile("polite|assertive"))
    # self-contained: no external scripts, styles or fonts
    html = page.content()
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?:", html)


def test_typing_a_capitulating_draft_highlights_the_words(page, service) -> None:
    requests = lint_requests(page)
    page.goto(service.url)
    page.locator("#draft").press_sequentially(CAPITULATING)
    mark = page.locator('#feedback mark[data-rule~="capitulation"]').first
    expect(mark).to_contain_text("gelijk")
    expect(mark).to_have_class(re.compile(r"\bhl-pitfall\b"))
    expect(mark).to_have_attribute("tabindex", "0")
    # typing is debounced: far fewer requests than keystrokes
    assert 1 <= len(requests) < len(CAPITULATING) // 4
    # the missing handles are marked differently from the pitfall
    expect(page.locator("#feedback mark.hl-missing").first).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("bevinding")
    expect(page.locator("#status")).to_be_empty()

    # the explanation is tied to the highlight for screen readers
    described_by = mark.get_attribute("aria-describedby")
    assert described_by
    description = " ".join(page.locator(f"#{ident}").text_content() for ident in described_by.split())
    assert "toe aan de klant" in description and "Waarom" in description and "Beter" in description


def test_highlight_is_reachable_by_keyboard_and_shows_its_explanation(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    mark = page.locator('#feedback mark[data-rule~="capitulation"]').first
    expect(mark).to_contain_text("gelijk")
    page.locator("#draft").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#feedback mark')"):
            break
    assert page.evaluate("document.activeElement.matches('#feedback mark[tabindex]')")
    tip = page.locator("#tip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("Waarom")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    # and on hover
    mark.hover()
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("toe aan de klant")


def test_findings_list_leads_to_the_highlight(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    item = page.locator('#findings li[data-rule="capitulation"]')
    expect(item).to_contain_text("toe aan de klant")
    item.get_by_role("button").click()
    assert page.evaluate("document.activeElement.matches('#feedback mark[data-rule~=\\'capitulation\\']')")
    expect(page.locator("#tip")).to_be_visible()


def test_clearing_the_draft_clears_the_feedback(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    expect(page.locator("#feedback mark").first).to_be_visible()
    page.locator("#draft").fill("")
    expect(page.locator("#feedback mark")).to_have_count(0)
    expect(page.locator("#handles li")).to_have_count(0)
    expect(page.locator("#summary")).to_contain_text("Plak of typ")


def test_offsets_are_right_after_emoji(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill("😀👍🏽 " + CAPITULATING)
    mark = page.locator('#feedback mark[data-rule~="capitulation"]').first
    expect(mark).to_have_text("Ik geef u groot gelijk")


def test_a_good_draft_shows_the_four_handles_present(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(GOOD)
    items = page.locator("#handles li")
    expect(items).to_have_count(4)
    expect(page.locator('#handles li[data-present="true"]')).to_have_count(4)
    for index in range(4):
        expect(items.nth(index)).to_contain_text("✓")
    expect(items.nth(0)).to_contain_text("gevoel van de klant")
    expect(page.locator("#summary")).to_contain_text("4 van 4 handvatten")
    expect(page.locator("#feedback mark")).to_have_count(0)
    expect(page.locator("#feedback span.el").first).to_be_visible()  # the good parts are marked


def test_channel_choice_is_sent(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill("Helaas kan ik u geen tweede vergunning geven.")
    expect(page.locator("#summary")).to_contain_text("bevinding")
    with page.expect_request(lambda r: r.url.endswith("/v1/lint")) as caught:
        page.locator("#channel").select_option("chat")
    assert json.loads(caught.value.post_data)["channel"] == "chat"


def test_a_service_error_is_shown_and_the_page_recovers(page, service) -> None:
    page.goto(service.url)
    failing = lambda route: route.fulfill(status=500, content_type="application/json", body='{"error": "interne fout in de linter"}')  # noqa: E731
    page.route("**/v1/lint", failing)
    page.locator("#draft").fill(CAPITULATING)
    expect(page.locator("#status")).to_contain_text("interne fout in de linter")
    expect(page.locator("#status")).to_contain_text("500")
    expect(page.locator("#stale-note")).to_be_hidden()  # there was no feedback yet
    page.unroute("**/v1/lint", failing)
    page.locator("#draft").press("End")
    page.locator("#draft").press_sequentially(" Met vriendelijke groet.")
    expect(page.locator('#feedback mark[data-rule~="capitulation"]').first).to_contain_text("gelijk")
    expect(page.locator("#status")).to_be_empty()


def test_stopped_service_shows_a_dutch_message(page) -> None:
    own = Service().start()
    try:
        page.goto(own.url)
        page.locator("#draft").fill(CAPITULATING)
        expect(page.locator('#feedback mark[data-rule~="capitulation"]').first).to_contain_text("gelijk")
    finally:
        own.stop()
    page.locator("#draft").press_sequentially(" Nog een zin.")
    status = page.locator("#status")
    expect(status).to_contain_text("niet bereikbaar")
    expect(status).to_have_attribute("aria-live", re.compile("polite|assertive"))
    expect(page.locator("#stale-note")).to_be_visible()  # the old highlights are marked as out of date
    # the page stays usable: the draft keeps its text and can still be edited
    expect(page.locator("#draft")).to_be_editable()
    expect(page.locator("#draft")).to_have_value(re.compile("Nog een zin\\.$"))
