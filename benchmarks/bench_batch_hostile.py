"""`rls-screen batch` on hostile shapes: wide CSV headers and rows, and a folder of many
small answer files (issue 19). Prints figures and ratios; asserts nothing.

  columns  a CSV header of N repeated columns (and one row) for N up to the bound, and
           past it (100,000: refused in one line): wall seconds per run, and the ratio
           of each time to the smallest one's against the ratio of the sizes (linear
           work: the time ratio stays near or below the size ratio; start-up dominates
           the small ones);
  folder   a folder of N small answer files (.json): peak RSS of the run (the target in
           docs/benchmarks.md: under 150 MB, flat), and the same for N/10.

Every run is its own process, measured as bench_batch.py measures (its only child).

    python benchmarks/bench_batch_hostile.py [--files 100000] [--skip-folder]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import MEASURE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COLUMN_SIZES = (1_000, 2_500, 5_000, 10_000, 100_000)


def measure(*args: str) -> dict:
    cmd = [sys.executable, "-m", "rls_screen", "batch", *args]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(done.stdout)


def columns(folder: Path) -> None:
    print("CSV header of N repeated columns ('urge' each), then one row:")
    first: tuple[int, float] | None = None
    for size in COLUMN_SIZES:
        path = folder / f"wide{size}.csv"
        path.write_text(",".join(["urge"] * size) + "\n" + ",".join(["yes"] * size) + "\n")
        run = measure(str(path), "--out", str(folder / "out.csv"))
        if first is None:
            first = (size, run["wall"])
        size_ratio, time_ratio = size / first[0], run["wall"] / first[1]
        print(
            f"  {size:>7,} columns: {run['wall']:.3f} s (status {run['status']}), "
            f"size x{size_ratio:.1f}, time x{time_ratio:.2f}"
        )


def folder_memory(folder: Path, files: int) -> None:
    record = json.dumps({"answers": {"urge": "yes", "rest": "yes"}, "meta": {"id": "p"}})
    print("A folder of small answer files: peak RSS (target: under 150 MB, flat):")
    for count in (files // 10, files):
        answers = folder / f"answers{count}"
        answers.mkdir()
        for number in range(count):
            (answers / f"p{number:07d}.json").write_text(record)
        run = measure(str(answers), "--out", str(folder / "out.jsonl"))
        peak = run["peak_kib"] / 1024
        print(
            f"  {count:>7,} files: peak {peak:.1f} MB, {run['wall']:.1f} s (status {run['status']})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--skip-folder", action="store_true")
    parser.add_argument("--skip-columns", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_columns:
            columns(Path(tmp))
        if not args.skip_folder:
            folder_memory(Path(tmp), args.files)


if __name__ == "__main__":
    main()
