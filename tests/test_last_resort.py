"""The last resort (issue 19): if a face ever fails, the answers on screen are written to
the draft (or to the kiosk's partial record) before it exits, and once the terminal is
back, one line says where they are and the words of each warning sign shown are printed
again as plain lines. Before, the app ended with Textual's traceback alone: the last
answers typed but not given were lost, and the emergency text was gone with the screen."""

from __future__ import annotations

import json
import stat
import textwrap

import pexpect
import pytest
from test_autosave import spawn_app
from test_kiosk import example
from test_tui import complete_answers, current_id, start, wait_for, wait_screen

from rls_screen.core.answers import dumps_document
from rls_screen.core.texts import ui
from rls_screen.interop.records import draft_folder, waiting_records
from rls_screen.reports.summary import alert_report
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.kiosk_dialogs import KioskRedFlagDialog
from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.question import QuestionScreen

OWN_WORDS = "Like ants crawling under the skin"


class Injected(RuntimeError):
    pass


def fail_on_choose(monkeypatch) -> None:
    """From now on, choosing an option fails inside the question screen."""

    def boom(self, event):
        raise Injected("injected fault")

    monkeypatch.setattr(QuestionScreen, "on_choice_list_chosen", boom)


def flat(text: str) -> str:
    return " ".join(text.split())


async def show_warning(pilot, item_id: str = "rf_one_leg") -> None:
    """Answer ``item_id`` yes by key, see its dialog, go on with Enter."""
    app = pilot.app
    app.walk.go_to(item_id)
    app.screen.show_current()
    await pilot.pause()
    await pilot.press("1")
    await wait_screen(pilot, RedFlagDialog)
    await wait_for(pilot, lambda: app.screen.drawn, "the dialog drawn")
    await pilot.press("enter")
    await wait_screen(pilot, QuestionScreen)


async def crash(pilot, monkeypatch) -> None:
    fail_on_choose(monkeypatch)
    await pilot.press("1")
    await wait_for(pilot, lambda: pilot.app._exception is not None, "the fault")


def alert_words(bank, answers, item_id="rf_one_leg", region=None) -> list[str]:
    alert = alert_report(bank, answers, item_id, region)
    words = [alert.title]
    for block in alert.blocks:
        words += [*block.paragraphs, *(e.name for e in block.entries), *block.footer]
    return [flat(w) for w in words]


async def test_a_fault_keeps_the_answers_and_prints_the_warning_again(
    bank, tmp_path, monkeypatch, capsys
):
    drafts = tmp_path / "drafts"
    app = make_app(autosave=True, draft_dir=drafts, save_folder=tmp_path)
    with pytest.raises(Injected):
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await pilot.press("1")  # age group: the first option
            await wait_for(pilot, lambda: len(app.walk.answers) == 1, "the first answer")
            await show_warning(pilot)
            given = dict(app.walk.answers)
            assert given["rf_one_leg"] == "yes"
            at = current_id(app)
            await crash(pilot, monkeypatch)
    draft = drafts / "draft.json"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    doc = json.loads(draft.read_text())
    assert doc["answers"] == json.loads(dumps_document(given, bank))["answers"]
    assert doc["meta"]["position"] == at
    err = flat(capsys.readouterr().err)
    assert ui("tui.failed.kept", path=draft) in err
    assert ui("tui.failed.again") in err
    for words in alert_words(bank, given):
        assert words in err, words
    assert err.rindex(ui("tui.failed.again")) > err.rindex("Injected")  # last, after the report


def fail_on_help(monkeypatch) -> None:
    """From now on, F1 fails inside the question screen (it works in the own-words box)."""

    def boom(self):
        typed = self.query_one("#text-answer").value  # a local that holds health data
        raise Injected(f"injected fault ({len(typed)} characters typed)")

    monkeypatch.setattr(QuestionScreen, "action_help", boom)


@pytest.mark.parametrize(
    ("item_id", "keys", "expected"),
    [
        ("own_words", tuple(OWN_WORDS), OWN_WORDS),  # typed, Enter not pressed
        ("sensations", ("1", "2"), None),  # two ticks, Enter not pressed
    ],
)
async def test_a_fault_keeps_what_was_typed_or_ticked_but_not_yet_given(
    bank, tmp_path, monkeypatch, capsys, item_id, keys, expected
):
    drafts = tmp_path / "drafts"
    app = make_app(autosave=True, draft_dir=drafts, save_folder=tmp_path)
    with pytest.raises(Injected):
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            for seeded, value in complete_answers(bank).items():
                if seeded != item_id:
                    app.walk.answer(seeded, value)
            app.walk.go_to(item_id)
            app.screen.show_current()
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            assert item_id not in app.walk.answers  # on screen, not given
            fail_on_help(monkeypatch)
            await pilot.press("f1")
            await wait_for(pilot, lambda: app._exception is not None, "the fault")
    doc = json.loads((drafts / "draft.json").read_text())
    codes = bank.items[item_id].codes
    assert doc["answers"][item_id] == (expected or [codes[0], codes[1]])
    assert doc["meta"]["position"] == item_id
    err = flat(capsys.readouterr().err)
    assert ui("tui.failed.kept", path=drafts / "draft.json") in err
    assert "injected fault" in err  # Textual's report, without the frame's locals
    assert OWN_WORDS not in err
    assert ui("tui.failed.again") not in err  # no warning sign was shown


