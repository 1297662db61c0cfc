from __future__ import annotations

import os

import pytest

from rls_screen.core.bank import load_bank

# Deterministic terminal output for every test that starts the app or a subprocess.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture(scope="session")
def bank():
    return load_bank()
