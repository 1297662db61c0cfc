"""Reading batch inputs: which files, the strict-JSON fast path, and CSV records.

  * ``expand``: the inputs in order, folders opened up, each with its kind (by the
    file name) or the reason it cannot be read;
  * strict JSON, fast: a JSONL line decoded by the C scanner with hooks that refuse
    what strict JSON refuses, and duplicate keys found by counting (``FAST_SCAN``,
    ``no_key_twice``); ``strict_json`` decodes again to name the key when it must;
  * CSV records: ``CsvLines`` feeds csv.reader one row's worth at a time, with bounds,
    so that a quote never closed is reported where it opens and the rows after it are
    read as rows of their own; ``csv_columns`` checks the header.

The limits are read at run time (``MAX_INPUT_BYTES``, ``CSV_ROW_LINES``), so that a test
can lower them and take the same path. Scoring what is read is ``run.Batch``'s.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rls_screen.core import answers as answer_files
from rls_screen.core.answers import MAX_INPUT_TEXT, check_unicode, load_json
from rls_screen.core.bank import Item
from rls_screen.core.errors import InputError, show, show_name
from rls_screen.core.texts import ui
from rls_screen.interop.files import same_file

STDIN = "<stdin>"
READ_BUFFER = 1 << 20  # bytes; inputs are read through buffers this large

# Input kinds by file name extension (compared in lower case).
INPUT_KINDS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}
# What a kiosk's save folder holds besides finished records: staff alerts, and records
# that staff kept unfinished. Neither is a finished answer file, so reading the folder
# leaves them out (a partial record can still be scored by naming it).
KIOSK_OTHER = (".alert.json", ".partial.json")

CSV_ID_COLUMN = "id"

# The largest record read (a JSONL line, a CSV row, a .json file), as answers.py has it;
# read from here at run time, so that a test can lower it and take the same path.
MAX_INPUT_BYTES = answer_files.MAX_INPUT_BYTES
# A CSV row may hold quoted line breaks (own_words: at most vocab.TEXT_MAX characters);
# a row running on over more lines than this has a quote that was never closed.
CSV_ROW_LINES = 1000
# A header or a row of more cells than this is refused (the bank has far fewer items):
# one line for the file or the row, and the work stays linear in its size.
MAX_CSV_COLUMNS = 10_000


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


def expand(given: Iterable[str], skip_path: Path | None) -> Iterator[Input]:
    """The inputs in order, folders opened up (leaving out ``skip_path``, the output). An
    input that cannot be read carries its problem, reported when its turn comes. Nothing
    is opened here (a FIFO is refused when its turn comes, without waiting on it).

    Lazy, so that memory stays flat however many files a folder holds: each input is
    looked at when its turn comes, and of a folder only the sorted names are kept (an
    ``Input`` is made for one file at a time)."""
    for source in given:
        if source == "-":
            yield Input(STDIN, "jsonl", None)
            continue
        path = Path(source)
        try:
            if path.is_dir():
                yield from _folder(source, path, skip_path)
                continue
            size = path.stat().st_size
        except (OSError, ValueError) as exc:
            problem = answer_files.os_problem(exc)
            yield Input(source, "", path, problem=problem)
            continue
        kind = INPUT_KINDS.get(path.suffix.lower())
        if kind is None:
            kinds = ui("batch.reading.kinds")
            if path.suffix:
                suffix = show(path.suffix, 20)
                problem = ui("batch.reading.unknown_type", suffix=suffix, kinds=kinds)
            else:
                problem = ui("batch.reading.no_type", kinds=kinds)
            yield Input(source, "", path, problem=problem)
            continue
        yield Input(source, kind, path, size)


def total_size(given: Iterable[str]) -> int:
    """The bytes of every input (for the progress line), keeping nothing: a folder is
    listed for it, then again when its turn comes (memory stays flat)."""
    total = 0
    for source in given:
        if source == "-":
            continue
        try:
            if not os.path.isdir(source):
                total += os.stat(source).st_size
                continue
            with os.scandir(source) as entries:
                for entry in entries:
                    if _kind(entry.name) is not None:
                        try:
                            if entry.is_file():
                                total += entry.stat().st_size
                        except OSError:
                            pass
        except (OSError, ValueError):
            continue
    return total


def _kind(name: str) -> str | None:
    """The kind of a folder's file by its name; None for a file left out."""
    if name.startswith(".") or name.endswith(KIOSK_OTHER):
        return None
    return INPUT_KINDS.get(os.path.splitext(name)[1].lower())


