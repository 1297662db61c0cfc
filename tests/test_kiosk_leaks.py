"""The kiosk leaks nothing from one patient to the next and keeps staff informed:
clipboards, the staff line on the first screen, waiting records that cannot be read."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest
from test_kiosk import first_answers, leave_a_draft, records, submit, wait_until
from test_tui import start, wait_for, wait_screen, walk_until
from textual.widgets import Input, Static

from rls_screen.tui.dialogs.kiosk_dialogs import StaffDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.kiosk import KioskSummaryScreen
from rls_screen.tui.screens.review import ReviewScreen
from rls_screen.tui.screens.welcome import WelcomeScreen

OSC52 = "\x1b]52;"


def record_writes(app) -> list[str]:
    """Everything the app writes to its terminal from now on (OSC 52 goes there)."""
    written: list[str] = []
    driver = app._driver
    plain_write = driver.write

    def write(data: str) -> None:
        written.append(data)
        plain_write(data)

    driver.write = write
    return written


async def reach_own_words_box(pilot) -> Input:
    app = pilot.app
    await start(pilot)
    app.walk.go_to("urge")
    app.screen.show_current()
    await pilot.pause()
    await walk_until(pilot, {"urge": "yes", "sensations": ("tingling",)}, "own_words")
    box = app.screen.query_one("#text-answer", Input)
    await wait_for(pilot, lambda: box.has_focus, "the box")
    return box


def no_words_sent(written: list[str], words: str) -> None:
    sent = "".join(written)
    encoded = base64.b64encode(words.encode()).decode()
    assert encoded not in sent and words not in sent
    for chunk in sent.split(OSC52)[1:]:  # any OSC 52 at all only ever empties it
        assert chunk.startswith("c;\x07"), repr(chunk[:40])


@pytest.mark.parametrize("how", ["hand_in", "start_over", "walk_away"])
async def test_copied_words_never_reach_the_next_patient(bank, tmp_path, how):
    words = "Fizzing like soda at night"
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    app.STILL_THERE_SECONDS = 0.3
    async with app.run_test(size=(80, 24)) as pilot:
        written = record_writes(app)
        box = await reach_own_words_box(pilot)
        await pilot.press(*words)
        assert box.value == words
        await pilot.press("shift+home")  # select it all, then copy as a menu would
        box.action_copy()  # (Ctrl+C is the kiosk's start-over: see the test below)
        await pilot.pause()
        assert app.clipboard == "" and app._clipboard == ""
        await pilot.press("ctrl+x")  # cut: the kiosk's own key, the words stay
        await pilot.press("end", "ctrl+v")  # pasting the "copy" adds nothing
        await pilot.pause()
        assert box.value == words
        no_words_sent(written, words)

        if how == "hand_in":
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.walk.answers.get("own_words") == words, "answer")
            app.walk.position = len(app.walk.items)
            app.show_review()
            await wait_screen(pilot, ReviewScreen)
            await submit(pilot)
            await wait_screen(pilot, KioskSummaryScreen)
            await pilot.press("f")
        elif how == "start_over":
            await pilot.press("escape", "q")
            await pilot.pause()
            await pilot.press("y")
        else:
            app.idle_reset = 0.3
            await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "welcome")
            app.idle_reset = 60
        await wait_screen(pilot, WelcomeScreen)
        assert app.walk is None

        box = await reach_own_words_box(pilot)  # the next patient, the same box
        await pilot.press("ctrl+v")
        await pilot.pause()
        assert box.value == ""
        assert app.clipboard == ""
        no_words_sent(written, words)
        # Each reset also empties the terminal's own clipboard.
        assert f"{OSC52}c;\x07" in "".join(written)
    if how == "hand_in":
        assert len(records(tmp_path)) == 1


async def test_a_reset_empties_whatever_is_in_the_clipboard(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app._clipboard = "left over"  # however it got there
        written = record_writes(app)
        app.next_patient()
        await wait_screen(pilot, WelcomeScreen)
        assert app.clipboard == "" and app._clipboard == ""
        assert written.count(f"{OSC52}c;\x07") == 1
        app._clipboard = "left over"
        # Enter before the new welcome has put the focus on Start would go nowhere.
        await wait_for(pilot, lambda: getattr(app.focused, "id", None) == "start", "Start")
        await start(pilot)  # a new patient starts with nothing to paste
        assert app._clipboard == ""


# --- the staff line is on the first screen ---------------------------------------------


async def test_the_staff_line_is_on_the_first_screen_at_80x24(bank, tmp_path):
    leave_a_draft(bank, tmp_path, first_answers(bank))
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        line = app.screen.query_one("#staff-line", Static)
        await wait_for(pilot, lambda: line.display, "staff line")
        await pilot.pause()
        region = line.region
        assert region.height >= 1 and region.width > 0
        assert region.y >= 0 and region.bottom <= 24 - 1  # above the footer
        assert "Staff:" in str(line.render())
        visible = app.screen.find_widget(line).region
        assert visible == region


# --- a waiting record that cannot be read ----------------------------------------------


def tamper(path: Path, how: str, outside: Path) -> None:
    """Make a waiting record unreadable, the way a hostile or unlucky hand would."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    if how == "nested":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif how == "not_json":
        path.write_text("answers: yes, all of them\n")
    elif how == "not_object":
        path.write_text("[1, 2, 3]")
    elif how == "link":
        outside.write_text('{"answers": {}}')
        os.chmod(outside, 0o644)
        path.symlink_to(outside)
    elif how == "folder":
        path.mkdir()
    elif how == "huge":
        with open(path, "wb") as handle:
            handle.truncate(5 * 1024 * 1024)  # sparse, past the 4 MB bound
    else:
        raise AssertionError(how)


