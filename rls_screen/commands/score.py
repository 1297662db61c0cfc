"""``rls-screen score FILE``: the summary for a saved answer file."""

from __future__ import annotations

import argparse

from rls_screen.commands import add_output_option, add_region_option

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
        "-a",
        "--audience",
        choices=("patient", "clinician"),
        default="patient",
        help="patient (default): the summary for the person who answered; clinician: one "
        "page for the doctor, with the criteria, the answers behind them and every answer",
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("text", "markdown", "json", "html"),
        default="text",
        help="text (default): plain text; markdown: the same as Markdown; html: a "
        "self-contained page to print; json: the result object (stable, for other "
        "programs; the same for both audiences, so --audience is ignored)",
    )
    add_region_option(parser)
    add_output_option(parser)
    parser.set_defaults(run=run)


def render(bank, answers, fmt: str, audience: str = "patient", region: str | None = None) -> str:
    if fmt == "json":
        from rls_screen.core.engine import score

        return score(bank, answers).to_json()
    from rls_screen.reports.exports import render_export

    return render_export(bank, answers, fmt, audience, region)


def run(args: argparse.Namespace) -> int:
    from rls_screen.commands import emit
    from rls_screen.core.bank import load_bank
    from rls_screen.core.crisis import resolve_region
    from rls_screen.interop.inputs import read_answer_file

    region = resolve_region(args.region)
    bank = load_bank()
    answers = read_answer_file(args.file, bank)
    emit(render(bank, answers, args.format, args.audience, region), args.output, args.file)
    return 0
