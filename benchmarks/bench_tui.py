"""Start-up time, peak memory and key-press latency of the terminal app.

In one run and paired (interleaved), against a minimal Textual app (Header, Static,
RadioSet, Footer):
  * time from process start to the first screen drawn, in a real pseudo-terminal of
    80x24: each start of rls-screen is paired with a start of the minimal app just
    before it, and the median of the --runs paired ratios counts; target at most 1.15x;
  * peak memory (max RSS of the process); target at most 1.25x the minimal app;
  * key press to next question drawn, over a whole walk-through of the classic example
    (headless, in-process): median and p95.

    python benchmarks/bench_tui.py [--runs 21]
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


def key_latencies() -> list[float]:
    """Run the real app in an 80x24 pty, walk through the classic example with number
    keys, and time each key press until the next question's progress line is drawn."""
    from rls_screen.core.bank import load_bank
    from rls_screen.core.walk import Walkthrough

    bank = load_bank()
    answers = json.loads((ROOT / "examples" / "classic.json").read_text())["answers"]
    answers = {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
    # The keys a person presses, found by walking the same answers headlessly.
    walk, presses = Walkthrough(bank), []
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
        walk.answer(item.id, value)
        walk.advance()
        presses.append(keys)

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "--no-autosave"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    os.close(slave)
    screen = bytearray()

    def wait_for(text: bytes, timeout: float = 10) -> None:
        end = time.perf_counter() + timeout
        while text not in screen:
            if time.perf_counter() > end:
                raise SystemExit(f"timed out waiting for {text!r}")
            if select.select([master], [], [], 0.01)[0]:
                screen.extend(os.read(master, 65536))

    wait_for(b"Start")
    time.sleep(0.5)  # let the bank finish loading in the background
    os.write(master, b"\r")
    wait_for(b"Question 1 of about")
    times = []
    for number, keys in enumerate(presses, start=2):
        for key in keys[:-1]:
            os.write(master, key.encode())
        time.sleep(0.05)
        screen.clear()
        start = time.perf_counter()
        os.write(master, keys[-1].encode())
        last = number > len(presses)
        wait_for(b"Check your answers" if last else f"Question {number} of".encode())
        times.append(time.perf_counter() - start)
    proc.terminate()
    proc.wait()
    os.close(master)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    # Byte-compile the package as `pip install` does, so that an editable install (or
    # PYTHONDONTWRITEBYTECODE) does not charge compiling the sources to each start.
    compileall.compile_dir(ROOT / "rls_screen", quiet=1)
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
    times = sorted(key_latencies())
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    print(f"key press to next question drawn ({len(times)} questions, 80x24 pty):")
    print(f"  median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms")


if __name__ == "__main__":
    main()
