"""``rls-screen score FILE``: the summary for a saved answer file."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rls_screen.commands import add_output_option, add_region_option
from rls_screen.core.formats import SCORE, codes
from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.core.answers import Answer
    from rls_screen.core.bank import Bank
    from rls_screen.reports.diary import Diary
    from rls_screen.reports.exports import PageHeader


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
        choices=codes(SCORE),
        default="text",
        help=ui("commands.score.options.format"),
    )
    parser.add_argument(
        "--diary", metavar="DIARY", default=None, help=ui("commands.score.options.diary")
    )
    add_region_option(parser)
    add_output_option(parser)
    parser.set_defaults(run=run)


def render(
    bank: Bank,
    answers: Mapping[str, Answer],
    fmt: str,
    audience: str = "patient",
    region: str | None = None,
    diary: Diary | None = None,
    header: PageHeader | None = None,
) -> str:
    """The result or summary. JSON: the result's keys, then ``diary`` (docs/diary.md
    section 2's figures, or null without a diary or with no night in it)."""
    if fmt == "json":
        import json

        from rls_screen.core.engine import score

        result = score(bank, answers).model_dump(mode="json")
        figures = None if diary is None else diary.figures
        result["diary"] = None if figures is None else figures.model_dump(mode="json")
        return json.dumps(result, indent=2) + "\n"
    from rls_screen.reports.exports import render_export

    return render_export(bank, answers, fmt, audience, region, diary, header)


SQLITE_MAGIC = b"SQLite format 3\x00"


def read_diary(path: str) -> Diary:
    """The nights of ``--diary``: a diary database (it starts as SQLite files do), or a
    diary file in any import format (JSON, CSV, a FHIR Bundle)."""
    from rls_screen.reports.diary import Diary

    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError:
        head = b""  # the file reader says what is wrong, in its own words
    if head == SQLITE_MAGIC:
        from rls_screen.interop.diary_store import DiaryStore

        with DiaryStore.open(path) as store:
            return Diary.of(store.nights())
    from rls_screen.interop.diary_files import read_diary_file

    return Diary.of(read_diary_file(path))


def page_header(source: str) -> PageHeader:
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
    diary = None if args.diary is None else read_diary(args.diary)
    header = page_header(args.file) if args.audience == "clinician" else None
    text = render(bank, answers, args.format, args.audience, region, diary, header)
    emit(text, args.output, args.file)
    return 0
