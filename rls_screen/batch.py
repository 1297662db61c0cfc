"""Batch scoring (``rls-screen batch``): many saved responses in, one row per record out.

Inputs are read record by record (JSONL and CSV line by line; a single JSON file or a
FHIR Bundle whole) and each row is written as soon as its record is scored, so memory
stays flat however large the input. A bad record is one line on stderr and is skipped.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import os
import string
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from rls_screen import fhir
from rls_screen.answers import Answers, check_answers, load_json, parse_document, read_text
from rls_screen.bank import Bank
from rls_screen.engine import evaluate
from rls_screen.errors import InputError
from rls_screen.files import private_temp

STDIN = "<stdin>"
STDOUT = "<stdout>"
BUFFER = 1 << 20  # bytes; reads and writes go through buffers this large
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})

# Input kinds by file name extension (compared in lower case).
INPUT_KINDS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
INPUT_NAMES = ".json, .jsonl, .ndjson or .csv"
OUTPUT_KINDS = {".csv": "csv", ".jsonl": "jsonl"}

# CSV output: fixed columns, in this order ('rls-screen batch --help' lists them too).
FEATURE_COLUMNS = ("urge", "rest", "movement", "evening")
COLUMNS = (
    "source",
    "line",
    "id",
    "instrument",
    "instrument_version",
    "pattern",
    *(f"essential_features.{name}" for name in FEATURE_COLUMNS),
    "lookalikes",
    "lookalikes_unclear",
    "course",
    "clinically_significant",
    "supportive_features",
    "contributing_factors",
    "augmentation_concern",
    "red_flags",
    "red_flags_unsure",
    "urgency",
    "tests_to_discuss",
    "pediatric",
)
CSV_ID_COLUMN = "id"
SAVE_AS_UTF8 = "save the file as 'CSV UTF-8'"
RowWriter = Callable[[int, "str | None", dict], None]


# --- output --------------------------------------------------------------------------


def output_kind(out: str) -> str:
    """'csv' or 'jsonl' for an --out value; one clear line for anything else."""
    if out == "-":
        return "jsonl"
    kind = OUTPUT_KINDS.get(Path(out).suffix.lower())
    if kind is None:
        raise InputError(
            f"{out}: the output must end in .csv or .jsonl (or be - for JSONL on stdout)"
        )
    return kind


_JSON = json.JSONEncoder(separators=(",", ":"))
_JSON_LITERAL = {True: "true", False: "false", None: "null"}
RESULT_KEYS = 16  # the keys of a result object (docs/instrument.md section 5)


def result_encoder() -> Callable[[dict], str]:
    """A function giving the compact JSON of a result object, exactly as
    ``json.dumps(result, separators=(",", ":"))`` does, about twice as fast.

    Every string of a result but the instrument version is a code of the closed
    vocabulary (plain ASCII identifiers, nothing to escape: tests/test_batch.py checks
    the output against json.dumps), so a template does; a result of any other shape goes
    to json. Free text (``own_words``) is never part of a result."""
    plain, literal = _JSON.encode, _JSON_LITERAL
    heads: dict[tuple[str, str], str] = {}

    def items(codes: list[str]) -> str:
        return '["' + '","'.join(codes) + '"]' if codes else "[]"

    def encode(r: dict) -> str:
        if len(r) != RESULT_KEYS:
            return plain(r)
        key = (r["instrument"], r["instrument_version"])
        head = heads.get(key)
        if head is None:
            head = heads[key] = (
                f'{{"instrument":{plain(key[0])},"instrument_version":{plain(key[1])},'
            )
        ef = r["essential_features"]
        course = r["course"]
        course = "null" if course is None else f'"{course}"'
        return (
            f'{head}"pattern":"{r["pattern"]}","essential_features":{{"urge":"{ef["urge"]}",'
            f'"rest":"{ef["rest"]}","movement":"{ef["movement"]}","evening":"{ef["evening"]}"}},'
            f'"lookalikes":{items(r["lookalikes"])},'
            f'"lookalikes_unclear":{items(r["lookalikes_unclear"])},"course":{course},'
            f'"clinically_significant":{literal[r["clinically_significant"]]},'
            f'"supportive_features":{items(r["supportive_features"])},'
            f'"contributing_factors":{items(r["contributing_factors"])},'
            f'"augmentation_concern":{literal[r["augmentation_concern"]]},'
            f'"red_flags":{items(r["red_flags"])},'
            f'"red_flags_unsure":{items(r["red_flags_unsure"])},"urgency":"{r["urgency"]}",'
            f'"tests_to_discuss":{items(r["tests_to_discuss"])},'
            f'"pediatric":{literal[r["pediatric"]]}}}'
        )

    return encode


class Output:
    """Rows to a file (a private temp file, renamed over the target at the end) or to
    stdout. Nothing is collected: every row is written as it comes."""

    def __init__(self, out: str) -> None:
        self.name = STDOUT if out == "-" else out
        self.kind = output_kind(out)
        self._tmp: str | None = None
        self.target: Path | None = None  # the file to write; None for stdout
        if out == "-":
            self._file = _stdout()
        else:
            self._file = self._open_temp(out)
        if self.kind == "csv":
            self._file.write(",".join(map(_csv_cell, COLUMNS)) + "\n")

    def _open_temp(self, out: str) -> IO[str]:
        fd, self._tmp, self.target = private_temp(out, shown=out)
        try:
            # Ids and paths are the person's own text: never fail on an odd character.
            return open(  # noqa: SIM115 (closed in commit/discard)
                fd, "w", encoding="utf-8", errors="backslashreplace", newline="",
                buffering=BUFFER,
            )  # fmt: skip
        except BaseException:
            os.close(fd)
            Path(self._tmp).unlink(missing_ok=True)
            self._tmp = None
            raise

    def row_writer(self, source: str) -> RowWriter:
        """A function writing one row of ``source``: (line, id, result)."""
        write = self._file.write
        if self.kind != "csv":
            encode, result_json = _JSON.encode, result_encoder()
            head = '{"source":' + encode(source) + ',"line":'

            def jsonl_row(line: int, rid: str | None, result: dict) -> None:
                write(
                    f'{head}{line},"id":{"null" if rid is None else encode(rid)},'
                    f'"result":{result_json(result)}}}\n'
                )

            return jsonl_row
        # Every cell but the source, the id and the instrument's name and version is a code
        # of the rules' closed vocabulary (letters, digits, _ and ';' between list items),
        # which CSV never quotes and no spreadsheet takes for a formula: the row is put
        # together as one string, as csv.writer would write it. Free text (own_words) is
        # never part of a result, so never of a row.
        text = {True: "true", False: "false", None: ""}
        join = ";".join
        prefix = _csv_cell(_spreadsheet_safe(source)) + ","
        heads: dict[tuple[str, str], str] = {}

        def csv_row(line: int, rid: str | None, r: dict) -> None:
            key = (r["instrument"], r["instrument_version"])
            head = heads.get(key)
            if head is None:
                head = heads[key] = ",".join(_csv_cell(_spreadsheet_safe(k)) for k in key) + ","
            if rid is None:
                rid = ""
            elif rid and (rid[0] in _FORMULA_STARTS or not _CSV_PLAIN.issuperset(rid)):
                rid = _csv_cell(_spreadsheet_safe(rid))
            ef = r["essential_features"]
            course = r["course"]
            write(
                f"{prefix}{line},{rid},{head}{r['pattern']},"
                f"{ef['urge']},{ef['rest']},{ef['movement']},{ef['evening']},"
                f"{join(r['lookalikes'])},{join(r['lookalikes_unclear'])},"
                f"{'' if course is None else course},"
                f"{text[r['clinically_significant']]},{join(r['supportive_features'])},"
                f"{join(r['contributing_factors'])},{text[r['augmentation_concern']]},"
                f"{join(r['red_flags'])},{join(r['red_flags_unsure'])},{r['urgency']},"
                f"{join(r['tests_to_discuss'])},"
                f"{text[r['pediatric']]}\n"
            )

        return csv_row

    def commit(self) -> None:
        """Flush; for a file, make it durable and put it in place."""
        try:
            self._file.flush()
            if self._tmp is None:
                if self._file is not sys.stdout:
                    self._file.close()
                return
            os.fsync(self._file.fileno())
            self._file.close()
            os.replace(self._tmp, self.target)
            self._tmp = None
        except OSError as exc:
            self.discard()
            raise InputError(f"{self.name}: cannot write ({exc.strerror or exc})") from None

    def discard(self) -> None:
        """Leave nothing behind: close and remove the temp file (stdout is left open)."""
        try:
            if self._file is not sys.stdout:
                self._file.close()
        except OSError:
            pass
        if self._tmp is not None:
            Path(self._tmp).unlink(missing_ok=True)
            self._tmp = None


def _stdout() -> IO[str]:
    """stdout with a buffer of our own: under ``python -u`` (PYTHONUNBUFFERED) sys.stdout
    writes through at every row. A stand-in without a file descriptor is used as is."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return sys.stdout
    sys.stdout.flush()
    return open(  # noqa: SIM115 (closed in commit/discard)
        fd, "w", encoding="utf-8", newline="", buffering=BUFFER, closefd=False
    )


