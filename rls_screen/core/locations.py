"""Where things live: the question bank and the drafts folder. Kept apart from the
models so that finding them costs no pydantic import (the app's start-up needs both)."""

from __future__ import annotations

from pathlib import Path


def default_questions_dir() -> Path:
    """The bank shipped in the wheel, or ``questions/`` beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "questions"
    if (shipped / "instrument.toml").is_file():
        return shipped
    return package.parent / "questions"


def default_draft_dir() -> Path:
    """Drafts of answers in progress: the user's data folder (owner-only)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("rls-screen", appauthor=False))
