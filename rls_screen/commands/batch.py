"""``rls-screen batch INPUT... --out FILE``: score many saved responses at once."""

from __future__ import annotations

import argparse

HELP = "score many saved responses at once (to CSV or JSONL)"
DESCRIPTION = """\
Score many saved responses at once (a clinic's intake, a study) and write one row per
response. Each result is the one 'rls-screen score --format json' gives; this is not a
diagnosis. Records are read and written one at a time, so files of any size are fine.

INPUT (one or more):
  FILE.json    one answer file (as the questionnaire saves it), a FHIR
               QuestionnaireResponse, or a FHIR Bundle of QuestionnaireResponses
               (one record per entry)
  FILE.jsonl   one answer file or QuestionnaireResponse per line, as compact JSON
               (.ndjson too); blank lines are skipped
  FILE.csv     a header row of item ids (see 'rls-screen check-questions') and,
               optionally, an 'id' column; then one row per person. An empty cell is
               unanswered; several codes of a multi-choice item are written a;b.
               A free-text item (own_words) is read as it is, ';' and quoted line
               breaks included
  FOLDER       its .json, .jsonl, .ndjson and .csv files, in name order (not its
               sub-folders, not hidden files, and not a kiosk's *.alert.json and
               *.partial.json: those are not finished records)
  -            JSONL on stdin

--out FILE.csv, FILE.jsonl, or - for JSONL on stdout. The file is readable by you only
(0600) and appears whole when the run ends; if nothing could be scored, or the run is
interrupted, no file is written.

Every row starts with:
  source  the input as given (FOLDER/name for a folder's files; <stdin> for -)
  line    where the record is in it: the line of a .jsonl file; the row of a .csv
          file as a spreadsheet numbers it (the header is row 1); the entry of a
          Bundle, from 1; 1 for any other .json file
  id      the record's own id, as text: the CSV 'id' column, 'meta.id' of an answer
          file, or the 'id' of a QuestionnaireResponse; empty (null) if there is none

A JSONL row is {"source": ..., "line": ..., "id": ..., "result": {...}}. CSV columns,
always in this order:
  source, line, id, instrument, instrument_version, pattern,
  essential_features.urge, essential_features.rest, essential_features.movement,
  essential_features.evening, lookalikes, lookalikes_unclear, course,
  clinically_significant, supportive_features, contributing_factors,
  augmentation_concern, red_flags, red_flags_unsure, urgency, tests_to_discuss,
  pediatric
Lists are joined with ';', yes/no fields are true or false, and an empty cell is null
(no answer to decide it). Free text (own_words) is never written: a row holds the
result only. A source or id that starts with =, +, -, @ gets a leading ' in CSV, so
that a spreadsheet shows it as text and never runs it as a formula.

A record that cannot be read is skipped, with one line on stderr, SOURCE:LINE: reason;
the rest are still scored. An input that cannot be read at all is one line too. The
last line on stderr sums up, e.g. 'scored 998 of 1,000 records (2 skipped) -> out.csv'.
On a terminal, a progress line is shown while it runs.

Limits: a record (a .json file, a .jsonl line, a .csv row) is at most 4 MB; a larger
one is skipped ('record larger than 4 MB'), never read into memory whole. A .csv row
may hold at most 1,000 quoted line breaks: past that, or at the end of the file, a
quote is taken as never closed, reported at the row where it opens, and the lines
after it are read as rows of their own. JSON is strict: a key given twice, NaN,
Infinity or a number of more than 100 digits skips the record, naming the key. Only
regular files (and - for stdin) are read: a pipe, a device or a link to one is
refused. The output must be a new file or a regular file that is not one of the
inputs; anything else is refused before anything is read.
"""

EPILOG = """\
exit status:
  0    every record was scored
  1    some records were skipped or some inputs could not be read; the rest are written
  2    nothing could be scored (no file is written), or a bad option
  130  interrupted (Ctrl+C); no file is written

examples:
  rls-screen batch responses/ --out results.csv
  rls-screen batch intake.jsonl bundle.json --out results.jsonl
  cat intake.jsonl | rls-screen batch - --out - | head
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs",
        metavar="INPUT",
        nargs="+",
        help="a .json, .jsonl, .ndjson or .csv file, a folder of them, or - for JSONL on stdin",
    )
    parser.add_argument(
        "-o",
        "--out",
        metavar="FILE",
        required=True,
        help="where the rows go: a .csv or .jsonl file (owner-only, written atomically), "
        "or - for JSONL on stdout",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.batch.output import output_kind
    from rls_screen.batch.run import run_batch

    output_kind(args.out)  # a bad output name fails before anything is read
    from rls_screen.core.bank import load_bank

    return run_batch(load_bank(), args.inputs, args.out)
