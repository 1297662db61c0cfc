"""Where batch rows go: the output kinds, ``Output`` (a private temp file put in place at
the end, or stdout) and its row writers.

The output never replaces anything but a regular file, is never one of the inputs
(``check_not_an_input``, before anything is read), and a failure to write it is
``OutputError``: the run stops with exit status 2 (never reported as a problem of an
input, never after "scored"). What a row holds of a result is ``columns``'.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from rls_screen.batch.columns import (
    CSV_PLAIN,
    FORMULA_STARTS,
    JSON,
    ROW_COLUMNS,
    csv_cell,
    layout,
    spreadsheet_safe,
)
from rls_screen.core.errors import InputError, show_name
from rls_screen.core.formats import BATCH, formats
from rls_screen.core.texts import ui
from rls_screen.interop.files import private_temp

STDOUT = "<stdout>"
WRITE_BUFFER = 1 << 20  # bytes; rows are written through a buffer this large
# Errors of a write that reach a reader of the inputs too (the output's disk is full):
# the output's, never the input's.
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})
RowWriter = Callable[[int, "str | None", dict[str, Any]], None]


class OutputError(InputError):
    """The output cannot be written (stdout closed or full, a disk full): the run stops
    with exit status 2. Never taken for a problem of the input being read."""


def cannot_write(name: str, exc: OSError) -> OutputError:
    return OutputError(ui("batch.output.cannot_write", output=name, reason=exc.strerror or exc))


def output_kind(out: str) -> str:
    """The batch format of an --out value, by its extension ('csv' or 'jsonl': the
    formats core.formats offers to BATCH); one clear line for anything else."""
    if out == "-":
        return "jsonl"
    suffix = Path(out).suffix.lower()
    kind = next((f.code for f in formats(BATCH) if f.extension == suffix), None)
    if kind is None:  # its words name each extension (tests/test_formats.py)
        raise InputError(ui("batch.output.wrong_kind", output=show_name(out)))
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
                ui("batch.output.is_an_input", output=show_name(out), source=show_name(source))
            )


class Output:
    """Rows to a file (a private temp file, renamed over the target at the end) or to
    stdout. Nothing is collected: every row is written as it comes. The columns and
    encoders of a result are ``columns.layout()``'s, derived from ``engine.Result``."""

    def __init__(self, out: str) -> None:
        self.name = STDOUT if out == "-" else show_name(out)
        self.kind = output_kind(out)
        self.layout = layout()
        self._tmp: str | None = None
        self.target: Path | None = None  # the file to write; None for stdout
        try:
            if out == "-":
                self._file = _stdout(self.name)
            else:
                self._file = self._open_temp(out)
            if self.kind == "csv":
                header = ROW_COLUMNS + self.layout.columns
                self._file.write(",".join(map(csv_cell, header)) + "\n")
        except BaseException:  # Ctrl+C or a failure half-way: nothing is left behind
            self.discard()
            raise

    def _open_temp(self, out: str) -> IO[str]:
        # Ctrl+C waits until the temp file is made, opened and known (blocked
        # meanwhile): then it is discarded, never left half-made in the folder.
        blocked = _hold_interrupts()
        try:
            fd, self._tmp, self.target = private_temp(out, shown=self.name)
            try:
                # Ids and paths are the person's own text: never fail on an odd character.
                self._file = open(  # noqa: SIM115 (closed in commit/discard)
                    fd, "w", encoding="utf-8", errors="backslashreplace", newline="",
                    buffering=WRITE_BUFFER,
                )  # fmt: skip
            except BaseException:
                os.close(fd)
                Path(self._tmp).unlink(missing_ok=True)
                self._tmp = None
                raise
            return self._file
        finally:
            _release_interrupts(blocked)

    def row_writer(self, source: str) -> RowWriter:
        """A function writing one row of ``source``: (line, id, result). A failure to
        write raises OutputError (a closed pipe stays BrokenPipeError): the try blocks
        cost nothing while nothing fails."""
        write, name = self._file.write, self.name
        if self.kind != "csv":
            encode, result_json = JSON.encode, self.layout.json
            head = '{"source":' + encode(source) + ',"line":'

            def jsonl_row(line: int, rid: str | None, result: dict[str, Any]) -> None:
                try:
                    write(
                        f'{head}{line},"id":{"null" if rid is None else encode(rid)},'
                        f'"result":{result_json(result)}}}\n'
                    )
                except BrokenPipeError:
                    raise
                except OSError as exc:
                    raise cannot_write(name, exc) from None

            return jsonl_row
        # The result's cells are put together by its encoder (codes of the rules' closed
        # vocabulary, which CSV never quotes and no spreadsheet takes for a formula; free
        # text, own_words, is never part of a result, so never of a row); the source and
        # the id are the person's own text, quoted and guarded here.
        result_csv = self.layout.csv
        prefix = csv_cell(spreadsheet_safe(source)) + ","
        formula_starts, plain = FORMULA_STARTS, CSV_PLAIN

        def csv_row(line: int, rid: str | None, result: dict[str, Any]) -> None:
            if rid is None:
                rid = ""
            elif rid and (rid[0] in formula_starts or not plain.issuperset(rid)):
                rid = csv_cell(spreadsheet_safe(rid))
            try:
                write(f"{prefix}{line},{rid},{result_csv(result)}\n")
            except BrokenPipeError:
                raise
            except OSError as exc:
                raise cannot_write(name, exc) from None

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
            raise cannot_write(self.name, exc) from None

    def discard(self) -> None:
        """Leave nothing behind: close and remove the temp file (stdout is left open)."""
        try:
            file = getattr(self, "_file", None)  # None: Ctrl+C came before it was open
            if file is not None and file is not sys.stdout:
                file.close()
        except OSError:
            pass
        if self._tmp is not None:
            Path(self._tmp).unlink(missing_ok=True)
            self._tmp = None


_INTERRUPTS = {signal.SIGINT}


def _hold_interrupts() -> set[int | signal.Signals] | None:
    """Block Ctrl+C (it waits, pending) where the OS allows it."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, _INTERRUPTS)


def _release_interrupts(blocked: set[int | signal.Signals] | None) -> None:
    if blocked is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _stdout(name: str) -> IO[str]:
    """stdout with a buffer of our own: under ``python -u`` (PYTHONUNBUFFERED) sys.stdout
    writes through at every row. A stand-in without a file descriptor is used as is; a
    closed stdout (``>&-``) is one line before anything is read."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError):  # io.UnsupportedOperation too: a stand-in
        return sys.stdout
    except OSError as exc:  # the command line's stand-in for a closed stdout
        raise cannot_write(name, exc) from None
    try:
        os.fstat(fd)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise cannot_write(name, exc) from None
    return open(  # noqa: SIM115 (closed in commit/discard)
        fd, "w", encoding="utf-8", newline="", buffering=WRITE_BUFFER, closefd=False
    )
