"""A question bank in place of the installed one, for one test: score, batch and the
faces read the bank beside the package (``default_questions_dir``), and every module
keeps what it read (``load_bank``, the crisis and clinician files, the interface texts).
``installed(folder)`` points them all at ``folder`` and forgets what they read, on the
way in and on the way out."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest


def _clear_caches() -> None:
    from rls_screen.core import bank, crisis, texts
    from rls_screen.reports import clinician

    for cached in (bank.load_bank, crisis._read, clinician._read, texts._read, texts._folder):
        cached.cache_clear()


@contextlib.contextmanager
def installed(folder: Path) -> Iterator[None]:
    """``folder`` stands in for the shipped bank: every command reads it."""
    from rls_screen.core import bank, crisis, locations
    from rls_screen.reports import clinician

    patch = pytest.MonkeyPatch()
    for module in (locations, bank, crisis, clinician):
        patch.setattr(module, "default_questions_dir", lambda: folder)
    _clear_caches()
    try:
        yield
    finally:
        patch.undo()
        _clear_caches()


def package_with(folder: Path, bank: Path) -> Path:
    """A copy of the package in ``folder`` with ``bank`` as its questions/ (beside it,
    as in a checkout), for a real process: run ``python -m rls_screen`` in ``folder``."""
    import shutil

    package = Path(__file__).resolve().parent.parent / "rls_screen"
    shutil.copytree(package, folder / "rls_screen", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(bank, folder / "questions")
    return folder
