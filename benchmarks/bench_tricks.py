"""Does each speed trick still earn its place? (ARCHITECTURE.md, "Speed".)

For each trick in the code, the same work is timed with it and without it, paired and
interleaved (A, B, A, B, ...), and the medians and their ratio are printed with the
target the trick bears on. Nothing in rls_screen is changed: "without" is the plain way
of doing the same thing, called from here.

  1. cli.parse_args answers a bare `rls-screen` without building every sub-command's
     parser. Fresh interpreters: parse_args([]) against build_parser().parse_args([]).
  2. The terminal app draws its first screen before the bank (pydantic) is loaded, in a
     thread. Fresh interpreters: importing the app against importing it and loading the
     bank, which is what would come before the first screen without the trick.
     Both bear on start-up: at most 1.15x a minimal Textual app (bench_tui.py), which
     takes about 350 ms here; each line says what share of that the trick saves.
  3. engine._Compiled: scoring with look-up tables against the plain reading of the rules
     in tests/test_compiled_rules.py (the same results, computed the long way round).
  4. answers.check_answers checks the all-valid case in C; against its careful loop,
     reached with the same answers in a read-only mapping.
  5. batch reads a JSONL line with the plain scanner and counts keys against colons,
     going to the strict decoder only when they differ; against the strict decoder
     (answers.load_json) on every line.
  6. batch writes results with encoders derived from engine.Result; against
     json.dumps of the same result.
     3 to 6 bear on scoring: at most 4x json.loads alone (bench_score.py, bench_batch.py);
     each line gives the trick's share of json.loads' time per record.
  7. The terminal app's footer (tui.widgets.footer) is rebuilt once for a burst of key
     changes; Textual's own rebuilds it once per change. In process, headless: CPU from
     Enter on the welcome to the first question, and the footer rebuilds it took, against
     the same with Textual's bindings_changed put back. It bears on the test suite's 2
     minutes (its terminal tests open screens hundreds of times) and on every screen
     a person opens.
  8. cli.parse_args builds only the named command's parser for a command line that
     starts with one (`rls-screen diary`). Fresh interpreters: parse_args(["diary"])
     against build_parser().parse_args(["diary"]).
  9. `rls-screen diary` draws its form with one picture of its fourteen boxes; the boxes
     come in its place, and the diary (sqlite3, pydantic) is read in a thread, after the
     first frame. In an 80x24 pty (bench_diary_tui.py's child), CPU time to the form
     drawn, against the same with the boxes made, and the read started, as the form
     mounts.
     8 and 9 bear on the diary's start-up: at most 1.15x a minimal Textual app
     (bench_diary_tui.py); each line says what share of the minimal app's CPU time to
     its first screen (measured in the same runs) the trick saves.

    python benchmarks/bench_tricks.py [--records 3000] [--starts 15] [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

STARTUP_MS = 350.0  # a minimal Textual app to its first screen, here (bench_tui.py)


def paired(a: Callable[[], float], b: Callable[[], float], rounds: int) -> tuple[float, float]:
    """Medians of ``a`` and ``b`` (each returns seconds), run in turns."""
    first, second = [], []
    for turn in range(rounds):
        if turn % 2:
            second.append(b())
            first.append(a())
        else:
            first.append(a())
            second.append(b())
    return statistics.median(first), statistics.median(second)


def fresh(code: str) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - start

    return run


def fresh_cpu(code: str) -> Callable[[], float]:
    """CPU seconds of a fresh interpreter that runs ``code`` (its start included)."""

    def run() -> float:
        done = subprocess.run(
            [sys.executable, "-c", f"{code}\nimport time; print(time.process_time())"],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        return float(done.stdout.split()[-1])

    return run


def timed(work: Callable[[], object]) -> Callable[[], float]:
    def run() -> float:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start

    return run


def first_question(textual_footer: bool) -> tuple[float, int]:
    """(CPU seconds from Enter on the welcome until the first question has settled, footer
    rebuilds meanwhile), headless at 80x24; with Textual's own footer if asked."""
    import asyncio
    import os

    from textual.widgets import Footer as TextualFooter

    from rls_screen.tui.app import make_app
    from rls_screen.tui.screens.question import QuestionScreen
    from rls_screen.tui.screens.welcome import WelcomeScreen
    from rls_screen.tui.widgets.footer import Footer

    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    rebuilds = 0
    real_recompose = TextualFooter.recompose

    async def counted(self: TextualFooter) -> None:
        nonlocal rebuilds
        rebuilds += 1
        await real_recompose(self)

    async def once() -> float:
        app = make_app(autosave=False)
        async with app.run_test(size=(80, 24)) as pilot:
            while not isinstance(app.screen, WelcomeScreen):
                await pilot.pause()
            for _ in range(10):
                await pilot.pause()
            start = time.process_time()
            await pilot.press("enter")
            while not isinstance(app.screen, QuestionScreen):
                await pilot.pause()
            for _ in range(10):  # the footer's rebuilds come after the first refresh
                await pilot.pause()
            return time.process_time() - start

    mine = Footer.bindings_changed
    TextualFooter.recompose = counted  # type: ignore[method-assign]
    if textual_footer:
        Footer.bindings_changed = TextualFooter.bindings_changed  # type: ignore[method-assign]
    try:
        return asyncio.run(once()), rebuilds
    finally:
        TextualFooter.recompose = real_recompose  # type: ignore[method-assign]
        Footer.bindings_changed = mine  # type: ignore[method-assign]