async def test_the_kiosk_keeps_the_patient_s_record_and_prints_the_warning_again(
    bank, tmp_path, monkeypatch, capsys
):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    with pytest.raises(Injected):
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            answers = {k: v for k, v in example(bank, "classic").items() if k in bank.items}
            for item_id, value in answers.items():
                if item_id != "rf_one_leg":
                    app.walk.answer(item_id, value)
            app.walk.go_to("rf_one_leg")
            app.screen.show_current()
            await pilot.pause()
            await pilot.press("1")
            await wait_screen(pilot, KioskRedFlagDialog)
            await wait_for(pilot, lambda: app.screen.drawn, "the dialog drawn")
            await pilot.press("enter")
            await wait_screen(pilot, QuestionScreen)
            given, rid = dict(app.walk.answers), app.record_id
            await crash(pilot, monkeypatch)
    draft = draft_folder(tmp_path) / "draft.json"
    err = flat(capsys.readouterr().err)
    assert ui("tui.failed.kiosk_kept", path=draft) in err
    for words in [*alert_words(bank, given), flat(app.staff_message)]:
        assert words in err, words
    # The next start sets it aside for staff: the patient's record, with its id.
    KioskApp(save_dir=tmp_path, idle_reset=60)
    (waiting,) = waiting_records(tmp_path)
    assert stat.S_IMODE(waiting.stat().st_mode) == 0o600
    doc = json.loads(waiting.read_text())
    assert doc["answers"] == json.loads(dumps_document(given, bank))["answers"]
    assert doc["meta"]["record_id"] == rid


# Patches the question screen before the real command starts, as a bug would: choosing
# any option but the warning sign's fails. (Nothing in the shipped code injects faults.)
WRAPPER = textwrap.dedent(
    """
    import sys
    from rls_screen.tui.screens.question import QuestionScreen

    original = QuestionScreen.on_choice_list_chosen

    def boom(self, event):
        if event.item_id != "rf_one_leg":
            raise RuntimeError("injected fault")
        return original(self, event)

    QuestionScreen.on_choice_list_chosen = boom
    from rls_screen.cli import main

    sys.exit(main())
    """
)


def test_the_real_command_keeps_the_draft_and_prints_the_warning_after_a_fault(bank, tmp_path):
    answers = complete_answers(bank)
    del answers["rf_one_leg"]  # the first question asked
    given = tmp_path / "given.json"
    given.write_text(dumps_document(answers, bank))
    child = spawn_app(tmp_path, "-c", WRAPPER, "--resume", str(given))
    try:
        child.expect("Start")
        child.send("\r")
        child.expect("Question")
        child.send("1")  # yes: the warning sign
        child.expect("Go on")
        # Enter goes on once the dialog is drawn (one before is dropped): the next question.
        for _ in range(10):
            child.send("\r")
            if child.expect(["pain in your chest", pexpect.TIMEOUT], timeout=3) == 0:
                break
        child.send("1")  # the fault
        child.expect(pexpect.EOF, timeout=30)
        out = flat(child.before.decode(errors="replace").replace("\r", ""))
    finally:
        child.close(force=True)
    assert child.exitstatus == 1
    (draft,) = (tmp_path / "data").rglob("draft.json")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    kept = json.loads(draft.read_text())["answers"]
    assert kept["rf_one_leg"] == "yes" and kept["own_words"] == OWN_WORDS
    assert ui("tui.failed.kept", path=draft) in out
    for words in alert_words(bank, {**answers, "rf_one_leg": "yes"}):
        assert words in out, words
    assert OWN_WORDS not in out  # no answer in Textual's report
    assert "RuntimeError" in out and out.rindex("RuntimeError") < out.rindex(ui("tui.failed.again"))


async def test_in_a_browser_the_server_s_console_gets_no_warning_text(
    bank, tmp_path, monkeypatch, capsys
):
    # Under `serve` the app's stderr is the server's console, a log: never health data.
    from rls_screen.tui.app import RlsScreenApp

    monkeypatch.setattr(RlsScreenApp, "is_web", property(lambda self: True))
    drafts = tmp_path / "drafts"
    app = make_app(autosave=True, draft_dir=drafts, save_folder=tmp_path)
    with pytest.raises(Injected):
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await show_warning(pilot)
            given = dict(app.walk.answers)
            await crash(pilot, monkeypatch)
    err = flat(capsys.readouterr().err)
    assert ui("tui.failed.kept", path=drafts / "draft.json") in err
    assert ui("tui.failed.again") not in err
    for words in alert_words(bank, given):
        assert words not in err, words
