"""Safe in front of patients: drafts are never lost to a stray key, the save dialog never
overwrites or mislabels a file, one key means one kind of thing, and no command writes
health data outside the privacy rules."""

from __future__ import annotations

import json
import random
import stat
from pathlib import Path

import pytest
from test_tui import (
    complete_answers,
    current_id,
    open_summary,
    shown_text,
    start,
    wait_for,
    wait_offer,
    wait_screen,
)
from textual import events

from rls_screen.interop.drafts import Drafts
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.dialogs.save import SaveDialog
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.review import ReviewScreen
from rls_screen.tui.screens.summary import SummaryScreen
from rls_screen.tui.screens.welcome import WelcomeScreen

KEPT = {"age_group": "45_64", "respondent": "self", "pregnant": "no"}


def app_with_draft(bank, tmp_path, **kwargs):
    drafts = tmp_path / "drafts"
    Drafts(bank, folder=drafts).save(KEPT, "rf_one_leg")
    kwargs.setdefault("save_folder", tmp_path)
    return make_app(autosave=True, draft_dir=drafts, **kwargs), drafts / "draft.json"


# --- drafts ----------------------------------------------------------------------------


async def test_the_offer_comes_on_the_welcome_before_start(bank, tmp_path):
    app, draft = app_with_draft(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)  # nothing pressed yet
        assert "3 answered" in shown_text(app)
        assert app.walk is None


@pytest.mark.parametrize("key", ["enter", "escape", "s", "q", "n", "y", "space", "tab"])
async def test_a_key_pressed_ten_times_at_the_offer_never_discards(bank, tmp_path, key):
    app, draft = app_with_draft(bank, tmp_path)
    before = draft.read_text()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        for _ in range(10):
            await pilot.press(key)
            await pilot.pause()
        if app.walk is not None:  # Enter picks the answers up
            assert all(app.walk.answers.get(k) == v for k, v in KEPT.items())
    assert draft.exists()
    kept = json.loads(draft.read_text())["answers"]
    assert all(kept.get(k) == v for k, v in KEPT.items()), (before, kept)


async def test_escape_keeps_the_draft_for_later(bank, tmp_path):
    app, draft = app_with_draft(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        await pilot.press("escape")
        await wait_for(
            pilot,
            lambda: "kept for later" in " ".join(str(n.message) for n in app._notifications),
            "the 'kept for later' note",
        )
        assert isinstance(app.screen, WelcomeScreen) and app.walk is None
    assert json.loads(draft.read_text())["answers"] == KEPT


async def test_a_draft_that_cannot_be_read_is_moved_aside_and_the_person_told(bank, tmp_path):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "draft.json").write_text('{"instrument_version": "9.0.0", "answers": {}}')
    app = make_app(autosave=True, draft_dir=drafts, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._notifications, "a note")
        note = " ".join(str(n.message) for n in app._notifications)
        assert "could not be read" in note and "draft.json.bad" in note
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        await pilot.press("2")  # a new answer is saved as a new draft...
        await wait_for(pilot, lambda: (drafts / "draft.json").exists(), "the new draft")
    bad = drafts / "draft.json.bad"  # ...and the old one is still there, untouched
    assert json.loads(bad.read_text())["instrument_version"] == "9.0.0"
    assert stat.S_IMODE(bad.stat().st_mode) == 0o600


async def test_resume_file_with_a_draft_asks_which_to_keep(bank, tmp_path):
    file_answers = {"age_group": "under_18", "respondent": "for_person"}
    app, draft = app_with_draft(bank, tmp_path, answers=file_answers)
    app.resume_source = "answers.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        assert "You opened answers.json" in shown_text(app)
        await pilot.press("enter")  # the focus is on the draft: nothing is lost
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == KEPT
    app, draft = app_with_draft(bank, tmp_path, answers=file_answers)
    app.resume_source = "answers.json"
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        await pilot.press("tab", "enter")  # "The file I opened"
        await wait_screen(pilot, ConfirmDialog)  # the draft is deleted only after a yes
        await pilot.press("y")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == file_answers


# --- the save dialog -------------------------------------------------------------------


