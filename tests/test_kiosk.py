"""Kiosk mode: one patient after another on a shared clinic terminal."""

from __future__ import annotations

import json
import random
import stat
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from test_tui import (
    EXAMPLES,
    current_id,
    next_id,
    shown_text,
    start,
    wait_for,
    wait_screen,
    walk_through,
    walk_until,
)
from textual.widgets import Markdown, Static

from rls_screen.core.answers import dumps_document
from rls_screen.interop.inputs import read_answer_file
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.dialogs.kiosk_dialogs import KioskRedFlagDialog, StaffDialog, StillThereDialog
from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.kiosk import KIOSK_POINT, LEAVE_WINDOW, STAFF_MESSAGE, KioskApp
from rls_screen.tui.screens.kiosk import KioskSummaryScreen, ThankYouScreen
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.review import ReviewScreen
from rls_screen.tui.screens.welcome import WelcomeScreen
from rls_screen.tui.widgets.choices import ChoiceList


def example(bank, name: str) -> dict:
    return read_answer_file(str(EXAMPLES / f"{name}.json"), bank)


def records(folder: Path) -> list[Path]:
    """Finished records (not alert files, not partial records kept by staff)."""
    return sorted(
        p for p in folder.glob("*.json") if not p.name.endswith((".alert.json", ".partial.json"))
    )


