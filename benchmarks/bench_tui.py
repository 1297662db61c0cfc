"""Start-up time, peak memory and key-press latency of the terminal app.

In one run and paired (interleaved), against a minimal Textual app (Header, Static,
RadioSet, Footer):
  * time from process start to the first screen drawn, in a real pseudo-terminal of
    80x24: each start of rls-screen is paired with a start of the minimal app just
    before it, and the median of the --runs paired ratios counts; target at most 1.15x;
  * peak memory (max RSS of the process); target at most 1.25x the minimal app;
  * key press (an answer) to next question drawn, over whole walk-throughs of the classic
    example, each app in its own 80x24 pty: rls-screen with autosave on (the draft
    written to a fresh folder on disk, as a person's is) against a minimal Textual app
    that, on each key, changes its question line and swaps its RadioSet for the next
    question's. Paired and interleaved: the apps run side by side and each question's key
    goes to each in turn (the order rotating), so that all feel the machine alike. Two
    more rls-screens show what autosave costs: one with --no-autosave, and one as it was
    before its draft writer, saving on the UI thread (patched in the benchmark's child
    process only). Medians, p95 and their ratios; target p95 at most 1.25x the minimal
    app.

    python benchmarks/bench_tui.py [--runs 21] [--walks 5] [--keys-only] [--disk-delay MS]

--disk-delay makes each draft write that many milliseconds slower (in the benchmark's
child processes only), as on a slow or busy disk, to show what the draft writer saves.
"""

from __future__ import annotations

import argparse
import compileall
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import os, sys
kind, fd = sys.argv[1], int(sys.argv[2])

def signal_drawn():
    # Peak memory so far (VmHWM), at the moment the first screen is drawn.
    with open("/proc/self/status") as status:
        hwm = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    os.write(fd, hwm.encode())

if kind == "minimal":
    from textual.app import App
    from textual.widgets import Footer, Header, RadioSet, Static

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("Do you often feel an urge to move your legs?")
            yield RadioSet("Yes", "No", "Not sure")
            yield Footer()

        def on_ready(self):
            self.call_after_refresh(self.drawn)

        def drawn(self):
            signal_drawn()
            self.exit()

    app = Minimal()
else:
    # Through the real entry point's argument parsing, as `rls-screen` starts.
    from rls_screen.cli import parse_args
    parse_args([])
    from rls_screen.tui.app import RlsScreenApp
    from rls_screen.tui.screens.welcome import WelcomeScreen

    class Bench(RlsScreenApp):
        def on_ready(self):
            self.call_after_refresh(self.drawn)

        def drawn(self):
            if not isinstance(self.screen, WelcomeScreen):
                self.call_after_refresh(self.drawn)
                return
            signal_drawn()
            # Stay until the bank has loaded in the background (it is the last thing
            # loaded), so that the whole-run peak memory includes it.
            self.set_interval(0.02, self.exit_when_loaded)

        def exit_when_loaded(self):
            from rls_screen.core.bank import load_bank

            if load_bank.cache_info().currsize:
                self.exit()

    app = Bench(autosave=False)
app.run()
"""


def start_once(kind: str) -> tuple[float, float, float]:
    """(seconds from process start to first screen drawn, peak RSS in MB at that moment,
    peak RSS in MB over the whole run: after it, the app goes on loading the bank)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    ready_r, ready_w = os.pipe()
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, kind, str(ready_w)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        pass_fds=(ready_w,),
        env=env,
        cwd=ROOT,
    )
    os.close(slave)
    os.close(ready_w)
    stop = threading.Event()

    def drain() -> None:  # the terminal must be read, or the app blocks on output
        while not stop.is_set():
            if select.select([master], [], [], 0.05)[0]:
                try:
                    os.read(master, 65536)
                except OSError:
                    return

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    select.select([ready_r], [], [], 30)
    drawn = time.perf_counter() - started
    first_screen_kb = int(os.read(ready_r, 64) or 0)
    _, status, usage = os.wait4(proc.pid, 0)
    stop.set()
    reader.join()
    os.close(master)
    os.close(ready_r)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{kind} app failed with status {status}")
    return drawn, first_screen_kb / 1024, usage.ru_maxrss / 1024


