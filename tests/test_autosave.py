"""Autosave off the key path: the draft is written on one background thread (newest
answers winning), a delete always comes after the saves asked for before it, and however
the app ends the last answer is on disk first. A process killed outright loses at most
the answer being written."""

from __future__ import annotations

import json
import os
import signal
import stat
import sys
import threading
import time
from pathlib import Path

import pexpect
import pytest
from test_tui import (
    answer_current,
    classic_answers,
    complete_answers,
    current_id,
    start,
    wait_for,
    wait_offer,
    wait_screen,
)

import rls_screen.interop.drafts as drafts_module
from rls_screen.core.errors import InputError
from rls_screen.core.texts import ui
from rls_screen.core.walk import Walkthrough
from rls_screen.interop.drafts import Drafts, DraftWriter
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.review import ReviewScreen
from rls_screen.tui.screens.summary import SummaryScreen
from rls_screen.tui.screens.welcome import WelcomeScreen

REPO = Path(__file__).resolve().parent.parent


class SlowDisk:
    """``write_private`` as the draft writer sees it, slowed down (``delay`` seconds, and
    held while ``gate`` is clear), counting writes and how many ran at once."""

    def __init__(self, monkeypatch, delay: float = 0.3) -> None:
        self.delay = delay
        self.gate = threading.Event()
        self.gate.set()
        self.writes: list[tuple[int, dict]] = []  # (thread, answers written)
        self.active = 0
        self.most_at_once = 0
        self.lock = threading.Lock()
        self.real = drafts_module.write_private
        monkeypatch.setattr(drafts_module, "write_private", self.write)

    def write(self, path, text):
        with self.lock:
            self.active += 1
            self.most_at_once = max(self.most_at_once, self.active)
        try:
            self.gate.wait(20)
            time.sleep(self.delay)
            self.writes.append((threading.get_ident(), json.loads(text)["answers"]))
            return self.real(path, text)
        finally:
            with self.lock:
                self.active -= 1


def on_disk(path: Path) -> dict | None:
    return json.loads(path.read_text())["answers"] if path.exists() else None


def as_json(answers: dict) -> dict:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in answers.items()}


# --- the writer on its own -------------------------------------------------------------


def test_newest_answers_win_and_never_two_writes_at_once(bank, tmp_path, monkeypatch):
    disk = SlowDisk(monkeypatch, delay=0.05)
    disk.gate.clear()
    drafts = Drafts(bank, folder=tmp_path / "drafts")
    writer = DraftWriter()
    given = {"age_group": "18_44"}
    writer.save(drafts, given, "respondent")
    while not disk.active:  # the first one is being written...
        time.sleep(0.01)
    for n, respondent in enumerate(["self", "for_person", "self"]):
        given = {"age_group": "18_44", "respondent": respondent}
        writer.save(drafts, given, "pregnant")  # ...and these three arrive meanwhile
        if n == 0:
            given["respondent"] = "changed after the answer"  # the copy is what counts
    disk.gate.set()
    assert writer.flush(5)
    written = [answers for _, answers in disk.writes]
    assert written == [{"age_group": "18_44"}, {"age_group": "18_44", "respondent": "self"}]
    assert disk.most_at_once == 1
    assert all(thread != threading.get_ident() for thread, _ in disk.writes)
    assert on_disk(drafts.path) == {"age_group": "18_44", "respondent": "self"}
    assert stat.S_IMODE(drafts.path.stat().st_mode) == 0o600
    assert writer.close(5)


def test_the_answers_are_copied_when_saved(bank, tmp_path, monkeypatch):
    disk = SlowDisk(monkeypatch, delay=0.05)
    drafts = Drafts(bank, folder=tmp_path / "drafts")
    writer = DraftWriter()
    answers = {"age_group": "18_44"}
    writer.save(drafts, answers, None)
    answers["respondent"] = "self"  # the next answer, before the write
    assert writer.flush(5)
    assert on_disk(drafts.path) == {"age_group": "18_44"}
    assert len(disk.writes) == 1
    writer.close()


