from __future__ import annotations

import os

import pytest

from rls_screen.core.bank import load_bank

# Deterministic terminal output for every test that starts the app or a subprocess.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture
def app_factory(tmp_path):
    """The questionnaire app for a test: autosave off unless asked, drafts and saved
    files in the test's own folder."""
    from rls_screen.tui.app import make_app

    def factory(**kwargs):
        kwargs.setdefault("autosave", False)
        kwargs.setdefault("draft_dir", tmp_path / "drafts")
        kwargs.setdefault("save_folder", tmp_path)
        return make_app(**kwargs)

    return factory
