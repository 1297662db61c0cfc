"""``rls-screen convert FILE --to fhir|answers``: between answer files and FHIR."""

from __future__ import annotations

import argparse

from rls_screen.commands import add_output_option

HELP = "convert answers to a FHIR QuestionnaireResponse, or back"
DESCRIPTION = """\
Convert saved answers between the two formats rls-screen reads:

  answers  the answer file the questionnaire saves (see 'rls-screen score --help')
  fhir     a FHIR R4 QuestionnaireResponse of the questionnaire that
           'rls-screen export-questionnaire' prints (versions 1.x and 2.x of it
           are read); free text (own_words) is a valueString

FILE may be in either format, or - to read stdin. The input is checked as 'score'
checks it; on any problem one line on stderr names the file and the item, and nothing
is written. Answers to questions that the other answers skip are left out of a
QuestionnaireResponse (they never count), and a note on stderr names them.
"""

EPILOG = """\
examples:
  rls-screen convert examples/classic.json --to fhir
  rls-screen convert answers.json --to fhir -o response.json
  rls-screen convert response.json --to answers -o answers.json
  cat response.json | rls-screen convert - --to answers
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "convert",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", metavar="FILE", help="answer file or QuestionnaireResponse (JSON), or - for stdin"
    )
    parser.add_argument(
        "--to",
        choices=("fhir", "answers"),
        required=True,
        help="fhir: a FHIR R4 QuestionnaireResponse; answers: an rls-screen answer file",
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
        print(
            f"Left out answers to questions the other answers skip: {', '.join(skipped)}",
            file=sys.stderr,
        )
    return 0
