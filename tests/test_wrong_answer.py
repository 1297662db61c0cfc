"""A wrong key at a warning sign (issue 21): the dialog offers "I chose the wrong
answer", which goes back to the question with that answer cleared; a kiosk alert
already written stays written for staff. And an Enter typed ahead never picks the
highlighted "Yes" of a warning question just shown."""

from __future__ import annotations

import json

from test_kiosk import answer_warning, example
from test_t21_pages import open_at
from test_tui import complete_answers, current_id, shown_text, start, wait_for, wait_screen
from textual import events

from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.widgets.choices import ChoiceList


def focused_id(app) -> str | None:
    return app.focused.id if app.focused is not None else None


async def choose_wrong_answer(pilot) -> None:
    """Keyboard only: Tab to the buttons, the arrow to the second, Enter."""
    app = pilot.app
    await pilot.press("tab")
    await wait_for(pilot, lambda: focused_id(app) == "go-on", "the focus on 'Go on'")
    await pilot.press("down")
    await wait_for(pilot, lambda: focused_id(app) == "wrong-answer", "'wrong answer' focused")
    await pilot.press("enter")
    await wait_screen(pilot, QuestionScreen)


async def test_the_wrong_answer_goes_back_to_the_question_with_it_cleared(bank, app_factory):
    answers = complete_answers(bank)
    del answers["rf_cold_leg"]
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "rf_cold_leg")
        await pilot.press(str(bank.items["rf_cold_leg"].codes.index("yes") + 1))
        await wait_screen(pilot, RedFlagDialog)
        assert "I chose the wrong answer" in str(app.screen.query_one("#wrong-answer").label)
        await choose_wrong_answer(pilot)
        assert current_id(app) == "rf_cold_leg"
        assert "rf_cold_leg" not in app.walk.answers
        assert app.shown_alerts == []  # never printed again as a sign shown
        text = shown_text(app)
        assert "Has one leg suddenly turned cold" in text
        assert "(•)" not in str(app.screen.query_one(ChoiceList).get_option_at_index(0).prompt)
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "Your answer was cleared" in notes
        # Answered again, it goes on as any answer does.
        await pilot.press(str(bank.items["rf_cold_leg"].codes.index("no") + 1))
        await wait_for(pilot, lambda: current_id(app) != "rf_cold_leg", "moving on")
        assert app.walk.answers["rf_cold_leg"] == "no"


async def test_in_the_kiosk_the_alert_already_written_stays(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_warning(pilot, bank, example(bank, "classic"), "rf_cold_leg", "yes")
        (alert,) = tmp_path.glob("*.alert.json")
        before = alert.read_text()
        await choose_wrong_answer(pilot)
        assert current_id(app) == "rf_cold_leg"
        assert "rf_cold_leg" not in app.walk.answers
        assert alert.read_text() == before  # staff were told: it stays, as it was
        assert json.loads(before)["red_flags"] == ["limb_ischaemia"]


async def test_an_enter_typed_ahead_never_picks_yes_on_a_warning_question(bank, app_factory):
    answers = complete_answers(bank)
    order = [item.id for item in bank.items.values()]
    before = order[order.index("rf_cold_leg") - 1]
    del answers["rf_cold_leg"], answers[before]
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, before)
        # "No", then Enter out of habit: the Enter lands on the next question, a warning
        # sign, whose first answer is "Yes".
        number = str(bank.items[before].codes.index("no") + 1)
        app.post_message(events.Key(number, number))
        await wait_for(pilot, lambda: current_id(app) == "rf_cold_leg", "the warning question")
        await pilot.press("enter")
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)  # no warning dialog
        assert "rf_cold_leg" not in app.walk.answers
        notes = " ".join(str(n.message) for n in app._notifications)
        assert "Choose an answer first: press 1 to 3, or use the arrow keys." in notes
        # The arrows and Enter still choose, as on every question.
        await pilot.press("down", "enter")
        await wait_screen(pilot, RedFlagDialog)
        assert app.walk.answers["rf_cold_leg"] == "yes"
