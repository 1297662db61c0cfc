"""Where the diary is kept (issue 22): interop/diary_store.py. Owner-only, WAL, a schema
version with migrations, a corrupt file moved aside, many writers at once, and an
import killed in the middle."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from rls_screen.core.diary import parse_night
from rls_screen.core.errors import InputError
from rls_screen.interop.diary_store import SCHEMA_VERSION, DiaryStore, forget

TODAY = dt.date(2026, 12, 3)


def night(day: str, **fields):
    return parse_night({"night": day, **fields}, today=TODAY)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_nights_are_kept_read_back_and_replaced_only_when_asked(tmp_path):
    db = tmp_path / "diary.sqlite3"
    first = night("2026-11-20", symptoms="yes", onset="21:30", severity=6, note="Long day")
    with DiaryStore.open(db) as store:
        assert store.notice is None
        assert store.put(first)
        assert not store.put(night("2026-11-20", symptoms="no"))  # kept
        assert store.get(dt.date(2026, 11, 20)) == first
        assert store.put(night("2026-11-20", symptoms="no"), replace=True)
        assert store.get(dt.date(2026, 11, 20)).symptoms == "no"
        added, kept = store.put_many(
            [night("2026-11-19"), night("2026-11-20"), night("2026-11-21")]
        )
        assert (added, kept) == (2, [dt.date(2026, 11, 20)])
        assert store.count() == 3
        assert [n.night.day for n in store.nights()] == [19, 20, 21]
        assert [n.night.day for n in store.nights(start=dt.date(2026, 11, 20))] == [20, 21]
        assert [n.night.day for n in store.nights(end=dt.date(2026, 11, 20))] == [19, 20]
        assert store.delete(dt.date(2026, 11, 19))
        assert not store.delete(dt.date(2026, 11, 19))
        assert store.count() == 2
    with DiaryStore.open(db) as store:  # still there when opened again
        assert store.count() == 2


def test_the_diary_is_owner_only_with_wal_and_a_schema_version(tmp_path, monkeypatch):
    home = tmp_path / "data" / "rls-screen"
    monkeypatch.setattr("rls_screen.core.locations.user_data_folder", lambda: home, raising=True)
    os.umask(0o022)
    with DiaryStore.open() as store:
        store.put(night("2026-11-20", symptoms="yes"))
        path = store.path
        assert path == home / "diary.sqlite3"
        assert mode(home) == 0o700
        assert mode(path) == 0o600
        for journal in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            if journal.exists():
                assert mode(journal) & 0o077 == 0
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.close()


def test_a_version_0_file_is_migrated(tmp_path):
    db = tmp_path / "old.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA user_version = 0")
    connection.execute("CREATE TABLE unrelated (x)")  # a v0 file may hold anything else
    connection.commit()
    connection.close()
    with DiaryStore.open(db) as store:
        assert store.count() == 0
        store.put(night("2026-11-20", symptoms="yes"))
    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    assert connection.execute("SELECT night, symptoms FROM nights").fetchall() == [
        ("2026-11-20", "yes")
    ]
    connection.close()


def test_a_newer_diary_is_refused_and_left_alone(tmp_path):
    db = tmp_path / "new.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA user_version = 99")
    connection.commit()
    connection.close()
    before = db.read_bytes()
    with pytest.raises(InputError, match="newer rls-screen"), DiaryStore.open(db):
        pass
    assert db.read_bytes() == before


def test_a_corrupt_diary_is_moved_aside_never_overwritten(tmp_path):
    db = tmp_path / "diary.sqlite3"
    garbage = b"this is not a database at all\n" * 100
    db.write_bytes(garbage)
    db.chmod(0o644)
    (tmp_path / "diary.sqlite3.bad").write_bytes(b"an older bad one")
    with DiaryStore.open(db) as store:
        assert store.notice is not None
        assert "\n" not in store.notice
        assert "moved aside" in store.notice and "diary.sqlite3.bad.2" in store.notice
        assert store.count() == 0
        store.put(night("2026-11-20"))
    assert (tmp_path / "diary.sqlite3.bad").read_bytes() == b"an older bad one"
    assert (tmp_path / "diary.sqlite3.bad.2").read_bytes() == garbage
    assert mode(tmp_path / "diary.sqlite3.bad.2") == 0o600
    with DiaryStore.open(db) as store:
        assert store.notice is None and store.count() == 1


def test_a_diary_damaged_inside_is_moved_aside(tmp_path):
    db = tmp_path / "diary.sqlite3"
    with DiaryStore.open(db) as store:
        store.put_many([night(f"2026-{m:02d}-{d:02d}", note="x" * 200)
                        for m in range(1, 12) for d in range(1, 29)])  # fmt: skip
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    data = bytearray(db.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xff" * 8192  # two pages of the table
    db.write_bytes(bytes(data))
    with DiaryStore.open(db) as store:
        assert store.notice is not None
        assert store.count() == 0
    assert Path(f"{db}.bad").read_bytes() == bytes(data)


def test_forget_deletes_the_diary_and_its_journal(tmp_path):
    db = tmp_path / "diary.sqlite3"
    with DiaryStore.open(db) as store:
        store.put(night("2026-11-20"))
        assert forget(db)
    assert not db.exists()
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    assert not forget(db)


def test_a_folder_is_not_a_diary(tmp_path):
    with pytest.raises(InputError, match="folder"), DiaryStore.open(tmp_path):
        pass
