"""The review tells a question skipped from one not reached yet (issue 21)."""

from __future__ import annotations

from test_tui import answer_current, start, wait_for, wait_screen
from textual.widgets import OptionList

from rls_screen.core.texts import ui
from rls_screen.core.walk import Walkthrough
from rls_screen.tui.screens.review import ReviewScreen


def test_the_walk_knows_what_it_went_past(bank):
    walk = Walkthrough(bank)
    first, second, third = walk.shown_items()[:3]
    walk.answer(first.id, first.codes[0])
    walk.advance()
    walk.answer(second.id, None)  # what the S key does (RlsScreenApp.skip_current)
    walk.advance()  # on the third now
    assert walk.skipped(second) and not walk.skipped(first)
    assert not walk.skipped(third)  # on it, not past it
    walk.go_to(first.id)  # going back does not make the skipped one unreached
    assert walk.skipped(second) and not walk.skipped(third)
    walk.finish()
    assert walk.skipped(third)


def review_lines(app) -> dict[str, str]:
    """Each question's id and what the review says in place of its answer."""
    answers = app.screen.query_one("#answers", OptionList)
    shown = {}
    for index in range(answers.option_count):
        option = answers.get_option_at_index(index)
        if option.id:
            shown[option.id] = str(option.prompt).rsplit("→ ", 1)[1]
    return shown


async def test_the_review_marks_skipped_apart_from_not_reached_yet(tmp_path, app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        first = app.walk.current
        await answer_current(pilot, first.codes[0])
        second = app.walk.current
        await pilot.press("s")
        await wait_for(pilot, lambda: app.walk.current is not second, "the skip")
        third = app.walk.current
        await pilot.press("r")
        await wait_screen(pilot, ReviewScreen)
        shown = review_lines(app)
    assert shown[first.id] == first.describe(first.codes[0])
    assert shown[second.id] == ui("tui.review.skipped")
    assert shown[third.id] == ui("tui.review.not_answered") == "Not reached yet"
    later = [i.id for i in app.walk.shown_items()][3:]
    assert later and all(shown[i] == "Not reached yet" for i in later if i in shown)
