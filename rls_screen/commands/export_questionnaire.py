"""``rls-screen export-questionnaire``: the instrument as a FHIR R4 Questionnaire."""

from __future__ import annotations

import argparse

from rls_screen.commands import add_output_option
from rls_screen.core.texts import ui


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export-questionnaire",
        help=ui("commands.export_questionnaire.help"),
        description=ui("commands.export_questionnaire.description"),
        epilog=ui("commands.export_questionnaire.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_output_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.commands import emit
    from rls_screen.core.bank import load_bank
    from rls_screen.interop import fhir

    emit(fhir.dumps(fhir.questionnaire(load_bank())), args.output)
    return 0
