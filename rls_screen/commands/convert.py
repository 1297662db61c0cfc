"""``rls-screen convert FILE --to fhir|answers``: between answer files and FHIR."""

from __future__ import annotations

import argparse

from rls_screen.commands import add_output_option
from rls_screen.core.formats import CONVERT, codes
from rls_screen.core.texts import ui


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "convert",
        help=ui("commands.convert.help"),
        description=ui("commands.convert.description"),
        epilog=ui("commands.convert.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help=ui("commands.convert.options.file"))
    parser.add_argument(
        "--to",
        choices=codes(CONVERT),
        required=True,
        help=ui("commands.convert.options.to"),
    )
    add_output_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from rls_screen.commands import emit
    from rls_screen.core.answers import dumps_document
    from rls_screen.core.bank import load_bank
    from rls_screen.core.engine import effective_answers
    from rls_screen.interop import fhir
    from rls_screen.interop.inputs import read_answer_file

    bank = load_bank()
    answers = read_answer_file(args.file, bank)
    if args.to == "answers":
        emit(dumps_document(answers, bank), args.output, args.file)
        return 0
    kept = effective_answers(bank, answers)
    skipped = [item_id for item_id in answers if item_id not in kept]
    emit(fhir.dumps(fhir.to_response(answers, bank)), args.output, args.file)
    if skipped:
        print(ui("commands.convert.messages.left_out", items=", ".join(skipped)), file=sys.stderr)
    return 0