def test_a_delete_wins_over_saves_being_written_or_waiting(bank, tmp_path, monkeypatch):
    disk = SlowDisk(monkeypatch, delay=0.2)
    drafts = Drafts(bank, folder=tmp_path / "drafts")
    writer = DraftWriter()
    writer.save(drafts, {"age_group": "18_44"}, None)
    while not disk.active:
        time.sleep(0.01)
    writer.save(drafts, {"age_group": "18_44", "respondent": "self"}, None)  # waiting
    assert writer.delete(drafts, 5)  # waits for the one being written
    assert not drafts.path.exists()
    assert writer.flush(5)
    time.sleep(0.3)
    assert not drafts.path.exists()  # the waiting one never ran
    assert len(disk.writes) == 1
    writer.save(drafts, {"age_group": "45_64"}, None)  # a save after it is written
    assert writer.flush(5)
    assert on_disk(drafts.path) == {"age_group": "45_64"}
    writer.close()


def test_a_delete_that_cannot_wait_is_still_never_undone(bank, tmp_path, monkeypatch):
    """A hung disk: the delete gives up waiting, and the save that was being written
    deletes its own file when it ends."""
    disk = SlowDisk(monkeypatch, delay=0)
    disk.gate.clear()
    drafts = Drafts(bank, folder=tmp_path / "drafts")
    writer = DraftWriter()
    writer.save(drafts, {"age_group": "18_44"}, None)
    while not disk.active:
        time.sleep(0.01)
    started = time.monotonic()
    assert not writer.delete(drafts, 0.2)  # bounded
    assert time.monotonic() - started < 2
    assert not writer.flush(0.1)
    disk.gate.set()
    assert writer.flush(5)
    assert len(disk.writes) == 1  # it was written ...
    assert not drafts.path.exists()  # ... and deleted again at once
    assert not list(drafts.folder.glob(".*.tmp"))
    writer.close()


def test_a_failing_write_turns_that_draft_off(bank, tmp_path, monkeypatch):
    def broken(path, text):
        raise InputError("draft.json: cannot write (No space left on device)")

    monkeypatch.setattr(drafts_module, "write_private", broken)
    told = []
    writer = DraftWriter(on_error=lambda drafts, exc: told.append((drafts, str(exc))))
    drafts = Drafts(bank, folder=tmp_path / "drafts")
    writer.save(drafts, {"age_group": "18_44"}, None)
    assert writer.flush(5)
    for _ in range(100):
        if told:
            break
        time.sleep(0.01)
    assert told == [(drafts, "draft.json: cannot write (No space left on device)")]
    assert not drafts.enabled
    writer.save(drafts, {"age_group": "45_64"}, None)  # off: nothing more is tried
    assert writer.flush(5)
    assert len(told) == 1
    writer.close()


def test_the_thread_ends_on_close_and_comes_back_with_a_save(bank, tmp_path):
    drafts = Drafts(bank, folder=tmp_path / "drafts")
    writer = DraftWriter()
    writer.save(drafts, {"age_group": "18_44"}, None)
    thread = writer._thread
    assert thread is not None and thread.daemon
    assert writer.close(5)
    thread.join(5)
    assert not thread.is_alive()
    writer.save(drafts, {"age_group": "45_64"}, None)
    assert writer.close(5)
    assert on_disk(drafts.path) == {"age_group": "45_64"}


# --- in the app ------------------------------------------------------------------------


def slow_app(tmp_path, **kwargs):
    kwargs.setdefault("save_folder", tmp_path)
    drafts = tmp_path / "drafts"
    return make_app(autosave=True, draft_dir=drafts, **kwargs), drafts / "draft.json"


async def test_an_answer_does_not_wait_for_the_disk(bank, tmp_path, monkeypatch):
    disk = SlowDisk(monkeypatch, delay=2.0)
    app, draft = slow_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        first = current_id(app)
        started = time.monotonic()
        await pilot.press("1")
        await wait_for(pilot, lambda: current_id(app) != first, "the next question")
        assert time.monotonic() - started < 1.5  # drawn while the draft is written
        assert isinstance(app.screen, QuestionScreen)
        assert not draft.exists()
        await wait_for(pilot, draft.exists, "the draft")
        assert on_disk(draft) == as_json(app.walk.answers)
        assert disk.writes[0][0] != threading.get_ident()  # not the UI thread


async def test_quitting_right_after_an_answer_keeps_it(bank, tmp_path, monkeypatch):
    SlowDisk(monkeypatch, delay=0.5)
    app, draft = slow_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await pilot.press("ctrl+q")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, "exit")
        answers = as_json(app.walk.answers)
    assert answers and on_disk(draft) == answers
    assert app.exit_lines == []


