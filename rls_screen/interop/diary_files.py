"""Diary files in and out: JSON (``{"diary": "rls-screen", "diary_version": "1.0.0",
"nights": [...]}``), CSV (a header row of field names in any order, one row a night, an
empty cell a missing value) and, read only here, the FHIR Bundle that ``diary export
--format fhir`` writes (``interop.diary_fhir``). Strict JSON, at most 4 MB, a regular
file or ``-`` for stdin: the same rules as answer files (``core.answers.read_text``).

Reading is all or nothing: the first bad value is one line naming the file, the night,
the field and what is allowed (InputError, exit status 2).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import csv
import datetime
import importlib
import io
import json
import os
from collections.abc import Iterable
from typing import Any

from rls_screen.core.answers import load_json, read_text
from rls_screen.core.diary import FIELDS, NUMBER_FIELDS, DiaryError, Night, parse_night
from rls_screen.core.errors import InputError, show, show_name
from rls_screen.core.texts import ui

FORMAT = "rls-screen"
VERSION = "1.0.0"
_TOP_KEYS = ("diary", "diary_version", "nights")


def read_diary_file(
    source: str | os.PathLike[str], *, today: datetime.date | None = None
) -> list[Night]:
    """The nights of a diary file (JSON, CSV or a FHIR Bundle; ``-`` for stdin), in the
    file's order. Raises InputError (one line) on the first problem."""
    source = os.fspath(source)
    name = "<stdin>" if source == "-" else show_name(source)
    text = read_text(source)
    if text.lstrip().startswith(("{", "[")):
        doc = load_json(text, name)
        if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
            fhir = importlib.import_module("rls_screen.interop.diary_fhir")
            nights: list[Night] = fhir.bundle_to_nights(doc)
            _check_unique(nights, name)
            return nights
        return nights_from_json(doc, name, today=today)
    return nights_from_csv(text, name, today=today)


def nights_from_json(doc: Any, name: str, *, today: datetime.date | None = None) -> list[Night]:
    """The nights of a parsed JSON diary document."""
    if not isinstance(doc, dict) or doc.get("diary") != FORMAT or "nights" not in doc:
        raise InputError(ui("diary.files.not_a_diary", name=name))
    for key in doc:
        if key not in _TOP_KEYS:
            raise InputError(ui("diary.files.unknown_key", name=name, key=show(key)))
    version = doc.get("diary_version")
    if not isinstance(version, str) or version.split(".")[0] != VERSION.split(".")[0]:
        raise InputError(
            ui("diary.files.version", name=name, version=show(version), readable="1.x")
        )
    raw_nights = doc["nights"]
    if not isinstance(raw_nights, list):
        raise InputError(ui("diary.files.nights_list", name=name))
    nights = [_parse(raw, name, today) for raw in raw_nights]
    _check_unique(nights, name)
    return nights


def nights_from_csv(text: str, name: str, *, today: datetime.date | None = None) -> list[Night]:
    """The nights of a CSV diary: numbers as digits, an empty cell a missing value."""
    rows = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(rows, None)
        if header is None:
            raise InputError(ui("diary.files.empty", name=name))
        header = [cell.strip() for cell in header]
        for column in header:
            if column not in FIELDS:
                raise InputError(
                    ui("diary.files.unknown_column", name=name, column=show(column),
                       fields=", ".join(FIELDS))
                )  # fmt: skip
        if len(set(header)) != len(header) or "night" not in header:
            raise InputError(ui("diary.files.header", name=name))
        nights = []
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            if len(row) != len(header):
                raise InputError(
                    ui("diary.files.row_length", name=name, line=rows.line_num,
                       count=len(row), columns=len(header))
                )  # fmt: skip
            raw: dict[str, object] = {}
            for column, cell in zip(header, row, strict=True):
                if cell == "":
                    continue
                if column in NUMBER_FIELDS and cell.isascii() and cell.isdigit():
                    raw[column] = int(cell)
                elif column == "note" and cell.startswith("'"):
                    raw[column] = cell[1:]  # the mark diary_csv puts before a formula
                else:
                    raw[column] = cell
            nights.append(_parse(raw, name, today))
    except csv.Error as exc:
        raise InputError(ui("diary.files.not_csv", name=name, reason=str(exc))) from None
    _check_unique(nights, name)
    return nights


def _parse(raw: object, name: str, today: datetime.date | None) -> Night:
    try:
        if not isinstance(raw, dict):
            no_date = ui("diary.errors.no_night")
            raise DiaryError(ui("diary.errors.not_a_table", night=no_date, got=show(raw)))
        return parse_night(raw, today=today)
    except DiaryError as exc:
        raise InputError(ui("diary.files.line", name=name, problem=str(exc))) from None


def _check_unique(nights: list[Night], name: str) -> None:
    seen: set[datetime.date] = set()
    for night in nights:
        if night.night in seen:
            raise InputError(ui("diary.files.twice", name=name, night=night.night.isoformat()))
        seen.add(night.night)


def diary_json(nights: Iterable[Night]) -> str:
    """A JSON diary file of the nights, in date order."""
    document = {
        "diary": FORMAT,
        "diary_version": VERSION,
        "nights": [n.raw() for n in sorted(nights, key=lambda n: n.night)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# A cell a spreadsheet would take for a formula starts with one of these. A note that does
# gets a leading apostrophe in CSV (a spreadsheet shows the text and hides the mark); so
# does a note that starts with an apostrophe, and reading CSV takes one off again, so that
# export then import gives the note back as written.
FORMULA_STARTS = ("=", "+", "-", "@", "'")
NOTE_COLUMN = FIELDS.index("note")


def spreadsheet_safe(cell: object) -> object:
    """A note's CSV cell that no spreadsheet runs as a formula."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def diary_csv(nights: Iterable[Night]) -> str:
    """A CSV diary file of the nights, in date order: every field a column, in FIELDS
    order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for night in sorted(nights, key=lambda n: n.night):
        raw = night.raw()
        row = ["" if raw.get(f) is None else raw[f] for f in FIELDS]
        row[NOTE_COLUMN] = spreadsheet_safe(row[NOTE_COLUMN])
        writer.writerow(row)
    return out.getvalue()
