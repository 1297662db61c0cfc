"""``rls-screen export-questionnaire``: the instrument as a FHIR R4 Questionnaire."""

from __future__ import annotations

import argparse

from rls_screen.commands import add_output_option

HELP = "print the questionnaire as FHIR R4 JSON (for clinic systems)"
DESCRIPTION = """\
Print the questionnaire as a FHIR R4 Questionnaire resource (JSON), so that a clinic
system or form filler can show it and send back a QuestionnaireResponse that 'score'
and 'convert' read. Each question's linkId is its stable item id; answers are codings
of one code system, with the labels this tool shows. The free-text question (own_words)
is a string question with a maxLength, answered with a valueString.
"""

EPILOG = """\
examples:
  rls-screen export-questionnaire
  rls-screen export-questionnaire -o rls-screen-questionnaire.json
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export-questionnaire",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
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
