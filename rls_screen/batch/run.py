"""Batch scoring (``rls-screen batch``): many saved responses in, one row per record out.

Inputs are read record by record (JSONL and CSV line by line; a single JSON file or a
FHIR Bundle whole) and each row is written as soon as its record is scored, so memory
stays flat however large the input. A bad record is one line on stderr and is skipped.

Every input is answered in one short line per problem, never a traceback or a hang:
  * a record (a JSONL line, a CSV row, a .json file) is at most reading.MAX_INPUT_BYTES (4 MB);
    a longer one is read with that bound, skipped to its end and reported, never held
    in memory whole;
  * only regular files (and ``-``, stdin) are read: a FIFO, a device, a socket, or a
    link to one, is refused without waiting on it;
  * JSON is strict in every kind of input: duplicate keys, NaN, Infinity and overlong
    numbers skip the record, naming the key;
  * a CSV row whose quote is never closed is reported where it starts, and the rows
    after it are read again as rows of their own (never merged into it silently);
  * the output never replaces anything but a regular file, is never one of the inputs
    (checked before anything is read), and a failure to write it stops the run with
    exit status 2 (never reported as a problem of an input, never after "scored").

The modules of batch, each over the ones after it (pyproject.toml, import-linter):
  run       Batch: scores inputs into an Output; summary, exit_status, run_batch
  reading   inputs, the strict-JSON fast path, CSV records, and their limits
  output    output kinds, Output (the file or stdout) and its row writers
  progress  the progress line on a terminal
  columns   the CSV columns and fast JSON/CSV encoders, derived from engine.Result

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

from rls_screen.batch import reading
from rls_screen.batch.output import (
    WRITE_ERRNOS,
    Output,
    OutputError,
    cannot_write,
    check_not_an_input,
    output_kind,
)
from rls_screen.batch.progress import Progress
from rls_screen.batch.reading import (
    FAST_SCAN,
    READ_BUFFER,
    SURROGATE_ESCAPE,
    CsvLines,
    Input,
    RowProblem,
    all_keys,
    check_unicode,
    csv_columns,
    csv_problem,
    id_text,
    is_utf8,
    no_key_twice,
    skip_line,
    strict_json,
)
from rls_screen.core import answers as answer_files
from rls_screen.core.answers import (
    MAX_INPUT_TEXT,
    Answers,
    check_answers,
    load_json,
    parse_document,
    read_bounded,
)
from rls_screen.core.bank import Bank
from rls_screen.core.engine import evaluate
from rls_screen.core.errors import InputError, one_line, show
from rls_screen.core.texts import ui
from rls_screen.interop import fhir


@dataclass
class Counts:
    scored: int = 0
    skipped: int = 0
    unreadable: int = 0  # inputs (files, folders) that could not be read
    bytes_done: int = 0

    @property
    def records(self) -> int:
        return self.scored + self.skipped


class Batch:
    """Score inputs into an Output, reporting bad records and unreadable inputs."""

    def __init__(
        self,
        bank: Bank,
        output: Output,
        err: IO[str] | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.bank = bank
        self.output = output
        self.err = err if err is not None else sys.stderr
        self.progress = progress
        self.counts = Counts()
        self.skip_path: Path | None = output.target

    # -- reporting --

    def say(self, line: str) -> None:
        if self.progress is not None:
            self.progress.clear()
        print(one_line(line), file=self.err)

    def bad_record(self, name: str, line: int, message: str) -> None:
        """``SOURCE:LINE: reason``; the reason without the name prefix it came with."""
        prefix = f"{name}: "
        if message.startswith(prefix):
            message = message[len(prefix) :]
        self.counts.skipped += 1
        self.say(ui("batch.run.bad_record", source=name, line=line, reason=message))

    def unreadable(self, message: str) -> None:
        """A whole input that could not be read: one line, already naming the input."""
        self.counts.unreadable += 1
        self.say(message)

    def tick(self, extra_bytes: int | None = 0) -> None:
        if self.progress is not None:
            done = None if extra_bytes is None else self.counts.bytes_done + extra_bytes
            self.progress.update(self.counts.records, done)

    # -- inputs --

    def expand(self, given: Iterable[str]) -> Iterator[Input]:
        """The inputs in order, folders opened up (an earlier output in a folder left
        out); an input that cannot be read carries its problem (reading.expand). Lazy:
        one input at a time, so memory stays flat for a folder of 100,000 files."""
        return reading.expand(given, self.skip_path)

    def run(self, given: Iterable[str]) -> Counts:
        given = list(given)
        if self.progress is not None:
            self.progress.total = reading.total_size(given) or None
        inputs = self.expand(given)
        for item in inputs:
            try:
                if item.problem:
                    self.unreadable(
                        ui("batch.run.input_problem", source=item.name, reason=item.problem)
                    )
                elif item.kind == "json":
                    self.score_json(item)
                elif item.path is None:
                    self.score_jsonl(item, sys.stdin.buffer, sized=False)
                else:
                    with answer_files.open_regular(item.path, item.name, READ_BUFFER) as handle:
                        if item.kind == "jsonl":
                            self.score_jsonl(item, handle, sized=True)
                        else:
                            self.score_csv(item, handle)
            except OutputError:
                raise  # the output, not this input: the run stops
            except InputError as exc:
                self.unreadable(str(exc))
            except BrokenPipeError:
                raise  # the reader of stdout went away
            except OSError as exc:
                if exc.errno in WRITE_ERRNOS:  # the output, not the input
                    raise cannot_write(self.output.name, exc) from None
                problem = answer_files.os_problem(exc)
                self.unreadable(ui("batch.run.input_problem", source=item.name, reason=problem))
            self.counts.bytes_done += item.size
            self.tick()
        if self.progress is not None:
            self.progress.clear()
        return self.counts

    # -- one input --

    def score_json(self, item: Input) -> None:
        """A single answer file or QuestionnaireResponse (line 1), or a Bundle (entries)."""
        source, name, bank = item.source, item.name, self.bank
        assert item.path is not None
        limit = reading.MAX_INPUT_BYTES
        raw = read_bounded(item.path, name, limit)
        if len(raw) > limit:
            raise InputError(ui("batch.run.json_too_large", source=name, limit=MAX_INPUT_TEXT))
        doc = load_json(answer_files.decode(raw, name), name)
        del raw
        write = self.output.row_writer(source)
        if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
            records = fhir.bundle_responses(doc, name)
            if not records:
                self.say(ui("batch.run.empty_bundle", source=name))
        else:
            records = [(1, doc)]
        for number, record in records:
            try:
                if isinstance(record, InputError):
                    raise record
                check_unicode(record, name)  # a lone surrogate (\ud800) is not text
                if isinstance(record, dict) and "resourceType" in record:
                    answers = fhir.from_response(record, bank, name)
                    rid = record.get("id")
                else:
                    answers = parse_document(record, bank, name)
                    meta = record.get("meta")
                    rid = meta.get("id") if meta else None
            except InputError as exc:
                self.bad_record(name, number, str(exc))
                continue
            write(number, id_text(rid), evaluate(bank, answers))
            self.counts.scored += 1
            self.tick()

    def score_jsonl(self, item: Input, handle: IO[bytes], sized: bool) -> None:
        """One answer document (or QuestionnaireResponse) per line: the hot loop, so
        everything it calls is looked up once. No line is read past MAX_INPUT_BYTES."""
        source, name, bank = item.source, item.name, self.bank
        counts = self.counts
        write = self.output.row_writer(source)
        scan, strict, surrogate = FAST_SCAN, strict_json, SURROGATE_ESCAPE.search
        parse, score, dict_ = parse_document, evaluate, dict
        tell = handle.tell if sized and self.progress is not None else None
        peek = getattr(handle, "peek", None)
        if peek is not None and peek(3)[:3] == codecs.BOM_UTF8:
            handle.read(3)
        limit = reading.MAX_INPUT_BYTES
        readline = handle.readline
        scored = 0
        try:
            for number, raw in enumerate(iter(partial(readline, limit + 1), b""), 1):
                if len(raw) > limit and raw[limit:] != b"\n":  # no line break in reach
                    skip_line(readline, raw)
                    too_large = ui("batch.reading.too_large", limit=MAX_INPUT_TEXT)
                    self.bad_record(name, number, too_large)
                    continue
                try:
                    try:
                        text = raw.decode()
                        doc, end = scan(text, 0)
                        if end != len(text) and not text[end:].isspace():
                            raise ValueError(text)  # more after the document
                    except (ValueError, StopIteration):
                        # Not JSON (or not at its start), not UTF-8, or a value strict
                        # JSON refuses: the strict decoder says what and where.
                        if not raw.strip():
                            continue  # a blank line
                        doc = strict(raw, name)  # raises, naming the key
                    if b"\\u" in raw and surrogate(raw):
                        check_unicode(doc, name)  # a lone \ud800 is not text
                    if type(doc) is dict_ and "resourceType" not in doc:
                        answers = doc.get("answers")
                        meta = doc.get("meta")
                        keys = len(doc)
                        if answers.__class__ is dict_:
                            keys += len(answers)
                        if meta.__class__ is dict_:
                            keys += len(meta)
                        colons = raw.count(b":")
                        if keys != colons and not no_key_twice(raw, doc, keys, colons):
                            strict(raw, name)  # a key given twice (or one nested deeper)
                        answers = parse(doc, bank, name)
                        rid = meta.get("id") if meta else None
                    else:
                        if type(doc) is not dict_:
                            strict(raw, name)  # a key twice inside is named before the shape
                        else:
                            keys, colons = all_keys(doc), raw.count(b":")
                            if keys != colons and not no_key_twice(raw, doc, keys, colons):
                                strict(raw, name)
                        answers, rid = self._not_answer_file(doc, name)
                except InputError as exc:
                    self.bad_record(name, number, str(exc))
                    continue
                except RecursionError:
                    self.bad_record(name, number, ui("batch.run.too_deep"))
                    continue
                write(
                    number,
                    rid if rid is None or type(rid) is str else id_text(rid),
                    score(bank, answers),
                )
                scored += 1
                if not number & 511 and self.progress is not None:
                    counts.scored += scored
                    scored = 0
                    self.tick(tell() if tell is not None else None)
        finally:  # rows written so far count, whatever stops the loop
            counts.scored += scored

    def _not_answer_file(self, doc: Any, name: str) -> tuple[Answers, Any]:
        """A QuestionnaireResponse line: its answers and id. Anything else raises."""
        if isinstance(doc, dict):
            return fhir.from_response(doc, self.bank, name), doc.get("id")
        return parse_document(doc, self.bank, name), None  # raises: says what it expects

    def score_csv(self, item: Input, handle: IO[bytes]) -> None:
        """A header of item ids (and maybe 'id'), then one person per row."""
        # Bad bytes are kept as surrogates, so that only their row is skipped.
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            lines = CsvLines(text, reading.MAX_INPUT_BYTES, reading.CSV_ROW_LINES)
            self._score_csv_rows(item, lines, handle)
        finally:
            text.detach()  # the caller closes the file

    def _score_csv_rows(self, item: Input, lines: CsvLines, handle: IO[bytes]) -> None:
        source, name = item.source, item.name
        bank, counts = self.bank, self.counts
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader, None)
        except (csv.Error, RowProblem) as exc:
            problem = csv_problem(exc)
            raise InputError(ui("batch.run.header_row", source=name, reason=problem)) from None
        if header is None:
            raise InputError(ui("batch.run.empty_csv", source=name))
        if not is_utf8(header):
            advice = ui("batch.run.save_as_utf8")
            raise InputError(ui("batch.run.header_not_utf8", source=name, advice=advice))
        columns, id_index = csv_columns(name, [cell.strip() for cell in header], self.bank.items)
        width = len(header)
        write = self.output.row_writer(source)
        tell = handle.tell if self.progress is not None else None
        row_number = 1  # rows as a spreadsheet numbers them: the header is row 1
        while True:
            lines.start_row()
            try:
                row = next(reader)
            except StopIteration:
                break
            except (csv.Error, RowProblem) as exc:
                # Reported where the row starts; its later lines are read again as rows
                # of their own, so nothing after it is merged into it or lost unsaid.
                row_number += 1
                start = lines.first_line()
                problem = csv_problem(exc)
                if start != row_number:
                    problem = ui("batch.run.row_at_line", reason=problem, line=start)
                self.bad_record(name, row_number, problem)
                lines.give_back()
                continue
            row_number += 1
            if len(row) > reading.MAX_CSV_COLUMNS:
                limit = reading.MAX_CSV_COLUMNS
                message = ui("batch.run.row_too_wide", cells=len(row), limit=limit)
                self.bad_record(name, row_number, message)
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                message = ui("batch.run.too_many_cells", cells=len(row), columns=width)
                self.bad_record(name, row_number, message)
                continue
            if not is_utf8(row):
                advice = ui("batch.run.save_as_utf8")
                bad = next(i for i, cell in enumerate(row) if not is_utf8([cell]))
                if bad < width:
                    column = show(header[bad].strip())
                    problem = ui("batch.run.cell_not_utf8", column=column, advice=advice)
                else:
                    problem = ui("batch.run.row_not_utf8", advice=advice)
                self.bad_record(name, row_number, problem)
                continue
            if "\x00" in "".join(row):
                # Text never holds a NUL (csv refused it before Python 3.11): a sheet
                # saved in another format, or a tampered one. Skipped, never scored.
                advice = ui("batch.run.save_as_utf8")
                self.bad_record(name, row_number, ui("batch.run.row_has_nul", advice=advice))
                continue
            raw: dict[str, Any] = {}
            for index, item_id, multi in columns:
                if index >= len(row):
                    break  # a short row: the rest is unanswered
                cell = row[index].strip()
                if not cell:
                    continue
                if multi:
                    raw[item_id] = [code for code in map(str.strip, cell.split(";")) if code]
                else:  # one code, or a text answer as it is (';' and line breaks too)
                    raw[item_id] = cell
            rid = (row[id_index].strip() or None) if id_index < len(row) else None
            if not raw and rid is None:
                continue  # an empty row (or a blank line)
            try:
                answers = check_answers(raw, bank, name)
            except InputError as exc:
                self.bad_record(name, row_number, str(exc))
                continue
            write(row_number, rid, evaluate(bank, answers))
            counts.scored += 1
            if not row_number & 511:
                self.tick(tell() if tell is not None else None)


def summary(counts: Counts, output_name: str) -> str:
    """The last line on stderr, e.g. ``scored 998 of 1,000 records (2 skipped) -> out.csv``."""
    records, scored = counts.records, counts.scored
    skipped, unreadable = counts.skipped, counts.unreadable
    unread = ""
    if unreadable > 1:
        unread = ui("batch.run.summary.unread_other", count=unreadable)
    elif unreadable:
        unread = ui("batch.run.summary.unread_one", count=unreadable)
    if records == 0:
        if unread:
            return ui("batch.run.summary.no_records_unread", unread=unread)
        return ui("batch.run.summary.no_records")
    if records == 1:
        line = ui("batch.run.summary.scored_one", scored=scored, records=records)
    else:
        line = ui("batch.run.summary.scored_other", scored=scored, records=records)
    notes = ui("batch.run.summary.skipped", count=skipped) if skipped else ""
    if notes and unread:
        notes = ui("batch.run.summary.both_notes", skipped=notes, unread=unread)
    elif unread:
        notes = unread
    if notes:
        line = ui("batch.run.summary.with_notes", counts=line, notes=notes)
    if scored == 0:
        return ui("batch.run.summary.nothing_written", counts=line)
    return ui("batch.run.summary.written", counts=line, output=output_name)


def exit_status(counts: Counts) -> int:
    if counts.scored == 0:
        return 2
    return 1 if counts.skipped or counts.unreadable else 0


def run_batch(bank: Bank, inputs: list[str], out: str, err: IO[str] | None = None) -> int:
    """The whole command: score ``inputs`` into ``out``; the exit status."""
    err = err if err is not None else sys.stderr
    # Before anything is read: a bad --out name, or an output that is one of the inputs.
    output_kind(out)
    check_not_an_input(out, inputs)
    # Progress only on a terminal, and not when the rows go to that terminal too.
    on_terminal = err.isatty() and not (out == "-" and sys.stdout.isatty())
    progress = Progress(err, None) if on_terminal else None
    output: Output | None = None
    committed = False
    try:
        output = Output(out)
        counts = Batch(bank, output, err, progress).run(inputs)
        if counts.scored:
            output.commit()
            committed = True
    except KeyboardInterrupt:
        if progress is not None:
            progress.clear()
        if out != "-":
            print(ui("batch.run.interrupted"), file=err)
        else:
            print(ui("batch.run.interrupted_stdout"), file=err)
        raise
    finally:
        if output is not None and not committed:
            output.discard()
    if not (counts.records == 0 and counts.unreadable == 1 and inputs == ["-"]):
        # ``batch -`` with standard input closed: its own line already says it all,
        # so the run stays one line (as promised).
        print(one_line(summary(counts, output.name)), file=err)
    return exit_status(counts)