async def test_exit_from_code_and_after_a_crash_keeps_the_last_answer(bank, tmp_path, monkeypatch):
    SlowDisk(monkeypatch, delay=0.5)
    app, draft = slow_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        app.exit()  # what Ctrl+C and the palette's Quit come to
        answers = as_json(app.walk.answers)
    assert answers and on_disk(draft) == answers

    app, draft = slow_app(tmp_path)

    def crash() -> None:
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_offer(pilot)
            await pilot.press("enter")  # the draft of the first run: pick it up
            await wait_screen(pilot, QuestionScreen)
            await pilot.press("1")
            answers = as_json(app.walk.answers)
            app.call_later(crash)
            await pilot.pause()
    assert len(answers) == 2 and on_disk(draft) == answers


async def test_leaving_waits_a_few_seconds_at_most_and_says_so(bank, tmp_path, monkeypatch):
    disk = SlowDisk(monkeypatch, delay=0)
    disk.gate.clear()  # a disk that hangs
    app, draft = slow_app(tmp_path)
    app.DRAFT_FLUSH_SECONDS = 0.5
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        started = time.monotonic()
    assert time.monotonic() - started < 3
    assert app.exit_lines == [ui("drafts.flush_late", seconds=0.5)]
    assert "0.5 seconds" in app.exit_lines[0]
    disk.gate.set()


async def test_finishing_deletes_the_draft_even_with_its_last_save_in_flight(
    bank, tmp_path, monkeypatch
):
    disk = SlowDisk(monkeypatch, delay=0.5)
    answers = complete_answers(bank)
    last = Walkthrough(bank, answers).shown_items()[-1].id
    app, draft = slow_app(tmp_path, answers={k: v for k, v in answers.items() if k != last})
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert current_id(app) == last
        disk.gate.clear()  # the last save is held on the disk, however slow the machine
        await answer_current(pilot, answers[last])
        await wait_screen(pilot, ReviewScreen)
        assert app.draft_writer.busy  # the last save is being written ...
        threading.Timer(0.2, disk.gate.set).start()  # ... and goes on while V is pressed
        await pilot.press("v")
        await wait_screen(pilot, SummaryScreen)
        assert not draft.exists()  # ... and the summary still deletes the draft
        await pilot.pause(0.7)
        assert not draft.exists()
    assert not draft.exists()
    assert disk.most_at_once == 1


async def test_a_failing_autosave_is_told_on_the_ui_thread(bank, tmp_path, monkeypatch):
    def broken(path, text):
        raise InputError("draft.json: cannot write (No space left on device)")

    monkeypatch.setattr(drafts_module, "write_private", broken)
    app, draft = slow_app(tmp_path)
    threads = []
    notify = app.notify

    def watched_notify(message, **kwargs):
        threads.append(threading.get_ident())
        return notify(message, **kwargs)

    monkeypatch.setattr(app, "notify", watched_notify)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app._notifications, "the note")
        note = " ".join(str(n.message) for n in app._notifications)
        assert note == (
            "Autosave is off: the draft could not be saved "
            "(draft.json: cannot write (No space left on device))."
        )
        assert threads == [threading.get_ident()]
        assert not app.drafts.enabled
        assert app.answers_at_risk()  # quitting now asks first
        await pilot.press("ctrl+q")
        await wait_screen(pilot, ConfirmDialog)
        assert "Autosave is off" in " ".join(str(w.render()) for w in app.screen.query("Static"))
    assert not draft.exists()


# --- the kiosk -------------------------------------------------------------------------


async def test_kiosk_start_over_with_a_save_in_flight_leaves_no_draft(bank, tmp_path, monkeypatch):
    disk = SlowDisk(monkeypatch, delay=0.5)
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    draft = tmp_path / ".in-progress" / "draft.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        disk.gate.clear()  # the save is held on the disk, however slow the machine
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        assert app.draft_writer.busy
        threading.Timer(0.3, disk.gate.set).start()  # ... and ends during the start-over
        await pilot.press("q")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_screen(pilot, WelcomeScreen)
        assert app.walk is None and not draft.exists()
        await wait_for(pilot, lambda: not app.draft_writer.busy, "the save in flight to end")
        assert not draft.exists()  # the save in flight did not bring it back
    assert not draft.exists() and not app.waiting_records()
    assert len(disk.writes) == 1 and disk.most_at_once == 1


