"""The one list of output formats: every format the program writes, the file extension
of a file in it, and where it is offered. The others derive from it:

  * ``score --format`` (commands/score.py): the formats ``SCORE`` names;
  * the save dialog, --plain's save menu and ``render_export`` (``reports.exports.FORMATS``,
    with each format's label): ``SAVE``;
  * ``convert --to`` (commands/convert.py): ``CONVERT``;
  * ``batch --out`` (batch/output.py), chosen by the file's extension: ``BATCH``.

A new format goes here, and its words in ``questions/interface/``: its label where it is
saved from the summary (reports.toml), its line in the option's help (commands.toml),
and for batch its extension in ``batch.output.wrong_kind``. tests/test_formats.py
checks that each place offers exactly what this list says. The order is the order each
place lists them in: appended, never reordered (the save dialog's order is one people
learn).

Imports nothing of the program: every layer may read it.
"""

from __future__ import annotations

from typing import NamedTuple

# Where a format is offered.
SCORE = "score"
SAVE = "save"
CONVERT = "convert"
BATCH = "batch"


class OutputFormat(NamedTuple):
    code: str  # as it is typed (score --format html) and named in code
    extension: str  # of a file in this format
    where: frozenset[str]  # SCORE, SAVE, CONVERT, BATCH


OUTPUT_FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat("markdown", ".md", frozenset({SCORE, SAVE})),
    OutputFormat("text", ".txt", frozenset({SCORE, SAVE})),
    OutputFormat("fhir", ".json", frozenset({CONVERT})),  # a QuestionnaireResponse
    OutputFormat("answers", ".json", frozenset({SAVE, CONVERT})),  # what score reads back
    OutputFormat("json", ".json", frozenset({SCORE})),  # the result object
    OutputFormat("html", ".html", frozenset({SCORE, SAVE})),
    OutputFormat("csv", ".csv", frozenset({BATCH})),
    OutputFormat("jsonl", ".jsonl", frozenset({BATCH})),
)


def formats(where: str) -> tuple[OutputFormat, ...]:
    """The formats offered in ``where``, in the list's order (read when called: a test
    may put a longer list in its place)."""
    return tuple(f for f in OUTPUT_FORMATS if where in f.where)


def codes(where: str) -> tuple[str, ...]:
    """The codes of the formats offered in ``where``, in order."""
    return tuple(f.code for f in formats(where))
