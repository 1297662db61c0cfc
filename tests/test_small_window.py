"""A window below the smallest size the app is laid out at (30x8) shows one kind line,
"make the window larger", over the whole window, and takes no answer keys; larger
again, everything is as it was: the same screen, focus and answers (issue 19). Before,
a person at 20x5 saw the cut-off top left of the screen and no word, and their keys
still answered questions they could not see."""

from __future__ import annotations

import pexpect
from test_autosave import spawn_app
from test_robust_tui import settle
from test_tui import current_id, flat, start, wait_for, wait_screen

from rls_screen.core.texts import ui
from rls_screen.tui.dialogs.kiosk_dialogs import KioskRedFlagDialog
from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.question import QuestionScreen

LINE = ui("tui.small.line")
SHORT = ui("tui.small.short")

# Down to 1x1 and back up, through the minimum (30x8) both ways.
SIZES = [(1, 1), (10, 3), (20, 5), (29, 7), (30, 8), (80, 24), (29, 7), (10, 3), (1, 1)]
# Keys a person might press at a window they cannot read: none may answer or move.
KEYS = ("1", "down", "space", "enter", "s", "r", "left", "escape", "ctrl+p")


def small(width: int, height: int) -> bool:
    return width < 30 or height < 8


def state(app) -> tuple:
    """What the person would find again: the screen, the focus, the answers, the place."""
    focused = app.focused
    highlighted = getattr(focused, "highlighted", None)
    return (app.screen, focused, highlighted, dict(app.walk.answers), current_id(app))


async def walk_the_sizes(pilot, sizes=SIZES) -> None:
    """Every size down to 1x1 and back, keys pressed at each small one; at 80x24 at the
    end. The line is on show exactly while the window is too small, in full where it
    fits, and the state never changes."""
    app = pilot.app
    before = state(app)
    pressed = set()
    for width, height in [*sizes, (80, 24)]:
        await pilot.resize_terminal(width, height)
        await settle(pilot)
        assert app.is_running and app._exception is None, (width, height)
        rows = getattr(app, "small_window", None)
        if not small(width, height):
            assert rows is None, (width, height)
            assert state(app) == before, (width, height)
            continue
        if (width, height) not in pressed:  # once at each size, to keep the test quick
            pressed.add((width, height))
            await pilot.press(*KEYS)
            await settle(pilot)
        assert state(app) == before, (width, height)
        assert rows is not None, (width, height)
        assert len(rows) == height and {len(row) for row in rows} == {width}
        words = flat(" ".join(rows))
        if (width, height) in ((20, 5), (29, 7)):
            assert words == LINE
        elif (width, height) == (10, 3):
            assert words == SHORT
        else:
            assert words and SHORT.startswith(words)


async def test_a_question_waits_unchanged_below_the_minimum(bank, tmp_path, app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")  # one answer given
        await wait_for(pilot, lambda: len(app.walk.answers) == 1, "the first answer")
        await pilot.press("down", "down")  # the highlight moved, nothing chosen yet
        await pilot.pause()
        assert app.focused.highlighted == 2
        await walk_the_sizes(pilot)
        assert isinstance(app.screen, QuestionScreen) and app.focused.highlighted == 2
        await pilot.press("enter")  # larger again, the keys work as before
        await wait_for(pilot, lambda: len(app.walk.answers) == 2, "the second answer")


async def test_a_warning_sign_dialog_stays_open_below_the_minimum(bank, tmp_path, app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.walk.go_to("rf_one_leg")
        app.screen.show_current()
        await pilot.pause()
        await pilot.press("1")
        await wait_screen(pilot, RedFlagDialog)
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.drawn, "the dialog drawn")
        await walk_the_sizes(pilot)  # Enter and Escape pressed while small: still open
        assert app.screen is dialog and app.walk.answers["rf_one_leg"] == "yes"
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert current_id(app) != "rf_one_leg"


async def test_the_kiosk_waits_unchanged_below_the_minimum(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: len(app.walk.answers) == 1, "the first answer")
        await walk_the_sizes(pilot)
        app.walk.go_to("rf_one_leg")
        app.screen.show_current()
        await pilot.pause()
        await pilot.press("1")
        await wait_screen(pilot, KioskRedFlagDialog)
        dialog = app.screen
        await wait_for(pilot, lambda: dialog.drawn, "the dialog drawn")
        await walk_the_sizes(pilot, [(20, 5), (1, 1), (30, 8)])
        assert app.screen is dialog


async def test_ctrl_q_still_leaves_below_the_minimum(tmp_path, app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.resize_terminal(20, 5)
        await settle(pilot)
        assert getattr(app, "small_window", None) is not None
        await pilot.press("ctrl+q")  # no answers yet: it leaves at once
        await wait_for(pilot, lambda: not app.is_running, "the app to leave")


def test_a_real_terminal_shows_the_line_and_takes_no_answer(tmp_path, monkeypatch):
    # Textual reads the size through shutil, which prefers COLUMNS and LINES (pytest-xdist
    # sets them): with them the app never sees the window change.
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)
    child = spawn_app(tmp_path)
    try:
        child.expect("Start")
        child.send("\r")
        child.expect("Question 1 of about")
        child.setwinsize(5, 20)
        child.expect("Make the window")
        child.setwinsize(24, 80)
        child.expect("Question 1 of about")  # drawn whole again
        child.setwinsize(5, 20)
        child.expect("Make the window")
        # "1" would answer question 1; then Ctrl+Q, in the same stream so at the same
        # size: with no answer given it leaves without asking (else it would ask).
        child.send("1\x11")
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
    assert not list((tmp_path / "data").rglob("*.json"))  # no draft: nothing answered
