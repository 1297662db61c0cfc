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


async def test_the_self_harm_questions_have_a_heading_of_their_own(bank, app_factory):
    answers = complete_answers(bank)
    del answers["mood"]
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, "mood")
        mood = str(app.screen.query_one("#progress-text").render())
        await pilot.press(str(bank.items["mood"].codes.index("yes") + 1))
        await wait_for(pilot, lambda: current_id(app) == "safe_now", "safe_now")
        await wait_screen(pilot, QuestionScreen)  # under the crisis dialog, if any
        safe_now = str(app.screen.query_one("#progress-text").render())
    for progress in (mood, safe_now):
        assert progress.startswith("How you are feeling  ·  Question"), progress
        assert "How often and how much" not in progress


def test_plain_gives_the_self_harm_question_a_heading_of_its_own(bank):
    import io

    from rls_screen.interop.drafts import Drafts
    from rls_screen.plain import Console, Session

    out = io.StringIO()
    console = Console(io.StringIO(""), out, False, lambda: 78)
    session = Session(bank, console, Drafts(bank, None), False)
    session.show(bank.items["mood"])
    session.show(bank.items["frequency"])
    text = out.getvalue()
    assert "How you are feeling: question" in text
    assert "How often and how much: question" in text


# --- how soon -----------------------------------------------------------------------

ROUTINE = "This is not urgent. Book an appointment with a doctor in the next few weeks."


def test_a_routine_result_says_how_soon_in_every_format(bank):
    from test_tui import classic_answers

    from rls_screen.reports.exports import render_export

    answers = classic_answers(bank)
    for fmt in ("text", "markdown", "html"):
        page = flat(render_export(bank, answers, fmt))
        assert page.count(ROUTINE) == 1, fmt
    # A warning sign says its own haste, never "not urgent".
    warned = {**answers, "rf_one_leg": "yes"}
    for fmt in ("text", "markdown", "html"):
        assert "not urgent" not in render_export(bank, warned, fmt), fmt


async def test_the_summary_on_screen_says_how_soon(bank, app_factory):
    from test_tui import open_summary
    from textual.widgets import Markdown

    app = app_factory(answers=complete_answers(bank))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        shown = flat(app.screen.query_one(Markdown).source)
    assert ROUTINE in shown


# --- questions left open, grouped and calm ------------------------------------------------


def test_questions_left_open_are_grouped_calm_with_one_thing_to_watch_for(bank):
    import json

    from test_tui import EXAMPLES

    from rls_screen.reports.exports import render_export

    doc = json.loads((EXAMPLES / "unsure.json").read_text())
    answers = {k: tuple(v) if isinstance(v, list) else v for k, v in doc["answers"].items()}
    for item in ("cramp", "position_change", "joint_muscle_pain", "numbness", "walking_pain"):
        answers[item] = "unsure"
    lookalikes = bank.summary.lookalikes
    for fmt in ("text", "markdown", "html"):
        page = flat(render_export(bank, answers, fmt)).replace("\\", "")
        assert "Things to talk over with the doctor" in page, fmt
        assert "Questions left open" not in page
        assert "A doctor needs to check them" not in page
        assert "None of them is urgent on its own" in page
        for code in ("cramps", "positional", "claudication", "neuropathy"):
            assert lookalikes[code].name in page and lookalikes[code].ask in page, code
        assert "can mean poor blood flow" not in page  # the alarming line, not on its own
        assert page.count("One thing to watch for") == 1
        assert "a leg that suddenly turns cold, pale and very painful" in page
    # A medicine keeps its "do not stop or change it on your own".
    answers["whole_body"] = "unsure"
    page = flat(render_export(bank, answers, "text"))
    assert lookalikes["akathisia"].ask in page and lookalikes["akathisia"].why in page
