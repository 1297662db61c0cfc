"""The kiosk's hand-in (issue 21): one with no answers says so and asks, with the focus
on going back; one slip of the keys never hands in an empty record."""

from __future__ import annotations

import json

from test_kiosk import records
from test_tui import start, wait_for, wait_screen
from textual.widgets import Button, Static

from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.kiosk import KioskSummaryScreen
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.review import ReviewScreen


def dialog_text(app) -> str:
    return " ".join(str(w.render()) for w in app.screen.query(Static))


def focused_label(app) -> str:
    focused = app.screen.focused
    assert isinstance(focused, Button), focused
    return str(focused.label)


async def open_review_and_finish(pilot) -> None:
    """R on the question, then V on the review."""
    await pilot.press("r")
    await wait_screen(pilot, ReviewScreen)
    await pilot.press("v")
    await wait_screen(pilot, ConfirmDialog)
    await pilot.pause()


async def test_enter_r_v_shift_tab_enter_hands_in_nothing(tmp_path):
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)  # Enter
        await open_review_and_finish(pilot)  # R, V
        text = dialog_text(app)
        assert "You have not answered any questions. Hand in anyway?" in text
        assert focused_label(app) == "Go back"
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        # Still asked, not handed in: the ordinary question, its focus on "Not yet".
        await wait_screen(pilot, ConfirmDialog)
        assert "Are you done?" in dialog_text(app)
        assert focused_label(app) == "Not yet"
        assert app.walk is not None and not app.saved
    assert records(tmp_path) == []
    assert list(tmp_path.glob("*.html")) == []


async def test_go_back_from_an_empty_hand_in_goes_back_to_the_questions(tmp_path):
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await open_review_and_finish(pilot)
        await pilot.press("enter")  # the focus is on "Go back"
        await wait_screen(pilot, QuestionScreen)
        assert app.walk is not None and not app.saved
    assert records(tmp_path) == []


async def test_an_empty_hand_in_on_purpose_still_hands_in(tmp_path):
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await open_review_and_finish(pilot)
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: "Are you done?" in dialog_text(app), "Are you done?")
        await pilot.press("shift+tab", "enter")
        await wait_screen(pilot, KioskSummaryScreen)
    (saved,) = records(tmp_path)
    assert json.loads(saved.read_text())["answers"] == {}


async def test_with_answers_the_hand_in_asks_once_as_before(tmp_path):
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")  # the first question answered
        await wait_for(pilot, lambda: bool(app.walk.answers), "an answer")
        await open_review_and_finish(pilot)
        text = dialog_text(app)
        assert "Are you done?" in text
        assert "not answered any" not in text
        assert focused_label(app) == "Not yet"
        await pilot.press("shift+tab", "enter")
        await wait_screen(pilot, KioskSummaryScreen)
    (saved,) = records(tmp_path)
    assert json.loads(saved.read_text())["answers"]
