"""Wrapped text stays under its label, and nothing touches a scrollbar (issue 21).

What is checked is what the screen shows: the rows the compositor draws, read as text.
"""

from __future__ import annotations

import re

import pytest
from test_tui import complete_answers, start, wait_for, wait_screen
from textual.containers import VerticalScroll
from textual.geometry import Region
from textual.widgets import OptionList

from rls_screen.core.walk import Walkthrough
from rls_screen.tui.app import make_app
from rls_screen.tui.screens.review import ReviewScreen, answer_label
from rls_screen.tui.widgets.choices import ChoiceList

SIZES = [(80, 24), (60, 20)]

# "( ) 1  ", "(•) 2  ", "[x] 3  ": the mark and number in front of an option's label.
HEAD = re.compile(r"^[(\[][ •x][)\]] [1-9 ]  ")
ARROW = "    → "


def screen_rows(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def rows_in(app, region: Region) -> list[str]:
    """The text of ``region`` of the screen, one string a row."""
    rows = screen_rows(app)
    return [rows[y][region.x : region.right] for y in range(region.y, region.bottom)]


def every_item_answers(bank) -> dict:
    """Answers that show every question of the bank: each answered with the option that
    shows the most questions after it."""
    answers: dict = {}
    for item in bank.items.values():
        if item.kind == "text" or not Walkthrough(bank, answers).is_shown(item):
            continue

        def shown(code, item=item):
            value = code if item.kind == "single" else (code,)
            return len(Walkthrough(bank, {**answers, item.id: value}).shown_items()), value

        answers[item.id] = max((shown(code) for code in item.codes), key=lambda s: s[0])[1]
    walk = Walkthrough(bank, answers)
    assert all(walk.is_shown(item) for item in bank.items.values())  # every one is walked
    return answers


def check_choices(rows: list[str], labels: list[str], where: str) -> tuple[set[int], int]:
    """Every row that goes on with an option's label starts at or right of the label's
    first letter; returns the options whose first row was seen and how many rows went on."""
    seen: set[int] = set()
    column: int | None = None
    went_on = 0
    for row in rows:
        head = HEAD.match(row)
        if head:
            column = head.end()
            number = row[4]
            if number.isdigit():
                seen.add(int(number) - 1)
                assert row[column:].strip() == labels[int(number) - 1][: len(row[column:].strip())]
            continue
        if not row.strip() or column is None:  # a label whose start is scrolled away
            continue
        start_at = len(row) - len(row.lstrip())
        assert start_at >= column, f"{where}: {row.rstrip()!r} starts left of its label"
        went_on += 1
    return seen, went_on


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_no_wrapped_answer_starts_left_of_its_label(bank, tmp_path, size, app_factory):
    app = app_factory()
    went_on = 0
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        walk = app.walk
        for key, value in every_item_answers(bank).items():
            walk.answer(key, value)
        for item in [i for i in walk.shown_items() if i.kind != "text"]:
            walk.go_to(item.id)
            app.screen.show_current()
            choices = app.screen.query_one(ChoiceList)
            page = app.screen.query_one("#question-page", VerticalScroll)
            await wait_for(pilot, lambda item=item, choices=choices: choices.item is item, item.id)
            labels = [option.label for option in item.options]
            seen: set[int] = set()
            for index in range(len(labels)):
                if index in seen:
                    continue
                choices.highlighted = index
                page.scroll_to_widget(choices, animate=False)
                await pilot.pause()
                await pilot.pause()
                shown = choices.scrollable_content_region.intersection(page.content_region)
                more, rows = check_choices(rows_in(app, shown), labels, f"{item.id} at {size}")
                seen |= more
                went_on += rows
                # The column left of the page's scrollbar, when it has one, stays empty.
                if page.show_vertical_scrollbar:
                    edge = page.scrollable_content_region
                    gap = rows_in(app, Region(edge.right - 1, edge.y, 1, edge.height))
                    assert all(cell == " " for cell in gap), f"{item.id}: touches the scrollbar"
            assert seen == set(range(len(labels))), f"{item.id}: options never on screen"
    # At 60 columns labels do wrap: the check is not empty.
    if size == (60, 20):
        assert went_on > 5


def long_answers(bank) -> dict:
    """The complete example, with every multi-choice question given all its options
    that go together (the longest answers the review can show)."""
    answers = complete_answers(bank)
    for item in Walkthrough(bank, answers).shown_items():
        if item.kind == "multi":
            answers[item.id] = tuple(code for code in item.codes if code != "none")
    # Questions those answers bring up, answered too, so that the app opens on the review.
    while gaps := [i for i in Walkthrough(bank, answers).shown_items() if i.id not in answers]:
        for item in gaps:
            first = item.codes[0] if item.codes else "words"
            answers[item.id] = (first,) if item.kind == "multi" else first
    return answers


async def test_the_review_hangs_answers_under_their_first_word_and_off_the_scrollbar(bank):
    answers = long_answers(bank)
    app = make_app(autosave=False, answers=answers)
    went_on = 0
    checked = 0
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("enter")
        await wait_screen(pilot, ReviewScreen)
        listing = app.screen.query_one("#answers", OptionList)
        await wait_for(pilot, lambda: listing.max_scroll_y > 0, "a review that scrolls")
        labels = [answer_label(app.walk, item.id) for item in app.walk.shown_items()]
        area = listing.scrollable_content_region
        y = 0
        while True:
            listing.scroll_to(y=y, animate=False, immediate=True)
            await pilot.pause()
            await pilot.pause()
            rows = rows_in(app, area)
            # Nothing touches the scrollbar: the column left of it is empty on every row.
            assert listing.show_vertical_scrollbar
            assert all(row[-1] == " " for row in rows), "words touch the review's scrollbar"
            for at, row in enumerate(rows):
                if not row.startswith(ARROW):
                    continue
                text = row[len(ARROW) :].strip()
                fits = [label for label in labels if " ".join(label.split()).startswith(text)]
                assert fits, f"{row!r} is no answer"
                for below in rows[at + 1 :]:
                    if any(" ".join(label.split()) == text for label in fits):
                        checked += 1
                        break
                    start_at = len(below) - len(below.lstrip())
                    assert start_at >= len(ARROW), f"{below.rstrip()!r} starts left of its answer"
                    text = f"{text} {below.strip()}"
                    went_on += 1
            if y >= listing.max_scroll_y:
                break
            y += area.height // 2
    assert checked > 20 and went_on > 20  # long answers did wrap, and were read


BULLET = "•  "


def check_points(rows: list[str], where: str) -> int:
    """A point that wraps goes on under its first word, not under the bullet; returns how
    many rows went on."""
    column: int | None = None
    went_on = 0
    for row in rows:
        if row.lstrip().startswith(BULLET):
            column = len(row) - len(row.lstrip()) + len(BULLET)
        elif row.strip() and column is not None:
            start_at = len(row) - len(row.lstrip())
            assert start_at >= column, f"{where}: {row.rstrip()!r} starts under the bullet"
            went_on += 1
    return went_on


@pytest.mark.parametrize("kiosk", [False, True], ids=["app", "kiosk"])
async def test_the_welcome_points_hang_under_their_first_word(tmp_path, kiosk, app_factory):
    from rls_screen.tui.kiosk import KioskApp
    from rls_screen.tui.screens.welcome import WelcomeScreen

    app = KioskApp(save_dir=tmp_path, idle_reset=60) if kiosk else app_factory()
    went_on = 0
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        page = app.screen.query_one(".page", VerticalScroll)
        points = app.screen.query_one(".point")
        page.scroll_to_widget(points, animate=False, top=True)
        await wait_for(pilot, lambda: points.region.y >= page.content_region.y, "the points")
        await pilot.pause()
        shown = points.content_region.intersection(page.content_region)
        went_on += check_points(rows_in(app, shown), "kiosk" if kiosk else "app")
        edge = page.scrollable_content_region
        if page.show_vertical_scrollbar:  # nothing touches the welcome's scrollbar
            gap = rows_in(app, Region(edge.right - 1, edge.y, 1, edge.height))
            assert all(cell == " " for cell in gap), "the welcome touches its scrollbar"
    assert went_on >= 1  # at 60 columns a point does wrap


async def scrolled_through(pilot, box: VerticalScroll):
    """Each view of a scrolling box, top to bottom, a box less a row at a time."""
    y = 0
    while True:
        box.scroll_to(y=y, animate=False, immediate=True)
        await pilot.pause()
        await pilot.pause()
        yield
        if y >= box.max_scroll_y:
            return
        y += max(1, box.scrollable_content_region.height - 1)


def touches_its_scrollbar(app, box: VerticalScroll) -> bool:
    if not box.show_vertical_scrollbar:
        return False
    edge = box.scrollable_content_region
    gap = rows_in(app, Region(edge.right - 1, edge.y, 1, edge.height))
    return any(cell != " " for cell in gap)


def alerting(app, seeds: dict, item) -> list[str]:
    """The answers to ``item`` that bring up a warning sign's dialog."""
    from rls_screen.reports.summary import alert_for

    codes = []
    for code in item.codes if item.kind == "single" else ():
        walk = Walkthrough(app.walk.bank, {**seeds, item.id: code})
        if alert_for(walk, item.id, app.region) is not None:
            codes.append(code)
    return codes


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_no_dialog_text_touches_its_scrollbar(bank, tmp_path, size, app_factory):
    """Every warning sign's dialog and the longest helps, scrolled through."""
    from rls_screen.tui.dialogs.help import HelpDialog
    from rls_screen.tui.dialogs.red_flag import RedFlagDialog
    from rls_screen.tui.screens.question import QuestionScreen

    app = app_factory()
    scrolled = 0
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        walk = app.walk
        seeds = every_item_answers(bank)
        for key, value in seeds.items():
            walk.answer(key, value)
        # The helps that are longest (the ones that scroll), and every warning sign.
        shown = [i for i in walk.shown_items() if i.kind != "text"]
        longest = sorted(shown, key=lambda i: len(i.help), reverse=True)[:2]
        for item in shown:
            for code in [None, *alerting(app, seeds, item)][item not in longest :]:
                walk.go_to(item.id)
                app.screen.show_current()
                await pilot.pause()
                # The question's help, then each answer's warning sign.
                await pilot.press("f1" if code is None else str(item.codes.index(code) + 1))
                await wait_screen(pilot, HelpDialog if code is None else RedFlagDialog)
                box = app.screen.query_one(".dialog-scroll", VerticalScroll)
                async for _ in scrolled_through(pilot, box):
                    where = f"{item.id} = {code}" if code else f"help for {item.id}"
                    assert not touches_its_scrollbar(app, box), f"{where} at {size}"
                    scrolled += box.show_vertical_scrollbar
                await pilot.press("escape" if code is None else "enter")
                await wait_screen(pilot, QuestionScreen)
                walk.answer(item.id, seeds[item.id])  # the warning sign's answer undone
    assert scrolled > 0  # some dialog did scroll: the check is not empty
