"""Batch scoring (``rls-screen batch``): many saved responses in, one row per record out.

Inputs are read record by record (JSONL and CSV line by line; a single JSON file or a
FHIR Bundle whole) and each row is written as soon as its record is scored, so memory
stays flat however large the input. A bad record is one line on stderr and is skipped.

Every input is answered in one short line per problem, never a traceback or a hang:
  * a record (a JSONL line, a CSV row, a .json file) is at most MAX_INPUT_BYTES (4 MB);
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

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import json
import math
import os
import string
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO, Any

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
from rls_screen.core.errors import InputError, one_line, show, show_name
from rls_screen.interop import fhir
from rls_screen.interop.files import private_temp, same_file

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

# The largest record read (a JSONL line, a CSV row, a .json file), as answers.py has it;
# read here at run time, so that a test can lower it and take the same path.
MAX_INPUT_BYTES = answer_files.MAX_INPUT_BYTES
# A CSV row may hold quoted line breaks (own_words: at most vocab.TEXT_MAX characters);
# a row running on over more lines than this has a quote that was never closed.
CSV_ROW_LINES = 1000


class OutputError(InputError):
    """The output cannot be written (stdout closed or full, a disk full): the run stops
    with exit status 2. Never taken for a problem of the input being read."""


def _cannot_write(name: str, exc: OSError) -> OutputError:
    return OutputError(f"{name}: cannot write ({exc.strerror or exc})")


# --- output --------------------------------------------------------------------------


def output_kind(out: str) -> str:
    """'csv' or 'jsonl' for an --out value; one clear line for anything else."""
    if out == "-":
        return "jsonl"
    kind = OUTPUT_KINDS.get(Path(out).suffix.lower())
    if kind is None:
        raise InputError(
            f"{show_name(out)}: the output must end in .csv or .jsonl (or be - for JSONL on stdout)"
        )
    return kind


def check_not_an_input(out: str, inputs: Iterable[str]) -> None:
    """Refuse an output that is one of the inputs, however it is spelled (``x.csv``,
    ``./x.csv``, a link, a hard link): before anything is read or written. (A folder's
    files are checked as it is opened: an earlier output there is left out.)"""
    if out == "-":
        return
    for source in inputs:
        if source == "-":
            continue
        try:
            same = os.path.samefile(source, out)
        except (OSError, ValueError):  # either is missing (or not a path): not the same
            same = False
        if same:
            raise InputError(
                f"{show_name(out)}: is the input {show_name(source)} too; "
                "write the results to a new file"
            )


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
        self.name = STDOUT if out == "-" else show_name(out)
        self.kind = output_kind(out)
        self._tmp: str | None = None
        self.target: Path | None = None  # the file to write; None for stdout
        if out == "-":
            self._file = _stdout(self.name)
        else:
            self._file = self._open_temp(out)
        if self.kind == "csv":
            self._file.write(",".join(map(_csv_cell, COLUMNS)) + "\n")

    def _open_temp(self, out: str) -> IO[str]:
        fd, self._tmp, self.target = private_temp(out, shown=self.name)
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
        """A function writing one row of ``source``: (line, id, result). A failure to
        write raises OutputError (a closed pipe stays BrokenPipeError): the try blocks
        cost nothing while nothing fails."""
        write, name = self._file.write, self.name
        if self.kind != "csv":
            encode, result_json = _JSON.encode, result_encoder()
            head = '{"source":' + encode(source) + ',"line":'

            def jsonl_row(line: int, rid: str | None, result: dict) -> None:
                try:
                    write(
                        f'{head}{line},"id":{"null" if rid is None else encode(rid)},'
                        f'"result":{result_json(result)}}}\n'
                    )
                except BrokenPipeError:
                    raise
                except OSError as exc:
                    raise _cannot_write(name, exc) from None

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
            try:
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
                )  # fmt: skip
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise _cannot_write(name, exc) from None

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
            assert self.target is not None  # _open_temp sets it with _tmp
            os.replace(self._tmp, self.target)
            self._tmp = None
        except BrokenPipeError:
            self.discard()
            raise
        except OSError as exc:
            self.discard()
            raise _cannot_write(self.name, exc) from None

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


def _stdout(name: str) -> IO[str]:
    """stdout with a buffer of our own: under ``python -u`` (PYTHONUNBUFFERED) sys.stdout
    writes through at every row. A stand-in without a file descriptor is used as is; a
    closed stdout (``>&-``) is one line before anything is read."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError):  # io.UnsupportedOperation too: a stand-in
        return sys.stdout
    except OSError as exc:  # the command line's stand-in for a closed stdout
        raise _cannot_write(name, exc) from None
    try:
        os.fstat(fd)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise _cannot_write(name, exc) from None
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

    @property
    def name(self) -> str:
        """The source for a message: control characters escaped, a long name shortened."""
        return show_name(self.source)


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


