"""The kiosk soak (issue 19): 30 patients in a row on one save folder, with walk-aways,
kill -9 and restarts, and keys pressed ten times. After them: every alert has its
record, no patient's own words are anywhere but in that patient's record or on any
screen another patient saw, every file the kiosk made is owner-only, no temp file is
left, and the records are the ones the walk predicts.

The patients killed with SIGKILL are in the real ``rls-screen kiosk`` in a terminal
(pexpect); the others are driven in the test's process (``run_test``), where the idle
time and the "Still there?" countdown can be made short (the command line's
``--idle-reset`` is at least 10 seconds, and the countdown 30)."""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
from test_kiosk import answer_the_rest, everything_on_screen, example, records, submit, wait_until
from test_kiosk_leaks import OSC52, no_words_sent, record_writes
from test_tui import next_id, start, wait_for, wait_screen, walk_until
from textual.widgets import Input, Static

from rls_screen.core import vocab
from rls_screen.core.walk import Walkthrough, interrupts
from rls_screen.interop.records import check_folder
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.dialogs.kiosk_dialogs import StaffDialog
from rls_screen.tui.kiosk import KioskApp, kiosk_lock
from rls_screen.tui.screens.kiosk import KioskSummaryScreen, ThankYouScreen
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.welcome import WelcomeScreen

REPO = Path(__file__).resolve().parent.parent
PATIENTS = 30
# How many of each kind; the order is the seed's.
KINDS = {"killed": 3, "walk_away": 5, "ten_keys": 3}  # the rest finish
# The warning signs asked of everyone (a follow-up, or the one asked in pregnancy, is not).
WARNING_ITEMS = ["rf_one_leg", "rf_breathing", "rf_weakness", "rf_saddle", "rf_cold_leg"]
TEN_KEYS = ["enter", "1", "2", "3", "s", "y", "v", "q", "escape", "space", "r", "f1", "down"]
ANSI = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


@dataclass
class Patient:
    n: int
    kind: str
    warning: tuple[str, str] | None  # (item, "yes" or "unsure")
    rid: str | None = None
    outcome: str = "none"  # record, partial, waiting, discarded, none
    alerted: bool = False
    words_given: bool = False  # answered (not only typed into the box)

    @property
    def words(self) -> str:
        return f"patient-{self.n}-words"  # never a part of another patient's words

    def early(self) -> dict:
        """The answers up to the own-words box."""
        answers: dict = {"age_group": "45_64", "respondent": "self", "pregnant": "no"}
        answers |= {item: "no" for item in vocab.WARNING_ITEMS}
        if self.warning:
            answers[self.warning[0]] = self.warning[1]
        return answers | {"urge": "yes", "sensations": ("tingling",), "own_words": self.words}


def plan(rng: random.Random) -> list[Patient]:
    kinds = [k for k, count in KINDS.items() for _ in range(count)]
    kinds += ["finish"] * (PATIENTS - len(kinds))
    rng.shuffle(kinds)
    killed = [n for n, k in enumerate(kinds) if k == "killed"]
    if not any(b == a + 1 for a, b in zip(killed, killed[1:], strict=False)):
        # One restart straight into another killed patient: the staff's step in the
        # real terminal, not only in the test's process.
        at = killed[0] + 1 if killed[0] + 1 < PATIENTS else killed[0] - 1
        other = next(n for n in killed if n != killed[0])
        kinds[at], kinds[other] = kinds[other], kinds[at]
    return [
        Patient(
            n + 1,
            kind,
            (rng.choice(WARNING_ITEMS), rng.choice(["yes", "unsure"]))
            if rng.random() < 0.4
            else None,
        )
        for n, kind in enumerate(kinds)
    ]


