"""The questionnaire's summary offers the person's own diary (issue 22) when the diary
has nights, and then shows it in the summary and in what is saved."""

from __future__ import annotations

from test_tui import complete_answers, open_summary, wait_for
from textual.widgets import Markdown

from rls_screen.core.diary import parse_night
from rls_screen.interop.diary_store import DiaryStore
from rls_screen.tui.screens.summary import SummaryScreen

HEADING = "Your symptom diary"


def shown(app) -> str:
    return app.screen.query_one("#summary-text", Markdown).source


async def test_the_summary_offers_the_diary_and_then_shows_it(bank, app_factory, tmp_path):
    db = tmp_path / "diary.sqlite3"
    with DiaryStore.open(db) as store:
        for day in ("2026-11-20", "2026-11-21"):
            store.put(parse_night({"night": day, "symptoms": "yes", "onset": "21:00"}))
    answers = complete_answers(bank)
    app = app_factory(answers=answers)
    app.diary_path = db
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, answers)
        assert isinstance(app.screen, SummaryScreen)
        button = app.screen.query_one("#diary")
        assert "nights: 2" in str(button.label)
        assert HEADING not in shown(app)
        await pilot.press("d")
        await wait_for(pilot, lambda: HEADING in shown(app), "the diary in the summary")
        assert not app.screen.query("#diary")  # offered once
        assert HEADING in app.summary_text()  # and in what is copied
        saved = app.write_export("markdown", tmp_path / "summary.md")
        assert HEADING in saved.read_text()


async def test_no_diary_no_offer_and_none_is_made(bank, app_factory, tmp_path):
    db = tmp_path / "diary.sqlite3"
    answers = complete_answers(bank)
    app = app_factory(answers=answers)
    app.diary_path = db
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, answers)
        assert not app.screen.query("#diary")
        await pilot.press("d")
        await pilot.pause()
        assert HEADING not in shown(app)
    assert not db.exists()
