"""The README's commands, and a non-editable install that finds its question bank."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import rls_screen

ROOT = Path(__file__).resolve().parent.parent


def readme_test_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    return next(line for line in lines if "pytest" in line and not line.startswith("#"))


def test_ci_runs_exactly_the_readme_test_command():
    command = readme_test_command()
    assert "python3 -m venv .venv" in command and ".[test]" in command
    assert f"    {command}\n" in (ROOT / "README.md").read_text()


def test_installed_command_finds_its_questions(tmp_path):
    """Run from an empty folder, so nothing can be found beside the checkout by accident."""
    script = Path(sys.executable).parent / "rls-screen"
    proc = subprocess.run(
        [str(script), "check-questions"], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    package = Path(rls_screen.__file__).resolve().parent
    if package.parent.name == "site-packages":  # a non-editable install, as CI makes
        assert str(package / "questions") in proc.stdout
    else:
        assert str(ROOT / "questions") in proc.stdout