def _skip_line(readline: Callable[[int], Any], raw: Any) -> None:
    """Read on to the end of a line too long to keep, a chunk at a time (memory stays
    flat however long it is)."""
    ends = (b"\n",) if isinstance(raw, bytes) else ("\n", "\r")
    while raw and not raw.endswith(ends):
        raw = readline(BUFFER)


# --- strict JSON, fast ------------------------------------------------------------------
# JSONL is the hot loop: every record is decoded by the plain C decoder, with hooks that
# raise for what strict JSON refuses (they run only when such a value is there: NaN,
# Infinity, a float out of range, a long integer). A duplicate key is found by counting:
# every key of a line is followed by exactly one ':' (whatever the spaces), and a ':'
# inside a string only adds to the count; so when the line holds as many ':' as the
# decoded objects have keys, no key was given twice (one scan of the line, in C). When
# the counts differ (a time in 'meta', a FHIR URL), _no_key_twice looks closer; if it
# cannot tell, the line is decoded again by answers.load_json, which names the key.


def _refuse(text: str) -> Any:
    raise ValueError(text)


def _plain_int(text: str) -> int:
    if len(text) > 100:  # answers.load_json says how long (it allows a sign and 100)
        raise ValueError(text)
    return int(text)


def _plain_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


# The C scanner itself: JSONDecoder.decode adds two regular-expression matches a line
# (for spaces around the document), which the loop does more cheaply. typeshed leaves out
# JSONDecoder.scan_once (set in JSONDecoder.__init__), hence the ignore.
_FAST_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(
    parse_constant=_refuse, parse_int=_plain_int, parse_float=_plain_float
).scan_once  # type: ignore[attr-defined]


def _strict(raw: bytes, name: str) -> Any:
    """A JSONL line by the strict rules: the document, or InputError naming the key."""
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text") from None
    try:
        return load_json(text, name)
    except InputError as exc:  # the line is known: only the column says more
        message = str(exc).replace("(line 1, column ", "(column ", 1)
        raise InputError(message) from None


def _all_keys(doc: Any) -> int:
    """The keys of every object in a decoded document (a FHIR resource on a line)."""
    count, stack = 0, [doc]
    while stack:
        node = stack.pop()
        if node.__class__ is dict:
            count += len(node)
            stack.extend(node.values())
        elif node.__class__ is list:
            stack.extend(node)
    return count


def _no_key_twice(raw: bytes, doc: dict, keys: int, colons: int) -> bool:
    """Whether a line whose ':' outnumber its decoded keys still has no key twice. Each
    test only ever says yes when that is certain; the caller decodes strictly if not.

    1. The colons of the strings in 'meta' (a time saved by the kiosk) make up the
       difference (unless the line has a \\u escape, which may have been a colon).
    2. Every key is written '"key":', with no space before its colon, and the line holds
       as many '":' as there are keys (a '":' inside a string is escaped, '\\":', and
       only adds to the count)."""
    meta = doc.get("meta")
    if meta.__class__ is dict:
        extra = sum(value.count(":") for value in meta.values() if value.__class__ is str)
        if extra and keys + extra == colons and b"\\u" not in raw:
            return True
    return keys == raw.count(b'":') and b" :" not in raw and b"\t:" not in raw and b"\r:" not in raw


# --- CSV records ---------------------------------------------------------------------------


class _RowProblem(Exception):
    """Raised by the line feed to stop csv.reader at a row it must not read on."""


class _CsvLines:
    """The lines of a CSV file for csv.reader, one row's worth at a time, with bounds:
    no line longer than ``limit`` is kept (the rest of it is skipped, unread into
    memory), and a row may not run on past ``limit`` characters or ``max_lines`` lines
    (a quote never closed). After a bad row, its later lines are given again, so that
    the rows after it are read as rows of their own."""

    def __init__(self, text: io.TextIOWrapper, limit: int, max_lines: int) -> None:
        self.readline = text.readline
        self.limit = limit
        self.max_lines = max_lines
        self.number = 0  # the last line read from the file
        self.row: list[tuple[int, str | None]] = []  # the lines of the row being read
        self.size = 0
        self.again: deque[tuple[int, str | None]] = deque()

    def __iter__(self) -> _CsvLines:
        return self

    def start_row(self) -> None:
        self.row = []
        self.size = 0

    def first_line(self) -> int:
        """The line of the file where the row being read starts."""
        return self.row[0][0] if self.row else self.number

    def give_back(self) -> None:
        """After a bad row: its later lines are read again."""
        self.again.extendleft(reversed(self.row[1:]))
        self.row = []

    def __next__(self) -> str:
        if self.again:
            number, line = self.again.popleft()
        else:
            line = self.readline(self.limit + 1)
            if not line:
                raise StopIteration
            self.number += 1
            number = self.number
            if len(line) * 4 > self.limit and self._too_large(line):
                _skip_line(self.readline, line)
                line = None
        self.row.append((number, line))
        if line is None:
            raise _RowProblem(self._large())
        self.size += len(line)
        if self.size > self.limit:
            raise _RowProblem(self._large())
        if len(self.row) > self.max_lines:
            raise _RowProblem(
                f"a quoted cell runs on past {self.max_lines:,} line breaks; "
                "a quote is probably never closed"
            )
        return line

    def _too_large(self, line: str) -> bool:
        body = line.rstrip("\r\n")
        return len(body) > self.limit or (len(body.encode("utf-8", "surrogateescape")) > self.limit)

    def _large(self) -> str:
        if len(self.row) > 1:
            return (
                f"record larger than {MAX_INPUT_TEXT} (lines {self.row[0][0]:,} to "
                f"{self.row[-1][0]:,}); a quote is probably never closed"
            )
        return f"record larger than {MAX_INPUT_TEXT}"