async def wait_until(pilot, condition, what: str = "condition", seconds: float = 15) -> None:
    """Like wait_for, with a deadline in seconds (for timers)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


def everything_on_screen(app) -> str:
    """All text in every screen the app holds: the stack and installed screens."""
    screens = list(app.screen_stack) + [
        s for s in app._installed_screens.values() if not callable(s)
    ]
    parts = []
    for screen in screens:
        parts += [str(w.render()) for w in screen.query(Static)]
        parts += [w.source for w in screen.query(Markdown)]
    return "\n".join(parts)


async def submit(pilot) -> None:
    """From the review: V to finish, then confirm (the focus starts on "Not yet")."""
    await pilot.press("v")
    await wait_screen(pilot, ConfirmDialog)
    await pilot.press("y")


async def answer_the_rest(pilot, answers: dict) -> None:
    """The rest of a walk whose keyboard part a test has done: the answers given, the
    other questions skipped, then the review (walking 45 questions by key takes seconds
    and tests nothing new)."""
    app = pilot.app
    for item_id, value in answers.items():  # the same patient, the same record id
        if item_id not in app.walk.answers:
            app.walk.answer(item_id, value)
    app.walk.position = len(app.walk.items)
    app.show_review()
    await wait_screen(pilot, ReviewScreen)


async def finish_patient(pilot, answers: dict) -> None:
    """A patient who has answered (and skipped the rest): seeded straight into the walk,
    then the review and V. The full keyboard walk is test_two_patients_in_a_row's second
    patient."""
    await start(pilot)
    app = pilot.app
    app.begin(answers=answers)
    await wait_for(pilot, lambda: app.walk is not None and app.walk.answers == answers, "seed")
    app.walk.position = len(app.walk.items)  # the questions left open: skipped
    app.show_review()
    await wait_screen(pilot, ReviewScreen)
    await submit(pilot)


async def test_two_patients_in_a_row(bank, tmp_path):
    first, second = example(bank, "classic"), example(bank, "lookalike")
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, first)
        await wait_screen(pilot, KioskSummaryScreen)
        shown = app.screen.query_one(Markdown).source
        assert "not a diagnosis" in shown.lower()
        saved = records(tmp_path)
        assert len(saved) == 1
        assert read_answer_file(str(saved[0]), bank) == first
        html = saved[0].with_suffix(".html")
        assert html.is_file() and "<html" in html.read_text()
        for path in (saved[0], html):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600

        await pilot.press("f")  # Finish: hand over to the next person
        await wait_screen(pilot, WelcomeScreen)
        assert app.walk is None
        assert shown not in everything_on_screen(app)

        await start(pilot)
        assert app.walk.answers == {}
        choices = app.screen.query_one(ChoiceList)
        assert choices.current is None and choices.selection == ()
        assert "Question 1 of about" in str(app.screen.query_one("#progress-text").render())
        await walk_through(pilot, second)
        await submit(pilot)
        await wait_screen(pilot, KioskSummaryScreen)

    saved = records(tmp_path)
    assert len(saved) == 2
    assert sorted(read_answer_file(str(p), bank) == second for p in saved) == [False, True]
    assert len(list(tmp_path.glob("*.html"))) == 2
    # Ids say when, never who.
    for path in saved:
        meta = json.loads(path.read_text())["meta"]
        assert path.stem == meta["id"] and meta["via"] == "rls-screen kiosk"
    assert not list((tmp_path / ".in-progress").glob("*.json"))  # no draft left behind


async def test_unsure_warning_sign_interrupts_in_kiosk_mode(bank, tmp_path):
    answers = {**example(bank, "classic"), "rf_one_leg": "unsure"}
    unsure = bank.summary.red_flags_unsure["dvt"]
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await walk_until(pilot, answers, "rf_one_leg")
        await pilot.press(str(bank.items["rf_one_leg"].codes.index("unsure") + 1))
        await wait_screen(pilot, RedFlagDialog)  # at once, before the next question
        text = shown_text(app)
        # In the clinic: "tell a member of staff now", not "get the leg checked today".
        from rls_screen.reports.clinic import tell_staff_instead

        assert unsure.name in text and tell_staff_instead(unsure.safety_net) in text
        assert "Tell a member of staff now." in tell_staff_instead(unsure.safety_net)
        assert records(tmp_path) == []  # no record before the patient finishes
        assert len(list(tmp_path.glob("*.alert.json"))) == 1  # but staff are alerted
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers["rf_one_leg"] == "unsure"
        assert current_id(app) == next_id(app, "rf_one_leg")
        await answer_the_rest(pilot, answers)
        await submit(pilot)
        await wait_screen(pilot, KioskSummaryScreen)
        shown = " ".join(app.screen.query_one(Markdown).source.split())
        assert bank.summary.headings.red_flags_unsure in shown
        assert tell_staff_instead(unsure.safety_net) in shown  # the clinic's words here too
        assert "checked today" not in shown
    saved = records(tmp_path)
    assert len(saved) == 1
    assert read_answer_file(str(saved[0]), bank)["rf_one_leg"] == "unsure"


async def test_no_patient_summary_thanks_instead(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, patient_summary=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, ThankYouScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "saved on this computer for the clinic team" in shown
        assert "sent" not in shown
        assert not app.screen.query(Markdown)
        await pilot.press("enter")  # the Finish button has the focus
        await wait_screen(pilot, WelcomeScreen)
    assert len(records(tmp_path)) == 1


async def test_idle_summary_goes_back_to_welcome(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, KioskSummaryScreen)
        app.idle_reset = 0.3  # saved: nothing to lose, so no "Still there?" here
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        assert app.walk is None
        assert not app.screen.query(StillThereDialog)


async def test_quit_means_start_over_and_clears_answers(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await pilot.press("q")  # nothing to clear: nothing happens, the kiosk stays
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen) and app.is_running
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        await pilot.press("q")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_screen(pilot, WelcomeScreen)
        assert app.walk is None and app.is_running
        await start(pilot)
        assert app.walk.answers == {}
    assert records(tmp_path) == []


async def test_the_footer_says_start_over_where_the_app_says_quit(bank, tmp_path):
    def q_label(app) -> str | None:
        active = app.screen.active_bindings.get("q")
        return active.binding.description if active else None

    kiosk = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert q_label(kiosk) is None  # nothing answered: nothing to clear
        await pilot.press("1")
        await wait_for(pilot, lambda: kiosk.walk.answers, "an answer")
        assert q_label(kiosk) == "Start over"
        await pilot.press("ctrl+q")  # where the app would leave, the kiosk asks to start over
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("n")
        await wait_screen(pilot, QuestionScreen)
    home = make_app(autosave=False)
    async with home.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert q_label(home) == "Quit"


async def test_once_saved_there_is_nothing_to_start_over(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, KioskSummaryScreen)
        await pilot.press("ctrl+q", "q")  # "nothing is sent" would not be true now
        await pilot.pause()
        assert isinstance(app.screen, KioskSummaryScreen)
        assert len(records(tmp_path)) == 1


async def test_only_the_combo_leaves(tmp_path):
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        for key in ("ctrl+q", "ctrl+c", "ctrl+p", "ctrl+x"):
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running, key
            assert isinstance(app.screen, WelcomeScreen), key  # no palette, no dialog
        await pilot.press("ctrl+x", "ctrl+x", "ctrl+x")
        await wait_for(pilot, lambda: not app.is_running, "the app to close")


def leave_a_draft(bank, folder: Path, answers: dict) -> Path:
    """What a crash (or staff leaving) mid-patient leaves behind."""
    drafts = folder / ".in-progress"
    drafts.mkdir(exist_ok=True)
    draft = drafts / "draft.json"
    meta = {
        "saved": "2026-11-23T14:20:00+00:00",
        "draft": True,
        "record_id": "20261123-141500-abcdef",
    }
    draft.write_text(dumps_document(answers, bank, meta))
    return draft


def first_answers(bank, n: int = 5) -> dict:
    return {k: v for k, v in list(example(bank, "classic").items())[:n]}


async def test_an_unfinished_record_is_never_shown_to_the_next_patient(bank, tmp_path):
    answers = first_answers(bank)
    draft = leave_a_draft(bank, tmp_path, answers)
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await wait_for(pilot, lambda: app.screen.query_one("#staff-line").display, "staff line")
        line = str(app.screen.query_one("#staff-line", Static).render())
        assert line == "Staff: an unfinished record is waiting (Ctrl+X)"
        assert not draft.exists()  # set aside: the next autosave cannot overwrite it
        (waiting,) = app.waiting_records()
        kept = waiting.read_text()
        await start(pilot)
        assert app.walk.answers == {}  # a fresh start, nothing of the last patient
        assert app.walk.current.id == app.walk.shown_items()[0].id
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        assert app.writer().flush()  # drafts are written off the key path
        assert draft.is_file()  # the new patient's own draft ...
        assert waiting.read_text() == kept  # ... and the waiting record is untouched
    assert set(json.loads(kept)["answers"]) == set(answers)


async def open_staff_dialog(pilot):
    app = pilot.app
    await wait_screen(pilot, WelcomeScreen)
    await wait_for(pilot, lambda: app.screen.query_one("#staff-line").display, "staff line")
    await pilot.press("ctrl+x")
    await wait_screen(pilot, StaffDialog)
    assert app.is_running
    text = shown_text(app)
    for value in ("45_64", "45 to 64", "pregnan"):  # no answers, no health data
        assert value not in text


async def test_staff_keep_an_unfinished_record_as_partial(bank, tmp_path):
    answers = first_answers(bank)
    leave_a_draft(bank, tmp_path, answers)
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_dialog(pilot)
        await pilot.press("k")
        await wait_screen(pilot, WelcomeScreen)
        await wait_for(pilot, lambda: not app.screen.query_one("#staff-line").display, "no line")
        assert app.waiting_records() == []
    (partial,) = tmp_path.glob("*.partial.json")
    assert stat.S_IMODE(partial.stat().st_mode) == 0o600
    assert read_answer_file(str(partial), bank) == answers
    meta = json.loads(partial.read_text())["meta"]
    assert partial.name == f"{meta['record_id']}.partial.json"
    assert meta["record_id"] == "20261123-141500-abcdef"  # the id of its alert, if any
    assert meta["partial"] is True
    assert datetime.fromisoformat(meta["saved"]).utcoffset().total_seconds() == 0
    assert records(tmp_path) == []  # not a finished record
    assert not list(tmp_path.glob(".*.tmp")) and not list(tmp_path.glob(".in-progress/*"))


async def test_staff_discard_an_unfinished_record_after_confirming(bank, tmp_path):
    leave_a_draft(bank, tmp_path, first_answers(bank))
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_dialog(pilot)
        await pilot.press("d")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("n")  # not sure after all: it stays waiting
        await wait_screen(pilot, WelcomeScreen)
        assert len(app.waiting_records()) == 1
        await pilot.pause(LEAVE_WINDOW)  # a fresh Ctrl+X, not the second of three
        await pilot.press("ctrl+x")
        await wait_screen(pilot, StaffDialog)
        await pilot.press("d")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_screen(pilot, WelcomeScreen)
        await wait_for(pilot, lambda: not app.screen.query_one("#staff-line").display, "no line")
        assert app.waiting_records() == []
        # Ctrl+X three times still leaves.
        await pilot.press("ctrl+x", "ctrl+x", "ctrl+x")
        await wait_for(pilot, lambda: not app.is_running, "the app to close")
    assert list(tmp_path.glob("*.json")) == []
    assert list((tmp_path / ".in-progress").iterdir()) == []


async def test_ctrl_x_three_times_leaves_even_with_a_record_waiting(bank, tmp_path):
    leave_a_draft(bank, tmp_path, first_answers(bank))
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_staff_dialog(pilot)
        await pilot.press("ctrl+x", "ctrl+x")
        await wait_for(pilot, lambda: not app.is_running, "the app to close")
    assert len(list((tmp_path / ".in-progress").glob("waiting-*.json"))) == 1  # still kept


async def test_a_save_that_fails_says_so_and_keeps_the_answers(bank, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    app = KioskApp(save_dir=folder)
    answers = example(bank, "classic")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_the_rest(pilot, answers)
        away = tmp_path / "unplugged"
        folder.rename(away)  # the clinic's drive goes away (works even as root)
        try:
            await submit(pilot)
            await wait_for(
                pilot,
                lambda: (
                    isinstance(app.screen, ConfirmDialog)
                    and "could not be saved" in str(app.screen.query_one(".dialog-title").render())
                ),
                "could-not-save dialog",
            )
            assert "could not be saved" in str(app.screen.query_one(".dialog-title").render())
            assert app.walk.answers == answers
            away.rename(folder)
            await pilot.press("y")  # try again
            await wait_screen(pilot, KioskSummaryScreen)
        finally:
            if away.exists():
                away.rename(folder)
    assert len(records(folder)) == 1


async def test_back_from_review_keeps_kiosk_flow(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_the_rest(pilot, example(bank, "classic"))
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("left")
        await wait_screen(pilot, QuestionScreen)
    assert records(tmp_path) == []  # nothing is sent before the patient finishes


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_help_documents_the_way_out():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "Ctrl+X three times" in result.stdout


@pytest.mark.parametrize(
    "where, message",
    [
        ("missing/deeper", "does not exist"),
        ("a-file", "is a file"),
    ],
)
def test_bad_save_dir_is_one_line(tmp_path, where, message):
    (tmp_path / "a-file").write_text("x")
    result = run_cli("--save-dir", str(tmp_path / where))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_kiosk_needs_a_terminal(tmp_path):
    result = run_cli("--save-dir", str(tmp_path))
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr


# --- no key sequence crashes or leaves -------------------------------------------------


async def test_clearing_from_the_review_does_not_crash(bank, tmp_path):
    """Start, one answer, Review, Q, Y: the review must not look at a walk that is gone."""
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        await pilot.press("r")
        await wait_screen(pilot, ReviewScreen)
        await pilot.press("q")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_screen(pilot, WelcomeScreen)
        for _ in range(10):
            await pilot.pause()
        assert app.is_running and app.walk is None
        assert not (tmp_path / ".in-progress" / "draft.json").exists()
        await start(pilot)
        assert app.walk.answers == {}


PATIENT_KEYS = [
    *"0123456789",
    *"abcdefghijklmnopqrstuvwxyz",
    "enter",
    "escape",
    "up",
    "down",
    "left",
    "right",
    "tab",
    "space",
    "backspace",
    "f1",
    "question_mark",
    "ctrl+q",
    "ctrl+c",
    "ctrl+s",
]
# More of the keys that move through the questions, so that patients get somewhere.
WEIGHTED_KEYS = PATIENT_KEYS + ["1", "2", "3", "enter", "s", "v", "y", "r", "q"] * 4


def check_saved_folder(bank, folder: Path) -> None:
    """Everything in the save folder is whole and valid: records, alerts, the draft."""
    assert not list(folder.rglob(".*.tmp"))  # nothing half-written
    for path in folder.glob("*.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        if path.name.endswith(".alert.json"):
            doc = json.loads(path.read_text())
            assert doc["record_id"] == path.name.removesuffix(".alert.json")
            assert doc["red_flags"] or doc["red_flags_unsure"]
            continue
        read_answer_file(str(path), bank)  # a complete, valid answer file
        meta = json.loads(path.read_text())["meta"]
        if path.name.endswith(".partial.json"):  # kept after a warning sign
            assert meta["record_id"] == path.name.removesuffix(".partial.json")
            assert meta["partial"] is True
            continue
        assert meta["record_id"] == path.stem
        assert path.with_suffix(".html").is_file()
    draft = folder / ".in-progress" / "draft.json"
    if draft.exists():
        read_answer_file(str(draft), bank)


@pytest.mark.parametrize("seed", [1, 2])
async def test_random_keys_never_crash_or_leave(bank, tmp_path, seed):
    rng = random.Random(seed)
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        for n in range(300):
            key = rng.choice(WEIGHTED_KEYS)
            await pilot.press(key)
            assert app.is_running, f"key {n} ({key}) ended the kiosk"
        for _ in range(5):
            await pilot.pause()
        assert app.is_running
    assert app.return_code in (None, 0)
    check_saved_folder(bank, tmp_path)


# --- left alone ------------------------------------------------------------------------


def prompt_shown(app) -> bool:
    """The "Still there?" prompt is up and drawn (not only pushed)."""
    return isinstance(app.screen, StillThereDialog) and bool(app.screen.query("#stay"))


async def test_still_there_keeps_the_answers_on_a_key_and_clears_them_otherwise(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    app.STILL_THERE_SECONDS = 1.0
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        app.idle_reset = 0.3  # only now: a slow machine must not be "idle" while starting
        answers = dict(app.walk.answers)
        question = app.walk.current.text
        draft = tmp_path / ".in-progress" / "draft.json"
        assert app.writer().flush()  # drafts are written off the key path
        assert draft.is_file()

        await wait_until(pilot, lambda: prompt_shown(app), "the prompt")
        text = shown_text(app)
        assert "Still there?" in text
        assert "Your answers will be cleared in 1 second. Press any key to go on." in text
        app.idle_reset = 60  # no second prompt while this one's end is looked at
        await pilot.press("x")  # any key
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == answers and draft.is_file()

        app.idle_reset = 0.3
        await wait_until(pilot, lambda: prompt_shown(app), "the prompt")
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        assert app.walk is None
        assert not draft.exists()  # the answers in progress are gone
        assert question not in everything_on_screen(app)
        assert records(tmp_path) == []


async def test_a_key_in_the_moment_the_prompt_comes_up_never_crashes(bank, tmp_path):
    # The quiet check puts "Still there?" up, and a key in that same moment closes it
    # before it is drawn: the kiosk goes on with the answers kept.
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        answers = dict(app.walk.answers)
        for _ in range(3):
            app.last_input -= 120  # quiet for two minutes
            app.check_quiet()
            assert isinstance(app.screen, StillThereDialog)
            app.screen.close(True)  # what any key does (KioskApp.on_event)
            await wait_screen(pilot, QuestionScreen)
            for _ in range(5):
                await pilot.pause()
        assert app.is_running
        assert app.walk.answers == answers


def test_the_countdown_is_thirty_seconds_by_default():
    assert KioskApp.STILL_THERE_SECONDS == 30
    from rls_screen.tui.dialogs.kiosk_dialogs import countdown_text

    assert countdown_text(27) == (
        "Your answers will be cleared in 27 seconds. Press any key to go on."
    )


async def test_still_there_also_over_a_dialog_and_the_review(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    app.STILL_THERE_SECONDS = 0.5
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        await pilot.press("r")
        await wait_screen(pilot, ReviewScreen)
        await pilot.press("q")  # the "Start over?" dialog, left open
        await wait_screen(pilot, ConfirmDialog)
        app.idle_reset = 0.3
        await wait_until(pilot, lambda: prompt_shown(app), "the prompt")
        app.idle_reset = 60  # no second prompt while this one's end is looked at
        await pilot.click("#stay")  # a click keeps the answers too
        await wait_screen(pilot, ConfirmDialog)
        assert app.walk.answers
        app.idle_reset = 0.3
        await wait_until(pilot, lambda: prompt_shown(app), "the prompt")
        await wait_until(pilot, lambda: isinstance(app.screen, WelcomeScreen), "the welcome")
        assert app.walk is None and len(app.screen_stack) == 1
        for _ in range(10):
            await pilot.pause()
        assert app.is_running


# --- warning signs ---------------------------------------------------------------------


ALERT_KEYS = {"alert", "time", "record_id", "red_flags", "red_flags_unsure", "urgency", "via"}


async def answer_warning(pilot, bank, answers: dict, item_id: str, value: str) -> None:
    await walk_until(pilot, answers, item_id)
    await pilot.press(str(bank.items[item_id].codes.index(value) + 1))
    await wait_screen(pilot, KioskRedFlagDialog)


async def test_a_warning_sign_writes_the_alert_file_at_once(bank, tmp_path):
    answers = {**example(bank, "classic"), "rf_one_leg": "yes", "rf_breathing": "unsure"}
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_warning(pilot, bank, answers, "rf_one_leg", "yes")
        assert STAFF_MESSAGE in shown_text(app)
        assert STAFF_MESSAGE == "Please tell a member of staff now."
        (alert,) = tmp_path.glob("*.alert.json")
        assert stat.S_IMODE(alert.stat().st_mode) == 0o600
        doc = json.loads(alert.read_text())
        assert set(doc) == ALERT_KEYS  # never other answers
        assert doc["record_id"] == alert.name.removesuffix(".alert.json") == app.record_id
        assert doc["red_flags"] == ["dvt"] and doc["red_flags_unsure"] == []
        assert doc["urgency"] in ("urgent", "emergency")
        assert datetime.fromisoformat(doc["time"]).utcoffset().total_seconds() == 0
        for value in ("45_64", "age_group", "answers"):
            assert value not in alert.read_text()

        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        await answer_warning(pilot, bank, answers, "rf_breathing", "unsure")
        assert list(tmp_path.glob("*.alert.json")) == [alert]  # the same file, updated
        doc = json.loads(alert.read_text())
        assert doc["red_flags"] == ["dvt"] and doc["red_flags_unsure"] == ["pulmonary_embolism"]
        await pilot.press("enter")
        await answer_the_rest(pilot, answers)
        await submit(pilot)
        await wait_screen(pilot, KioskSummaryScreen)
    (record,) = records(tmp_path)
    assert record.stem == doc["record_id"]  # the record and its alert share the id


async def test_staff_message_replaces_the_default(bank, tmp_path):
    message = "Please go to the reception desk now and show this screen."
    app = KioskApp(save_dir=tmp_path, idle_reset=60, staff_message=message)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_warning(pilot, bank, example(bank, "classic"), "rf_one_leg", "yes")
        text = shown_text(app)
        assert message in text and STAFF_MESSAGE not in text


def marker_script(tmp_path: Path) -> tuple[str, Path]:
    marker = tmp_path / "marker.txt"
    script = tmp_path / "on_alert.py"
    script.write_text(
        f"import sys, pathlib\npathlib.Path({str(marker)!r}).write_text(sys.argv[1])\n"
    )
    return f"{sys.executable} {script}", marker


async def test_on_alert_runs_the_clinics_command_with_the_path(bank, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    command, marker = marker_script(tmp_path)
    app = KioskApp(save_dir=folder, idle_reset=60, on_alert=command)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_warning(pilot, bank, example(bank, "classic"), "rf_one_leg", "yes")
        await wait_until(pilot, marker.exists, "the marker file", seconds=20)
        (alert,) = folder.glob("*.alert.json")
        await wait_until(pilot, lambda: marker.read_text() == str(alert.resolve()), "its path")
        await wait_until(pilot, lambda: not app.alert_commands, "the command to be reaped")
        assert app.problems == []


@pytest.mark.parametrize(
    "command, problem",
    [
        (f"{sys.executable} -c 'import sys; sys.exit(3)'", "exit status 3"),
        ("/nonexistent/page-the-nurse --now", "did not start"),
    ],
)
async def test_a_failing_on_alert_command_does_not_disturb_the_patient(
    bank, tmp_path, capfd, command, problem
):
    app = KioskApp(save_dir=tmp_path, idle_reset=60, on_alert=command)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        answers = example(bank, "classic")
        await answer_warning(pilot, bank, answers, "rf_one_leg", "yes")
        await wait_until(pilot, lambda: app.problems, "the failure to be noticed")
        assert isinstance(app.screen, KioskRedFlagDialog)  # the patient sees only the sign
        assert "on-alert" not in shown_text(app) and problem not in shown_text(app)
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert current_id(app) == next_id(app, "rf_one_leg")
    (line,) = app.problems
    assert problem in line and "\n" not in line and "dvt" not in line
    assert line in capfd.readouterr().err  # stderr here is not the kiosk's terminal


def test_staff_message_option_is_checked(tmp_path):
    import argparse

    from rls_screen.cli import build_parser
    from rls_screen.commands.kiosk import staff_message

    for bad in ("", "   ", "x" * 301, "one\ntwo", "red \x1b[31m text", "a\u2028b"):
        with pytest.raises(argparse.ArgumentTypeError):
            staff_message(bad)
    assert staff_message(" Tell the nurse. ") == "Tell the nurse."
    assert staff_message("x" * 300) == "x" * 300
    args = build_parser().parse_args(
        ["kiosk", "--save-dir", str(tmp_path), "--staff-message", "Tell the nurse."]
    )
    assert args.staff_message == "Tell the nurse."
    result = run_cli("--save-dir", str(tmp_path), "--staff-message", "x" * 301)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "at most 300" in result.stderr


# --- records carry their id and time; wording -------------------------------------------


async def test_records_carry_their_id_and_date_and_time(bank, tmp_path):
    from rls_screen.interop.records import record_note

    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, KioskSummaryScreen)
    (record,) = records(tmp_path)
    meta = json.loads(record.read_text())["meta"]
    assert meta["record_id"] == record.stem
    saved = datetime.fromisoformat(meta["saved"])
    assert saved.utcoffset().total_seconds() == 0
    note = record_note(record.stem, saved)
    assert note.startswith(f"Record {record.stem}, ") and note.endswith(" UTC")
    assert f"{saved:%H:%M} UTC" in note and str(saved.year) in note
    page = record.with_suffix(".html").read_text()
    # At the top of the page (issue 21): when the answers were given, and the record.
    head = page[page.index('<section class="page-head">') : page.index("<h1>")]
    assert f"Answers given: {note.split(', ', 1)[1]}" in head
    assert f"Record: {record.stem}" in head


def test_record_note_wording():
    from rls_screen.interop.records import record_note

    when = datetime.fromisoformat("2026-11-23T14:20:05+00:00")
    assert (
        record_note("20261123-1420-ABCD", when)
        == "Record 20261123-1420-ABCD, 23 Nov 2026 14:20 UTC"
    )


async def test_kiosk_wording_says_where_the_answers_go(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60, patient_summary=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        welcome = shown_text(app)
        assert "Nothing is sent anywhere" not in welcome
        assert KIOSK_POINT in welcome
        assert "saved on this computer for the clinic team" in KIOSK_POINT
        assert "Nothing goes over the internet" in KIOSK_POINT
        assert "Staff:" not in welcome  # nothing waiting: no line for staff
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, ThankYouScreen)
        end = shown_text(app)
        assert "saved on this computer for the clinic team" in end
        assert "sent" not in end


def test_help_documents_idle_alerts_and_the_staff_key():
    result = run_cli("--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for words in (
        "--idle-reset SECONDS on every screen but the welcome",
        '"Still there?"',
        "30-second countdown",
        "--staff-message TEXT",
        "--on-alert CMD",
        "Staff: an unfinished record is waiting (Ctrl+X)",
        "Press Ctrl+X once on the welcome screen",
        ".partial.json",
        "Ctrl+X three times",
    ):
        assert words in text, words


async def test_the_record_names_the_kiosk_s_crisis_numbers(bank, tmp_path):
    """The clinician page of a kiosk record says which country's numbers the patient saw
    (the kiosk's --region), not the generic wording."""
    answers = {**example(bank, "classic"), "mood": "yes", "safe_now": "safe"}
    app = KioskApp(save_dir=tmp_path, idle_reset=60, region="FR")
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, answers)
        await wait_for(pilot, lambda: records(tmp_path), "the record")
    (record,) = records(tmp_path)
    page = record.with_suffix(".html").read_text()
    assert "those for France (FR)" in page
