"""Snapshots of what a person sees. Regenerate on purpose with
`pytest tests/test_snapshots.py --snapshot-update`, then review the SVGs before committing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rls_screen.tui.app import make_app

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def classic() -> dict:
    """The classic example (saved by 1.x), with the questions 2.0 and 3.0 added, so that
    every shown question has an answer and the app opens on the review."""
    doc = json.loads((EXAMPLES / "classic.json").read_text())
    answers = {k: tuple(v) if isinstance(v, list) else v for k, v in doc["answers"].items()}
    return {
        **answers,
        "respondent": "self",
        "own_words": "like fizzy water in my calves",
        "sides": "both",
        "onset_time": "evening",
        "dozing": "no",
        "medicine_list": "Iron pills, once a day",
    }


@pytest.fixture
def app(tmp_path):
    # Autosave off so that no machine-specific folder appears on the welcome screen.
    return make_app(autosave=False, save_folder=Path("/home/you/Documents"))


def at(item_id: str, answers: dict | None = None):
    async def run_before(pilot) -> None:
        await pilot.press("enter")
        await pilot.pause()
        walk = pilot.app.walk
        for key, value in (answers or {}).items():
            walk.answer(key, value)
        walk.go_to(item_id)
        pilot.app.screen.show_current()
        await pilot.pause()

    return run_before


def test_welcome(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24))


def test_single_choice_question(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=at("rest", {"urge": "yes"}))


def test_multi_choice_question(snap_compare, app):
    run_before = at("sensations", {"urge": "yes", "sensations": ("tingling", "pulling")})
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=at("rest"), press=["f1"])


def test_red_flag_modal(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=at("rf_breathing"), press=["1"])


def test_review(snap_compare, tmp_path):
    app = make_app(autosave=False, answers=classic())
    assert snap_compare(app, terminal_size=(80, 24), press=["enter"])


def test_summary(snap_compare):
    app = make_app(autosave=False, answers=classic())
    assert snap_compare(app, terminal_size=(80, 24), press=["enter", "v"])


def test_question_wide(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=at("evening", {"urge": "yes"}))


def test_unsure_red_flag_modal(snap_compare, app):
    # "Not sure" to a warning sign interrupts too, with what would make it an emergency.
    assert snap_compare(app, terminal_size=(80, 24), run_before=at("rf_breathing"), press=["3"])


def test_crisis_modal_not_safe(snap_compare):
    # Thoughts of self-harm and not safe right now: the emergency number comes first.
    app = make_app(autosave=False, save_folder=Path("/home/you/Documents"), region="GB")
    run_before = at("safe_now", {"mood": "yes"})
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before, press=["2"])


def test_own_words_question(snap_compare, app):
    run_before = at("own_words", {"urge": "yes"})
    press = [*"like fizzy water in my calves"]
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before, press=press)
