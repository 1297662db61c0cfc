"""Kiosk records: what a finished patient leaves in the clinic's folder.

Each record is two files under one non-identifying id (time + short random):
``<id>.json``, the answer file that ``rls-screen score`` and ``batch`` read, and
``<id>.html``, the printable clinician summary. Both are written atomically and
owner-only; if the second cannot be written the first is removed, so a record is whole
or absent. Answers in progress live in ``<folder>/.in-progress/`` so that a crash
mid-patient resumes that patient, and ``batch <folder>`` never mistakes a draft for a
finished record.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rls_screen.answers import Answer, dumps_document
from rls_screen.bank import Bank
from rls_screen.errors import InputError
from rls_screen.files import write_private

DRAFT_FOLDER = ".in-progress"


@dataclass(frozen=True)
class Record:
    id: str
    answers: Path
    clinician: Path


def record_id(now: datetime | None = None) -> str:
    """Sortable by time, unique enough for one clinic, and says nothing about the person."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def check_folder(folder: Path) -> Path:
    """The save folder, created (owner-only) if its parent exists. One clear line if it
    cannot be used, before any patient starts."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file; --save-dir needs a folder")
    if not folder.exists():
        if not folder.parent.is_dir():
            raise InputError(f"{folder}: the folder {folder.parent} does not exist")
        try:
            folder.mkdir(mode=0o700)
        except OSError as exc:
            raise InputError(f"{folder}: cannot create it ({exc.strerror or exc})") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{folder}: cannot write there (permission denied)")
    return folder


def draft_folder(folder: Path) -> Path:
    return folder / DRAFT_FOLDER


def save_record(
    folder: Path, bank: Bank, answers: Mapping[str, Answer], now: datetime | None = None
) -> Record:
    """Write one finished patient's answers and clinician summary. Raises InputError."""
    from rls_screen.exports import render_export

    now = now or datetime.now(UTC)
    rid = record_id(now)
    meta = {"id": rid, "completed": now.isoformat(timespec="seconds"), "via": "rls-screen kiosk"}
    record = Record(rid, folder / f"{rid}.json", folder / f"{rid}.html")
    write_private(record.answers, dumps_document(answers, bank, meta))
    try:
        write_private(record.clinician, render_export(bank, answers, "html", audience="clinician"))
    except Exception:
        record.answers.unlink(missing_ok=True)
        raise
    return record
