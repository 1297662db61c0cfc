"""``rls-screen export-questionnaire``: the instrument as a FHIR R4 Questionnaire."""

from __future__ import annotations

import argparse

from rls_screen.commands import add_output_option
from rls_screen.core.texts import ui


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export-questionnaire",
        help=ui("commands.export_questionnaire.help"),
        description=ui("commands.export_questionnaire.description"),
        epilog=ui("commands.export_questionnaire.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--diary", action="store_true", help=ui("commands.export_questionnaire.options.diary")
    )
    add_output_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.commands import emit
    from rls_screen.interop import fhir

    if getattr(args, "diary", False):
        from rls_screen.interop.diary_fhir import diary_questionnaire

        emit(fhir.dumps(diary_questionnaire()), args.output)
        return 0
    from rls_screen.core.bank import load_bank

    emit(fhir.dumps(fhir.questionnaire(load_bank())), args.output)
    return 0
