"""`rls-screen` run in the test's own process, for tests of what `score`, `convert` and
`export-questionnaire` print and save. A new interpreter per call adds only start-up time
(about a quarter of a second each, hundreds of calls); tests of streams, signals,
terminals and closed or odd descriptors still run a real process."""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys

from rls_screen.cli import main


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Like ``subprocess.run([python, -m, rls_screen, *args], input=stdin, text=True,
    capture_output=True)``, in process."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    err = io.StringIO()
    data = (stdin or "").encode("utf-8")
    saved_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(args))
            except SystemExit as exc:  # argparse: --help, usage errors
                status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        out.flush()
        printed = out.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    finally:
        sys.stdin = saved_stdin
    return subprocess.CompletedProcess(["rls-screen", *args], status, printed, err.getvalue())
