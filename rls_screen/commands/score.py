"""``rls-screen score FILE``: the summary for a saved answer file."""

from __future__ import annotations

import argparse

HELP = "print the summary for a saved answer file"
DESCRIPTION = """\
Score a saved answer file and print the summary to discuss with a doctor.
This is not a diagnosis.

FILE is an answer file (JSON, as saved by the questionnaire), or - to read stdin.
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="answer file (JSON), or - for stdin")
    parser.add_argument(
        "-f",
        "--format",
        choices=("text", "markdown", "json"),
        default="text",
        help="text (default): the plain summary; markdown: the same as Markdown; "
        "json: the result object (stable, for other programs)",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (owner-only, atomically) instead of printing",
    )
    parser.set_defaults(run=run)


def render(bank, result, fmt: str) -> str:
    from rls_screen.report import summary_markdown, summary_text

    if fmt == "json":
        return result.to_json()
    if fmt == "markdown":
        return summary_markdown(bank, result)
    return summary_text(bank, result)


def run(args: argparse.Namespace) -> int:
    from rls_screen.answers import read_answer_file
    from rls_screen.bank import load_bank
    from rls_screen.commands import emit
    from rls_screen.engine import score

    bank = load_bank()
    answers = read_answer_file(args.file, bank)
    emit(render(bank, score(bank, answers), args.format), args.output)
    return 0
