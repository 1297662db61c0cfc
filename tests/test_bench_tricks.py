"""benchmarks/bench_tricks.py runs (tiny sizes) and reports every trick that
ARCHITECTURE.md says a benchmark keeps."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_trick_is_measured() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_tricks.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    numbered = [line for line in proc.stdout.splitlines() if line[:1].isdigit()]
    assert [line.split()[0] for line in numbered] == [str(number) for number in range(1, 10)]
    assert all(" with " in line and " without " in line for line in numbered)
    architecture = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for number in range(1, 10):
        assert f"| {number} |" in architecture  # each trick has its row there
