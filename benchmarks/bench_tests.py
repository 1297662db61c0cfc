"""CPU time of the test suite, per file and per test.

Wall time is noise on a shared machine, so this counts CPU seconds: user + system time
of the pytest process and of its children (the subprocesses and ptys a test starts and
waits for), taken from resource.getrusage around each test's set-up, call and tear-down.
Everything runs in one process (no xdist), so each second is charged to one test.

    python benchmarks/bench_tests.py [--json out.json] [--compare before.json] [pytest args]

With no pytest args it runs the whole of tests/. It prints the total CPU seconds, the
top 15 files and the top 30 tests (CPU seconds, wall seconds and their share of the
total), and the estimated wall time of `pytest -n 4` on 2 cores: CPU / 2 plus the
longest single test. --compare prints, per file, the CPU seconds before and now and
their ratio.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOP_FILES = 15
TOP_TESTS = 30
CORES = 2


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class Recorder:
    """A pytest plugin: CPU and wall seconds of each test (set-up + call + tear-down)."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)
        self.outcomes: dict[str, str] = {}
        self.session_cpu = 0.0
        self.session_wall = 0.0

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        cpu0, wall0 = _cpu(), time.perf_counter()
        yield
        self.cpu[item.nodeid] += _cpu() - cpu0
        self.wall[item.nodeid] += time.perf_counter() - wall0

    def pytest_runtest_logreport(self, report) -> None:
        if report.failed or report.when == "call":
            self.outcomes.setdefault(report.nodeid, report.outcome)
            if report.failed:
                self.outcomes[report.nodeid] = "failed"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_sessionstart(self, session):
        self._start = (_cpu(), time.perf_counter())
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_sessionfinish(self, session, exitstatus):
        yield
        cpu0, wall0 = self._start
        self.session_cpu = _cpu() - cpu0
        self.session_wall = time.perf_counter() - wall0


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def summarise(data: dict) -> dict:
    per_file: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for nodeid, cpu in data["cpu"].items():
        row = per_file[_file(nodeid)]
        row[0] += cpu
        row[1] += data["wall"][nodeid]
        row[2] += 1
    return per_file


def report(data: dict, before: dict | None) -> None:
    total_cpu = sum(data["cpu"].values())
    total_wall = sum(data["wall"].values())
    longest = max(data["cpu"], key=lambda n: data["wall"][n])
    per_file = summarise(data)
    print(f"tests: {len(data['cpu'])}  failed: {len(data['failed'])}")
    print(f"CPU seconds, sum over tests: {total_cpu:8.1f}")
    print(
        f"wall seconds, sum over tests: {total_wall:7.1f}  (CPU/wall {total_cpu / total_wall:.2f})"
    )
    print(f"session CPU (with collection): {data['session_cpu']:.1f}")
    estimate = data["session_cpu"] / CORES + data["wall"][longest]
    print(
        f"estimated wall of -n 4 on {CORES} cores: {estimate:.0f} s "
        f"(session CPU / {CORES} + longest test {data['wall'][longest]:.1f} s: {longest})"
    )
    print(f"\ntop {TOP_FILES} files (CPU s, share, wall s, tests)")
    for name, (cpu, wall, n) in sorted(per_file.items(), key=lambda kv: -kv[1][0])[:TOP_FILES]:
        print(f"  {cpu:7.1f}  {cpu / total_cpu:6.1%}  {wall:7.1f}  {n:4d}  {name}")
    print(f"\ntop {TOP_TESTS} tests (CPU s, share, wall s)")
    for nodeid in sorted(data["cpu"], key=lambda n: -data["cpu"][n])[:TOP_TESTS]:
        cpu = data["cpu"][nodeid]
        print(f"  {cpu:7.2f}  {cpu / total_cpu:6.1%}  {data['wall'][nodeid]:7.2f}  {nodeid}")
    if before is None:
        return
    old = summarise(before)
    old_total = sum(before["cpu"].values())
    print(
        f"\nbefore -> now, CPU seconds: {old_total:.1f} -> {total_cpu:.1f} "
        f"({total_cpu / old_total:.2f}x)"
    )
    print(f"session CPU: {before['session_cpu']:.1f} -> {data['session_cpu']:.1f}")
    names = sorted(set(old) | set(per_file), key=lambda f: -old.get(f, [0.0])[0])
    for name in names[:TOP_FILES]:
        was = old.get(name, [0.0])[0]
        now = per_file.get(name, [0.0])[0]
        ratio = f"{now / was:5.2f}x" if was else "  new"
        print(f"  {was:7.1f} -> {now:7.1f}  {ratio}  {name}")


# --- how pytest-xdist would spread the measured tests ------------------------------------


def _demand(data: dict, nodeid: str) -> tuple[float, float]:
    """(CPU seconds, seconds waiting) of a test, from the one-process run."""
    cpu = data["cpu"][nodeid]
    return cpu, max(0.0, data["wall"][nodeid] - cpu)