# --- progress ------------------------------------------------------------------------


class Progress:
    """One line on a terminal, redrawn with \\r at most ten times a second."""

    INTERVAL = 0.1

    def __init__(self, stream: IO[str], total_bytes: int | None) -> None:
        self.stream = stream
        self.total = total_bytes
        self.start = self.next = time.monotonic()  # the first update draws
        self.shown = False

    def update(self, records: int, done_bytes: int | None) -> None:
        now = time.monotonic()
        if now < self.next:
            return
        self.next = now + self.INTERVAL
        rate = records / max(now - self.start, 1e-9)
        text = f"{records:,} records ({rate:,.0f}/s)"
        if self.total and done_bytes is not None:
            text += f"  {min(done_bytes / self.total, 1.0):.0%} read"
        self.stream.write(f"\r{text}\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


# --- inputs --------------------------------------------------------------------------


@dataclass
class Input:
    source: str  # as given (or folder/name for a folder's files); <stdin> for -
    kind: str  # json, jsonl or csv
    path: Path | None  # None for stdin
    size: int = 0
    problem: str = ""  # why it cannot be read at all, if it cannot


@dataclass
class Counts:
    scored: int = 0
    skipped: int = 0
    unreadable: int = 0  # inputs (files, folders) that could not be read
    bytes_done: int = 0

    @property
    def records(self) -> int:
        return self.scored + self.skipped


# A cell starting with one of these is a formula to a spreadsheet program.
_FORMULA_STARTS = frozenset("=+-@\t\r")


# Characters a CSV cell can hold without quotes (most ids are made of these).
_CSV_PLAIN = frozenset(string.ascii_letters + string.digits + "_-.:/ ")


def _csv_cell(text: str) -> str:
    """A cell as csv.writer writes it (minimal quoting)."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _spreadsheet_safe(text: str) -> str:
    """Text from the input (a file name, a record id) for a CSV cell: a leading ' when it
    would start a formula, so that a spreadsheet shows it as text and never runs it."""
    return "'" + text if text and text[0] in _FORMULA_STARTS else text


def _id_text(value: Any) -> str | None:
    """A record id as text: strings as they are, anything else as its JSON."""
    if value is None or type(value) is str:
        return value
    return json.dumps(value, ensure_ascii=False)


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({exc.strerror or exc})"


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
        print(line, file=self.err)

    def bad_record(self, source: str, line: int, message: str) -> None:
        """``SOURCE:LINE: reason``; the reason without the name prefix it came with."""
        prefix = f"{source}: "
        if message.startswith(prefix):
            message = message[len(prefix) :]
        self.counts.skipped += 1
        self.say(f"{source}:{line}: {message}")

    def unreadable(self, message: str) -> None:
        """A whole input that could not be read: one line, already naming the input."""
        self.counts.unreadable += 1
        self.say(message)

    def tick(self, extra_bytes: int | None = 0) -> None:
        if self.progress is not None:
            done = None if extra_bytes is None else self.counts.bytes_done + extra_bytes
            self.progress.update(self.counts.records, done)

    # -- inputs --

    def expand(self, given: Iterable[str]) -> list[Input]:
        """The inputs in order, folders opened up. An input that cannot be read carries
        its problem, reported when its turn comes."""
        inputs: list[Input] = []
        for source in given:
            if source == "-":
                inputs.append(Input(STDIN, "jsonl", None))
                continue
            path = Path(source)
            try:
                if path.is_dir():
                    inputs.extend(self._folder(source, path))
                    continue
                size = path.stat().st_size
            except OSError as exc:
                inputs.append(Input(source, "", path, problem=_os_problem(exc)))
                continue
            kind = INPUT_KINDS.get(path.suffix.lower())
            if kind is None:
                problem = (
                    f"unknown file type {path.suffix!r}; expected {INPUT_NAMES}"
                    if path.suffix
                    else f"no file type in the name; expected {INPUT_NAMES}"
                )
                inputs.append(Input(source, "", path, problem=problem))
                continue
            inputs.append(Input(source, kind, path, size))
        return inputs

    def _folder(self, source: str, folder: Path) -> list[Input]:
        found = []
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            kind = INPUT_KINDS.get(os.path.splitext(entry.name)[1].lower())
            if kind is None or entry.name.startswith(".") or not entry.is_file():
                continue
            path = Path(entry.path)
            if self.skip_path is not None and _same_file(path, self.skip_path):
                continue  # the output of an earlier run, in the folder it reads
            name = os.path.join(source, entry.name)
            found.append(Input(name, kind, path, entry.stat().st_size))
        if not found:
            problem = f"no {INPUT_NAMES} files in this folder"
            return [Input(source, "", folder, problem=problem)]
        return found

    def run(self, given: Iterable[str]) -> Counts:
        inputs = self.expand(given)
        if self.progress is not None:
            self.progress.total = sum(i.size for i in inputs) or None
        for item in inputs:
            try:
                if item.problem:
                    self.unreadable(f"{item.source}: {item.problem}")
                elif item.kind == "json":
                    self.score_json(item)
                elif item.path is None:
                    self.score_jsonl(item.source, sys.stdin.buffer, sized=False)
                else:
                    with open(item.path, "rb", buffering=BUFFER) as handle:
                        if item.kind == "jsonl":
                            self.score_jsonl(item.source, handle, sized=True)
                        else:
                            self.score_csv(item.source, handle)
            except InputError as exc:
                self.unreadable(str(exc))
            except BrokenPipeError:
                raise  # the reader of stdout went away
            except OSError as exc:
                if exc.errno in WRITE_ERRNOS:  # the output, not the input
                    raise InputError(
                        f"{self.output.name}: cannot write ({exc.strerror or exc})"
                    ) from None
                self.unreadable(f"{item.source}: {_os_problem(exc)}")
            self.counts.bytes_done += item.size
            self.tick()
        if self.progress is not None:
            self.progress.clear()
        return self.counts

    # -- one input --

    def score_json(self, item: Input) -> None:
        """A single answer file or QuestionnaireResponse (line 1), or a Bundle (entries)."""
        source, bank = item.source, self.bank
        doc = load_json(read_text(source), source)
        write = self.output.row_writer(source)
        if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
            records = fhir.bundle_responses(doc, source)
            if not records:
                self.say(f"{source}: the Bundle has no entries")
        else:
            records = [(1, doc)]
        for number, record in records:
            try:
                if isinstance(record, InputError):
                    raise record
                if isinstance(record, dict) and "resourceType" in record:
                    answers = fhir.from_response(record, bank, source)
                    rid = record.get("id")
                else:
                    answers = parse_document(record, bank, source)
                    meta = record.get("meta")
                    rid = meta.get("id") if meta else None
            except InputError as exc:
                self.bad_record(source, number, str(exc))
                continue
            write(number, _id_text(rid), evaluate(bank, answers))
            self.counts.scored += 1
            self.tick()

    def score_jsonl(self, source: str, handle: IO[bytes], sized: bool) -> None:
        """One answer document (or QuestionnaireResponse) per line: the hot loop, so
        everything it calls is looked up once."""
        bank = self.bank
        counts = self.counts
        write = self.output.row_writer(source)
        decode = json.JSONDecoder().decode  # what json.loads does, without its checks
        parse, score, dict_ = parse_document, evaluate, dict
        tell = handle.tell if sized and self.progress is not None else None
        peek = getattr(handle, "peek", None)
        if peek is not None and peek(3)[:3] == codecs.BOM_UTF8:
            handle.read(3)
        scored = 0
        try:
            for number, raw in enumerate(handle, 1):
                try:
                    doc = decode(raw.decode())
                    if type(doc) is dict_ and "resourceType" not in doc:
                        answers = parse(doc, bank, source)
                        meta = doc.get("meta")
                        rid = meta.get("id") if meta else None
                    else:
                        answers, rid = self._not_answer_file(doc, source)
                except InputError as exc:
                    self.bad_record(source, number, str(exc))
                    continue
                except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
                    if raw.strip():  # else a blank line: skipped
                        self.bad_record(source, number, _json_problem(exc))
                    continue
                except RecursionError:
                    self.bad_record(source, number, "not valid JSON (nested too deeply)")
                    continue
                write(
                    number,
                    rid if rid is None or type(rid) is str else _id_text(rid),
                    score(bank, answers),
                )
                scored += 1
                if not number & 511 and self.progress is not None:
                    counts.scored += scored
                    scored = 0
                    self.tick(tell() if tell is not None else None)
        finally:  # rows written so far count, whatever stops the loop
            counts.scored += scored

    def _not_answer_file(self, doc: Any, source: str) -> tuple[Answers, Any]:
        """A QuestionnaireResponse line: its answers and id. Anything else raises."""
        if isinstance(doc, dict):
            return fhir.from_response(doc, self.bank, source), doc.get("id")
        return parse_document(doc, self.bank, source), None  # raises: says what it expects

    def score_csv(self, source: str, handle: IO[bytes]) -> None:
        """A header of item ids (and maybe 'id'), then one person per row."""
        # Bad bytes are kept as surrogates, so that only their row is skipped.
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
        try:
            self._score_csv_rows(source, csv.reader(text), handle)
        finally:
            text.detach()  # the caller closes the file

    def _score_csv_rows(self, source: str, reader: Iterator[list[str]], handle: IO[bytes]) -> None:
        bank, counts = self.bank, self.counts
        row_number = 0  # the last row read
        try:
            header = next(reader, None)
            row_number = 1
            if header is None:
                raise InputError(
                    f"{source}: the file is empty; expected a header row of item ids "
                    "(and maybe 'id')"
                )
            if not _utf8(header):
                raise InputError(f"{source}: the header is not UTF-8 text; {SAVE_AS_UTF8}")
            columns, id_index = self._csv_columns(source, [cell.strip() for cell in header])
            width = len(header)
            write = self.output.row_writer(source)
            tell = handle.tell if self.progress is not None else None
            for row_number, row in enumerate(reader, 2):  # noqa: B007 (used after the loop)
                if len(row) > width and any(cell.strip() for cell in row[width:]):
                    message = f"{len(row)} cells, but the header names {width} columns"
                    self.bad_record(source, row_number, message)
                    continue
                if not _utf8(row):
                    self.bad_record(source, row_number, f"not UTF-8 text; {SAVE_AS_UTF8}")
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
                    answers = check_answers(raw, bank, source)
                except InputError as exc:
                    self.bad_record(source, row_number, str(exc))
                    continue
                write(row_number, rid, evaluate(bank, answers))
                counts.scored += 1
                if not row_number & 511:
                    self.tick(tell() if tell is not None else None)
        except csv.Error as exc:
            raise InputError(
                f"{source}: not CSV at row {row_number + 1} ({exc}); the rest was not read"
            ) from None

    def _csv_columns(
        self, source: str, header: list[str]
    ) -> tuple[list[tuple[int, str, bool]], int]:
        """(index, item id, multi choice?) per item column, and the id column's index
        (past the end when there is none). Every unknown column in one line."""
        items = self.bank.items
        unknown = [name for name in header if name not in items and name != CSV_ID_COLUMN]
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            raise InputError(
                f"{source}: unknown column{'s' if len(unknown) > 1 else ''} {names} in the "
                "header; columns are item ids (see 'rls-screen check-questions') and 'id'"
            )
        twice = sorted({name for name in header if header.count(name) > 1})
        if twice:
            raise InputError(
                f"{source}: column{'s' if len(twice) > 1 else ''} "
                f"{', '.join(repr(name) for name in twice)} appear more than once in the header"
            )
        columns = [
            (index, name, items[name].kind == "multi")
            for index, name in enumerate(header)
            if name != CSV_ID_COLUMN
        ]
        id_index = header.index(CSV_ID_COLUMN) if CSV_ID_COLUMN in header else len(header)
        return columns, id_index


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _json_problem(exc: ValueError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON (column {exc.colno}: {exc.msg})"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return f"not valid JSON ({exc})"


def _utf8(row: list[str]) -> bool:
    """Whether a row read with surrogateescape was UTF-8 text."""
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def summary(counts: Counts, output_name: str) -> str:
    """The last line on stderr, e.g. ``scored 998 of 1,000 records (2 skipped) -> out.csv``."""
    records = counts.records
    noun = "record" if records == 1 else "records"
    unread = ""
    if counts.unreadable:
        unread = f"{counts.unreadable:,} input{'s' if counts.unreadable > 1 else ''} not read"
    if records == 0:
        return f"no records found{f' ({unread})' if unread else ''}; nothing written"
    notes = []
    if counts.skipped:
        notes.append(f"{counts.skipped:,} skipped")
    if unread:
        notes.append(unread)
    line = f"scored {counts.scored:,} of {records:,} {noun}"
    if notes:
        line += f" ({'; '.join(notes)})"
    if counts.scored == 0:
        return line + "; nothing written"
    return f"{line} -> {output_name}"


def exit_status(counts: Counts) -> int:
    if counts.scored == 0:
        return 2
    return 1 if counts.skipped or counts.unreadable else 0


def run_batch(bank: Bank, inputs: list[str], out: str, err: IO[str] | None = None) -> int:
    """The whole command: score ``inputs`` into ``out``; the exit status."""
    err = err if err is not None else sys.stderr
    output_kind(out)  # a bad --out name fails before anything is read
    # Progress only on a terminal, and not when the rows go to that terminal too.
    show = err.isatty() and not (out == "-" and sys.stdout.isatty())
    progress = Progress(err, None) if show else None
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
        print(
            "interrupted; " + ("nothing written" if out != "-" else "the output stops here"),
            file=err,
        )
        raise
    finally:
        if output is not None and not committed:
            output.discard()
    print(summary(counts, output.name), file=err)
    return exit_status(counts)
