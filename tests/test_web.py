"""The web page at "/", end to end in a real browser (Playwright with Debian's Chromium).

The service runs in a background thread on a free loopback port. Playwright must
not download a browser: the tests launch /usr/bin/chromium and are skipped when it
or Playwright is missing, unless LINT_REPLY_REQUIRE_BROWSER=1 (then they fail).
"""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from linter.api import get_linter
from linter.frontends.service import create_app

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("LINT_REPLY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]  # fmt: skip
REQUIRE_BROWSER = os.environ.get("LINT_REPLY_REQUIRE_BROWSER") == "1"
TIMEOUT_MS = 20_000
# Screenshots of the page in its main states, for people to look at (not compared by the tests).
SCREENSHOTS = Path(os.environ.get("LINT_REPLY_SCREENSHOTS", ROOT / "tests" / "artifacts" / "screenshots"))

GOOD = (ROOT / "examples" / "huurverhoging-goed.txt").read_text(encoding="utf-8")
BAD = (ROOT / "examples" / "huurverhoging-slecht.txt").read_text(encoding="utf-8")
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
def open_page(browser):
    """Open a tab in a fresh context (viewport 1280x900 unless given); JavaScript errors fail the test."""
    opened: list = []

    def open_tab(**options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "locale": "nl-NL", **options})
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.errors = []
        tab.on("pageerror", lambda error: tab.errors.append(str(error)))
        opened.append((context, tab))
        return tab

    yield open_tab
    errors = [error for context, tab in opened for error in tab.errors]
    for context, _ in opened:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def page(open_page):
    return open_page()


def lint_requests(page) -> list:
    seen: list = []
    page.on("request", lambda request: seen.append(request) if request.url.endswith("/v1/lint") else None)
    return seen



