"""``rls-screen check-questions [DIR]``: check a question bank."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "check a question bank (for whoever edits questions/)"
DESCRIPTION = """\
Check a question bank: the TOML files, every item, option and condition, and that the
summary and the clinician summary have a text for everything the rules can say, and
the crisis numbers (crisis.toml) are complete, each with its source. Lists
every problem with its file and item. Exit status 0 if the bank is sound, 2 if not.

DIR defaults to the bank this tool ships with.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check-questions",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("directory", metavar="DIR", nargs="?", help="folder of question files")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.core.bank import default_questions_dir, load_bank
    from rls_screen.core.crisis import crisis_problems
    from rls_screen.core.errors import BankError
    from rls_screen.reports.clinician import clinician_problems

    directory = args.directory or str(default_questions_dir())

    def other_problems() -> list[str]:
        return [*clinician_problems(directory), *crisis_problems(directory)]

    try:
        bank = load_bank(directory)
    except BankError as exc:
        # List the other files' problems too, so one run shows everything.
        extra = other_problems() if Path(directory).is_dir() else []
        raise BankError([*exc.problems, *extra]) from None
    problems = other_problems()
    if problems:
        raise BankError(problems)
    items = len(bank.items)
    print(f"{directory}: OK ({len(bank.sections)} sections, {items} questions)", file=sys.stdout)
    return 0
