"""The TUI's draft lock (issue 19): a second window is told that the questions are open
elsewhere and asked (read-only, take over, or quit); never two writers. Real processes in
real terminals (pexpect), sharing one draft folder; and the dialog's keys in run_test."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pexpect
import pytest
from test_autosave import answer_in_terminal, classic_keys, given, spawn_app
from test_tui import shown_text, wait_for, wait_offer, wait_screen

from rls_screen.interop.draft_lock import DraftLock
from rls_screen.interop.drafts import Drafts
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.lock import LockDialog
from rls_screen.tui.screens.question import QuestionScreen

ASKED = "Open in another window"
OFFER = "You have answers kept"  # the rest of the line may be under a notice


def folder(tmp_path: Path) -> Path:
    return tmp_path / "data" / "rls-screen"


def state(path: Path) -> tuple[bytes, int] | None:
    """A file's bytes and mtime: what "nothing was written" means."""
    return (path.read_bytes(), path.stat().st_mtime_ns) if path.exists() else None


def wait_until(condition, what: str, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def first_window(bank, tmp_path: Path, count: int = 2):
    """A window that has answered ``count`` questions, its draft written, its lock held."""
    steps = classic_keys(bank)
    first = spawn_app(tmp_path)
    answer_in_terminal(first, steps, count)
    draft = folder(tmp_path) / "draft.json"
    done = {"answers": given(bank, steps, count), "position": steps[count][0]}

    def written() -> bool:
        saved = json.loads(draft.read_text()) if draft.exists() else {}
        return {
            "answers": saved.get("answers"),
            "position": saved.get("meta", {}).get("position"),
        } == done

    wait_until(written, "the first window's draft")
    return first, steps


def second_window(tmp_path: Path) -> pexpect.spawn:
    second = spawn_app(tmp_path)
    second.expect_exact(ASKED)
    second.expect_exact("Take over here")
    return second


def answer_next(child: pexpect.spawn, steps, number: int) -> None:
    """Answer question ``number`` (1-based) with the classic keys; wait for the next."""
    child.send("".join(steps[number - 1][2]))
    child.expect(f"Question {number + 1} of")


def leave(child: pexpect.spawn) -> None:
    child.send("\x11")  # Ctrl+Q
    child.expect("Leave rls-screen")
    child.send("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_read_only_shows_the_draft_and_writes_nothing(bank, tmp_path):
    first, steps = first_window(bank, tmp_path)
    draft, lock = folder(tmp_path) / "draft.json", folder(tmp_path) / "draft.lock"
    before, held = state(draft), state(lock)
    second = second_window(tmp_path)
    try:
        second.send("\r")  # the focus starts on "Open read-only"
        second.expect_exact("Read-only:")
        second.expect_exact(OFFER)
        second.send("\r")  # pick up where the first window is
        second.expect("Question 3 of")
        second.expect_exact("Not saved in this window")  # above every question
        answer_next(second, steps, 3)
        answer_next(second, steps, 4)
        time.sleep(0.5)  # a draft write would have happened by now
        assert state(draft) == before  # not the draft: bytes and mtime unchanged
        assert state(lock) == held  # still the first window's lock
        assert sorted(p.name for p in folder(tmp_path).iterdir()) == ["draft.json", "draft.lock"]
        second.send("\x11")  # Ctrl+Q: this window keeps nothing, and says so
        second.expect_exact("This window does not keep your answers")
        second.send("y")
        second.expect(pexpect.EOF)
        assert state(lock) == held  # quitting leaves the other window's lock
        answer_next(first, steps, 3)  # the first window still writes
        wait_until(
            lambda: json.loads(draft.read_text())["answers"] == given(bank, steps, 3),
            "the first window's next answer",
        )
        leave(first)
        assert not lock.exists()  # released on the way out
    finally:
        for child in (first, second):
            child.close(force=True)


def test_take_over_and_the_first_window_stops_writing(bank, tmp_path):
    first, steps = first_window(bank, tmp_path)
    draft, lock = folder(tmp_path) / "draft.json", folder(tmp_path) / "draft.lock"
    second = second_window(tmp_path)
    try:
        second.send("\t\r")  # Tab to "Take over here"
        second.expect_exact(OFFER)
        second.send("\r")
        second.expect("Question 3 of")
        taken = state(lock)
        before = state(draft)
        answer_next(first, steps, 3)  # the first window's next answer ...
        first.expect_exact("These questions were")  # ... is told, kindly, once
        first.expect_exact("longer saves your answers")
        time.sleep(0.5)
        assert state(draft) == before  # ... and never written
        answer_next(second, steps, 3)  # the window that took over writes
        wait_until(
            lambda: json.loads(draft.read_text())["answers"] == given(bank, steps, 3),
            "the second window's answer",
        )
        written = state(draft)
        answer_next(first, steps, 4)
        time.sleep(0.5)
        assert state(draft) == written
        first.send("\x11")
        first.expect_exact("This window does not keep your answers")
        first.send("y")
        first.expect(pexpect.EOF)
        assert state(lock) == taken  # the first window leaves the other's lock alone
        assert state(draft) == written
        leave(second)
        assert not lock.exists()
        assert json.loads(draft.read_text())["answers"] == given(bank, steps, 3)
    finally:
        for child in (first, second):
            child.close(force=True)


def test_quit_leaves_both_untouched_and_a_normal_exit_frees_the_lock(bank, tmp_path):
    first, steps = first_window(bank, tmp_path)
    draft, lock = folder(tmp_path) / "draft.json", folder(tmp_path) / "draft.lock"
    before, held = state(draft), state(lock)
    second = second_window(tmp_path)
    try:
        second.send("\x1b[C\x1b[C\r")  # Right, Right: "Quit"
        second.expect(pexpect.EOF)
        second.close()
        assert second.exitstatus == 0
        assert (state(draft), state(lock)) == (before, held)
        answer_next(first, steps, 3)  # the first window goes on as before
        wait_until(
            lambda: json.loads(draft.read_text())["answers"] == given(bank, steps, 3),
            "the first window's next answer",
        )
        leave(first)
        assert not lock.exists()
        third = spawn_app(tmp_path)  # not asked: straight to the draft's offer
        try:
            assert third.expect_exact([ASKED, OFFER]) == 1
            third.send("\x11")  # nothing answered here: Ctrl+Q leaves at once
            third.expect(pexpect.EOF)
        finally:
            third.close(force=True)
    finally:
        for child in (first, second):
            child.close(force=True)


def test_a_lock_left_by_kill_9_is_taken_silently(bank, tmp_path):
    # Two questions: "who is answering" (skipped by the classic example) and the age,
    # so that the draft holds an answer and is offered.
    first, steps = first_window(bank, tmp_path, count=2)
    lock = folder(tmp_path) / "draft.lock"
    try:
        first.kill(signal.SIGKILL)
        first.expect(pexpect.EOF)
    finally:
        first.close(force=True)
    assert lock.exists()  # left behind, by a process that has gone
    second = spawn_app(tmp_path)
    try:
        assert second.expect_exact([ASKED, OFFER]) == 1  # not asked about another window
        second.send("\r")
        second.expect("Question 3 of")
        answer_next(second, steps, 3)  # and this window writes
        draft = folder(tmp_path) / "draft.json"
        wait_until(
            lambda: json.loads(draft.read_text())["answers"] == given(bank, steps, 3),
            "the second window's answer",
        )
        assert lock.exists()
        leave(second)
        assert not lock.exists()
    finally:
        second.close(force=True)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_the_app_with_the_answers_kept_and_the_lock_freed(bank, tmp_path, signum):
    first, steps = first_window(bank, tmp_path, count=3)
    draft, lock = folder(tmp_path) / "draft.json", folder(tmp_path) / "draft.lock"
    assert lock.exists()
    try:
        os.kill(first.pid, signum)
        first.expect(pexpect.EOF)
        first.close()
        assert first.exitstatus == 128 + signum
        assert not lock.exists()
        assert json.loads(draft.read_text())["answers"] == given(bank, steps, 3)
    finally:
        first.close(force=True)


# --- the dialog's keys, in the test's own process ---------------------------------------


def held_elsewhere(bank, tmp_path: Path) -> tuple[Path, DraftLock]:
    """A draft, and its lock held by another live window (this process, another token)."""
    where = tmp_path / "drafts"
    Drafts(bank, folder=where).save({"age_group": "45_64"}, "respondent")
    other = DraftLock(where)
    assert other.acquire()
    return where, other


@pytest.mark.parametrize(
    ("keys", "choice"),
    [
        (["enter"], "read-only"),
        (["right", "enter"], "take-over"),
        (["down", "down", "enter"], "quit"),
        (["escape"], "quit"),
    ],
)
async def test_the_lock_dialog_keys(bank, tmp_path, keys, choice):
    where, other = held_elsewhere(bank, tmp_path)
    app = make_app(autosave=True, draft_dir=where, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, LockDialog)
        assert "open in another window" in shown_text(app)
        await pilot.press(*keys)
        if choice == "quit":
            await wait_for(pilot, lambda: app.return_code is not None, "the app to end")
            assert other.holds()  # the other window's lock is left as it was
            return
        await wait_offer(pilot)
        assert app.read_only is (choice == "read-only")
        assert other.holds() is (choice == "read-only")
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == {"age_group": "45_64"}


async def test_the_lock_dialog_arrows_and_tab_move_between_its_buttons(bank, tmp_path):
    where, _other = held_elsewhere(bank, tmp_path)
    app = make_app(autosave=True, draft_dir=where, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, LockDialog)
        await wait_for(pilot, lambda: app.focused is not None, "the focus")
        assert app.focused.id == "read-only"  # the choice that changes nothing elsewhere
        moves = [
            ("right", "take-over"),
            ("right", "quit"),
            ("left", "take-over"),
            ("up", "read-only"),
            ("down", "take-over"),
            ("tab", "quit"),
            ("shift+tab", "take-over"),
        ]
        for key, focused in moves:
            await pilot.press(key)
            await wait_for(pilot, lambda f=focused: app.focused.id == f, f"{key} to {focused}")
        await pilot.press("enter")
        await wait_offer(pilot)
        assert not app.read_only and app.draft_lock.holds()


async def test_the_lock_dialog_by_mouse_and_read_only_keeps_nothing(bank, tmp_path):
    from test_tui import answer_current

    where, other = held_elsewhere(bank, tmp_path)
    before = state(where / "draft.json")
    app = make_app(autosave=True, draft_dir=where, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, LockDialog)
        await pilot.click("#read-only")
        await wait_offer(pilot)
        await pilot.press("tab", "enter")  # start again: the other window's draft stays
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == {}
        await answer_current(pilot, "self")  # who is answering, then the age
        await answer_current(pilot, "45_64")
        assert app.walk.answers == {"respondent": "self", "age_group": "45_64"}
    assert state(where / "draft.json") == before
    assert other.holds()


# --- the kiosk: one kiosk per save folder -------------------------------------------


def test_a_second_kiosk_on_the_same_folder_is_refused_and_sets_nothing_aside(bank, tmp_path):
    save = tmp_path / "records"
    save.mkdir(mode=0o700)
    kiosk = ("-m", "rls_screen", "kiosk", "--save-dir", str(save))
    steps = classic_keys(bank)
    first = spawn_app(tmp_path, *kiosk)
    second = None
    try:
        answer_in_terminal(first, steps, 2)
        progress = save / ".in-progress"
        draft = progress / "draft.json"
        wait_until(draft.exists, "the patient's draft")
        time.sleep(0.5)
        before = state(draft)
        second = spawn_app(tmp_path, *kiosk)
        second.expect(pexpect.EOF)
        second.close()
        assert second.exitstatus == 2
        lines = second.before.decode().strip().splitlines()
        assert lines == [
            f"rls-screen: {save} is in use by another kiosk; give each kiosk its own save folder"
        ]
        assert state(draft) == before  # the first patient's draft was not set aside
        assert sorted(p.name for p in progress.iterdir()) == ["draft.json", "draft.lock"]
        answer_next(first, steps, 3)  # the first kiosk goes on writing
        wait_until(lambda: state(draft) != before, "the first kiosk's next answer")
    finally:
        first.close(force=True)
        if second is not None:
            second.close(force=True)


async def test_a_crash_releases_the_lock(bank, tmp_path):
    from test_tui import start

    where = tmp_path / "drafts"
    app = make_app(autosave=True, draft_dir=where, save_folder=tmp_path)

    def crash() -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await pilot.press("1")
            await wait_for(pilot, (where / "draft.json").exists, "the draft")
            assert (where / "draft.lock").exists()
            app.call_later(crash)
            await pilot.pause()
    assert not (where / "draft.lock").exists()
    assert (where / "draft.json").exists()  # the answers are kept for next time


async def test_a_window_taken_over_is_told_once_and_never_writes_again(bank, tmp_path):
    from test_tui import answer_current, start

    from rls_screen.core.texts import ui

    where = tmp_path / "drafts"
    app = make_app(autosave=True, draft_dir=where, save_folder=tmp_path)
    told: list[str] = []
    notify = app.notify

    def watched(message, **kwargs):
        told.append(message)
        notify(message, **kwargs)

    app.notify = watched
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_current(pilot, "self")  # who is answering
        await answer_current(pilot, "45_64")
        await wait_for(pilot, (where / "draft.json").exists, "the draft")
        other = DraftLock(where)
        assert other.acquire(take_over=True)  # another window takes over
        before = state(where / "draft.json")
        for _ in range(4):  # answers that raise no warning sign
            codes = app.walk.current.codes
            await answer_current(pilot, "no" if "no" in codes else codes[0])
            await wait_for(pilot, lambda: ui("tui.lock.lost") in told, "the notice")
        await pilot.pause()
        assert "Not saved in this window" in shown_text(app)  # above the question
        assert told.count(ui("tui.lock.lost")) == 1  # once, however many answers follow
        assert state(where / "draft.json") == before
    assert other.holds()  # leaving never removes the other window's lock
    assert state(where / "draft.json") == before
