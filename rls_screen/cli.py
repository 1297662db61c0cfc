"""The ``rls-screen`` command line.

Each subcommand lives in ``rls_screen/commands/<name>.py`` with ``register(subparsers)``;
heavy imports happen inside the command, so that starting the app stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import io
import os
import sys
from typing import NoReturn

from rls_screen import __version__
from rls_screen.core.errors import BankError, InputError

DESCRIPTION = """\
A short questionnaire about restless legs syndrome (RLS, also called Willis-Ekbom
disease). It asks about the feelings in your legs, things that can feel alike, things
that can add to it, and warning signs, then gives a summary to discuss with a doctor.
This is not a diagnosis. Your answers stay on this computer.
"""

EPILOG = """\
Run with no command to start the questionnaire in the terminal.

examples:
  rls-screen                              start the questionnaire
  rls-screen --plain                      the same, as plain lines (screen readers)
  rls-screen serve                        the same, in a web browser
  rls-screen score examples/classic.json  print the summary for saved answers
  rls-screen score answers.json --audience clinician --format html -o summary.html
  rls-screen kiosk --save-dir DIR         intake on a shared clinic terminal
  rls-screen batch DIR --out results.csv  score many saved responses
  rls-screen check-questions questions/   check an edited question bank

exit status: 0 ok, 2 bad input (one line on stderr says what and where);
'batch' also exits 1 when some records were skipped
"""

# Subcommand modules, in the order `--help` lists them.
COMMANDS = (
    "score",
    "batch",
    "check_questions",
    "kiosk",
    "serve",
    "export_questionnaire",
    "convert",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit status 2
        from rls_screen.core.errors import one_line

        # Values typed on the command line can hold control characters, or be huge.
        self.exit(2, one_line(f"{self.prog}: {message} (see '{self.prog} --help')", 300) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rls-screen",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rls-screen {__version__}")
    add_session_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"rls_screen.commands.{name}").register(subparsers)
    return parser


def add_session_options(parser: argparse.ArgumentParser) -> None:
    """Options of the interactive questionnaire (no command)."""
    group = parser.add_argument_group("questionnaire options (no command)")
    group.add_argument(
        "--resume",
        metavar="FILE",
        help="continue from a saved answer file",
    )
    group.add_argument(
        "--plain",
        action="store_true",
        help="ask the questions as plain lines (for screen readers, braille displays and pipes)",
    )
    group.add_argument(
        "--no-autosave",
        action="store_true",
        help="do not keep a draft of answers in progress",
    )
    from rls_screen.commands import add_region_option

    add_region_option(group)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line. A bare ``rls-screen``, how a person at home starts it, is
    answered without building the parsers of every command: the first screen comes up
    sooner (tests/test_cli.py checks that the result is the same)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        return argparse.Namespace(
            resume=None, plain=False, no_autosave=False, region=None, command=None
        )
    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    _guard_closed_streams()
    args = parse_args(argv)
    try:
        if args.command is None and args.plain:
            status = importlib.import_module("rls_screen.plain").run(args)
        elif args.command is None:
            status = run_questionnaire(args)
        else:
            status = args.run(args)
        _flush_stdout()
        return status
    except InputError as exc:
        _say(f"rls-screen: {exc}")
        return 2
    except BankError as exc:
        for problem in exc.problems:
            _say(problem)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        _drop_stdout()
        sys.stderr.close()
        return 0
    except OSError as exc:  # stdout full (> /dev/full) or closed, and the like
        _drop_stdout()
        _say(f"rls-screen: cannot write the output ({exc.strerror or exc})")
        return 2


def _say(line: str) -> None:
    from rls_screen.core.errors import one_line

    if sys.stderr is not None:
        print(one_line(line), file=sys.stderr)


class _ClosedStream(io.TextIOBase):
    """Stands in for a closed stdin or stdout (`<&-`, `>&-`): using it is an OSError,
    which ends as one line and exit status 2, never a traceback."""

    def __init__(self, what: str) -> None:
        self.what = what

    def _fail(self, *args: object) -> NoReturn:
        raise OSError(errno.EBADF, f"standard {self.what} is closed")

    write = read = readline = fileno = _fail

    def isatty(self) -> bool:
        return False

    def flush(self) -> None:
        pass

    @property
    def buffer(self) -> NoReturn:
        self._fail()


def _guard_closed_streams() -> None:
    if sys.stdin is None:
        sys.stdin = _ClosedStream("input")
    if sys.stdout is None:
        sys.stdout = _ClosedStream("output")


def _flush_stdout() -> None:
    """Flush now, so that a full disk is reported here rather than ignored at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


def _drop_stdout() -> None:
    # What could not be written is gone; without this, Python's exit would try again and
    # print its own message about the failed flush.
    with contextlib.suppress(OSError, ValueError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115


def run_questionnaire(args: argparse.Namespace) -> int:
    if args.region is not None:  # a wrong code is one line before any screen is drawn
        from rls_screen.core.crisis import normalise_region

        args.region = normalise_region(args.region)
    answers = None
    if args.resume:
        from rls_screen.core.bank import load_bank
        from rls_screen.interop.inputs import read_answer_file

        answers = read_answer_file(args.resume, load_bank())
    served = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")  # under `rls-screen serve`
    if not served and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        # A full-screen app cannot run on a pipe; the plain mode can.
        print(
            "rls-screen: the questionnaire needs a terminal; use 'rls-screen --plain' "
            "for pipes and screen readers",
            file=sys.stderr,
        )
        return 2
    return importlib.import_module("rls_screen.tui.app").run(args, answers)


if __name__ == "__main__":
    raise SystemExit(main())