class Soak:
    def __init__(self, bank, folder: Path, tmp_path: Path, rng: random.Random) -> None:
        self.bank = bank
        self.folder = folder
        self.tmp_path = tmp_path
        self.rng = rng
        self.waiting: list[Patient] = []  # killed, oldest first
        self.seen: list[tuple[int, str]] = []  # (patient at the keys, what was on screen)
        self.written: list[str] = []  # what the in-process kiosks sent to the terminal
        self.rest = example(bank, "classic")
        self.sessions = 0

    def look(self, n: int, text: str) -> None:
        self.seen.append((n, text))

    # --- staff, after a restart ------------------------------------------------------

    def staff_choice(self, not_now: bool = True) -> str:
        """What staff do with the oldest waiting record: keep it, leave it for later, or
        (when its patient raised no warning sign) discard it."""
        oldest = self.waiting[0]
        choices = ["keep", "keep"] + (["not_now"] if not_now else [])
        return self.rng.choice(choices + ([] if oldest.alerted else ["discard"]))

    def staff_did(self, choice: str) -> None:
        if choice == "not_now":
            return
        oldest = self.waiting.pop(0)
        oldest.outcome = "partial" if choice == "keep" else "discarded"

    async def staff_in_process(self, pilot, keep_all: bool = False) -> None:
        app = pilot.app
        while self.waiting:
            await wait_screen(pilot, WelcomeScreen)
            line = app.screen.query_one("#staff-line", Static)
            await wait_for(pilot, lambda line=line: line.display, "staff line")
            assert str(line.render()).startswith("Staff: ")
            app.leave_presses.clear()  # staff's Ctrl+X a while after the last one
            await pilot.press("ctrl+x")
            await wait_screen(pilot, StaffDialog)
            choice = "keep" if keep_all else self.staff_choice()
            if choice == "keep":
                await pilot.press("k")
            elif choice == "discard":
                await pilot.press("d")
                await wait_screen(pilot, ConfirmDialog)
                await pilot.press("y")
            else:
                await pilot.press("escape")
            await wait_screen(pilot, WelcomeScreen)
            self.staff_did(choice)
            if not keep_all:
                return

    # --- the patients in the test's process ------------------------------------------

    async def to_the_box(self, pilot, p: Patient) -> Input:
        app = pilot.app
        if not isinstance(app.screen, QuestionScreen):
            await start(pilot)
            assert app.walk.answers == {}  # nothing of the last patient goes on
        p.rid = app.record_id
        self.look(p.n, everything_on_screen(app))
        answers = p.early()
        if p.n > 1:  # the first patient walks it all by key; the others jump on
            if p.warning:  # a warning sign is always answered by key
                await self.go_to(pilot, p.warning[0])
                await walk_until(pilot, answers, next_id(app, p.warning[0]))
            for item_id in ("urge", "sensations"):
                app.walk.answer(item_id, answers[item_id])
            await self.go_to(pilot, "own_words")
        await walk_until(pilot, answers, "own_words")
        p.alerted = p.alerted or p.warning is not None
        box = app.screen.query_one("#text-answer", Input)
        await wait_for(pilot, lambda: box.has_focus, "the box")
        assert box.value == ""
        await pilot.press("ctrl+v")  # nothing of anyone to paste
        await pilot.pause()
        assert box.value == ""
        self.look(p.n, everything_on_screen(app))
        return box

    @staticmethod
    async def go_to(pilot, item_id: str) -> None:
        app = pilot.app
        app.walk.go_to(item_id)
        app.screen.show_current()
        await wait_for(pilot, lambda: app.walk.current.id == item_id, item_id)

    async def type_words(self, pilot, box: Input, p: Patient, hand_in: bool) -> None:
        app = pilot.app
        box.value = p.words[:-1]  # most of it at once, the last key typed
        await pilot.press(p.words[-1])
        assert box.value == p.words
        if self.rng.random() < 0.5:
            box.select_all()
            box.action_copy()  # copied, as a menu would
        if hand_in:
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.walk.answers.get("own_words") == p.words, "words")
            p.words_given = True

    async def walk_away(self, pilot, p: Patient) -> None:
        app = pilot.app
        if app.walk is not None:
            p.alerted = p.alerted or app.alerted is not None
            p.rid = app.record_id or p.rid
        if app.walk is not None and not app.saved:
            p.words_given = app.walk.answers.get("own_words") == p.words
            p.outcome = "partial" if p.alerted else "none"
        app.last_input -= app.idle_reset  # nobody at the keys for a while
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, WelcomeScreen) and app.walk is None,
            f"patient {p.n}'s screen to clear",
        )

    async def finish(self, pilot, p: Patient) -> None:
        app = pilot.app
        answers = {**self.rest, **p.early()}
        if self.rng.random() < 0.3:  # by the review, as the kiosk asks
            await answer_the_rest(pilot, answers)
            self.look(p.n, everything_on_screen(app))
            await submit(pilot)
        else:  # the review is the same screen each time: straight to "Are you done?"
            for item_id, value in answers.items():
                if item_id not in app.walk.answers:
                    app.walk.answer(item_id, value)
            app.walk.position = len(app.walk.items)
            app.show_summary()
            await wait_screen(pilot, ConfirmDialog)
            await pilot.press("y")
        await wait_screen(pilot, KioskSummaryScreen if app.patient_summary else ThankYouScreen)
        p.outcome = "record"
        self.look(p.n, everything_on_screen(app))
        if self.rng.random() < 0.5:
            await pilot.press("f")
            await wait_screen(pilot, WelcomeScreen)
        else:
            await self.walk_away(pilot, p)  # the summary goes back by itself

    async def ten_keys(self, pilot, p: Patient) -> None:
        app = pilot.app
        key = self.rng.choice(TEN_KEYS)
        where = self.rng.choice(["welcome", "question", "box", "review"])
        if where != "welcome":
            box = await self.to_the_box(pilot, p)
            if where == "question":
                app.go_back()
                await pilot.pause()
            elif where == "review":
                await self.type_words(pilot, box, p, hand_in=True)
                await answer_the_rest(pilot, {**self.rest, **p.early()})
        for _ in range(10):
            await pilot.press(key)
        for _ in range(3):
            await pilot.pause()
        assert app.is_running, f"patient {p.n}: {key} ten times at the {where}"
        if app.record_id is not None:
            p.rid = app.record_id
        if app.saved:
            p.outcome = "record"
            p.words_given = app.walk is not None and app.walk.answers.get("own_words") == p.words
        await self.walk_away(pilot, p)

    async def patient(self, pilot, p: Patient) -> None:
        app = pilot.app
        await wait_screen(pilot, WelcomeScreen)
        self.look(p.n, everything_on_screen(app))
        if p.kind == "ten_keys":
            await self.ten_keys(pilot, p)
            return
        box = await self.to_the_box(pilot, p)
        if p.kind == "finish":
            await self.type_words(pilot, box, p, hand_in=True)
            await self.finish(pilot, p)
            return
        where = self.rng.choice(["box", "typed", "after", "review"])
        if where != "box":
            await self.type_words(pilot, box, p, hand_in=where != "typed")
        if where == "review":
            await answer_the_rest(pilot, {**self.rest, **p.early()})
        await self.walk_away(pilot, p)

    async def in_process(self, patients: list[Patient], last: bool = False) -> None:
        # A short idle time at the start makes the kiosk check for quiet often (each
        # 0.1 s); then a patient is "away" only when the test says so.
        # The patient's own summary (most of the soak's time) in the first session and
        # in some others; a thank-you in the rest (--no-patient-summary).
        summary = not self.sessions or self.rng.random() < 0.3
        self.sessions += 1
        lock = kiosk_lock(self.folder)  # as `rls-screen kiosk` does, before it starts
        app = KioskApp(save_dir=self.folder, idle_reset=0.5, patient_summary=summary)
        app.STILL_THERE_SECONDS = 0.3
        app.draft_lock = lock  # released when the app ends
        async with app.run_test(size=(80, 24)) as pilot:
            app.idle_reset = 60
            written = record_writes(app)
            await wait_screen(pilot, WelcomeScreen)
            if self.waiting:
                await self.staff_in_process(pilot, keep_all=last)
            for p in patients:
                await self.patient(pilot, p)
            self.written += written
        assert app.return_code in (None, 0)
        assert not (self.folder / ".in-progress" / "draft.lock").exists()  # released

    # --- a patient in the real kiosk, killed -----------------------------------------

    def spawn(self) -> tuple[pexpect.spawn, io.BytesIO]:
        env = {
            **os.environ,
            "HOME": str(self.tmp_path / "home"),
            "XDG_DATA_HOME": str(self.tmp_path / "data"),
            "XDG_CONFIG_HOME": str(self.tmp_path / "config"),
            "PYTHONPATH": str(REPO),
            "TERM": "xterm-256color",
            "TEXTUAL_ANIMATIONS": "none",
        }
        (self.tmp_path / "home").mkdir(exist_ok=True)
        child = pexpect.spawn(
            sys.executable,
            ["-m", "rls_screen", "kiosk", "--save-dir", str(self.folder)],
            env=env,
            cwd=str(self.tmp_path),
            dimensions=(24, 80),
            timeout=30,
        )
        child.delaybeforesend = None
        stream = io.BytesIO()
        child.logfile_read = stream
        return child, stream

    @staticmethod
    def until(child: pexpect.spawn, send: str, expect: str, wait: float = 3) -> None:
        """Send, and send again if nothing came: a key that reaches a dialog before it
        has its focus may be dropped (issue 19 allows that, never a crash)."""
        for _ in range(10):
            child.send(send)
            try:
                child.expect(expect, timeout=wait)
                return
            except pexpect.TIMEOUT:
                continue
        raise AssertionError(f"never saw {expect!r}")

    def steps(self, p: Patient) -> list[tuple[str, object, str]]:
        """(question, answer, keys) up to and with the own words."""
        answers, walk, steps = p.early(), Walkthrough(self.bank), []
        while walk.current is not None:
            item = walk.current
            value = answers.get(item.id)
            if item.kind == "text":
                keys = f"{value or ''}\r"
            elif value is None:
                keys = "s"
            elif isinstance(value, str):
                keys = str(item.codes.index(value) + 1)
            else:
                keys = "".join(str(item.codes.index(c) + 1) for c in value) + "\r"
            walk.answer(item.id, value)
            walk.advance()
            steps.append((item.id, value, keys))
            if item.id == "own_words":
                return steps
        raise AssertionError("own_words was never asked")

    def killed(self, p: Patient) -> None:
        draft = self.folder / ".in-progress" / "draft.json"
        child, stream = self.spawn()
        try:
            if not self.waiting:
                child.expect("Start")
            else:
                n = len(self.waiting)
                line = "an unfinished record is" if n == 1 else f"{n} unfinished records are"
                child.expect(f"Staff: {line} waiting")
                child.send("\x18")  # Ctrl+X
                child.expect("Keep as partial record")  # the staff's dialog
                # (Leaving it for later is the in-process staff's: once the dialog has
                # gone, nothing new is drawn to wait for.)
                choice = self.staff_choice(not_now=False)
                if choice == "keep":
                    child.send("k")
                    child.expect("Kept as")
                else:
                    child.send("d")
                    child.expect("Discard the unfinished record")
                    child.send("y")
                    child.expect("discarded")
                self.staff_did(choice)
            self.look(p.n, screen_text(stream))
            self.until(child, "\r", "Question 1 of about", wait=15)
            # Killed after the own words, or while the warning sign is on screen (the
            # alert written, the draft holding the answers before it).
            at_warning = p.warning is not None and self.rng.random() < 0.5
            for number, (item_id, value, keys) in enumerate(self.steps(p), start=2):
                if interrupts(item_id, value):
                    child.send(keys)
                    child.expect("tell a member of staff")
                    p.alerted = True
                    if at_warning:
                        break
                    self.until(child, "\r", f"Question {number} of")
                else:
                    child.send(keys)
                    child.expect(f"Question {number} of")
            p.words_given = not at_warning
            wanted = p.words if p.words_given else '"record_id"'
            deadline = time.monotonic() + 20
            while not (draft.is_file() and wanted in draft.read_text()):
                assert time.monotonic() < deadline, f"the draft never held {wanted}"
                time.sleep(0.05)
            p.rid = json.loads(draft.read_text())["meta"]["record_id"]
            os.kill(child.pid, signal.SIGKILL)
            child.expect(pexpect.EOF)
        finally:
            child.close(force=True)
        # What the patient saw, up to their own words, holds no one else's; and the
        # terminal's clipboard was only ever emptied.
        self.look(p.n, screen_text(stream))
        for chunk in stream.getvalue().decode("utf-8", "replace").split(OSC52)[1:]:
            assert chunk.startswith("c;\x07"), repr(chunk[:40])
        p.outcome = "waiting"
        self.waiting.append(p)


