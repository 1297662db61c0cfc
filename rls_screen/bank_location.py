"""Where the question bank lives. Kept apart from bank.py so that finding it costs no
pydantic import."""

from __future__ import annotations

from pathlib import Path


def default_questions_dir() -> Path:
    """The bank shipped in the wheel, or ``questions/`` beside the package in a checkout."""
    here = Path(__file__).resolve().parent
    shipped = here / "questions"
    if (shipped / "instrument.toml").is_file():
        return shipped
    return here.parent / "questions"
