"""`rls-screen diary summary` over ten years of nights (3,650), in-process (issue 22).

Fills a diary database in a temp folder with 3,650 nights (a fixed seed: some nights
without symptoms, some with bed or onset after midnight, some fields missing), then
times the command as a person or a script calls it, in this process
(`rls_screen.cli.main(["diary", "--db", DB, "summary", ...])`): reading every night
from SQLite, checking each, and working out the figures over all of them (--from
2000-01-01) and over the default 28-day window. Prints the median of the repeats.

    python benchmarks/bench_diary.py [--nights 3650] [--repeats 7] [--seed 1]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rls_screen.cli import main
from rls_screen.core.diary import parse_night
from rls_screen.interop.diary_store import DiaryStore


def random_night(day: dt.date, rng: random.Random) -> dict:
    night: dict = {"night": day.isoformat()}
    symptoms = rng.choice(["yes", "yes", "no", "unsure"])
    night["symptoms"] = symptoms
    if symptoms == "yes":
        night["onset"] = f"{rng.choice([18, 19, 20, 21, 22, 23, 0, 1]):02d}:{rng.randrange(60):02d}"
        night["severity"] = rng.randrange(11)
    if rng.random() < 0.9:
        night["bed"] = f"{rng.choice([22, 23, 0, 1]):02d}:{rng.randrange(60):02d}"
        night["sleep_latency"] = rng.randrange(0, 121)
        night["awakenings"] = rng.randrange(0, 6)
        night["awake_minutes"] = rng.randrange(0, 91)
        night["wake"] = f"{rng.choice([5, 6, 7, 8]):02d}:{rng.randrange(60):02d}"
    if rng.random() < 0.3:
        night["rls_medicine_time"] = f"{rng.choice([19, 20, 21]):02d}:00"
    if rng.random() < 0.2:
        night["note"] = "walked in the evening"
    return night


def timed(argv: list[str]) -> tuple[float, str]:
    out = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out):
        status = main(argv)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"exit status {status}")
    return elapsed, out.getvalue()


def run(nights: int, repeats: int, seed: int) -> None:
    rng = random.Random(seed)
    first = dt.date(2000, 1, 1)
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "diary.sqlite3")
        with DiaryStore.open(db) as store:
            store.put_many(
                parse_night(random_night(first + dt.timedelta(days=i), rng)) for i in range(nights)
            )
        for label, extra in (
            (f"all {nights:,} nights, JSON", ["--format", "json", "--from", "2000-01-01"]),
            (f"all {nights:,} nights, text", ["--from", "2000-01-01"]),
            ("the default 28 days, JSON", ["--format", "json"]),
        ):
            argv = ["diary", "--db", db, "summary", *extra]
            timed(argv)  # warm: imports and the texts read once
            times = [timed(argv)[0] for _ in range(repeats)]
            print(
                f"diary summary, {label}: median {statistics.median(times) * 1000:.1f} ms"
                f" (min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}; {repeats} runs)"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nights", type=int, default=3650)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    run(options.nights, options.repeats, options.seed)
    sys.exit(0)