KEY_CHILD = r"""
import json, os, sys
kind = sys.argv[1]

if kind == "minimal":
    from textual.app import App
    from textual.binding import Binding
    from textual.widgets import Footer, Header, RadioSet, Static

    QUESTIONS = json.loads(os.environ["BENCH_QUESTIONS"])

    class Minimal(App):
        BINDINGS = [
            Binding(key, "next", show=False, priority=True)
            for key in ["1", "2", "3", "4", "5", "6", "7", "8", "9", "s", "enter"]
        ]

        def compose(self):
            self.number = 1
            text, labels = QUESTIONS[0]
            yield Header()
            yield Static(self.progress(), id="progress")
            yield Static(text, id="question")
            yield RadioSet(*labels)
            yield Footer()

        def progress(self):
            return f"Question {self.number} of about {len(QUESTIONS)}"

        def action_next(self):
            # The next question: its line, and a new RadioSet in place of the old one.
            self.number += 1
            text, labels = QUESTIONS[min(self.number, len(QUESTIONS)) - 1]
            self.query_one("#progress", Static).update(self.progress())
            self.query_one("#question", Static).update(text)
            old = self.query_one(RadioSet)
            new = RadioSet(*(labels or ["(your own words)"]))
            self.mount(new, after=old)
            old.remove()
            new.focus()

    Minimal().run()
else:
    delay = float(os.environ.get("BENCH_DISK_DELAY", "0")) / 1000
    if delay:
        # A slower disk (a network home folder, a busy hard disk): each draft write
        # waits this long first, as a slow fsync would (the GIL is free meanwhile).
        import time
        import rls_screen.interop.drafts as drafts

        real_write = drafts.write_private

        def slow_write(path, text):
            time.sleep(delay)
            return real_write(path, text)

        drafts.write_private = slow_write
    if kind == "rls-sync":
        # rls-screen as it was before the draft writer: the draft written on the UI
        # thread, inside the key press.
        from rls_screen.tui.app import RlsScreenApp

        def autosave(self):
            walk = self.walk
            if self.drafts is None or walk is None:
                return
            current = walk.current
            self.drafts.save(walk.answers, current.id if current else None)

        RlsScreenApp.autosave = autosave
    from rls_screen.cli import main

    raise SystemExit(main(["--no-autosave"] if kind == "rls-off" else []))
"""

SYNC_QUERY = b"\x1b[?2026$p"  # does the terminal support synchronized output?
SYNC_REPLY = b"\x1b[?2026;2$y"  # yes (mode 2026 known, now reset)
SYNC_START = b"\x1b[?2026h"  # a frame begins

KINDS = ("minimal", "rls", "rls-off", "rls-sync")
LABELS = {
    "minimal": "minimal Textual app",
    "rls": "rls-screen, autosave on (draft writer)",
    "rls-off": "rls-screen, --no-autosave",
    "rls-sync": "rls-screen, autosave on the UI thread (before)",
}


