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


@pytest.fixture(autouse=True)
def no_own_diary(tmp_path, monkeypatch):
    """The questionnaire's summary offers the person's own diary (issue 22): in the tests
    it is never the real data folder's, which would read the tester's own nights and add
    a button to the summary's snapshot. A test that wants one sets ``app.diary_path``."""
    import sys

    app = sys.modules.get("rls_screen.tui.app")
    if app is not None:
        monkeypatch.setattr(app.RlsScreenApp, "diary_path", tmp_path / "no-diary.sqlite3")


@pytest.fixture(scope="module")
def browser():
    """The system chromium driven by Playwright for Python (no browser download), one
    for each module that asks: tests/test_axe.py, tests/test_web_browser.py."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is not installed"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()
