"""Every dialog, one keyboard model (issue 21): with the focus on a button, Left/Up and
Right/Down move between the buttons as Shift+Tab and Tab do, Enter presses the one with
the focus, Esc is the safe choice, and a line under the buttons says so."""

from __future__ import annotations

from test_kiosk import first_answers, leave_a_draft, open_staff_dialog
from test_tui import answer_current, shown_text, start, wait_for, wait_screen
from textual.widgets import Button

from rls_screen.core.texts import ui
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.question import QuestionScreen


def focused(app) -> str | None:
    widget = app.focused
    return widget.id if isinstance(widget, Button) else None


async def leave_with_an_answer(pilot) -> None:
    """One answer given, then q: the leave dialog, its focus on the safe No."""
    await start(pilot)
    await answer_current(pilot, "self")  # who is answering: the first question
    await pilot.press("q")
    await wait_screen(pilot, ConfirmDialog)
    await wait_for(pilot, lambda: focused(pilot.app) == "no", "the focus on No")


async def test_quit_then_left_then_enter_leaves(app_factory):
    """q, Left, Enter: the arrow moves from No to Yes, and Enter leaves (it stayed)."""
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await leave_with_an_answer(pilot)
        await pilot.press("left")
        assert focused(app) == "yes"
        assert isinstance(app.screen, ConfirmDialog)  # no Back on the question below
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.return_code is not None, "exit")


async def test_the_arrows_go_round_the_buttons_both_ways_and_esc_is_safe(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await leave_with_an_answer(pilot)
        seen = []
        for key in ("right", "down", "up", "left", "left"):
            await pilot.press(key)
            seen.append(focused(app))
        assert seen == ["yes", "no", "yes", "no", "yes"]
        stay = str(app.screen.query_one("#no", Button).label)  # "Stay"
        assert ui("tui.dialogs.hint", escape=stay) in shown_text(app)
        await pilot.press("escape")  # the safe choice, wherever the focus is
        await wait_screen(pilot, QuestionScreen)
        assert app.is_running and app.walk.answers == {"respondent": "self"}


async def test_the_staff_dialog_answers_the_arrows(bank, tmp_path):
    leave_a_draft(bank, tmp_path, first_answers(bank))
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_dialog(pilot)
        assert focused(app) == "not-now"
        await pilot.press("left")
        assert focused(app) == "discard"
        await pilot.press("left")
        assert focused(app) == "keep"
        await pilot.press("enter")  # keep: set aside as a partial record
        await wait_for(pilot, lambda: list(tmp_path.glob("*.partial.json")), "the partial")
        assert app.is_running


async def test_a_number_beyond_the_answers_says_how_many_there_are(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        item = app.walk.current
        count = len(item.options)
        assert count < 9
        await pilot.press(str(count + 1))
        told = ui("tui.choices.only", count=count)
        await wait_for(pilot, lambda: any(n.message == told for n in app._notifications), "told")
        for _ in range(9):  # the same key again: told once, not ten times
            await pilot.press(str(count + 1))
        await pilot.pause()
        assert [n.message for n in app._notifications].count(told) == 1
        assert app.walk.current is item and app.walk.answers == {}
