"""Issue 21's leftovers: what the pages and screens say (the medicine hint's example
names, ...)."""

from __future__ import annotations

from test_tui import complete_answers, current_id, shown_text, wait_for, wait_screen

from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.welcome import WelcomeScreen


def flat(text: str) -> str:
    return " ".join(text.split())


async def open_at(pilot, item_id: str) -> None:
    """The app given every answer but ``item_id``'s, opened on that question."""
    await wait_screen(pilot, WelcomeScreen)
    await pilot.press("enter")
    await wait_screen(pilot, QuestionScreen)
    await wait_for(pilot, lambda: current_id(pilot.app) == item_id, item_id)


async def test_the_dopamine_answer_gets_example_names_in_the_hint(bank, app_factory):
    answers = complete_answers(bank)
    del answers["rls_treatment"]
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "rls_treatment")
        text = flat(shown_text(app))
    assert "A dopamine-type pill or patch" in text
    for name in ("pramipexole", "ropinirole", "rotigotine patch", "Levodopa has its own line"):
        assert name in text, name