def screen_text(stream: io.BytesIO) -> str:
    return ANSI.sub("", stream.getvalue().decode("utf-8", "replace"))


def check_folder_after(soak: Soak, patients: list[Patient]) -> None:
    folder = soak.folder
    made = [folder, *folder.rglob("*")]
    for path in made:
        mode = stat.S_IMODE(path.lstat().st_mode)
        assert not path.is_symlink(), path
        if path.is_dir():
            assert mode == 0o700, f"{path.name}: {mode:o}"
        else:
            assert mode == 0o600, f"{path.name}: {mode:o}"
            assert not path.name.endswith(".tmp") and not path.name.startswith("."), path
    # Nothing left waiting; a kiosk killed last leaves only its lock (a process id and
    # start time, no answers), which the next kiosk takes silently.
    left = sorted(p.name for p in (folder / ".in-progress").iterdir())
    assert left in ([], ["draft.lock"]), left
    by_rid = {p.rid: p for p in patients if p.rid}
    alerts = sorted(folder.glob("*.alert.json"))
    for alert in alerts:
        rid = alert.name.removesuffix(".alert.json")
        assert (folder / f"{rid}.json").is_file() or (folder / f"{rid}.partial.json").is_file(), (
            f"the alert of patient {by_rid[rid].n} ({by_rid[rid].kind}) has no record"
        )
    assert len(alerts) == sum(p.alerted for p in patients), [
        (p.n, p.kind, p.warning, p.rid, (folder / f"{p.rid}.alert.json").exists())
        for p in patients
        if p.alerted
    ]
    finished = [p for p in patients if p.outcome == "record"]
    partial = [p for p in patients if p.outcome == "partial"]
    assert sorted(r.stem for r in records(folder)) == sorted(p.rid for p in finished)
    pages = sorted(page.name for page in folder.glob("*.html"))
    assert pages == sorted(f"{p.rid}.html" for p in finished)
    assert sorted(kept.name for kept in folder.glob("*.partial.json")) == sorted(
        f"{p.rid}.partial.json" for p in partial
    )
    assert not list(folder.glob("*.partial.bad"))
    # Each patient's words are in their own record, and nowhere else.
    texts = {path: path.read_text() for path in made if path.is_file()}
    for p in patients:
        holding = sorted(path.name for path, text in texts.items() if p.words in text)
        expected = []
        if p.words_given and p.outcome == "record":
            expected = [f"{p.rid}.html", f"{p.rid}.json"]
        elif p.words_given and p.outcome == "partial":
            expected = [f"{p.rid}.partial.json"]
        assert holding == expected, f"patient {p.n} ({p.kind}, {p.outcome})"