async def test_save_dialog_remembers_the_format_and_fixes_the_extension(bank, tmp_path):
    app = make_app(answers=complete_answers(bank), autosave=False, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        app.screen.choose("html")
        await pilot.pause()
        app.screen.query_one("#path").value = str(tmp_path / "a-answers.json")
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
        assert not (tmp_path / "a-answers.json").exists()  # never HTML under .json
        page = (tmp_path / "a-answers.html").read_text()
        assert page.startswith("<!DOCTYPE html>")
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        assert app.screen.fmt == "html"  # remembered this session
        assert "\u25cf" in str(app.screen.query_one("#choices").get_option("html").prompt)
        assert app.screen.query_one("#path").value.endswith(".html")


async def test_an_existing_file_needs_a_confirmation(bank, tmp_path):
    app = make_app(answers=complete_answers(bank), autosave=False, save_folder=tmp_path)
    target = tmp_path / "mine.md"
    target.write_text("keep me")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        app.screen.query_one("#path").value = str(target)
        for _ in range(10):  # Enter again and again: the focus is on "Keep it"
            await pilot.press("enter")
            await pilot.pause()
        assert target.read_text() == "keep me"
        # Then the same person does want it replaced (one app: the keeps changed nothing).
        while isinstance(app.screen, ConfirmDialog):
            await pilot.press("enter")  # "Keep it" once more, back to the save dialog
            await pilot.pause()
        await wait_screen(pilot, SaveDialog)
        assert target.read_text() == "keep me"
        app.screen.query_one("#path").value = str(target)
        await pilot.press("enter")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_screen(pilot, SummaryScreen)
    assert target.read_text().startswith("# Your restless legs summary")


async def test_a_missing_documents_folder_falls_back_to_home(bank, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app(
        answers=complete_answers(bank), autosave=False, save_folder=tmp_path / "Documents"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        assert app.screen.chosen_path().parent == Path.home()


async def test_the_chosen_option_shows_by_shape_not_only_colour(bank, tmp_path):
    app = make_app(answers=complete_answers(bank), autosave=False, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        choices = app.screen.query_one("#choices")
        chosen = str(choices.get_option("markdown").prompt)
        other = str(choices.get_option("text").prompt)
        assert "\u25cf" in chosen and "\u25cf" not in other


async def test_a_long_error_keeps_the_buttons_on_screen(bank, tmp_path):
    app = make_app(answers=complete_answers(bank), autosave=False, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        app.screen.query_one("#path").value = "/no/such/" + "deep/" * 60 + "file.md"
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query_one("#save-error").display, "error")
        await pilot.pause()
        button = app.screen.query_one("#save")
        assert button.region.bottom <= 24 and button.region.height > 0
        assert app.screen.query_one("#save-error").region.height <= 3


# --- keys ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["s", "v", "enter", "q", "n", "y", "ctrl+s", "escape"])
async def test_one_key_ten_times_never_loses_answers_or_overwrites(bank, tmp_path, key):
    answers = complete_answers(bank)
    existing = tmp_path / "existing.md"
    existing.write_text("keep me")
    app = make_app(answers=answers, autosave=False, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await pilot.press("enter")
        await wait_screen(pilot, ReviewScreen)
        for _ in range(10):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running
        assert app.walk.answers == answers
    assert existing.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.md"]


async def test_skip_on_an_answered_question_keeps_the_answer(bank, tmp_path):
    app = make_app(autosave=False, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        first = app.walk.current  # who is answering
        await pilot.press("2")
        await wait_for(pilot, lambda: current_id(app) != first.id)
        await pilot.press("left")
        await wait_for(pilot, lambda: current_id(app) == first.id)
        for _ in range(3):
            await pilot.press("s")
            await pilot.pause()
        assert app.walk.answers.get(first.id) == first.codes[1]


@pytest.mark.parametrize("key", ["2", "enter"])
async def test_keys_typed_ahead_never_answer_or_skip_an_unseen_question(bank, tmp_path, key):
    # Four presses that reach the app at once (a key held down, a bouncing key, a hasty
    # hand): the first answers the question on screen; the others find it answered and
    # do nothing. None of them answers or skips a question the person has not seen.
    app = make_app(autosave=False, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        first = app.walk.current  # who is answering
        character = "\r" if key == "enter" else key
        for _ in range(4):
            app.post_message(events.Key(key, character))
        await wait_for(pilot, lambda: current_id(app) != first.id)
        for _ in range(10):
            await pilot.pause()
        expected = first.codes[1] if key == "2" else first.codes[0]
        assert app.walk.answers == {first.id: expected}
        assert current_id(app) == "age_group"
        assert bank.items["age_group"].text in shown_text(app)


async def test_random_keys_never_crash_or_lose_saved_answers(bank, tmp_path):
    # Every key a person might hit, but not the ones that leave on purpose (q, Ctrl+Q).
    rng = random.Random(20261123)
    keys = [
        *"0123456789svnyrce?x",
        "enter",
        "escape",
        "left",
        "right",
        "up",
        "down",
        "tab",
        "backspace",
        "space",
        "f1",
        "ctrl+s",
    ]
    drafts = tmp_path / "drafts"
    app = make_app(autosave=True, draft_dir=drafts, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(300):
            await pilot.press(rng.choice(keys))
            await pilot.pause()
            assert app.is_running
            walk = app.walk
            if walk and walk.answers and isinstance(app.screen, QuestionScreen):
                # Nothing lost: what is on disk is exactly what was answered so far
                # (once the draft writer, off the key path, has caught up).
                assert app.writer().flush()
                saved = json.loads((drafts / "draft.json").read_text())["answers"]
                given = {k: list(v) if isinstance(v, tuple) else v for k, v in walk.answers.items()}
                assert saved == given
    assert not list(tmp_path.rglob("*.svg"))


# --- screenshots -----------------------------------------------------------------------


async def test_no_screenshot_of_health_data(bank, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = make_app(answers=complete_answers(bank), autosave=False, save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles and not any("screenshot" in t.lower() for t in titles)
        app.action_screenshot()
        app.deliver_screenshot()
        await pilot.pause(0.3)
    assert [p for p in tmp_path.rglob("*") if p.suffix == ".svg"] == []


# --- small screens ---------------------------------------------------------------------


def on_screen(widget, size) -> bool:
    region = widget.region
    return (
        region.width > 0
        and region.height > 0
        and region.right <= size[0]
        and (region.bottom <= size[1])
    )


async def reachable(pilot, selector: str, size) -> bool:
    """The widget is on screen, or comes on screen when scrolled to (scrolling is fine)."""
    widget = pilot.app.screen.query_one(selector)
    widget.scroll_visible(animate=False)
    await pilot.pause()
    return on_screen(widget, size)


def leave_key_shown(app, size) -> bool:
    from textual.widgets._footer import FooterKey

    keys = app.screen.query(FooterKey)
    return any(k.description in ("Quit", "Start over") and on_screen(k, size) for k in keys)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_small_screens_show_the_primary_action_and_how_to_leave(bank, tmp_path, size):
    app = make_app(answers=complete_answers(bank), autosave=False, save_folder=tmp_path)
    async with app.run_test(size=size) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        assert await reachable(pilot, "#start", size) and leave_key_shown(app, size)
        await pilot.press("enter")
        await wait_screen(pilot, ReviewScreen)
        assert await reachable(pilot, "#summary", size) and leave_key_shown(app, size)
        await pilot.press("v")
        await wait_screen(pilot, SummaryScreen)
        for button in ("#save", "#quit"):
            assert await reachable(pilot, button, size), button
        assert leave_key_shown(app, size)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        for button in ("#save", "#cancel"):
            assert await reachable(pilot, button, size), button
        await pilot.press("escape")
        await wait_screen(pilot, SummaryScreen)
        await pilot.press("q")
        await wait_screen(pilot, ConfirmDialog)
        for button in ("#yes", "#no"):
            assert await reachable(pilot, button, size), button
        await pilot.press("escape")
        await pilot.press("e")  # back to the answers, then to a question
        await wait_screen(pilot, ReviewScreen)
        app.edit("rf_breathing")
        await wait_screen(pilot, QuestionScreen)
        await wait_for(pilot, lambda: app.screen.query("#choices"), "the question")
        await pilot.pause()
        assert await reachable(pilot, "#choices", size) and leave_key_shown(app, size)
        await pilot.press("3")  # not sure: the warning dialog
        from rls_screen.tui.dialogs.red_flag import RedFlagDialog

        await wait_screen(pilot, RedFlagDialog)
        assert await reachable(pilot, "#go-on", size)
