"""Kiosk mode: one patient after another on a shared clinic terminal."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
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

from rls_screen.answers import dumps_document, read_answer_file
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.kiosk import KioskSummaryScreen, ThankYouScreen
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.review import ReviewScreen
from rls_screen.tui.screens.welcome import WelcomeScreen
from rls_screen.tui.widgets.choices import ChoiceList


def example(bank, name: str) -> dict:
    return read_answer_file(str(EXAMPLES / f"{name}.json"), bank)


def records(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


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


async def finish_patient(pilot, answers: dict) -> None:
    await start(pilot)
    await walk_through(pilot, answers)
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
        assert unsure.name in text and unsure.safety_net in text
        assert records(tmp_path) == []  # nothing is sent before the patient finishes
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers["rf_one_leg"] == "unsure"
        assert current_id(app) == next_id(app, "rf_one_leg")
        await walk_through(pilot, answers)
        await submit(pilot)
        await wait_screen(pilot, KioskSummaryScreen)
        shown = " ".join(app.screen.query_one(Markdown).source.split())
        assert bank.summary.headings.red_flags_unsure in shown
        assert " ".join(unsure.safety_net.split()) in shown
    saved = records(tmp_path)
    assert len(saved) == 1
    assert read_answer_file(str(saved[0]), bank)["rf_one_leg"] == "unsure"


async def test_no_patient_summary_thanks_instead(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, patient_summary=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, ThankYouScreen)
        assert "sent to the clinic team" in "\n".join(
            str(w.render()) for w in app.screen.query(Static)
        )
        assert not app.screen.query(Markdown)
        await pilot.press("enter")  # the Finish button has the focus
        await wait_screen(pilot, WelcomeScreen)
    assert len(records(tmp_path)) == 1


async def test_idle_summary_goes_back_to_welcome(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, KioskSummaryScreen)
        await wait_screen(pilot, WelcomeScreen)
        assert app.walk is None


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


async def test_a_crash_mid_patient_resumes_that_patient(bank, tmp_path):
    answers = {k: v for k, v in list(example(bank, "classic").items())[:5]}
    drafts = tmp_path / ".in-progress"
    drafts.mkdir()
    (drafts / "draft.json").write_text(dumps_document(answers, bank))
    app = KioskApp(save_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert app.walk.answers == answers
        assert app.walk.current.id not in answers  # at the first question left


async def test_a_save_that_fails_says_so_and_keeps_the_answers(bank, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    app = KioskApp(save_dir=folder)
    answers = example(bank, "classic")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await walk_through(pilot, answers)
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
        await walk_through(pilot, example(bank, "classic"))
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