# Trick 9 undone in bench_diary_tui.py's child (its BENCH_WITHOUT).
WITHOUT_DIARY_TRICKS = {
    "9": (
        "from rls_screen.tui.screens.diary_form import DiaryFormScreen\n"
        "async def _at_once(self):\n"
        "    await self.build_boxes()\n"
        "DiaryFormScreen.on_mount = _at_once\n"
    ),
}


def diary_starts(rounds: int) -> dict[str, float]:
    """Median CPU milliseconds to the first screen, in an 80x24 pty: the minimal Textual
    app ("minimal"), the diary's form as it is ("with") and with trick 9 undone ("9");
    interleaved."""
    import os
    import tempfile

    import bench_diary_tui
    import bench_tui

    bench_tui.CHILD = bench_diary_tui.DIARY_CHILD
    sides = {"minimal": None, "with": "", **WITHOUT_DIARY_TRICKS}
    cpu: dict[str, list[float]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "diary.sqlite3"
        bench_diary_tui.week_of_nights(db)
        os.environ["BENCH_DIARY"] = str(db)
        try:
            for turn in range(rounds + 1):  # the first round warms the caches
                for side, undo in sides.items():
                    os.environ["BENCH_WITHOUT"] = undo or ""
                    _, micros, _ = bench_tui.start_once("minimal" if undo is None else "diary")
                    if turn:
                        cpu[side].append(micros * 1024 / 1000)  # its "MB": our us / 1024
        finally:
            os.environ.pop("BENCH_WITHOUT", None)
    return {side: statistics.median(times) for side, times in cpu.items()}


def line(name: str, with_: float, without: float, unit: str, bears: str) -> None:
    ratio = without / with_ if with_ else float("inf")
    print(
        f"{name:<34} with {with_:9.3f} {unit}  without {without:9.3f} {unit}  "
        f"saves {without - with_:8.3f} {unit} ({ratio:4.2f}x)  {bears}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=3000)
    parser.add_argument("--starts", type=int, default=15, help="fresh interpreters per side")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for the tests)")
    args = parser.parse_args()
    if args.quick:
        args.records, args.starts = 60, 1
    # --quick shows that each trick is measured (tests/test_bench_tricks.py), not how much
    # it saves: one round of each.
    rounds = 1 if args.quick else 9

    from bench_score import random_record
    from test_compiled_rules import plain_result

    from rls_screen.batch.columns import layout
    from rls_screen.batch.reading import FAST_SCAN, all_keys
    from rls_screen.core.answers import check_answers, load_json, parse_document
    from rls_screen.core.bank import load_bank
    from rls_screen.core.engine import evaluate

    print(f"python {sys.version.split()[0]}; {args.records} records; {args.starts} starts")
    # 1 and 2: start-up, in fresh interpreters.
    bare, built = paired(
        fresh("from rls_screen.cli import parse_args; parse_args([])"),
        fresh("from rls_screen.cli import build_parser; build_parser().parse_args([])"),
        args.starts,
    )
    saved = (built - bare) * 1000
    line("1 bare rls-screen, no parsers", bare * 1000, built * 1000, "ms", "")
    print(f"{'':34} = {saved / STARTUP_MS:.1%} of start-up (target: at most 1.15x)")
    app, with_bank = paired(
        fresh("import rls_screen.tui.app"),
        fresh("import rls_screen.tui.app\nfrom rls_screen.core.bank import load_bank\nload_bank()"),
        args.starts,
    )
    saved = (with_bank - app) * 1000
    line("2 bank after the first screen", app * 1000, with_bank * 1000, "ms", "")
    print(f"{'':34} = {saved / STARTUP_MS:.1%} of start-up (target: at most 1.15x)")

    # 3 to 6: scoring, in process, per record.
    bank = load_bank()
    rng = random.Random(1)
    lines = [random_record(bank, rng) for _ in range(args.records)]
    raws = [json.loads(text)["answers"] for text in lines]
    answers = [parse_document(json.loads(text), bank, "bench") for text in lines]
    results = [evaluate(bank, a) for a in answers]
    n = len(lines)
    per = 1e6 / n  # seconds for all records -> microseconds per record
    parse_us = statistics.median(timed(lambda: [json.loads(t) for t in lines])() for _ in range(5))
    parse_us *= per
    print(f"{'json.loads alone':<34} {parse_us:9.3f} us a record (the 4x targets' unit)")

    def share(with_: float, without: float) -> str:
        return f"= {(without - with_) / parse_us:.2f}x json.loads (target: at most 4x)"

    compiled, plain = paired(
        timed(lambda: [evaluate(bank, a) for a in answers]),
        timed(lambda: [plain_result(a) for a in answers]),
        rounds,
    )
    line(
        "3 rules as look-up tables",
        compiled * per,
        plain * per,
        "us",
        share(compiled * per, plain * per),
    )

    fast, careful = paired(
        timed(lambda: [check_answers(r, bank, "x") for r in raws]),
        timed(lambda: [check_answers(types.MappingProxyType(r), bank, "x") for r in raws]),
        rounds,
    )
    line(
        "4 valid answers checked in C",
        fast * per,
        careful * per,
        "us",
        share(fast * per, careful * per),
    )

    encoded = [t.encode() for t in lines]

    def scan_and_count() -> None:
        for text, raw in zip(lines, encoded, strict=True):
            doc, _ = FAST_SCAN(text, 0)
            all_keys(doc) == raw.count(b":")  # noqa: B015 (the check batch makes)

    scanned, strict = paired(
        timed(scan_and_count),
        timed(lambda: [load_json(t, "x") for t in lines]),
        rounds,
    )
    line(
        "5 strict JSON on a fast path",
        scanned * per,
        strict * per,
        "us",
        share(scanned * per, strict * per),
    )

    encode = layout().json
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    derived, generic = paired(
        timed(lambda: [encode(r) for r in results]),
        timed(lambda: [dumps(r) for r in results]),
        rounds,
    )
    line(
        "6 result encoder from Result",
        derived * per,
        generic * per,
        "us",
        share(derived * per, generic * per),
    )

    # 7: the terminal app, in process.
    first_question(False)  # the first run of each loads and compiles what it needs
    first_question(True)
    ours: list[tuple[float, int]] = []
    textual: list[tuple[float, int]] = []
    for turn in range(rounds):
        for use_textual in (turn % 2 == 1, turn % 2 == 0):
            (textual if use_textual else ours).append(first_question(use_textual))
    once_ms = statistics.median(t for t, _ in ours) * 1000
    each_ms = statistics.median(t for t, _ in textual) * 1000
    line("7 footer rebuilt once per burst", once_ms, each_ms, "ms", "")
    print(
        f"{'':34} = footer rebuilds {statistics.median(n for _, n in ours):.0f} against "
        f"{statistics.median(n for _, n in textual):.0f} from Enter to the first question "
        "(target: the 2-minute test suite)"
    )

    # 8 and 9: the diary's start-up, in CPU time (the minimal app's is measured alike).
    named, built = paired(
        fresh_cpu("from rls_screen.cli import parse_args; parse_args(['diary'])"),
        fresh_cpu("from rls_screen.cli import build_parser; build_parser().parse_args(['diary'])"),
        args.starts,
    )
    diary = diary_starts(1 if args.quick else args.starts)
    minimal = diary["minimal"]
    line("8 rls-screen diary, one parser", named * 1000, built * 1000, "ms", "")
    print(
        f"{'':34} = {(built - named) * 1000 / minimal:.1%} of the minimal app's "
        f"{minimal:.0f} ms of CPU to its first screen (target: at most 1.15x)"
    )
    line("9 diary's boxes after 1st frame", diary["with"], diary["9"], "ms", "")
    print(
        f"{'':34} = {(diary['9'] - diary['with']) / minimal:.1%} of it (the form drawn at "
        f"{diary['with'] / minimal:.2f}x, {diary['9'] / minimal:.2f}x without; target: at "
        "most 1.15x)"
    )


if __name__ == "__main__":
    main()