@pytest.mark.parametrize("seed", [19])
async def test_thirty_patients_with_walk_aways_crashes_and_restarts(bank, tmp_path, seed):
    rng = random.Random(seed)
    patients = plan(rng)
    folder = check_folder(tmp_path / "records")  # what `rls-screen kiosk` does first
    soak = Soak(bank, folder, tmp_path, rng)
    run: list[Patient] = []
    for p in patients:
        if p.kind != "killed":
            run.append(p)
            continue
        if run:
            await soak.in_process(run)
            run = []
        soak.killed(p)
    await soak.in_process(run, last=True)  # the rest, then staff keep what waits
    if soak.waiting:
        await soak.in_process([], last=True)

    assert not soak.waiting
    check_folder_after(soak, patients)
    for n, text in soak.seen:
        for p in patients:
            if p.n != n:
                assert p.words not in text, f"patient {n} saw patient {p.n}'s words"
    for p in patients:
        no_words_sent(soak.written, p.words)


# --- found by the soak: an alert with no record ----------------------------------------


async def warned_and_left(pilot, bank, how: str) -> str:
    """A patient answers a warning sign (staff are alerted), then one more question, and
    goes: walks away, or starts over. Returns the text the start-over dialog showed."""
    from test_kiosk import answer_warning

    app = pilot.app
    await start(pilot)
    await answer_warning(pilot, bank, example(bank, "classic"), "rf_one_leg", "yes")
    await pilot.press("enter")
    await wait_screen(pilot, QuestionScreen)
    await pilot.press("2")
    await wait_for(pilot, lambda: "rf_breathing" in app.walk.answers, "the next answer")
    shown = ""
    if how == "walk_away":
        app.idle_reset = 0.3
    else:
        await pilot.press("q")
        await wait_screen(pilot, ConfirmDialog)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        await pilot.press("y")
    await wait_until(pilot, lambda: app.walk is None, "the screen to clear")
    await wait_screen(pilot, WelcomeScreen)
    app.idle_reset = 60
    return shown