def _folder(source: str, folder: Path, skip_path: Path | None) -> Iterator[Input]:
    # Only the names are kept while the folder is listed (sorted, they give the order).
    skip_inode = None
    if skip_path is not None:
        try:
            skip_inode = skip_path.stat().st_ino
        except (OSError, ValueError):
            skip_inode = None
    names = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if _kind(entry.name) is None:
                continue
            try:
                if entry.is_dir():
                    continue  # a sub-folder, even one named like a file
                if skip_inode is not None and entry.inode() == skip_inode:
                    assert skip_path is not None
                    if same_file(entry.path, skip_path):
                        continue  # the output of an earlier run, in the folder it reads
            except OSError:
                pass  # a broken link: reported when its turn comes
            names.append(entry.name)
    if not names:
        problem = ui("batch.reading.empty_folder", kinds=ui("batch.reading.kinds"))
        yield Input(source, "", folder, problem=problem)
        return
    names.sort()
    for index, name in enumerate(names):
        names[index] = ""  # let each name go once its turn has come
        path = folder / name
        try:
            size = path.stat().st_size
        except OSError:
            size = 0  # a broken link: reported when its turn comes
        # A FIFO or a device named like a file is listed too: it is refused in one
        # line when its turn comes, rather than left out without a word.
        kind = _kind(name)
        assert kind is not None
        yield Input(os.path.join(source, name), kind, path, size)


def id_text(value: Any) -> str | None:
    """A record id as text: strings as they are, anything else as its JSON."""
    if value is None or type(value) is str:
        return value
    return json.dumps(value, ensure_ascii=False)


def skip_line(readline: Callable[[int], Any], raw: Any) -> None:
    """Read on to the end of a line too long to keep, a chunk at a time (memory stays
    flat however long it is)."""
    ends = (b"\n",) if isinstance(raw, bytes) else ("\n", "\r")
    while raw and not raw.endswith(ends):
        raw = readline(READ_BUFFER)


# --- strict JSON, fast ------------------------------------------------------------------
# JSONL is the hot loop: every record is decoded by the plain C decoder, with hooks that
# raise for what strict JSON refuses (they run only when such a value is there: NaN,
# Infinity, a float out of range, a long integer). A duplicate key is found by counting:
# every key of a line is followed by exactly one ':' (whatever the spaces), and a ':'
# inside a string only adds to the count; so when the line holds as many ':' as the
# decoded objects have keys, no key was given twice (one scan of the line, in C). When
# the counts differ (a time in 'meta', a FHIR URL), no_key_twice looks closer; if it
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
FAST_SCAN: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder(
    parse_constant=_refuse, parse_int=_plain_int, parse_float=_plain_float
).scan_once  # type: ignore[attr-defined]


def strict_json(raw: bytes, name: str) -> Any:
    """A JSONL line by the strict rules: the document, or InputError naming the key.
    Text that is not Unicode (bytes that are not UTF-8, a lone surrogate such as
    ``\\ud800``) is refused too, naming the item that holds it when it can."""
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        # Read it again with the bad bytes kept, to name the item that holds them.
        kept = raw.decode("utf-8", "surrogateescape").rstrip("\r\n")
        try:  # plain json: load_json would refuse the kept bytes before naming them
            where = not_unicode_at(json.loads(kept))
        except (ValueError, RecursionError):
            where = None
        if where is None:
            raise InputError(ui("batch.reading.not_utf8", source=name)) from None
        at = show(where, 60)
        raise InputError(ui("batch.reading.not_utf8_at", source=name, item=at)) from None
    # The line is named already: without its line break, an error names the column only.
    doc = load_json(text.rstrip("\r\n"), name, one_line=True)
    check_unicode(doc, name)
    return doc


