"""Where the diary is kept: one SQLite database (Python's sqlite3), owner-only (0600) in
an owner-only folder (0700), WAL journal, its schema's version in ``PRAGMA
user_version`` with a migration for each step, every write one transaction and a busy
timeout, so that two windows (or twenty scripts) can write at once (docs/diary.md).

A database that cannot be read is moved aside (``diary.sqlite3.bad``, 0600, never over
another file) and a new one started; :attr:`DiaryStore.notice` is the line that tells the
person. It is never overwritten.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rls_screen.core.diary import FIELDS, DiaryError, Night, parse_night
from rls_screen.core.errors import InputError, show_name
from rls_screen.core.texts import ui

FILE_NAME = "diary.sqlite3"
BUSY_TIMEOUT_SECONDS = 60.0
_COLUMNS = ", ".join(FIELDS)
_PLACES = ", ".join("?" for _ in FIELDS)
# Numbers are kept as INTEGER, everything else as TEXT ("HH:MM" times, codes, the note).
_INTEGER = {"severity", "sleep_latency", "awakenings", "awake_minutes"}

# MIGRATIONS[n] takes a database from version n to n + 1 (PRAGMA user_version). Version 0
# is a new, empty file. Append a step for a new version; never edit one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE nights ("
        + ", ".join(
            ["night TEXT PRIMARY KEY NOT NULL"]
            + [f"{name} {'INTEGER' if name in _INTEGER else 'TEXT'}" for name in FIELDS[1:]]
        )
        + ") WITHOUT ROWID",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
# Every statement (not wording: tests/test_texts.py passes SQL and MIGRATIONS by).
SQL = {
    "range": f"SELECT {_COLUMNS} FROM nights WHERE night >= ? AND night <= ? ORDER BY night",
    "get": f"SELECT {_COLUMNS} FROM nights WHERE night = ?",
    "count": "SELECT count(*) FROM nights",
    "add": f"INSERT OR IGNORE INTO nights ({_COLUMNS}) VALUES ({_PLACES})",
    "replace": f"INSERT OR REPLACE INTO nights ({_COLUMNS}) VALUES ({_PLACES})",
    "delete": "DELETE FROM nights WHERE night = ?",
    "begin": "BEGIN IMMEDIATE",
    "commit": "COMMIT",
    "rollback": "ROLLBACK",
    "busy": "PRAGMA busy_timeout = {milliseconds}",
    "version": "PRAGMA user_version",
    "set_version": "PRAGMA user_version = {version}",
    "check": "PRAGMA quick_check",
    "journal": "PRAGMA journal_mode",
    "wal": "PRAGMA journal_mode = WAL",
}
_FAR_FUTURE = datetime.date(9999, 12, 31)


def default_diary_path() -> Path:
    """The diary of this user: ``diary.sqlite3`` in rls-screen's data folder, beside the
    draft."""
    from rls_screen.core.locations import user_data_folder

    return user_data_folder() / FILE_NAME


class _Unreadable(Exception):
    """The file is not a database this program can read (moved aside)."""


class DiaryStore:
    """The nights of one diary database. Use :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, notice: str | None) -> None:
        self._db = connection
        self.path = path
        # The one line telling the person that an unreadable diary was moved aside.
        self.notice = notice

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path | str | None = None) -> Iterator[DiaryStore]:
        """The diary at ``path`` (default: :func:`default_diary_path`), made if missing,
        brought up to the current schema. Raises InputError (one line) if it cannot be
        opened."""
        target = Path(path).expanduser() if path is not None else default_diary_path()
        _prepare(target, default=path is None)
        notice = None
        try:
            connection = _connect(target)
        except _Unreadable:
            bad = _move_aside(target)
            notice = ui(
                "diary.store.moved_aside",
                name=show_name(str(target)),
                bad=show_name(str(bad)),
            )
            _prepare(target, default=path is None)
            try:
                connection = _connect(target)
            except _Unreadable:
                raise InputError(
                    ui("diary.store.unreadable", name=show_name(str(target)))
                ) from None
        try:
            yield cls(connection, target, notice)
        finally:
            connection.close()

    # --- reading ---------------------------------------------------------------------

    def nights(
        self, start: datetime.date | None = None, end: datetime.date | None = None
    ) -> list[Night]:
        """The nights from ``start`` to ``end`` (each included; None: no bound), in date
        order."""
        low = start.isoformat() if start else ""
        high = end.isoformat() if end else "9999-99-99"
        return [self._night(row) for row in self._read(SQL["range"], (low, high))]

    def get(self, night: datetime.date) -> Night | None:
        rows = self._read(SQL["get"], (night.isoformat(),))
        return self._night(rows[0]) if rows else None

    def count(self) -> int:
        return int(self._read(SQL["count"], ())[0][0])

    def _read(self, query: str, parameters: Sequence[object]) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(query, parameters).fetchall()
        except sqlite3.Error as exc:
            raise InputError(self._cannot(exc)) from None

    def _night(self, row: Sequence[object]) -> Night:
        raw = {name: value for name, value in zip(FIELDS, row, strict=True) if value is not None}
        try:
            return parse_night(raw, today=_FAR_FUTURE)
        except DiaryError as exc:
            raise InputError(
                ui("diary.store.bad_row", name=show_name(str(self.path)), problem=str(exc))
            ) from None

    # --- writing: each call one transaction --------------------------------------------

    def put(self, night: Night, *, replace: bool = False) -> bool:
        """Store one night; a night already there is kept unless ``replace``. Whether it
        was written."""
        added, _ = self.put_many([night], replace=replace)
        return added == 1

    def put_many(
        self, nights: Iterable[Night], *, replace: bool = False
    ) -> tuple[int, list[datetime.date]]:
        """Store many nights in one transaction (all or none): how many were written, and
        the nights kept because they were already there (unless ``replace``)."""
        statement = SQL["replace"] if replace else SQL["add"]
        added = 0
        kept: list[datetime.date] = []
        with self._write():
            for night in nights:
                values = [night.night.isoformat()] + [getattr(night, n) for n in FIELDS[1:]]
                cursor = self._db.execute(statement, values)
                if cursor.rowcount == 1:
                    added += 1
                else:
                    kept.append(night.night)
        return added, kept

    def delete(self, night: datetime.date) -> bool:
        """Delete one night; whether it was there."""
        with self._write():
            cursor = self._db.execute(SQL["delete"], (night.isoformat(),))
        return cursor.rowcount == 1

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        try:
            self._db.execute(SQL["begin"])
            try:
                yield
            except BaseException:
                self._db.execute(SQL["rollback"])
                raise
            self._db.execute(SQL["commit"])
        except sqlite3.Error as exc:
            raise InputError(self._cannot(exc)) from None

    def _cannot(self, exc: sqlite3.Error) -> str:
        return ui("diary.store.cannot", name=show_name(str(self.path)), reason=str(exc))


