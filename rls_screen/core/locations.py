"""Where things live: the question bank and the drafts folder. Kept apart from the
models so that finding them costs no pydantic import (the app's start-up needs both)."""

from __future__ import annotations

import os
from pathlib import Path

# Set by `rls-screen serve` for each browser tab's app only (the tab's private drafts
# folder); not meant to be set by hand.
DRAFT_DIR_VARIABLE = "RLS_SCREEN_DRAFT_DIR"


def default_questions_dir() -> Path:
    """The bank shipped in the wheel, or ``questions/`` beside the package in a checkout."""
    package = Path(__file__).resolve().parent.parent
    shipped = package / "questions"
    if (shipped / "instrument.toml").is_file():
        return shipped
    return package.parent / "questions"


def user_data_folder() -> Path:
    """The user's data folder for rls-screen (owner-only)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("rls-screen", appauthor=False))


def default_draft_dir() -> Path:
    """Drafts of answers in progress: the user's data folder, or, under ``rls-screen
    serve``, the browser tab's own folder (``RLS_SCREEN_DRAFT_DIR``, set by serve)."""
    given = os.environ.get(DRAFT_DIR_VARIABLE)
    if given:
        return Path(given)
    return user_data_folder()


def serve_drafts_root() -> Path:
    """Where ``rls-screen serve`` keeps one private drafts folder per browser tab."""
    return user_data_folder() / "serve-drafts"