# A \u escape of a surrogate (D800-DFFF): JSON joins a pair into one character, but a
# lone one is left in the text as it is, which is not Unicode and cannot be written.
SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def not_unicode_at(doc: Any) -> str | None:
    """Where a decoded document holds text that is not Unicode (a lone surrogate, or a
    byte kept by surrogateescape): 'answers.own_words', 'meta.id', 'item[0].text'; None
    if nowhere. Keys are looked at too (a message escapes the path with show())."""
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        path, node = stack.pop()
        if node.__class__ is str:
            if not _is_unicode(node):
                return path or "."
        elif node.__class__ is dict:
            for key, value in node.items():
                where = f"{path}.{key}" if path else key
                if not _is_unicode(key):
                    return where
                stack.append((where, value))
        elif node.__class__ is list:
            stack.extend((f"{path}[{index}]", value) for index, value in enumerate(node))
    return None


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def all_keys(doc: Any) -> int:
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


def no_key_twice(raw: bytes, doc: dict[str, Any], keys: int, colons: int) -> bool:
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


class RowProblem(Exception):
    """Raised by the line feed to stop csv.reader at a row it must not read on."""


class CsvLines:
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

    def __iter__(self) -> CsvLines:
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
                skip_line(self.readline, line)
                line = None
        self.row.append((number, line))
        if line is None:
            raise RowProblem(self._large())
        self.size += len(line)
        if self.size > self.limit:
            raise RowProblem(self._large())
        if len(self.row) > self.max_lines:
            raise RowProblem(ui("batch.reading.runs_on", lines=self.max_lines))
        return line

    def _too_large(self, line: str) -> bool:
        body = line.rstrip("\r\n")
        return len(body) > self.limit or (len(body.encode("utf-8", "surrogateescape")) > self.limit)

    def _large(self) -> str:
        if len(self.row) > 1:
            first, last = self.row[0][0], self.row[-1][0]
            return ui("batch.reading.too_large_lines", limit=MAX_INPUT_TEXT, first=first, last=last)
        return ui("batch.reading.too_large", limit=MAX_INPUT_TEXT)


def csv_problem(exc: Exception) -> str:
    if isinstance(exc, RowProblem):
        return str(exc)
    if str(exc) == "unexpected end of data":  # csv's own words: the file ends in a quote
        return ui("batch.reading.never_closed")
    return ui("batch.reading.not_csv", reason=str(exc))


def is_utf8(row: list[str]) -> bool:
    """Whether a row read with surrogateescape was UTF-8 text."""
    try:
        "".join(row).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def csv_columns(
    name: str, header: list[str], items: Mapping[str, Item]
) -> tuple[list[tuple[int, str, bool]], int]:
    """(index, item id, multi choice?) per item column, and the id column's index
    (past the end when there is none). Every unknown column in one line. More than
    ``MAX_CSV_COLUMNS`` columns is one line too, before anything else is looked at."""
    if len(header) > MAX_CSV_COLUMNS:
        wide = ui(
            "batch.reading.header_too_wide", source=name, columns=len(header), limit=MAX_CSV_COLUMNS
        )
        raise InputError(wide)
    unknown = [cell for cell in header if cell not in items and cell != CSV_ID_COLUMN]
    if unknown:
        names = ", ".join(show(cell) for cell in unknown[:5])
        if len(unknown) > 5:
            names = ui("batch.reading.more_columns", columns=names, count=len(unknown) - 5)
        if len(unknown) > 1:
            raise InputError(ui("batch.reading.unknown_column_other", source=name, columns=names))
        raise InputError(ui("batch.reading.unknown_column_one", source=name, columns=names))
    counted = Counter(header)  # linear: 100,000 columns counted one by one hung
    twice = sorted(cell for cell, count in counted.items() if count > 1)
    if twice:
        names = ", ".join(show(cell) for cell in twice)
        if len(twice) > 1:
            raise InputError(ui("batch.reading.column_twice_other", source=name, columns=names))
        raise InputError(ui("batch.reading.column_twice_one", source=name, columns=names))
    columns = [
        (index, cell, items[cell].kind == "multi")
        for index, cell in enumerate(header)
        if cell != CSV_ID_COLUMN
    ]
    id_index = header.index(CSV_ID_COLUMN) if CSV_ID_COLUMN in header else len(header)
    return columns, id_index
