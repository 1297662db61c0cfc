"""Export the README's screenshots from the app itself (SVG, 80x24).

    python docs/screenshot.py

Writes docs/question.svg (a question with its hint) and docs/summary.svg (the start of
the summary for examples/child.json, a complete v2 answer set).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

from rls_screen.core.bank import load_bank  # noqa: E402
from rls_screen.interop.inputs import read_answer_file  # noqa: E402
from rls_screen.tui.app import make_app  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


async def settle(pilot, condition) -> None:
    for _ in range(400):
        if condition():
            await pilot.pause()
            return
        await pilot.pause()
    raise RuntimeError("the app did not get there")


async def question() -> None:
    app = make_app(autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.id == "welcome")
        await pilot.press("enter")
        await settle(pilot, lambda: app.walk is not None and app.walk.current is not None)
        # Go to the first of the four essential features: the heart of the questionnaire.
        app.walk.go_to("urge")
        app.refresh_question()
        await pilot.pause()
        (HERE / "question.svg").write_text(app.export_screenshot(title="rls-screen"))


async def summary() -> None:
    bank = load_bank()
    answers = read_answer_file(str(ROOT / "examples" / "child.json"), bank)
    app = make_app(answers=answers, autosave=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: app.screen.id == "welcome")
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen.__class__.__name__ == "ReviewScreen")
        await pilot.press("v")
        await settle(pilot, lambda: app.screen.id == "summary")
        (HERE / "summary.svg").write_text(app.export_screenshot(title="rls-screen"))


if __name__ == "__main__":
    asyncio.run(question())
    asyncio.run(summary())
    print("wrote docs/question.svg and docs/summary.svg")
