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
from rls_screen.core.texts import check_file, ui

# Subcommand modules, in the order `--help` lists them.
COMMANDS = (
    "score",
    "batch",
    "check_questions",
    "kiosk",
    "serve",
    "web",
    "export_questionnaire",
    "convert",
    "diary",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit status 2
        from rls_screen.core.errors import one_line

        # Values typed on the command line can hold control characters, or be huge.
        text = ui("commands.main.messages.usage_error", prog=self.prog, message=message)
        self.exit(2, one_line(text, 300) + "\n")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line's parser (``only``: with that one command's parser alone,
    for a command line that starts with its name)."""
    parser = _Parser(
        prog="rls-screen",
        description=ui("commands.main.description"),
        epilog=ui("commands.main.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rls-screen {__version__}")
    add_session_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS if only is None else (only,):
        importlib.import_module(f"rls_screen.commands.{name}").register(subparsers)
    return parser


def add_session_options(parser: argparse.ArgumentParser) -> None:
    """Options of the interactive questionnaire (no command)."""
    group = parser.add_argument_group(ui("commands.main.options.title"))
    group.add_argument(
        "--resume",
        metavar="FILE",
        help=ui("commands.main.options.resume"),
    )
    group.add_argument(
        "--plain",
        action="store_true",
        help=ui("commands.main.options.plain"),
    )
    group.add_argument(
        "--no-autosave",
        action="store_true",
        help=ui("commands.main.options.no_autosave"),
    )
    from rls_screen.commands import add_region_option

    add_region_option(group)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line. A bare ``rls-screen``, how a person at home starts it, is
    answered without building the parsers of every command, and a command line that
    starts with a command's name (``rls-screen diary``) builds that command's parser
    alone: the first screen comes up sooner (tests/test_cli.py checks that the result is
    the same)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        return argparse.Namespace(
            resume=None, plain=False, no_autosave=False, region=None, command=None
        )
    named = argv[0].replace("-", "_")
    only = named if named in COMMANDS and argv[0] == named.replace("_", "-") else None
    parser = build_parser(only)
    args = parser.parse_args(argv)
    if args.command is not None:
        given = _before_command(argv)
        if given:  # the command's own options would drop it without a word
            parser.error(
                ui("commands.main.messages.not_for_command", option=given, command=args.command)
            )
    return args


# The questionnaire's options (rls-screen with no command), and which take a value.
_QUESTIONNAIRE_OPTIONS = {
    "--resume": True,
    "--region": True,
    "--plain": False,
    "--no-autosave": False,
}


def _before_command(argv: list[str]) -> str | None:
    """The first questionnaire option typed before a command's name (``rls-screen
    --region DE score FILE``), or None. argparse lets the command's defaults replace
    it, so it would be ignored with no word."""
    for token in argv:
        name = token.split("=", 1)[0]
        matches = [option for option in _QUESTIONNAIRE_OPTIONS if option.startswith(name)]
        if not token.startswith("--") or not matches:
            return None  # the command's name (or an option of the main parser's own)
        if len(matches) == 1:
            return matches[0]
    return None


def main(argv: list[str] | None = None) -> int:
    _no_logs()
    _guard_closed_streams()
    _tolerant_streams()
    try:
        return _run(argv)
    except BankError as exc:
        # A broken question bank, or broken interface texts (questions/interface/),
        # which even the help and the messages below need: each problem as one line.
        for problem in exc.problems:
            _say(problem)
        return 2


# Textual's last-resort log (TEXTUAL_LOG) gets every key, the person's own words
# included, and its devtools get everything on screen: health data never goes to logs.
_LOGGING_FEATURES = {"devtools", "debug"}


def _no_logs() -> None:
    """Ignore TEXTUAL_LOG and Textual's devtools, whatever the environment says. Runs
    before Textual is imported (it reads them once, then), and in the environment that
    every face, and every session `serve` starts, inherits."""
    os.environ.pop("TEXTUAL_LOG", None)
    features = os.environ.pop("TEXTUAL", None)
    if features is not None:
        kept = [name for name in features.split(",") if name.strip() not in _LOGGING_FEATURES]
        if kept:
            os.environ["TEXTUAL"] = ",".join(kept)
    constants = sys.modules.get("textual.constants")
    if constants is not None:  # already imported (tests run the CLI in process)
        setattr(constants, "LOG_FILE", None)  # noqa: B010 (a Final constant of Textual)


def _run(argv: list[str] | None) -> int:
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
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours.
        _drop_stdout()
        sys.stderr.close()
        return 0
    except OSError as exc:  # stdout full (> /dev/full) or closed, and the like
        _drop_stdout()
        _say(ui("commands.main.messages.cannot_write", reason=exc.strerror or exc))
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
        if self.what == "input":
            raise OSError(errno.EBADF, ui("commands.main.messages.input_closed"))
        raise OSError(errno.EBADF, ui("commands.main.messages.output_closed"))

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


def _tolerant_streams() -> None:
    """Output degrades, never fails: a character that the terminal's encoding cannot hold
    (ASCII, Latin-1) is printed as "?" rather than ending the command with a traceback.
    Files the tool writes stay UTF-8 (they do not go through these streams)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):  # a stream that cannot: left as it is
                reconfigure(errors="replace")


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
    # The first screen's words (read for it anyway): a broken one is one line, exit 2,
    # before any screen, not a crash report.
    check_file("tui")
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
        print(ui("commands.main.messages.needs_terminal"), file=sys.stderr)
        return 2
    return importlib.import_module("rls_screen.tui.app").run(args, answers)


if __name__ == "__main__":
    raise SystemExit(main())
