"""`rls-screen web` in real Chromium (Playwright for Python on the system chromium, no
browser download): axe-core finds no WCAG 2.2 AA problem on any kind of page (welcome,
one choice, several choices, own words, a warning sign, the review, the summary, a page
with a problem); a whole walk by clicks with JavaScript off, the browser's Back
included; a whole walk by the keyboard alone (Tab, arrows, Space, Enter); and what
axe does not check: every button, choice label and link of a question page at least
44x44 CSS px, and no page scrolling sideways at 320 px nor at 1280 px zoomed to 400%.
One server and one browser for the module."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from test_axe import violations

ADULT = {"respondent": "self", "age_group": "18_44", "pregnant": "no", "urge": "yes"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running(**options: Any) -> Iterator[str]:
    """A real `rls-screen web` server (make_app on a loopback port) in a thread."""
    from aiohttp import web

    from rls_screen.core.bank import load_bank
    from rls_screen.web_form.app import make_app

    port = free_port()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(make_app(load_bank(), "GB", port=port, **options), access_log=None)
    ready = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running() as address:
        yield address


def item_of(page: Any) -> str | None:
    found = page.locator('input[name="item"]')
    return found.get_attribute("value") if found.count() else None


def click(page: Any, name: str) -> None:
    """Press the button of that name, waiting for the page it brings."""
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def answer_by_click(page: Any, item: str, value: object) -> None:
    values = value if isinstance(value, list) else [value]
    box = page.locator(f'textarea[name="{item}"]')
    if box.count():
        box.fill(str(value))
    else:
        for code in values:
            page.locator(f'label[for="f-{item}-{code}"]').click()
    click(page, "Continue")


def test_every_kind_of_page_has_no_wcag_violation(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    found: dict[str, list[str]] = {}
    kinds = set()
    try:
        page.goto(server)
        found["welcome"] = violations(page)
        click(page, "Start now")
        found["single choice"] = violations(page)
        click(page, "Continue")  # nothing chosen: the problem
        assert page.title().startswith("Error: ")
        found["problem"] = violations(page)
        answers = {**ADULT, "rf_breathing": "yes", "sensations": ["tingling"]}
        for _ in range(120):
            if page.url.endswith("/review"):
                break
            if page.url.endswith("/alert"):
                kinds.add("alert")
                found["warning sign"] = violations(page)
                click(page, "I understand. Go on")
                continue
            item = item_of(page)
            assert item is not None, page.url
            if page.locator('input[type="checkbox"]').count() and "several" not in found:
                found["several choices"] = violations(page)
            if page.locator("textarea").count() and "own words" not in found:
                found["own words"] = violations(page)
            if item in answers:
                answer_by_click(page, item, answers[item])
            else:
                click(page, "Skip this question")
        found["review"] = violations(page)
        click(page, "See my summary")
        found["summary"] = violations(page)
        page.set_viewport_size({"width": 1024, "height": 768})
        found["summary, wide"] = violations(page)
    finally:
        page.close()
    assert kinds == {"alert"}
    expected = {"welcome", "single choice", "problem", "several choices", "own words"}
    assert expected | {"warning sign", "review", "summary", "summary, wide"} == set(found)
    assert {kind: problems for kind, problems in found.items() if problems} == {}


def test_a_whole_walk_by_click_with_javascript_off(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server)
        click(page, "Start now")
        answer_by_click(page, "respondent", "self")
        assert item_of(page) == "age_group"
        page.go_back()  # the browser's Back: the question before, its answer kept
        assert item_of(page) == "respondent"
        assert page.locator("#f-respondent-self").is_checked()
        click(page, "Continue")
        assert item_of(page) == "age_group"
        answers = {**ADULT, "own_words": "like ants <crawling>"}
        for _ in range(120):
            if page.url.endswith("/review"):
                break
            item = item_of(page)
            if item in answers:
                answer_by_click(page, item, answers[item])
            else:
                click(page, "Skip this question")
        assert page.get_by_role("heading", level=1).inner_text() == "Check your answers"
        assert "like ants <crawling>" in page.inner_text("main")
        with page.expect_navigation():
            page.locator('a[href="/q/age_group?change=1"]').click()
        answer_by_click(page, "age_group", "45_64")
        assert page.url.endswith("/review")
        click(page, "See my summary")
        assert "This is not a diagnosis" in page.inner_text("main")
        with page.expect_download() as download:
            page.get_by_role("link", name="Download your answers (for rls-screen score)").click()
        assert download.value.suggested_filename.startswith("rls-screen-answers-")
    finally:
        context.close()


def focused(page: Any, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement.matches(s)", selector))


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the element that has the focus matches ``selector`` (the review
    has a Change link for each question before its button)."""
    for _ in range(250):
        if focused(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def press_enter_on(page: Any, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_whole_walk_by_keyboard_only(server, browser):
    page = browser.new_page()
    try:
        page.goto(server)
        press_enter_on(page, 'button[value="start"]')
        seen = set()
        for _ in range(120):
            if page.url.endswith("/review"):
                break
            if page.url.endswith("/alert"):
                press_enter_on(page, 'button[value="next"]')
                continue
            item = item_of(page)
            seen.add(item)
            if item == "respondent":
                tab_to(page, 'input[type="radio"]')
                page.keyboard.press("Space")  # the first: answering for myself
            elif item == "urge":
                tab_to(page, 'input[type="radio"]')
                page.keyboard.press("Space")  # yes: the questions about the feelings follow
            elif page.locator('input[type="radio"]').count():
                tab_to(page, 'input[type="radio"]')
                page.keyboard.press("ArrowDown")  # the second choice
            elif page.locator('input[type="checkbox"]').count():
                tab_to(page, 'input[type="checkbox"]')
                page.keyboard.press("Space")
            else:
                tab_to(page, "textarea")
                page.keyboard.type("they tingle")
            press_enter_on(page, 'button[value="next"]')
        assert {"respondent", "sensations", "own_words"} <= seen
        review = page.inner_text("main")
        assert "I am answering for myself" in review and "they tingle" in review
        press_enter_on(page, 'button[value="finish"]')
        assert page.url.endswith("/summary")
        assert "This is not a diagnosis" in page.inner_text("main")
    finally:
        page.close()


def test_the_kiosks_pages_have_no_wcag_violation(browser, tmp_path):
    """--kiosk: the warning sign's page with its word for staff, and the last page."""
    found: dict[str, list[str]] = {}
    with running(records=tmp_path) as address:
        page = browser.new_page()
        try:
            page.goto(address)
            click(page, "Start now")
            for item, code in (("respondent", "self"), ("age_group", "18_44")):
                answer_by_click(page, item, code)
            while item_of(page) != "rf_breathing":
                click(page, "Skip this question")
            answer_by_click(page, "rf_breathing", "yes")
            assert "Please tell a member of staff now." in page.inner_text("main")
            found["warning sign"] = violations(page)
            click(page, "I understand. Go on")
            while not page.url.endswith("/review"):
                click(page, "Skip this question")
            click(page, "See my summary")
            assert "Your answers are saved" in page.inner_text("main")
            found["last page"] = violations(page)
            click(page, "Finish")
            assert page.url.endswith("/")
        finally:
            page.close()
    assert len(list(tmp_path.glob("*.json"))) == 2  # the record and its alert
    assert found == {"warning sign": [], "last page": []}


# --- what axe does not check: target size and reflow (WCAG 2.5.5, 1.4.10) -------------

TARGETS = "button, .choice label, a"
SMALL_TARGETS = """s => [...document.querySelectorAll(s)].map(e => {
    const r = e.getBoundingClientRect();
    return [e.tagName + ' ' + (e.textContent || '').trim().slice(0, 30), r.width, r.height];
}).filter(([, w, h]) => w < 44 || h < 44)"""
SIDEWAYS = """() => {
    const root = document.documentElement;
    return [root.scrollWidth, root.clientWidth];
}"""


def too_small(page: Any) -> list[str]:
    """Every button, choice label and link smaller than 44 by 44 CSS pixels."""
    return [f"{name}: {w:.0f}x{h:.0f}" for name, w, h in page.evaluate(SMALL_TARGETS, TARGETS)]


def scrolls_sideways(page: Any) -> list[str]:
    """Whether the page is wider than the window: at 320 px, and at 1280 px zoomed to
    400% (CSS zoom, which lays the page out at 320 CSS px as the browser's zoom does)."""
    found = []
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    wide, client = page.evaluate(SIDEWAYS)
    if wide > client:
        found.append(f"320 px: {wide} > {client}")
    page.set_viewport_size({"width": 1280, "height": 1024})
    page.evaluate("() => { document.documentElement.style.zoom = '4'; }")
    wide, client = page.evaluate(SIDEWAYS)
    zoomed = page.evaluate("() => document.documentElement.getBoundingClientRect().width")
    page.evaluate("() => { document.documentElement.style.zoom = ''; }")
    if wide > client:
        found.append(f"1280 px at 400%: {wide} > {client}")
    assert zoomed >= 1279  # the zoom took: the page fills the window at 320 CSS px a side
    page.set_viewport_size(size)
    return found


def test_targets_are_44_px_and_no_page_scrolls_sideways(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    small: dict[str, list[str]] = {}
    sideways: dict[str, list[str]] = {}

    def check(kind: str, question: bool = True) -> None:
        if question:
            small[kind] = too_small(page)
        sideways[kind] = scrolls_sideways(page)

    try:
        page.goto(server)
        check("welcome", question=False)
        click(page, "Start now")
        check("single choice")
        click(page, "Continue")  # nothing chosen: the problem, with its link
        check("problem")
        answers = {**ADULT, "rf_breathing": "yes", "sensations": ["tingling"]}
        for _ in range(120):
            if page.url.endswith("/review"):
                break
            if page.url.endswith("/alert"):
                if "warning sign" not in sideways:
                    check("warning sign", question=False)
                click(page, "I understand. Go on")
                continue
            item = item_of(page)
            if page.locator('input[type="checkbox"]').count() and "several" not in small:
                check("several")
            if page.locator("textarea").count() and "own words" not in small:
                check("own words")
            if item in answers:
                answer_by_click(page, item, answers[item])
            else:
                click(page, "Skip this question")
        check("review", question=False)
        click(page, "See my summary")
        check("summary", question=False)
    finally:
        page.close()
    assert {"single choice", "problem", "several", "own words"} == set(small)
    assert set(small) | {"welcome", "warning sign", "review", "summary"} == set(sideways)
    assert {kind: found for kind, found in small.items() if found} == {}
    assert {kind: found for kind, found in sideways.items() if found} == {}