def _csv_problem(exc: Exception) -> str:
    if isinstance(exc, _RowProblem):
        return str(exc)
    if str(exc) == "unexpected end of data":  # the file ends inside a quoted cell
        return "a quote opened in this row is never closed; the file ends inside it"
    return f"not CSV ({exc})"


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
        self.say(f"{name}:{line}: {message}")

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
        its problem, reported when its turn comes. Nothing is opened here (a FIFO is
        refused when its turn comes, without waiting on it)."""
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
            except (OSError, ValueError) as exc:
                problem = answer_files.os_problem(exc)
                inputs.append(Input(source, "", path, problem=problem))
                continue
            kind = INPUT_KINDS.get(path.suffix.lower())
            if kind is None:
                problem = (
                    f"unknown file type {show(path.suffix, 20)}; expected {INPUT_NAMES}"
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
            if kind is None or entry.name.startswith(".") or entry.name.endswith(KIOSK_OTHER):
                continue
            try:
                if entry.is_dir():
                    continue  # a sub-folder, even one named like a file
                size = entry.stat().st_size
            except OSError:
                size = 0  # a broken link: reported when its turn comes
            # A FIFO or a device named like a file is listed too: it is refused in one
            # line when its turn comes, rather than left out without a word.
            path = Path(entry.path)
            if self.skip_path is not None and same_file(path, self.skip_path):
                continue  # the output of an earlier run, in the folder it reads
            name = os.path.join(source, entry.name)
            found.append(Input(name, kind, path, size))
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
                    self.unreadable(f"{item.name}: {item.problem}")
                elif item.kind == "json":
                    self.score_json(item)
                elif item.path is None:
                    self.score_jsonl(item, sys.stdin.buffer, sized=False)
                else:
                    with answer_files.open_regular(item.path, item.name, BUFFER) as handle:
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
                    raise _cannot_write(self.output.name, exc) from None
                self.unreadable(f"{item.name}: {answer_files.os_problem(exc)}")
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
        limit = MAX_INPUT_BYTES
        raw = read_bounded(item.path, name, limit)
        if len(raw) > limit:
            raise InputError(
                f"{name}: larger than {MAX_INPUT_TEXT}; an answer file is much smaller "
                "(give many records as a .jsonl file)"
            )
        doc = load_json(answer_files.decode(raw, name), name)
        del raw
        write = self.output.row_writer(source)
        if isinstance(doc, dict) and doc.get("resourceType") == "Bundle":
            records = fhir.bundle_responses(doc, name)
            if not records:
                self.say(f"{name}: the Bundle has no entries")
        else:
            records = [(1, doc)]
        for number, record in records:
            try:
                if isinstance(record, InputError):
                    raise record
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
            write(number, _id_text(rid), evaluate(bank, answers))
            self.counts.scored += 1
            self.tick()

    def score_jsonl(self, item: Input, handle: IO[bytes], sized: bool) -> None:
        """One answer document (or QuestionnaireResponse) per line: the hot loop, so
        everything it calls is looked up once. No line is read past MAX_INPUT_BYTES."""
        source, name, bank = item.source, item.name, self.bank
        counts = self.counts
        write = self.output.row_writer(source)
        scan, strict = _FAST_SCAN, _strict
        parse, score, dict_ = parse_document, evaluate, dict
        tell = handle.tell if sized and self.progress is not None else None
        peek = getattr(handle, "peek", None)
        if peek is not None and peek(3)[:3] == codecs.BOM_UTF8:
            handle.read(3)
        limit = MAX_INPUT_BYTES
        readline = handle.readline
        scored = 0
        try:
            for number, raw in enumerate(iter(partial(readline, limit + 1), b""), 1):
                if len(raw) > limit and raw[limit:] != b"\n":  # no line break in reach
                    _skip_line(readline, raw)
                    self.bad_record(name, number, f"record larger than {MAX_INPUT_TEXT}")
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
                    if type(doc) is dict_ and "resourceType" not in doc:
                        answers = doc.get("answers")
                        meta = doc.get("meta")
                        keys = len(doc)
                        if answers.__class__ is dict_:
                            keys += len(answers)
                        if meta.__class__ is dict_:
                            keys += len(meta)
                        colons = raw.count(b":")
                        if keys != colons and not _no_key_twice(raw, doc, keys, colons):
                            strict(raw, name)  # a key given twice (or one nested deeper)
                        answers = parse(doc, bank, name)
                        rid = meta.get("id") if meta else None
                    else:
                        if type(doc) is not dict_:
                            strict(raw, name)  # a key twice inside is named before the shape
                        else:
                            keys, colons = _all_keys(doc), raw.count(b":")
                            if keys != colons and not _no_key_twice(raw, doc, keys, colons):
                                strict(raw, name)
                        answers, rid = self._not_answer_file(doc, name)
                except InputError as exc:
                    self.bad_record(name, number, str(exc))
                    continue
                except RecursionError:
                    self.bad_record(name, number, "not valid JSON (nested too deeply)")
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
            self._score_csv_rows(item, _CsvLines(text, MAX_INPUT_BYTES, CSV_ROW_LINES), handle)
        finally:
            text.detach()  # the caller closes the file

    def _score_csv_rows(self, item: Input, lines: _CsvLines, handle: IO[bytes]) -> None:
        source, name = item.source, item.name
        bank, counts = self.bank, self.counts
        reader = csv.reader(lines, strict=True)
        try:
            header = next(reader, None)
        except (csv.Error, _RowProblem) as exc:
            raise InputError(f"{name}: the header row: {_csv_problem(exc)}") from None
        if header is None:
            raise InputError(
                f"{name}: the file is empty; expected a header row of item ids (and maybe 'id')"
            )
        if not _utf8(header):
            raise InputError(f"{name}: the header is not UTF-8 text; {SAVE_AS_UTF8}")
        columns, id_index = self._csv_columns(name, [cell.strip() for cell in header])
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
            except (csv.Error, _RowProblem) as exc:
                # Reported where the row starts; its later lines are read again as rows
                # of their own, so nothing after it is merged into it or lost unsaid.
                row_number += 1
                start = lines.first_line()
                where = f" (line {start:,} of the file)" if start != row_number else ""
                self.bad_record(name, row_number, f"{_csv_problem(exc)}{where}")
                lines.give_back()
                continue
            row_number += 1
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                message = f"{len(row)} cells, but the header names {width} columns"
                self.bad_record(name, row_number, message)
                continue
            if not _utf8(row):
                self.bad_record(name, row_number, f"not UTF-8 text; {SAVE_AS_UTF8}")
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

    def _csv_columns(self, name: str, header: list[str]) -> tuple[list[tuple[int, str, bool]], int]:
        """(index, item id, multi choice?) per item column, and the id column's index
        (past the end when there is none). Every unknown column in one line."""
        items = self.bank.items
        unknown = [cell for cell in header if cell not in items and cell != CSV_ID_COLUMN]
        if unknown:
            names = ", ".join(show(cell) for cell in unknown[:5])
            if len(unknown) > 5:
                names += f" and {len(unknown) - 5} more"
            raise InputError(
                f"{name}: unknown column{'s' if len(unknown) > 1 else ''} {names} in the "
                "header; columns are item ids (see 'rls-screen check-questions') and 'id'"
            )
        twice = sorted({cell for cell in header if header.count(cell) > 1})
        if twice:
            raise InputError(
                f"{name}: column{'s' if len(twice) > 1 else ''} "
                f"{', '.join(show(cell) for cell in twice)} appear more than once in the header"
            )
        columns = [
            (index, cell, items[cell].kind == "multi")
            for index, cell in enumerate(header)
            if cell != CSV_ID_COLUMN
        ]
        id_index = header.index(CSV_ID_COLUMN) if CSV_ID_COLUMN in header else len(header)
        return columns, id_index


# What a kiosk's save folder holds besides finished records: staff alerts, and records
# that staff kept unfinished. Neither is a finished answer file, so reading the folder
# leaves them out (a partial record can still be scored by naming it).
KIOSK_OTHER = (".alert.json", ".partial.json")


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
        print(
            "interrupted; " + ("nothing written" if out != "-" else "the output stops here"),
            file=err,
        )
        raise
    finally:
        if output is not None and not committed:
            output.discard()
    print(one_line(summary(counts, output.name)), file=err)
    return exit_status(counts)