async def test_kiosk_staff_exit_keeps_the_answer_and_the_next_start_sets_it_aside(
    bank, tmp_path, monkeypatch
):
    SlowDisk(monkeypatch, delay=0.5)
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    draft = tmp_path / ".in-progress" / "draft.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        answers = as_json(app.walk.answers)
        record_id = app.record_id
        await pilot.press("ctrl+x", "ctrl+x", "ctrl+x")
    assert on_disk(draft) == answers
    assert json.loads(draft.read_text())["meta"]["record_id"] == record_id
    again = KioskApp(save_dir=tmp_path, idle_reset=60)
    assert not draft.exists()
    (waiting,) = again.waiting_records()
    assert json.loads(waiting.read_text())["answers"] == answers


# --- the real app in a terminal --------------------------------------------------------


def classic_keys(bank) -> list[tuple[str, object, list[str]]]:
    """(question, answer, keys pressed) for the classic example, in order."""
    answers = classic_answers(bank)
    walk, steps = Walkthrough(bank), []
    while walk.current is not None:
        item = walk.current
        value = answers.get(item.id)
        if item.kind == "text":
            keys = [*(value or ""), "\r"]
        elif value is None:
            keys = ["s"]
        elif isinstance(value, str):
            keys = [str(item.codes.index(value) + 1)]
        else:
            keys = [str(item.codes.index(c) + 1) for c in value] + ["\r"]
        walk.answer(item.id, value)
        walk.advance()
        steps.append((item.id, value, keys))
    return steps


def spawn_app(tmp_path: Path, *argv: str) -> pexpect.spawn:
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PYTHONPATH": str(REPO),
        "TERM": "xterm-256color",
        "TEXTUAL_ANIMATIONS": "none",
    }
    (tmp_path / "home").mkdir(exist_ok=True)
    child = pexpect.spawn(
        sys.executable,
        list(argv) or ["-m", "rls_screen"],
        env=env,
        cwd=str(tmp_path),
        dimensions=(24, 80),
        timeout=30,
    )
    child.delaybeforesend = None
    return child


def answer_in_terminal(child: pexpect.spawn, steps, count: int) -> None:
    child.expect("Start")
    time.sleep(0.5)  # the bank loads in the background
    child.send("\r")
    child.expect("Question 1 of about")
    for number, (_, _, keys) in enumerate(steps[:count], start=2):
        child.send("".join(keys))
        child.expect(f"Question {number} of")


def given(bank, steps, count: int) -> dict:
    """The answers after the first ``count`` steps (a skip leaves no answer)."""
    walk = Walkthrough(bank)
    for item_id, value, _ in steps[:count]:
        walk.answer(item_id, value)
    return as_json(walk.answers)


def test_kill_9_loses_at_most_the_answer_being_written(bank, tmp_path):
    steps = classic_keys(bank)
    count = 8
    child = spawn_app(tmp_path)
    try:
        answer_in_terminal(child, steps, count)
        time.sleep(0.3)
        os.kill(child.pid, signal.SIGKILL)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    draft = tmp_path / "data" / "rls-screen" / "draft.json"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    saved = json.loads(draft.read_text())  # whole, valid JSON
    assert saved["meta"]["draft"] is True
    assert saved["answers"] in (given(bank, steps, count), given(bank, steps, count - 1))
    assert not list(draft.parent.glob(".*.tmp"))


SLOW_DISK_APP = (
    "import time, rls_screen.interop.drafts as drafts\n"
    "real = drafts.write_private\n"
    "def slow(path, text):\n"
    "    time.sleep(0.5)\n"
    "    return real(path, text)\n"
    "drafts.write_private = slow\n"
    "from rls_screen.cli import main\n"
    "raise SystemExit(main([]))\n"
)


def test_quitting_at_once_in_a_terminal_keeps_the_last_answer(bank, tmp_path):
    """With a disk that takes half a second a write, Ctrl+Q and Y straight after the
    third answer: the app waits for the draft before it ends."""
    steps = classic_keys(bank)
    child = spawn_app(tmp_path, "-c", SLOW_DISK_APP)
    try:
        answer_in_terminal(child, steps, 3)
        child.send("\x11")  # Ctrl+Q
        child.expect("Leave rls-screen")
        child.send("y")
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        child.close(force=True)
    draft = tmp_path / "data" / "rls-screen" / "draft.json"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert json.loads(draft.read_text())["answers"] == given(bank, steps, 3)
