"""--resume FILE while a draft is kept (issue 19): choosing the file asks before the
draft is deleted, and a no keeps the draft, in the TUI and in --plain."""

from __future__ import annotations

import io
import json

from test_tui import shown_text, wait_offer, wait_screen

from rls_screen.core.answers import dumps_document
from rls_screen.interop.drafts import Drafts
from rls_screen.plain import Console, Session
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.welcome import WelcomeScreen

KEPT = {"age_group": "45_64", "respondent": "self", "pregnant": "no"}
FILE = {"age_group": "under_18", "respondent": "for_person"}


def with_draft(bank, tmp_path):
    folder = tmp_path / "drafts"
    Drafts(bank, folder=folder).save(KEPT, "rf_one_leg")
    app = make_app(answers=FILE, autosave=True, draft_dir=folder, save_folder=tmp_path)
    app.resume_source = "answers.json"
    return app, folder / "draft.json"


async def test_choosing_the_file_asks_and_no_keeps_the_draft(bank, tmp_path):
    app, draft = with_draft(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        await pilot.press("tab", "enter")  # "The file I opened"
        await wait_screen(pilot, ConfirmDialog)
        assert "deleted" in shown_text(app)
        await pilot.press("enter")  # the focus is on "Keep them"
        await wait_screen(pilot, WelcomeScreen)
        assert app.screen.offering  # the choice is offered again
        assert json.loads(draft.read_text())["answers"] == KEPT
        await pilot.click("#decline")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("escape")
        await wait_screen(pilot, WelcomeScreen)
        assert json.loads(draft.read_text())["answers"] == KEPT
        await pilot.click("#resume")  # the draft after all
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == KEPT


async def test_choosing_the_file_and_yes_deletes_the_draft(bank, tmp_path):
    app, draft = with_draft(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        await pilot.press("tab", "enter")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == FILE


def plain_run(bank, tmp_path, replies):
    folder = tmp_path / "drafts"
    drafts = Drafts(bank, folder=folder)
    drafts.save(KEPT, "rf_one_leg")
    answers = tmp_path / "answers.json"
    answers.write_text(dumps_document(FILE, bank), encoding="utf-8")
    out = io.StringIO()
    inp = io.StringIO("".join(f"{r}\n" for r in replies))
    session = Session(bank, Console(inp, out, True, lambda: 78), drafts, True)
    session.start(str(answers))
    return out.getvalue(), session, folder / "draft.json"


def test_plain_choosing_the_file_asks_and_no_keeps_the_draft(bank, tmp_path):
    printed, session, draft = plain_run(bank, tmp_path, ["f", "n", "d"])
    assert "Delete the draft? (y/n)" in " ".join(printed.split())
    assert session.walk.answers == KEPT
    assert json.loads(draft.read_text())["answers"] == KEPT


def test_plain_choosing_the_file_and_yes_deletes_the_draft(bank, tmp_path):
    printed, session, draft = plain_run(bank, tmp_path, ["f", "y"])
    assert "Delete the draft? (y/n)" in " ".join(printed.split())
    assert session.walk.answers == FILE
    assert not draft.exists()
