"""`rls-screen batch` against reading alone: time and peak memory (issue: batch).

Writes a JSONL file of N random valid answer records (bench_score's generator; partial
records included) to a temp folder, and a second file of its first N/10 records. Then,
for each size, paired in one run:
  (a) a plain pass: open the file, `json.loads` each line (binary lines, as batch reads);
  (b) the real command, `python -m rls_screen batch FILE --out OUT.jsonl`, then again
      with `--out OUT.csv`.
Every run, (a) included, is its own process, timed by wall clock from start to exit (so
(b) pays for its start-up: imports and loading the question bank). Each is started by a
fresh measuring process whose only child it is, so that process's
getrusage(RUSAGE_CHILDREN).ru_maxrss is the peak memory of that one run.

Targets: (b) at most 4x (a) in time; peak memory under 150 MB and the same at N/10 as
at N (memory stays flat).

    python benchmarks/bench_batch.py [--records 1000000] [--seed 1] [--repeats 1]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_score import random_record  # noqa: E402

from rls_screen.core.bank import load_bank  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# Runs one command as its only child; prints wall and CPU seconds, peak RSS (KiB), status.
MEASURE = """\
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_kib": usage.ru_maxrss, "status": proc.returncode,
                  "stderr": proc.stderr.decode(errors="replace")[-500:]}))
"""

PLAIN_PASS = """\
import json, sys
loads = json.loads
with open(sys.argv[1], "rb", buffering=1 << 20) as handle:
    for line in handle:
        loads(line)
"""


def measure(command: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(proc.stdout)


def write_records(path: Path, small: Path, count: int, small_count: int, seed: int) -> int:
    bank = load_bank()
    rng = random.Random(seed)
    size = 0
    with path.open("w") as out, small.open("w") as out_small:
        for number in range(count):
            line = random_record(bank, rng) + "\n"
            out.write(line)
            size += len(line)
            if number < small_count:
                out_small.write(line)
    return size


def run_size(path: Path, records: int, folder: Path, repeats: int) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"plain": [], "jsonl": [], "csv": []}
    for _ in range(repeats):  # interleaved, so drift hits all alike
        runs["plain"].append(measure([sys.executable, "-c", PLAIN_PASS, str(path)]))
        for kind in ("jsonl", "csv"):
            out = folder / f"out.{kind}"
            result = measure(
                [sys.executable, "-m", "rls_screen", "batch", str(path), "--out", str(out)]
            )
            if result["status"] != 0:
                raise SystemExit(f"batch failed ({result['status']}): {result['stderr']}")
            with out.open("rb") as handle:
                rows = sum(1 for _ in handle) - (kind == "csv")
            if rows != records:
                raise SystemExit(f"batch wrote {rows:,} rows for {records:,} records")
            out.unlink()
            runs[kind].append(result)
    return runs


def report(label: str, records: int, size: int, runs: dict[str, list[dict]]) -> None:
    def median(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[kind])

    print(f"{label}: {records:,} records, {size / 1e6:,.1f} MB ({size / records:.0f} bytes each)")
    plain, plain_cpu = median("plain", "wall"), median("plain", "cpu")
    rows = [("(a) open + json.loads each line", "plain")]
    rows += [(f"(b) batch --out OUT.{kind}", kind) for kind in ("jsonl", "csv")]
    for title, kind in rows:
        wall, cpu = median(kind, "wall"), median(kind, "cpu")
        peak = max(r["peak_kib"] for r in runs[kind]) / 1024
        ratio = "" if kind == "plain" else f"{wall / plain:5.2f}x"
        cpu_ratio = "" if kind == "plain" else f" {cpu / plain_cpu:5.2f}x"
        print(
            f"  {title:<33} {wall:7.2f} s wall {ratio:>6} ({wall / records * 1e6:5.1f} us/record)"
            f"  {cpu:7.2f} s CPU{cpu_ratio:>7}  peak {peak:6.1f} MB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=1, help="runs of each; the median counts")
    args = parser.parse_args()
    small_records = max(args.records // 10, 1)

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        folder = Path(tmp)
        big, small = folder / "records.jsonl", folder / "records-small.jsonl"
        size = write_records(big, small, args.records, small_records, args.seed)
        small_size = small.stat().st_size
        big_runs = run_size(big, args.records, folder, args.repeats)
        small_runs = run_size(small, small_records, folder, args.repeats)

    print(
        f"python {sys.version.split()[0]}; each run is one process, timed from start to exit "
        f"(median of {args.repeats}); CPU = user + system time of that process"
    )
    report("N", args.records, size, big_runs)
    report("N/10", small_records, small_size, small_runs)
    print("targets: (b) <= 4x (a) in wall time; peak < 150 MB, and no higher at N than at N/10")


if __name__ == "__main__":
    main()