def forget(path: Path | str | None = None) -> bool:
    """Delete the whole diary (the database and its journal files); whether there was
    one."""
    target = Path(path).expanduser() if path is not None else default_diary_path()
    found = False
    for name in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        try:
            name.unlink()
            found = True
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise InputError(
                ui("diary.store.cannot", name=show_name(str(name)), reason=exc.strerror or exc)
            ) from None
    return found


# --- opening -----------------------------------------------------------------------------


def _prepare(target: Path, *, default: bool) -> None:
    """Make the folder (0700) and the file (0600) if missing; refuse anything but a
    regular file."""
    name = show_name(str(target))
    folder = target.parent
    try:
        if default:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        elif not folder.is_dir():
            raise InputError(ui("files.no_folder", name=name, folder=show_name(str(folder), 60)))
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            os.close(fd)
            mode = os.lstat(target).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(ui("files.is_a_folder", name=name))
        if not stat.S_ISREG(mode):
            raise InputError(ui("files.not_a_regular_file", name=name))
        if stat.S_IMODE(mode) != 0o600:
            os.chmod(target, 0o600)
    except FileExistsError:  # another process made it just now
        return
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(ui("diary.store.cannot", name=name, reason=reason)) from None


def _connect(target: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(
            target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise InputError(
            ui("diary.store.cannot", name=show_name(str(target)), reason=str(exc))
        ) from None
    try:
        _check_and_migrate(connection, target)
    except BaseException:
        connection.close()
        raise
    return connection


def _check_and_migrate(connection: sqlite3.Connection, target: Path) -> None:
    try:
        connection.execute(SQL["busy"].format(milliseconds=int(BUSY_TIMEOUT_SECONDS * 1000)))
        version = connection.execute(SQL["version"]).fetchone()[0]
        if version > SCHEMA_VERSION:
            raise InputError(
                ui("diary.store.newer", name=show_name(str(target)), version=str(version))
            )
        if version == SCHEMA_VERSION:
            row = connection.execute(SQL["check"]).fetchone()
            if row is None or row[0] != "ok":
                raise _Unreadable
            _wal(connection)
            return
        connection.execute(SQL["begin"])
        try:
            version = connection.execute(SQL["version"]).fetchone()[0]
            for step in MIGRATIONS[version:]:
                for statement in step:
                    connection.execute(statement)
            connection.execute(SQL["set_version"].format(version=SCHEMA_VERSION))
            connection.execute(SQL["commit"])
        except BaseException:
            connection.execute(SQL["rollback"])
            raise
        _wal(connection)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise InputError(
                ui("diary.store.cannot", name=show_name(str(target)), reason=str(exc))
            ) from None
        raise _Unreadable from None
    except sqlite3.DatabaseError:  # "file is not a database", a malformed page
        raise _Unreadable from None


def _wal(connection: sqlite3.Connection) -> None:
    mode = connection.execute(SQL["journal"]).fetchone()[0]
    if str(mode).lower() != "wal":
        connection.execute(SQL["wal"])


def _move_aside(target: Path) -> Path:
    """Move an unreadable database to ``<name>.bad`` (``.bad.2``, ... when taken): never
    over another file. Returns the new name."""
    for number in range(1, 1000):
        bad = Path(f"{target}.bad" if number == 1 else f"{target}.bad.{number}")
        try:
            os.link(target, bad)
        except FileExistsError:
            continue
        except OSError as exc:
            raise InputError(
                ui("diary.store.cannot", name=show_name(str(target)), reason=exc.strerror or exc)
            ) from None
        os.chmod(bad, 0o600)
        os.unlink(target)
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                journal = Path(f"{target}{suffix}")
                if journal.exists():
                    os.replace(journal, Path(f"{bad}{suffix}"))
        return bad
    raise InputError(ui("diary.store.unreadable", name=show_name(str(target))))
