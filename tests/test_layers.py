"""The layers of ARCHITECTURE.md hold: lint-imports checks the contracts kept in
pyproject.toml ([tool.importlinter]) over the real import graph."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).with_name("lint-imports")
FACES_CONTRACT = "The faces keep drafts, locks and records through the session core"


def lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT), "--no-cache"], cwd=where, capture_output=True, text=True)


def test_import_layers_are_kept():
    proc = lint(ROOT)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "7 kept, 0 broken" in proc.stdout
    assert f"{FACES_CONTRACT} KEPT" in proc.stdout


def test_a_face_reaching_around_the_session_core_breaks_the_contract(tmp_path: Path):
    """Issue 23: a face that imports the drafts' lock itself, not through the session
    core, fails the suite."""
    shutil.copytree(ROOT / "rls_screen", tmp_path / "rls_screen")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    plain = tmp_path / "rls_screen" / "plain.py"
    plain.write_text(
        plain.read_text(encoding="utf-8")
        + "\nfrom rls_screen.interop.draft_lock import LOCK_NAME\n",
        encoding="utf-8",
    )
    proc = lint(tmp_path)
    assert proc.returncode != 0, proc.stdout[-3000:]
    assert f"{FACES_CONTRACT} BROKEN" in proc.stdout
    assert "rls_screen.plain -> rls_screen.interop.draft_lock" in proc.stdout