@pytest.mark.parametrize("how", ["walk_away", "start_over"])
async def test_an_alerted_patient_who_goes_leaves_a_partial_record_for_the_alert(
    bank, tmp_path, how
):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    app.STILL_THERE_SECONDS = 0.3
    async with app.run_test(size=(80, 24)) as pilot:
        if how == "start_over":  # with no warning sign, starting over keeps nothing
            await start(pilot)
            await pilot.press("2")
            await wait_for(pilot, lambda: app.walk.answers, "an answer")
            await pilot.press("q")
            await wait_screen(pilot, ConfirmDialog)
            shown = " ".join(str(w.render()) for w in app.screen.query(Static))
            assert "Nothing is sent to the clinic team" in shown
            await pilot.press("y")
            await wait_screen(pilot, WelcomeScreen)
            assert list(tmp_path.glob("*.json")) == []
        shown = await warned_and_left(pilot, bank, how)
        assert app.problems == []
    (alert,) = tmp_path.glob("*.alert.json")
    rid = alert.name.removesuffix(".alert.json")
    partial = tmp_path / f"{rid}.partial.json"
    assert partial.is_file(), "the alert has no record"
    assert stat.S_IMODE(partial.stat().st_mode) == 0o600
    doc = json.loads(partial.read_text())
    assert doc["answers"]["rf_one_leg"] == "yes" and doc["answers"]["rf_breathing"] == "no"
    assert doc["meta"]["record_id"] == rid and doc["meta"]["partial"] is True
    assert records(tmp_path) == []  # not a finished record
    assert list((tmp_path / ".in-progress").iterdir()) == []  # the draft is gone
    if how == "start_over":
        assert "kept for them" in shown and "Nothing is sent" not in shown


async def test_discarding_a_waiting_record_after_a_warning_sign_tells_staff(bank, tmp_path):
    """Staff may discard a record left by a crash; when its patient raised a warning
    sign, the alert would be left with no record, and the confirmation says so."""
    from test_kiosk import first_answers, leave_a_draft, open_staff_dialog

    from rls_screen.interop.records import write_alert

    leave_a_draft(bank, tmp_path, first_answers(bank))  # record 20261123-141500-abcdef
    alert = write_alert(tmp_path, "20261123-141500-abcdef", ["dvt"], [], "urgent")
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_dialog(pilot)
        await pilot.press("d")
        await wait_screen(pilot, ConfirmDialog)
        shown = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "had a warning sign" in shown and alert.name in shown
        assert "the alert has no answers" in shown
        await pilot.press("n")  # keep it waiting after all
        await wait_screen(pilot, WelcomeScreen)
        assert len(app.waiting_records()) == 1