KINDS = ["nested", "not_json", "not_object", "link", "folder", "huge"]


@pytest.mark.parametrize("how", KINDS)
async def test_an_unreadable_waiting_record_is_set_aside_at_ctrl_x(bank, tmp_path, how):
    """The record is fine when the kiosk starts and tampered with before staff press
    Ctrl+X: the kiosk stays up, sets it aside unchanged and tells staff in one line."""
    folder = tmp_path / "records"
    folder.mkdir()
    outside = tmp_path / "elsewhere.json"
    leave_a_draft(bank, folder, first_answers(bank))
    app = KioskApp(save_dir=folder, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        line = app.screen.query_one("#staff-line", Static)
        await wait_for(pilot, lambda: line.display, "staff line")
        (waiting,) = (folder / ".in-progress").glob("waiting-*.json")
        tamper(waiting, how, outside)
        await pilot.press("ctrl+x")
        for _ in range(5):
            await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, WelcomeScreen)  # nothing left to decide on
        await wait_for(pilot, lambda: not line.display, "no staff line")
        (problem,) = app.problems
        assert "\n" not in problem and "cannot be read" in problem
        assert "set aside unchanged as" in problem
    (bad,) = folder.glob("*.partial.bad")
    assert bad.name in problem
    assert not waiting.exists() and not waiting.is_symlink()
    if how == "link":
        assert bad.is_symlink()  # moved as a link, never followed
        assert stat.S_IMODE(outside.stat().st_mode) == 0o644  # its target untouched
    elif how == "folder":
        assert bad.is_dir()
    else:
        assert stat.S_IMODE(bad.stat().st_mode) == 0o600
    assert records(folder) == []


@pytest.mark.parametrize("how", ["nested", "link", "folder"])
async def test_an_unreadable_waiting_record_at_start_is_reported_and_a_good_one_kept(
    bank, tmp_path, how
):
    """Left before the kiosk starts, beside a good one: staff see the good one at Ctrl+X
    and keep it; the bad one is set aside and reported."""
    folder = tmp_path / "records"
    folder.mkdir()
    drafts = folder / ".in-progress"
    drafts.mkdir()
    tamper(drafts / "waiting-00000000-000000-000000.json", how, tmp_path / "elsewhere.json")
    answers = first_answers(bank)
    leave_a_draft(bank, folder, answers)
    app = KioskApp(save_dir=folder, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        line = app.screen.query_one("#staff-line", Static)
        await wait_for(pilot, lambda: line.display, "staff line")
        assert str(line.render()) == "Staff: an unfinished record is waiting (Ctrl+X)"
        await pilot.press("ctrl+x")
        await wait_screen(pilot, StaffDialog)
        await pilot.press("k")
        await wait_screen(pilot, WelcomeScreen)
        await wait_for(pilot, lambda: not line.display, "no staff line")
        assert len(app.problems) == 1 and "cannot be read" in app.problems[0]
    assert len(list(folder.glob("*.partial.bad"))) == 1
    (partial,) = folder.glob("*.partial.json")
    assert json.loads(partial.read_text())["answers"]


def test_set_aside_unreadable_never_raises(tmp_path):
    from rls_screen.interop.records import set_aside_unreadable, waiting_saved

    drafts = tmp_path / ".in-progress"
    drafts.mkdir()
    for n, how in enumerate(KINDS):
        tamper(drafts / f"waiting-2026010{n}-000000-000000.json", how, tmp_path / "x.json")
        assert waiting_saved(drafts / f"waiting-2026010{n}-000000-000000.json") is None
    lines = set_aside_unreadable(tmp_path)
    assert len(lines) == len(KINDS)
    assert not list(drafts.iterdir())
    assert len(list(tmp_path.glob("*.partial.bad"))) == len(KINDS)


def test_set_aside_draft_never_follows_a_link(tmp_path):
    """A draft named ``draft.json`` that is a link is no patient's draft: it is not set
    aside as a waiting record for staff, and the file it points at is left as it was."""
    from rls_screen.interop.records import DRAFT_NAME, set_aside_draft, waiting_records

    drafts = tmp_path / ".in-progress"
    drafts.mkdir(mode=0o700)
    outside = tmp_path / "elsewhere.json"
    outside.write_text('{"answers": {}}')
    outside.chmod(0o644)
    (drafts / DRAFT_NAME).symlink_to(outside)
    assert set_aside_draft(tmp_path) is None
    assert (drafts / DRAFT_NAME).is_symlink()
    assert sorted(p.name for p in drafts.iterdir()) == [DRAFT_NAME]
    assert waiting_records(tmp_path) == []
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert outside.read_text() == '{"answers": {}}'


async def test_ctrl_c_starts_over_even_with_words_selected(bank, tmp_path):
    """In the own-words box with text selected, Ctrl+C is the kiosk's "start over"
    (asking first), never the box's copy."""
    from textual.widgets._input import Selection

    from rls_screen.tui.dialogs.confirm import ConfirmDialog

    words = "Ants under the skin"
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        box = await reach_own_words_box(pilot)
        box.value = words
        box.selection = Selection(0, len(words))
        await pilot.pause()
        assert box.selected_text == words
        await pilot.press("ctrl+c")
        await wait_screen(pilot, ConfirmDialog)
        assert app.clipboard == ""
