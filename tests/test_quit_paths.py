"""Every way out asks first when answers would be lost (issue 21): q, Ctrl+Q, Ctrl+C and
the command palette's own "Quit" (Textual's "as soon as possible")."""

from __future__ import annotations

import pytest
from test_tui import answer_current, start, wait_for, wait_screen
from textual.command import CommandList, CommandPalette

from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.screens.question import QuestionScreen


async def open_quit_path(pilot, path: str) -> None:
    if path == "palette":
        await pilot.press("ctrl+p")
        await wait_screen(pilot, CommandPalette)
        await pilot.press(*"quit")
        await wait_for(
            pilot,
            lambda: any(c.option_count for c in pilot.app.screen.query(CommandList)),
            "the palette's list",
        )
        await pilot.pause()
        await pilot.press("enter")
    else:
        await pilot.press(path)


@pytest.mark.parametrize("path", ["q", "ctrl+q", "ctrl+c", "palette"])
async def test_every_way_out_asks_when_answers_would_be_lost(tmp_path, path, app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_current(pilot, "self")  # who is answering comes first
        await answer_current(pilot, "18_44")
        await open_quit_path(pilot, path)
        await wait_screen(pilot, ConfirmDialog)
        assert app.return_code is None
        await pilot.press("escape")  # stay
        await wait_screen(pilot, QuestionScreen)
        assert app.is_running and app.walk.answers == {"respondent": "self", "age_group": "18_44"}


async def test_a_look_at_the_summary_half_way_keeps_the_draft(tmp_path):
    """Enter, answers, R, then V: the summary half-way deleted the draft, and a quit from
    there lost every answer."""
    from rls_screen.core.texts import ui
    from rls_screen.tui.screens.review import ReviewScreen
    from rls_screen.tui.screens.summary import SummaryScreen

    drafts = tmp_path / "drafts"
    app = make_app(autosave=True, draft_dir=drafts, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_current(pilot, "self")  # who is answering comes first
        await answer_current(pilot, "18_44")
        await answer_current(pilot, app.walk.current.codes[0])
        await pilot.press("r")
        await wait_screen(pilot, ReviewScreen)
        await pilot.press("v")
        await wait_screen(pilot, SummaryScreen)
        left = len(app.walk.unreached())
        assert left > 10
        told = ui("tui.summary.left_many", count=left)
        await wait_for(pilot, lambda: any(n.message == told for n in app._notifications), "told")
        assert app.writer().flush()
        assert (drafts / "draft.json").is_file()  # kept
        await pilot.press("q")
        await wait_screen(pilot, ConfirmDialog)
        body = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert ui("tui.leave.drafted") in body  # not "your answers will be lost"
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, "exit")
    assert (drafts / "draft.json").is_file()
