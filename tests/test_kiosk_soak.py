"""The kiosk soak (issue 19): what the 30-patient soak found, each with its own test."""

from __future__ import annotations

import json
import stat

import pytest
from test_kiosk import example, records, wait_until
from test_tui import start, wait_for, wait_screen
from textual.widgets import Static

from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.welcome import WelcomeScreen

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