def simulate(data: dict, order: list[str], dist: str, workers: int, cores: int) -> float:
    """Wall seconds of `pytest -n workers --dist dist` on `cores` cores: each worker
    first collects (the session's CPU outside the tests), then runs what the scheduler
    gives it; the cores are shared by the workers that want CPU at that moment (a test
    that waits on a pty or a sleep uses none). The schedulers follow xdist 3.8:
    load sends chunks of the collection order, loadfile whole files (the files with most
    tests first, two to start with), worksteal equal slices and then steals halves."""
    setup = max(0.0, data["session_cpu"] - sum(data["cpu"].values()))
    queues: list[list[str]] = [[] for _ in range(workers)]
    pending = list(order)
    if dist == "load":
        chunk = max(2, len(pending) // workers // 4)
        for q in queues:
            q += pending[:chunk]
            del pending[:chunk]
    elif dist == "loadfile":
        files: dict[str, list[str]] = {}
        for nodeid in order:
            files.setdefault(_file(nodeid), []).append(nodeid)
        units = sorted(files.values(), key=len, reverse=True)
        for _ in range(2):
            for q in queues:
                if units:
                    q += units.pop(0)
    else:  # worksteal
        size = -(-len(pending) // workers)
        for n, q in enumerate(queues):
            q += pending[n * size : (n + 1) * size]
        pending = []
    # Each worker: [left of its set-up CPU, current test, its CPU left, its wait left].
    state = [[setup, None, 0.0, 0.0] for _ in range(workers)]
    now, step = 0.0, 0.05
    while True:
        for w, st in enumerate(state):
            if st[0] > 0 or st[1] is not None:
                continue
            q = queues[w]
            if dist == "load" and pending and len(q) < max(2, len(pending) // workers // 4):
                more = max(2, len(pending) // workers // 2) - len(q)
                q += pending[:more]
                del pending[:more]
            elif dist == "loadfile" and not q and units:
                q += units.pop(0)
            elif dist == "worksteal" and not q:
                donor = max(queues, key=len)
                take = min(len(donor) // 2, len(donor) - 2)
                if take > 0:
                    q += donor[-take:]
                    del donor[-take:]
            if q:
                nodeid = q.pop(0)
                cpu, wait = _demand(data, nodeid)
                st[1:] = [nodeid, cpu, wait]
        running = [st for st in state if st[0] > 0 or st[1] is not None]
        if not running:
            return now
        # A worker wants the CPU in proportion to its test's CPU share.
        want = sum(
            1.0 if st[0] > 0 else st[2] / (st[2] + st[3]) if st[2] + st[3] else 1.0
            for st in running
        )
        rate = min(1.0, cores / want) if want else 1.0
        for st in running:
            if st[0] > 0:
                st[0] -= step * rate
                continue
            total = st[2] + st[3]
            if total <= 0:
                st[1] = None
                continue
            # The test goes on at the pace its CPU part allows.
            done = step / (st[3] + st[2] / rate) * total if rate else 0.0
            share = st[2] / total
            st[2] -= done * share
            st[3] -= done * (1 - share)
            if st[2] + st[3] <= 1e-9:
                st[1] = None
        now += step


def longest_first(data: dict, heavy: int = 40) -> list[str]:
    """The collection order with the `heavy` longest tests moved to the front."""
    order = list(data["cpu"])
    first = sorted(order, key=lambda n: -data["wall"][n])[:heavy]
    return first + [n for n in order if n not in set(first)]


def report_dist(data: dict, workers: int, cores: int) -> None:
    print(f"\nsimulated wall of -n {workers} on {cores} cores (s)")
    print("  dist        collection order   longest first")
    for dist in ("load", "loadfile", "worksteal"):
        plain = simulate(data, list(data["cpu"]), dist, workers, cores)
        heavy = simulate(data, longest_first(data), dist, workers, cores)
        print(f"  {dist:10s}  {plain:16.0f}   {heavy:13.0f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--compare", type=Path, help="an earlier --json file")
    parser.add_argument("--load", type=Path, help="print a --json file, run nothing")
    parser.add_argument("--simulate", action="store_true", help="xdist's spread, simulated")
    args, pytest_args = parser.parse_known_args(argv)
    if args.load:
        data = json.loads(args.load.read_text())
        code = 0
    else:
        recorder = Recorder()
        code = pytest.main(
            ["-q", "-p", "no:xdist", "-p", "no:cacheprovider", *(pytest_args or ["tests"])],
            plugins=[recorder],
        )
        data = {
            "cpu": dict(recorder.cpu),
            "wall": dict(recorder.wall),
            "failed": sorted(n for n, o in recorder.outcomes.items() if o == "failed"),
            "session_cpu": recorder.session_cpu,
            "session_wall": recorder.session_wall,
        }
        if args.json:
            args.json.write_text(json.dumps(data, indent=1))
    before = json.loads(args.compare.read_text()) if args.compare else None
    print()
    report(data, before)
    if args.simulate:
        for workers in (2, 4):
            report_dist(data, workers, CORES)
    return int(code)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
