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


def render(
    bank, answers, fmt: str, audience: str = "patient", region: str | None = None, header=None
) -> str:
    if fmt == "json":
        from rls_screen.core.engine import score

        return score(bank, answers).to_json()
    from rls_screen.reports.exports import render_export

    return render_export(bank, answers, fmt, audience, region, header)


def page_header(source: str):
    """The doctor's page header for the answer file ``source``: read again (it was read
    and checked already) for its times; standard input, read once, gives its name only."""
    import os
    from datetime import datetime

    from rls_screen.core.answers import load_json, read_text
    from rls_screen.reports.exports import file_header

    if source == "-":
        return file_header(source, None)
    try:
        doc = load_json(read_text(source), source)
        modified = datetime.fromtimestamp(os.stat(source).st_mtime).astimezone()
    except Exception:  # the page is made all the same, with what is known
        return file_header(source, None)
    return file_header(source, doc, modified)


def run(args: argparse.Namespace) -> int:
    from rls_screen.commands import emit
    from rls_screen.core.bank import load_bank
    from rls_screen.core.crisis import resolve_region
    from rls_screen.interop.inputs import read_answer_file

    region = resolve_region(args.region)
    bank = load_bank()
    answers = read_answer_file(args.file, bank)
    header = page_header(args.file) if args.audience == "clinician" else None
    text = render(bank, answers, args.format, args.audience, region, header)
    emit(text, args.output, args.file)
    return 0
