"""``rls-screen check-questions [DIR]``: check a question bank."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rls_screen.core.texts import ui


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "check-questions",
        help=ui("commands.check_questions.help"),
        description=ui("commands.check_questions.description"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "directory", metavar="DIR", nargs="?", help=ui("commands.check_questions.options.directory")
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.core.bank import default_questions_dir, load_bank
    from rls_screen.core.crisis import crisis_problems
    from rls_screen.core.diary import diary_problems
    from rls_screen.core.errors import BankError
    from rls_screen.core.texts import text_problems
    from rls_screen.reports.clinician import clinician_problems

    directory = args.directory or str(default_questions_dir())

    def other_problems() -> list[str]:
        # The interface texts (interface/*.toml): every face's own wording.
        texts = text_problems(directory)
        diary = diary_problems(directory)
        return [*clinician_problems(directory), *crisis_problems(directory), *texts, *diary]

    try:
        bank = load_bank(directory)
    except BankError as exc:
        # List the other files' problems too, so one run shows everything.
        extra = other_problems() if Path(directory).is_dir() else []
        raise BankError(list(dict.fromkeys([*exc.problems, *extra]))) from None
    problems = other_problems()
    if problems:
        raise BankError(problems)
    ok = ui(
        "commands.check_questions.messages.ok",
        folder=directory,
        sections=len(bank.sections),
        questions=len(bank.items),
    )
    print(ok, file=sys.stdout)
    return 0
