"""`rls-screen diary --plain`: the diary's night as plain lines (a screen reader, a
plain terminal, a script), then the nights as a table.

It asks what the terminal's form asks (`core.diary_entry`), one line each: Enter skips a
field (for a night already written down, it keeps what is there). A value that cannot
be read gets the diary's one line and the question again. Saving is one write through
`interop.diary_store`. Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rls_screen.core.diary_entry import ENTRY, Field, applies, shown, value_of
from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.core.diary import Night

# The nights in the table: the most recent ones written down.
TABLE_NIGHTS = 14


class EndOfInput(Exception):
    """stdin was closed before the night was saved."""


def question(field: Field) -> str:
    """The entry's own question (questions/diary.toml), as every face asks it."""
    from rls_screen.core.diary import entry_questions

    texts = {entry["id"]: entry["text"] for entry in entry_questions()}
    return " ".join(str(texts[field.name]).split())


def hint(field: Field) -> str:
    if field.kind == "time":
        return ui("diary.entry.hint.time")
    return {
        "symptoms": ui("diary.entry.hint.symptoms"),
        "severity": ui("diary.entry.hint.severity"),
        "sleep_latency": ui("diary.entry.hint.minutes"),
        "awakenings": ui("diary.entry.hint.times"),
        "awake_minutes": ui("diary.entry.hint.minutes"),
        "quality": ui("diary.entry.hint.quality"),
        "caffeine_late": ui("diary.entry.hint.yes_no"),
        "alcohol": ui("diary.entry.hint.yes_no"),
        "note": ui("diary.entry.hint.note"),
    }[field.name]


def table(nights: Sequence[Night]) -> list[str]:
    """The nights as a table of plain columns, oldest first (the chart, in words)."""
    heads = [
        ui("diary.plain.columns.night"),
        ui("diary.plain.columns.symptoms"),
        ui("diary.plain.columns.onset"),
        ui("diary.plain.columns.severity"),
        ui("diary.plain.columns.bed"),
        ui("diary.plain.columns.latency"),
        ui("diary.plain.columns.wake"),
        ui("diary.plain.columns.up"),
        ui("diary.plain.columns.quality"),
    ]
    from rls_screen.reports.diary import option_labels

    labels = option_labels()  # the words of the codes, as the entry shows them
    missing = ui("diary.plain.missing")
    rows = [heads]
    for night in sorted(nights, key=lambda entry: entry.night):
        feelings = night.symptoms == "yes"
        values = [
            night.night.strftime("%a %m-%d"),
            labels["symptoms"].get(night.symptoms or "", night.symptoms),
            night.onset if feelings else None,
            night.severity if feelings else None,
            night.bed,
            night.sleep_latency,
            night.wake,
            night.out_of_bed or night.wake,
            labels["quality"].get(night.quality or "", night.quality),
        ]
        rows.append([missing if value is None else str(value) for value in values])
    widths = [max(len(row[at]) for row in rows) for at in range(len(heads))]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


class PlainDiary:
    def __init__(self, db: Path, inp: TextIO, out: TextIO, interactive: bool) -> None:
        self.db = db
        self.inp = inp
        self.out = out
        self.interactive = interactive

    def say(self, text: str) -> None:
        self.out.write(text + "\n")

    def ask(self, prompt: str) -> str:
        self.out.write(prompt)
        self.out.flush()
        line = self.inp.readline(1000)
        if not line:
            self.say("")
            raise EndOfInput
        reply = line.rstrip("\r\n")
        if not self.interactive:
            self.say(reply)  # piped replies are not echoed by a terminal
        return reply

    def ask_night(self, night: dt.date, stored: Night | None) -> dict[str, object]:
        from rls_screen.core.diary import DiaryError, parse_night

        raw: dict[str, object] = {"night": night.isoformat()}
        for field in ENTRY:
            if not applies(field, raw.get("symptoms")):
                continue
            now = getattr(stored, field.name, None)
            if now is None:
                prompt = ui("diary.plain.prompt", question=question(field), hint=hint(field))
            else:
                prompt = ui(
                    "diary.plain.prompt_kept",
                    question=question(field),
                    hint=hint(field),
                    value=shown(now),
                )
            while True:
                value = value_of(field, self.ask(prompt))
                if value is None:
                    value = now
                if value is None:
                    break
                try:
                    parse_night({"night": raw["night"], field.name: value})
                except DiaryError as exc:
                    self.say(str(exc))
                    self.say(ui("diary.plain.again"))
                    continue
                raw[field.name] = value
                break
        if raw.get("symptoms") == "no":
            for name in ("onset", "severity"):
                raw.pop(name, None)
        return raw

    def run(self, night: dt.date | None) -> int:
        from rls_screen.core.diary import DiaryError, night_for_now, parse_night
        from rls_screen.core.errors import one_line
        from rls_screen.interop.diary_store import DiaryStore

        night = night or night_for_now(dt.datetime.now())
        try:
            with DiaryStore.open(self.db) as store:
                if store.notice:  # an unreadable diary was moved aside: one line
                    print(f"rls-screen: {store.notice}", file=sys.stderr)
                stored = store.get(night)
        except Exception as exc:  # a database that cannot be read: one line
            print(ui("diary.plain.store_failed", error=one_line(str(exc))), file=sys.stderr)
            return 2
        self.say(ui("diary.plain.intro", night=night.isoformat()))
        try:
            raw = self.ask_night(night, stored)
        except EndOfInput:
            self.say(ui("diary.plain.kept"))
            return 1
        try:
            entry = parse_night(raw)
            with DiaryStore.open(self.db) as store:
                store.put(entry, replace=True)
                nights = store.nights()
        except DiaryError as exc:
            print(one_line(str(exc)), file=sys.stderr)
            return 2
        except Exception as exc:
            print(ui("diary.plain.store_failed", error=one_line(str(exc))), file=sys.stderr)
            return 2
        self.say(ui("diary.plain.saved", night=night.isoformat()))
        self.say("")
        self.say(ui("diary.plain.table_title"))
        for line in table(nights[-TABLE_NIGHTS:]):
            self.say(line)
        return 0


def run(args: argparse.Namespace) -> int:
    """The face of `rls-screen diary --plain` (args.db: the database, None for the
    default; args.night, when given, the night to write down)."""
    db = getattr(args, "db", None)
    if db is None:
        from rls_screen.interop.diary_store import default_diary_path

        db = default_diary_path()
    night = getattr(args, "night", None)
    if isinstance(night, str):
        night = dt.date.fromisoformat(night)
    face = PlainDiary(Path(db), sys.stdin, sys.stdout, sys.stdin.isatty())
    return face.run(night)
