"""Start-up of `rls-screen diary` to its first screen, against the minimal Textual app of
bench_tui.py (Header, Static, RadioSet, Footer), in a real 80x24 pseudo-terminal.

The first screen counts as drawn once the night's form is on screen, as the
questionnaire's welcome counts before its bank has loaded (bench_tui.py): the diary (a
week of nights in a fresh database; sqlite3 and the pydantic model) is read in a thread
after the form is drawn, and fills it in. That moment is measured too ("night read").
Each start of the diary is paired with a start of the minimal app just before it; the
median of the paired ratios counts: target at most 1.15x.

    python benchmarks/bench_diary_tui.py [--runs 21]
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_tui  # noqa: E402  (its pty runner and its minimal app)

DIARY_CHILD = (
    r"""
import os, sys
kind, fd = sys.argv[1], int(sys.argv[2])

def signal_drawn():
    # The CPU time of this process so far, in microseconds, at the moment it is drawn
    # (in place of bench_tui.py's peak memory): on a busy machine the wall-clock time
    # is mostly waiting for a core, the CPU time is the work done (of every thread).
    import time
    os.write(fd, str(int(time.process_time() * 1e6)).encode())

if kind == "minimal":
"""
    + bench_tui.CHILD.split('if kind == "minimal":\n', 1)[1].split("else:\n", 1)[0]
    + r"""
else:
    from pathlib import Path
    # Through the real entry point's argument parsing, as `rls-screen diary` starts.
    from rls_screen.cli import parse_args
    args = parse_args(["diary", "--db", os.environ["BENCH_DIARY"]])
    from rls_screen.tui.diary_app import DiaryApp

    class Bench(DiaryApp):
        def on_ready(self):
            if kind == "diary":
                self.call_after_refresh(self.drawn)

        def diary_read(self, night, nights):
            super().diary_read(night, nights)
            if kind == "diary-read":
                self.call_after_refresh(self.drawn)

        def drawn(self):
            signal_drawn()
            self.exit()

    exec(os.environ.get("BENCH_WITHOUT", ""))  # bench_tricks.py: a trick undone
    app = Bench(Path(args.db))
app.run()
"""
)


def week_of_nights(db: Path) -> None:
    import datetime as dt

    from rls_screen.core.diary import parse_night
    from rls_screen.interop.diary_store import DiaryStore

    today = dt.date.today()
    with DiaryStore.open(db) as store:
        for back in range(1, 8):
            raw = {
                "night": (today - dt.timedelta(days=back)).isoformat(),
                "symptoms": "yes",
                "onset": "21:30",
                "severity": 5,
                "bed": "23:00",
                "sleep_latency": 30,
                "wake": "06:30",
            }
            store.put(parse_night(raw), replace=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    compileall.compile_dir(bench_tui.ROOT / "rls_screen", quiet=1)
    bench_tui.CHILD = DIARY_CHILD  # start_once runs this child
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "diary.sqlite3"
        week_of_nights(db)
        import os

        os.environ["BENCH_DIARY"] = str(db)
        kinds = ("minimal", "diary", "diary-read")
        for kind in kinds:
            bench_tui.start_once(kind)  # warm the caches
        results: dict[str, list[float]] = {kind: [] for kind in kinds}
        cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
        for _ in range(args.runs):
            for kind in kinds:
                wall, micros, _ = bench_tui.start_once(kind)  # (its "MB" is our us / 1024)
                results[kind].append(wall)
                cpu[kind].append(micros * 1024 / 1e6)
    med = {kind: statistics.median(times) for kind, times in results.items()}
    print(f"CPU time to first screen (median of {args.runs}):")
    for kind in kinds:
        print(f"  {kind:>10}: {statistics.median(cpu[kind]) * 1000:.0f} ms")
    for kind in kinds[1:]:
        pairs = sorted(r / m for m, r in zip(cpu["minimal"], cpu[kind], strict=True))
        print(f"  {kind}: CPU ratio, median of the paired runs {statistics.median(pairs):.2f}x")
    print(f"start-up (median of {args.runs}, 80x24 pty):")
    print(f"  minimal Textual app, first screen:  {med['minimal'] * 1000:.0f} ms")
    print(f"  rls-screen diary, the form drawn:   {med['diary'] * 1000:.0f} ms")
    print(f"  rls-screen diary, its night read:   {med['diary-read'] * 1000:.0f} ms")
    for kind, what in (("diary", "form drawn"), ("diary-read", "night read")):
        pairs = sorted(r / m for m, r in zip(results["minimal"], results[kind], strict=True))
        quartiles = statistics.quantiles(pairs, n=4)
        print(
            f"  {what}: ratio, median of the {len(pairs)} paired runs "
            f"{statistics.median(pairs):.2f}x (middle half {quartiles[0]:.2f}x to "
            f"{quartiles[2]:.2f}x)" + ("; target <= 1.15x" if kind == "diary" else "")
        )


if __name__ == "__main__":
    main()
