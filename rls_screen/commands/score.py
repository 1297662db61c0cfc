"""``rls-screen score FILE``: the summary for a saved answer file."""

from __future__ import annotations

import argparse

from rls_screen.commands import add_output_option, add_region_option
from rls_screen.core.texts import ui


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score",
        help=ui("commands.score.help"),
        description=ui("commands.score.description"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help=ui("commands.score.options.file"))
    parser.add_argument(
        "-a",
        "--audience",
        choices=("patient", "clinician"),
        default="patient",
        help=ui("commands.score.options.audience"),
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("text", "markdown", "json", "html"),
        default="text",
        help=ui("commands.score.options.format"),
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