def classic_presses() -> tuple[list[list[str]], list[tuple[str, list[str]]]]:
    """The keys a person presses through the classic example (found by walking the same
    answers headlessly), and each question's text and option labels."""
    from rls_screen.core.bank import load_bank
    from rls_screen.core.walk import Walkthrough

    bank = load_bank()
    answers = json.loads((ROOT / "examples" / "classic.json").read_text())["answers"]
    answers = {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
    walk, presses, questions = Walkthrough(bank), [], []
    while walk.current is not None:
        item = walk.current
        value = answers.get(item.id)
        if item.kind == "text":  # the own-words box: type, then Enter (empty: skip)
            keys = [*(value or ""), "\r"]
        elif value is None:
            keys = ["s"]
        elif isinstance(value, str):
            keys = [str(item.codes.index(value) + 1)]
        else:
            keys = [str(item.codes.index(c) + 1) for c in value] + ["\r"]
        questions.append((item.text, [o.label for o in item.options]))
        walk.answer(item.id, value)
        walk.advance()
        presses.append(keys)
    return presses, questions


class Terminal:
    """One app in its own 80x24 pty."""

    def __init__(self, kind: str, env: dict[str, str]) -> None:
        self.kind = kind
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.proc = subprocess.Popen(
            [sys.executable, "-c", KEY_CHILD, kind],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        os.close(slave)
        self.screen = bytearray()
        self.synced = False

    def read(self) -> None:
        self.screen.extend(os.read(self.master, 65536))
        if not self.synced and SYNC_QUERY in self.screen:
            # Answer as most terminals now do: synchronized output is supported. Each
            # frame then comes between SYNC_START and its end, so frames can be counted.
            os.write(self.master, SYNC_REPLY)
            self.synced = True

    def frames_until(self, text: bytes) -> int:
        """Frames begun since the screen was cleared, up to the one that drew ``text``."""
        return self.screen[: self.screen.find(text)].count(SYNC_START)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def stop(self) -> None:
        """End the app, reading what it still draws: an app whose terminal is not read
        blocks on its last writes (leaving the alternate screen) and never ends."""
        self.proc.terminate()
        end = time.perf_counter() + 10
        while self.proc.poll() is None and time.perf_counter() < end:
            if select.select([self.master], [], [], 0.05)[0]:
                try:
                    os.read(self.master, 65536)
                except OSError:
                    break
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        os.close(self.master)


def wait_for(term: Terminal, text: bytes, others: list[Terminal], timeout: float = 15) -> None:
    """Until ``text`` is drawn in ``term`` (reading the others too, so that none blocks
    on a full terminal)."""
    end = time.perf_counter() + timeout
    while text not in term.screen:
        if time.perf_counter() > end:
            raise SystemExit(f"{term.kind}: timed out waiting for {text!r}")
        ready = select.select([t.master for t in [term, *others]], [], [], 0.01)[0]
        for t in [term, *others]:
            if t.master in ready:
                t.read()


def settle(terms: list[Terminal], quiet: float = 0.03, most: float = 2.0) -> None:
    """Read every terminal until none has drawn anything for ``quiet`` seconds (at least
    50 ms, at most ``most``): each key is then pressed on a still screen, as a person
    presses it, and what an earlier key drew is not counted as the next key's."""
    start = time.perf_counter()
    last = start
    while True:
        now = time.perf_counter()
        if now - start > most or (now - last > quiet and now - start > 0.05):
            return
        ready = select.select([t.master for t in terms], [], [], 0.01)[0]
        for term in terms:
            if term.master in ready:
                term.read()
                last = time.perf_counter()


def key_walk(
    presses: list[list[str]], questions: list, rotate: int, disk_delay: float
) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    """One walk-through of the apps side by side: for each question, its key goes to
    each app in turn and is timed until that app has drawn the next question; and the
    frames each drew from the key up to the one with the next question."""
    import tempfile

    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    env["BENCH_QUESTIONS"] = json.dumps(questions)
    env["BENCH_DISK_DELAY"] = str(disk_delay)
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        terms = []
        for kind in KINDS:
            home = Path(tmp) / kind  # a real draft folder on disk, fresh for each walk
            terms.append(Terminal(kind, {**env, "XDG_DATA_HOME": str(home)}))
        try:
            for term in terms:
                others = [t for t in terms if t is not term]
                if term.kind == "minimal":
                    wait_for(term, b"Question 1 of about", others)
                else:
                    wait_for(term, b"Start", others)
            time.sleep(0.5)  # let rls-screen finish loading its bank in the background
            for term in terms:
                if term.kind != "minimal":
                    term.screen.clear()
                    term.send("\r")
                    wait_for(term, b"Question 1 of about", [t for t in terms if t is not term])
            times: dict[str, list[float]] = {kind: [] for kind in KINDS}
            frames: dict[str, list[int]] = {kind: [] for kind in KINDS}
            for number, keys in enumerate(presses, start=2):
                last = number > len(presses)
                turn = (number + rotate) % len(terms)
                for term in terms[turn:] + terms[:turn]:
                    others = [t for t in terms if t is not term]
                    if term.kind != "minimal":
                        for key in keys[:-1]:
                            term.send(key)
                    settle(terms)
                    term.screen.clear()
                    started = time.perf_counter()
                    term.send(keys[-1])
                    if last and term.kind != "minimal":
                        drawn = b"Check your answers"
                    else:
                        drawn = f"Question {number} of".encode()
                    wait_for(term, drawn, others)
                    times[term.kind].append(time.perf_counter() - started)
                    frames[term.kind].append(term.frames_until(drawn))
            time.sleep(0.3)
            for kind in ("rls", "rls-sync"):  # the autosave did write the drafts
                draft = Path(tmp) / kind / "rls-screen" / "draft.json"
                written = json.loads(draft.read_text())["answers"]
                if len(written) < len(presses) // 2:
                    raise SystemExit(f"{kind}: the draft has {len(written)} answers")
        finally:
            for term in terms:
                term.stop()
    return times, frames


def p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]


def report_keys(walks: int, disk_delay: float = 0) -> None:
    presses, questions = classic_presses()
    per_walk: list[dict[str, list[float]]] = []
    frames: dict[str, list[int]] = {kind: [] for kind in KINDS}
    for walk in range(walks):
        times, drawn = key_walk(presses, questions, walk, disk_delay)
        per_walk.append(times)
        for kind in KINDS:
            frames[kind] += drawn[kind]
    every = {kind: [t for w in per_walk for t in w[kind]] for kind in KINDS}
    count = len(every["minimal"])
    print(
        f"key press (an answer) to next question drawn, {len(presses)} questions x "
        f"{walks} walks = {count} presses each, 80x24 pty, {len(KINDS)} apps side by side"
        + (f", each draft write {disk_delay:g} ms slower:" if disk_delay else ":")
    )
    for kind in KINDS:
        print(
            f"  {LABELS[kind]:<48} median {statistics.median(every[kind]) * 1000:5.1f} ms, "
            f"p95 {p95(every[kind]) * 1000:5.1f} ms"
        )
    print("  frames drawn from the key up to the next question (1: it is the first):")
    for kind in KINDS:
        counts = frames[kind]
        more = sum(1 for n in counts if n > 1)
        print(
            f"  {LABELS[kind]:<48} mean {statistics.mean(counts):4.2f}, more than one "
            f"in {more} of {len(counts)}"
        )
    for kind in KINDS[1:]:
        paired = [r / m for r, m in zip(every[kind], every["minimal"], strict=True)]
        med = statistics.median(every[kind]) / statistics.median(every["minimal"])
        tail = p95(every[kind]) / p95(every["minimal"])
        walk_tails = [p95(w[kind]) / p95(w["minimal"]) for w in per_walk]
        walk_meds = [statistics.median(w[kind]) / statistics.median(w["minimal"]) for w in per_walk]
        target = " (target <= 1.25x)" if kind == "rls" else ""
        print(f"  {LABELS[kind]} / minimal:")
        print(
            f"    p95 {tail:.2f}x{target}, walk by walk {min(walk_tails):.2f}x-"
            f"{max(walk_tails):.2f}x; median {med:.2f}x, walk by walk "
            f"{min(walk_meds):.2f}x-{max(walk_meds):.2f}x; median of the paired ratios "
            f"{statistics.median(paired):.2f}x"
        )
    for what, slower, faster in (
        ("autosave on the UI thread minus the draft writer", "rls-sync", "rls"),
        ("the draft writer minus no autosave", "rls", "rls-off"),
    ):
        diff = [a - b for a, b in zip(every[slower], every[faster], strict=True)]
        low, _, high = statistics.quantiles(diff, n=4)
        print(
            f"  {what}, paired: median {statistics.median(diff) * 1000:+.2f} ms "
            f"(middle half {low * 1000:+.2f} to {high * 1000:+.2f} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--walks", type=int, default=5, help="walk-throughs for the keys")
    parser.add_argument("--keys-only", action="store_true", help="only the key presses")
    parser.add_argument(
        "--disk-delay",
        type=float,
        default=0,
        metavar="MS",
        help="make each draft write this much slower, as on a slow disk (default 0)",
    )
    args = parser.parse_args()

    # Byte-compile the package as `pip install` does, so that an editable install (or
    # PYTHONDONTWRITEBYTECODE) does not charge compiling the sources to each start.
    compileall.compile_dir(ROOT / "rls_screen", quiet=1)
    if args.keys_only:
        report_keys(args.walks, args.disk_delay)
        return
    start_once("minimal"), start_once("rls")  # warm the file cache for both
    results: dict[str, list[tuple[float, float]]] = {"minimal": [], "rls": []}
    for _ in range(args.runs):
        for kind in ("minimal", "rls"):
            results[kind].append(start_once(kind))
    med = {k: statistics.median(t for t, _, _ in v) for k, v in results.items()}
    # Each rls-screen start is paired with the minimal app's start just before it: on a
    # shared machine whose speed shifts between spells, the ratio within a pair is what
    # both feel alike, and the median of those ratios is the figure.
    pairs = sorted(r[0] / m[0] for m, r in zip(results["minimal"], results["rls"], strict=True))
    quartiles = statistics.quantiles(pairs, n=4)
    mem = {k: max(m for _, m, _ in v) for k, v in results.items()}
    whole = {k: max(m for _, _, m in v) for k, v in results.items()}
    print(f"start-up to first screen drawn (median of {args.runs}, 80x24 pty):")
    print(f"  minimal Textual app: {med['minimal'] * 1000:.0f} ms")
    print(f"  rls-screen:          {med['rls'] * 1000:.0f} ms")
    print(
        f"  ratio, median of the {len(pairs)} paired runs: {statistics.median(pairs):.2f}x "
        f"(target <= 1.15x; middle half {quartiles[0]:.2f}x to {quartiles[2]:.2f}x)"
    )
    print("peak memory (VmHWM) when the first screen is drawn:")
    print(f"  minimal Textual app: {mem['minimal']:.1f} MB")
    print(f"  rls-screen:          {mem['rls']:.1f} MB")
    print(f"  ratio: {mem['rls'] / mem['minimal']:.2f}x (target <= 1.25x)")
    print("peak memory over the whole run (max RSS; rls-screen loads its bank after the")
    print("first screen, while the person reads it):")
    print(
        f"  minimal Textual app: {whole['minimal']:.1f} MB, rls-screen: {whole['rls']:.1f} MB"
        f" ({whole['rls'] / whole['minimal']:.2f}x)"
    )
    report_keys(args.walks, args.disk_delay)


if __name__ == "__main__":
    main()