def shoot(page, name: str, full_page: bool = False) -> Path:
    """Keep a screenshot of the page as a test artefact (tests/artifacts/screenshots, not in git)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 0
    return path


def box(page, selector: str) -> dict:
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} has no box"
    return found


def first_rect(page, selector: str) -> dict:
    """The first line box of an inline element (a highlight may wrap over lines)."""
    return page.locator(selector).first.evaluate("n => { const r = n.getClientRects()[0]; return {x: r.left, y: r.top, width: r.width, height: r.height}; }")


def hover_highlight(page, selector: str) -> None:
    """Move the pointer over a highlight: it lies under the textarea, so aim at its position."""
    rect = first_rect(page, selector)
    page.mouse.move(rect["x"] + min(12, rect["width"] / 2), rect["y"] + rect["height"] / 2)


def mirrored(page) -> str:
    """The text in the highlights backdrop, without the space that gives a final empty line its height."""
    text = page.locator("#highlights").evaluate("n => n.textContent")
    return text[:-1] if text.endswith("\n ") else text


def pixels_apart(page, first: bytes, second: bytes, shift: int) -> int:
    """How many pixels of two PNGs differ, the second moved `shift` pixels to the right."""
    blank = page.context.new_page()  # about:blank: no Content-Security-Policy against data: images
    try:
        return blank.evaluate(
            """async ([a, b, shift]) => {
                const load = (data) => new Promise((done, fail) => {
                    const image = new Image(); image.onload = () => done(image); image.onerror = fail;
                    image.src = 'data:image/png;base64,' + data;
                });
                const pixels = (image, dx) => {
                    const canvas = document.createElement('canvas');
                    canvas.width = image.width; canvas.height = image.height;
                    const context = canvas.getContext('2d');
                    context.fillStyle = '#fff'; context.fillRect(0, 0, image.width, image.height);
                    context.drawImage(image, dx, 0);
                    return context.getImageData(0, 0, image.width, image.height).data;
                };
                const [one, two] = [await load(a), await load(b)];
                const p = pixels(one, 0), q = pixels(two, shift);
                let differing = 0;
                for (let i = 0; i < p.length; i += 4) {
                    if (Math.abs(p[i] - q[i]) + Math.abs(p[i + 1] - q[i + 1]) + Math.abs(p[i + 2] - q[i + 2]) > 48) differing++;
                }
                return differing;
            }""",
            [base64.b64encode(first).decode(), base64.b64encode(second).decode(), shift],
        )
    finally:
        blank.close()


def first_suggestion(scope) -> str:
    """The better phrasing shown first in a card or finding, without its label."""
    text = scope.locator(".sugg p").first.text_content()
    assert text.startswith("Beter: ")
    return text.removeprefix("Beter: ")


def card_for(page, rule: str):
    return page.locator(f'#findings .card[data-rules~="{rule}"]')


# --- the page as a writer uses it ----------------------------------------------------


def test_page_has_labelled_controls(page, service) -> None:
    page.goto(service.url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_label("Uw concept-antwoord")).to_have_id("draft")
    expect(page.get_by_label("Kanaal")).to_have_id("channel")
    assert page.locator("#channel option").evaluate_all("os => os.map(o => o.value)") == ["email", "chat"]
    for ident in ("highlights", "findings", "handles", "summary", "status"):
        assert page.locator(f"#{ident}").count() == 1
    expect(page.locator("#status")).to_have_attribute("aria-live", re.compile("polite|assertive"))
    # the highlights repeat the text: hidden from screen readers, which get the findings list
    expect(page.locator("#highlights")).to_have_attribute("aria-hidden", "true")
    expect(page.locator("#no-findings")).to_have_text("Nog geen tekst.")
    # self-contained: no external scripts, styles or fonts
    html = page.content()
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?:", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    shoot(page, "1-empty")


def test_typing_a_capitulating_draft_highlights_the_words_in_the_editor(page, service) -> None:
    requests = lint_requests(page)
    page.goto(service.url)
    page.locator("#draft").press_sequentially(CAPITULATING)
    mark = page.locator('#highlights mark[data-rule~="capitulation"]').first
    expect(mark).to_have_text("Ik geef u groot gelijk")
    expect(mark).to_have_class(re.compile(r"\bhl-pitfall\b"))
    # typing is debounced: far fewer requests than keystrokes
    assert 1 <= len(requests) < len(CAPITULATING) // 4
    # the missing handles are marked differently from the pitfall
    expect(page.locator("#highlights mark.hl-missing").first).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("bevinding")
    expect(page.locator("#status")).to_be_empty()
    # the explanation is in the findings list, for everyone (screen readers included)
    item = card_for(page, "capitulation")
    expect(item).to_contain_text("toe aan de klant")
    expect(item).to_contain_text("Waarom")
    expect(item).to_contain_text("Beter")
    # and nothing of the old copy of the text below the editor
    assert page.locator("#feedback").count() == 0


def test_nothing_leaves_the_machine(page, service) -> None:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    hover_highlight(page, '#highlights mark[data-rule~="capitulation"]')
    expect(page.locator("#tip")).to_be_visible()
    assert seen and all(url.startswith(service.url) for url in seen), seen


def test_highlights_lie_under_the_words_in_the_editor(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(BAD)
    expect(page.locator('#highlights mark[data-rule~="capitulation"]').first).to_be_visible()
    # the backdrop mirrors the text exactly and covers the textarea exactly
    assert mirrored(page) == page.locator("#draft").input_value()
    assert box(page, "#highlights") == box(page, "#draft")
    same = page.evaluate("""() => {
        const a = getComputedStyle(document.getElementById('draft')), b = getComputedStyle(document.getElementById('highlights'));
        return ['font-family', 'font-size', 'line-height', 'padding-left', 'padding-top', 'border-left-width',
                'border-top-width', 'white-space', 'overflow-wrap', 'letter-spacing'].filter(p => a[p] !== b[p]);
    }""")
    assert same == []
    # no scrolling inside the editor, so the two cannot drift apart
    assert page.locator("#draft").evaluate("n => n.scrollHeight <= n.clientHeight")
    # the text drawn by the backdrop lands where the textarea draws it: the two drawings differ
    # only in anti-aliasing, far less than the same text one pixel to the side
    page.locator("#draft").evaluate("n => { n.spellcheck = false; n.blur(); }")
    editor = page.locator("#editor")
    page.add_style_tag(content="#highlights mark, #highlights span { background: none !important; border-color: transparent !important; }")
    page.add_style_tag(content="#draft { color: transparent !important; } #highlights, #highlights * { color: #000 !important; }")
    drawn_by_backdrop = editor.screenshot()
    page.add_style_tag(content="#draft { color: #000 !important; } #highlights, #highlights * { color: transparent !important; }")
    drawn_by_textarea = editor.screenshot()
    aligned = pixels_apart(page, drawn_by_backdrop, drawn_by_textarea, shift=0)
    one_pixel_off = pixels_apart(page, drawn_by_backdrop, drawn_by_textarea, shift=1)
    assert one_pixel_off > 1000 and aligned * 10 < one_pixel_off, (aligned, one_pixel_off)


def test_highlights_follow_the_text_while_typing(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    mark = page.locator('#highlights mark[data-rule~="capitulation"]').first
    expect(mark).to_have_text("Ik geef u groot gelijk")
    # block the service: the highlight must move with the words before any new report
    page.route("**/v1/lint", lambda route: route.abort())
    page.locator("#draft").press("Control+Home")
    page.keyboard.type("Hallo! ")
    expect(mark).to_have_text("Ik geef u groot gelijk")
    assert mirrored(page) == page.locator("#draft").input_value()


def test_hover_on_a_sentence_with_three_missing_handles_shows_one_card(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    expect(page.locator('#highlights mark[data-rule~="missing-alternative"]').first).to_be_visible()
    hover_highlight(page, '#highlights mark[data-rule~="missing-alternative"]')
    tip = page.locator("#tip")
    expect(tip).to_be_visible()
    expect(tip.locator(".card")).to_have_count(1)
    rules = tip.locator(".finding").evaluate_all("ns => ns.map(n => n.dataset.rule)")
    assert sorted(rules) == ["missing-alternative", "missing-closing", "missing-emotion-acknowledgement"]
    expect(tip.locator("button.apply")).to_have_count(3)  # compact: one phrasing each, the rest in the list
    # the card in the list is marked as the one that belongs to it
    expect(card_for(page, "missing-alternative")).to_have_class(re.compile(r"\bactive\b"))
    # the card opens below the line it is about, not over it
    line = first_rect(page, '#highlights mark[data-rule~="missing-alternative"]')
    assert box(page, "#tip")["y"] >= line["y"] + line["height"]
    shoot(page, "3-hover")
    # another sentence: its own card, in place of the first
    hover_highlight(page, '#highlights mark[data-rule~="capitulation"]')
    expect(tip.locator(".card")).to_have_count(1)
    expect(tip.locator(".finding")).to_have_count(1)
    expect(tip).to_contain_text("De klant gelijk geven")
    # away from the highlights, the card goes
    page.mouse.move(5, 5)
    expect(tip).to_be_hidden()


def test_the_cursor_in_a_highlight_shows_its_card(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    expect(page.locator('#highlights mark[data-rule~="capitulation"]').first).to_be_visible()
    page.locator("#draft").press("Control+Home")
    tip = page.locator("#tip")
    expect(tip).to_be_hidden()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # the start of "Ik geef u groot gelijk"
    expect(tip).to_be_visible()
    expect(tip.locator(".card")).to_have_attribute("data-rules", re.compile(r"\bcapitulation\b"))
    # the card is not read out; a polite message says what is marked there
    expect(page.locator("#spoken")).to_contain_text("Valkuil: De klant gelijk geven")
    expect(page.locator("#spoken")).to_have_attribute("aria-live", "polite")
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    expect(page.locator("#draft")).to_be_focused()


def test_findings_list_leads_to_the_words_in_the_editor(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    item = card_for(page, "capitulation")
    expect(item).to_contain_text("toe aan de klant")
    item.get_by_role("button", name="Toon in de tekst").click()
    expect(page.locator("#draft")).to_be_focused()
    selected = page.locator("#draft").evaluate("n => n.value.slice(n.selectionStart, n.selectionEnd)")
    assert selected == "Ik geef u groot gelijk"
    expect(page.locator("#tip")).to_contain_text("De klant gelijk geven")


def test_findings_are_beside_the_text_at_1280_by_900(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(BAD)
    first = page.locator("#findings .card").first
    expect(first).to_be_visible()
    editor, findings, card = box(page, "#editor"), box(page, "#findings"), box(page, "#findings .card")
    assert findings["x"] >= editor["x"] + editor["width"]  # to the right of the editor
    assert findings["x"] + findings["width"] <= 1280
    assert 0 <= card["y"] and card["y"] + card["height"] <= 900  # the first card is in view without scrolling
    assert page.evaluate("window.scrollY") == 0
    # one card per sentence: the sentence with a pitfall and two missing handles has one card
    cards = page.locator('#findings .card[data-rules~="missing-alternative"]')
    expect(cards).to_have_count(1)
    assert set(cards.get_attribute("data-rules").split()) == {"capitulation", "missing-alternative", "missing-emotion-acknowledgement"}
    shoot(page, "2-bad-draft")


def test_narrow_screen_is_one_column(open_page, service) -> None:
    page = open_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.goto(service.url)
    page.locator("#draft").fill(BAD)
    expect(page.locator("#findings .card").first).to_be_attached()
    editor, findings = box(page, "#editor"), box(page, "#findings")
    assert findings["y"] >= editor["y"] + editor["height"]  # below the editor, not beside it
    assert editor["width"] > 300 and findings["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    shoot(page, "5-narrow", full_page=True)


def test_applying_a_better_phrasing_replaces_the_words_and_checks_again(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    card = card_for(page, "capitulation")
    suggestion = first_suggestion(card)
    with page.expect_request(lambda r: r.url.endswith("/v1/lint")):
        card.get_by_role("button", name=re.compile("^Toepassen")).first.click()
    # the flagged words are replaced; the suggestion's full stop is not doubled
    expected = CAPITULATING.replace("Ik geef u groot gelijk.", suggestion)
    expect(page.locator("#draft")).to_have_value(expected)
    expect(page.locator('#highlights mark[data-rule~="capitulation"]')).to_have_count(0)
    expect(card_for(page, "capitulation")).to_have_count(0)
    expect(page.locator("#notice")).to_contain_text("Toegepast")
    shoot(page, "4-applied")
    # applied as if typed: Ctrl+Z brings the old words back
    page.locator("#draft").press("Control+z")
    expect(page.locator("#draft")).to_have_value(CAPITULATING)


def test_applying_in_the_middle_of_a_sentence_starts_in_lower_case(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(BAD)
    card = page.locator('#findings .card[data-rules~="capitulation"]').first
    expect(card).to_contain_text("Eerlijk gezegd geef ik u groot gelijk")
    suggestion = first_suggestion(card)
    card.get_by_role("button", name=re.compile("^Toepassen")).first.click()
    lowered = suggestion[0].lower() + suggestion[1:]
    expect(page.locator("#draft")).to_have_value(BAD.replace("geef ik u groot gelijk.", lowered))


def test_applying_a_missing_handle_adds_a_sentence_and_selects_the_dots(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    feeling = card_for(page, "missing-emotion-acknowledgement").locator('.finding[data-rule="missing-emotion-acknowledgement"]')
    acknowledgement = first_suggestion(feeling)
    feeling.get_by_role("button", name=re.compile("^Toepassen")).first.click()
    # the feeling comes before the news, in the same paragraph
    expect(page.locator("#draft")).to_have_value(CAPITULATING.replace("Wij kunnen", f"{acknowledgement} Wij kunnen"))
    expect(page.locator('#findings .finding[data-rule="missing-emotion-acknowledgement"]')).to_have_count(0)

    alternative = page.locator('#findings .finding[data-rule="missing-alternative"]')
    expect(alternative.locator(".sugg p").first).to_contain_text("...")
    alternative.get_by_role("button", name=re.compile("^Toepassen")).first.click()
    # a phrasing with "..." is placed after the refusal with the dots selected, ready to type over
    draft = page.locator("#draft")
    expect(draft).to_be_focused()
    assert draft.evaluate("n => n.value.slice(n.selectionStart, n.selectionEnd)") == "..."
    page.keyboard.type("een afspraak maken met de wijkconsulent.")
    expect(draft).to_have_value(re.compile(r"toekennen\. Wat ik wel voor u kan doen, is een afspraak maken met de wijkconsulent\.\n$"))
    expect(page.locator('#findings .finding[data-rule="missing-alternative"]')).to_have_count(0)


def test_copy_puts_the_phrasing_on_the_clipboard(open_page, service) -> None:
    page = open_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    card = card_for(page, "capitulation")
    suggestion = first_suggestion(card)
    button = card.get_by_role("button", name=re.compile("^Kopiëren")).first
    button.click()
    expect(button).to_have_text("Gekopieerd")
    assert page.evaluate("navigator.clipboard.readText()") == suggestion
    expect(page.locator("#draft")).to_have_value(CAPITULATING)  # copying leaves the text alone


def test_keyboard_reaches_apply_and_copy(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    expect(page.locator("#findings button.apply").first).to_be_visible()
    page.locator("#draft").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#findings button.apply')"):
            break
    focused = page.evaluate("[document.activeElement.textContent, document.activeElement.getAttribute('aria-label')]")
    assert focused[0] == "Toepassen" and focused[1].startswith("Toepassen: ")
    # the card with the focus shows which words in the text it is about
    group = page.evaluate("document.activeElement.closest('.card').dataset.group")
    expect(page.locator(f'#highlights mark[data-group="{group}"]').first).to_have_class(re.compile(r"\bactive\b"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('#findings button.copy')")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Kopiëren: ")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#draft")).not_to_have_value(CAPITULATING)
    expect(page.locator('#highlights mark[data-rule~="capitulation"]')).to_have_count(0)


ENGLISH = re.compile(
    r"\b(the|and|or|error|warning|missing|pitfall|apply|copy|copied|show|hide|loading|retry|submit|"
    r"findings?|suggestions?|why|better|handles?|none|click|here|line|channel|feedback for|no text)\b",
    re.IGNORECASE,
)


def test_everything_the_writer_reads_is_dutch(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    expect(page.locator("#findings .card").first).to_be_visible()
    hover_highlight(page, '#highlights mark[data-rule~="missing-alternative"]')
    expect(page.locator("#tip")).to_be_visible()
    texts = page.evaluate("""() => {
        const seen = [document.title, document.body.innerText, document.getElementById('findings').textContent,
                      document.getElementById('tip').textContent];
        for (const n of document.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
            for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (n.hasAttribute(a)) seen.push(n.getAttribute(a));
        return seen;
    }""")
    shown = "\n".join(texts).replace(CAPITULATING.strip(), "")
    assert not ENGLISH.findall(shown), ENGLISH.findall(shown)
    rule_ids = page.locator("#findings .finding").evaluate_all("ns => ns.map(n => n.dataset.rule)")
    assert rule_ids and not [rule for rule in rule_ids if rule in shown]  # titles, not identifiers


def test_clearing_the_draft_clears_the_feedback(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(CAPITULATING)
    expect(page.locator("#highlights mark").first).to_be_visible()
    page.locator("#draft").fill("")
    expect(page.locator("#highlights mark")).to_have_count(0)
    expect(page.locator("#handles li")).to_have_count(0)
    expect(page.locator("#findings .card")).to_have_count(0)
    expect(page.locator("#summary")).to_contain_text("Plak of typ")


def test_offsets_are_right_after_emoji(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill("😀👍🏽 " + CAPITULATING)
    mark = page.locator('#highlights mark[data-rule~="capitulation"]').first
    expect(mark).to_have_text("Ik geef u groot gelijk")


def test_a_good_draft_shows_the_four_handles_and_no_findings(page, service) -> None:
    page.goto(service.url)
    page.locator("#draft").fill(GOOD)
    items = page.locator("#handles li")
    expect(items).to_have_count(4)
    expect(page.locator('#handles li[data-present="true"]')).to_have_count(4)
    for index in range(4):
        expect(items.nth(index)).to_contain_text("✓")
    expect(items.nth(0)).to_contain_text("gevoel van de klant")
    expect(page.locator("#summary")).to_contain_text("4 van 4 handvatten")
    expect(page.locator("#highlights mark")).to_have_count(0)
    expect(page.locator("#highlights span.el").first).to_be_attached()  # the good parts are marked
    # "no findings" is a message, not a numbered or bulleted item
    expect(page.locator("#no-findings")).to_have_text("Geen bevindingen.")
    expect(page.locator("#no-findings")).to_be_visible()
    expect(page.locator("#findings li")).to_have_count(0)
    assert page.locator("#no-findings").evaluate("n => n.closest('li, ol, ul') === null")


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
    expect(page.locator('#highlights mark[data-rule~="capitulation"]').first).to_contain_text("gelijk")
    expect(page.locator("#status")).to_be_empty()


def test_stopped_service_shows_a_dutch_message(page) -> None:
    own = Service().start()
    try:
        page.goto(own.url)
        page.locator("#draft").fill(CAPITULATING)
        expect(page.locator('#highlights mark[data-rule~="capitulation"]').first).to_contain_text("gelijk")
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
