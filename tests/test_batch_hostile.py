"""batch against hostile or unlucky inputs (issue 19)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_closed_stdin_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    # 0<&- closes standard input for real (DEVNULL would be an open, empty file).
    cmd = f'"{sys.executable}" -m rls_screen batch - -o "{out}" 0<&-'
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "closed" in lines[0]
    assert done.returncode == 2
    assert not out.exists()
