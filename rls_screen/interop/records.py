"""Kiosk records: what a patient leaves in the clinic's folder.

Each finished patient leaves two files under one non-identifying id (time + short
random), given when the patient starts: ``<id>.json``, the answer file that
``rls-screen score`` and ``batch`` read, and ``<id>.html``, the printable clinician
summary; both carry the id and the date and time. Both are written atomically and
owner-only; if the second cannot be written the first is removed, so a record is whole
or absent.

A warning sign writes ``<id>.alert.json`` at once: the time, the id, the signs and the
urgency, never other answers. Answers in progress live in ``<folder>/.in-progress/``
(so ``batch <folder>`` never mistakes a draft for a finished record). A draft found
there when the kiosk starts is never shown to the next patient: it is set aside as
``waiting-*.json`` until staff keep it as ``<id>.partial.json`` or discard it.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import stat
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rls_screen.core.answers import Answer, dumps_document, load_json, parse_document, read_text
from rls_screen.core.bank import Bank
from rls_screen.core.decisions import more_urgent as more_urgent  # decided in the core
from rls_screen.core.errors import InputError, show_name
from rls_screen.core.texts import ui
from rls_screen.interop.drafts import DRAFT_NAME, Drafts
from rls_screen.interop.files import remove_stale_temps, write_private

DRAFT_FOLDER = ".in-progress"
WAITING_PREFIX = "waiting-"
VIA = "rls-screen kiosk"  # meta "via": the program that wrote a record (a value, not words)
RECORD_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")


@dataclass(frozen=True)
class Record:
    id: str
    answers: Path
    clinician: Path


def record_id(now: datetime | None = None) -> str:
    """Sortable by time, unique enough for one clinic, and says nothing about the person."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def iso_time(now: datetime) -> str:
    return now.astimezone(UTC).isoformat(timespec="seconds")


def record_note(rid: str, now: datetime) -> str:
    """The line printed on a record's page: its id and when it was saved (UTC)."""
    now = now.astimezone(UTC)
    month = ui("records.months").split()[now.month - 1]
    return ui("records.note", rid=rid, day=now.day, month=month, year=now.year, time=f"{now:%H:%M}")


def check_folder(folder: Path) -> Path:
    """The save folder, created (owner-only) if its parent exists. One clear line if it
    cannot be used, before any patient starts."""
    folder = folder.expanduser()
    name = show_name(str(folder))
    if folder.exists() and not folder.is_dir():
        raise InputError(ui("records.errors.is_a_file", name=name))
    if not folder.exists():
        if not folder.parent.is_dir():
            parent = show_name(str(folder.parent), 60)
            raise InputError(ui("records.errors.no_parent", name=name, parent=parent))
        try:
            folder.mkdir(mode=0o700)
        except OSError as exc:
            reason = exc.strerror or exc
            raise InputError(ui("records.errors.cannot_create", name=name, reason=reason)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(ui("records.errors.not_writable", name=name))
    return folder


def draft_folder(folder: Path) -> Path:
    return folder / DRAFT_FOLDER


class KioskDrafts(Drafts):
    """The draft of the patient at the keyboard, with their record id in its ``meta``,
    so that a record kept after a crash has the id of its alert file."""

    def __init__(self, bank: Bank, folder: Path, rid: str) -> None:
        super().__init__(bank, folder=folder)
        self.record_id = rid

    def meta(self) -> dict[str, str | bool]:
        return {**super().meta(), "record_id": self.record_id}


def save_record(
    folder: Path,
    bank: Bank,
    answers: Mapping[str, Answer],
    now: datetime | None = None,
    rid: str | None = None,
    region: str | None = None,
) -> Record:
    """Write one finished patient's answers and clinician summary (naming the crisis
    numbers of ``region``, the kiosk's, that the patient was shown). Raises InputError."""
    from rls_screen.reports.exports import PageHeader, header_lines
    from rls_screen.reports.html import render_html

    now = now or datetime.now(UTC)
    rid = rid or record_id(now)
    stamp = iso_time(now)
    meta = {"id": rid, "record_id": rid, "saved": stamp, "completed": stamp, "via": VIA}
    record = Record(rid, folder / f"{rid}.json", folder / f"{rid}.html")
    # The page starts with when, the record's id, the instrument and a line for the name.
    header = header_lines(bank, PageHeader(rid, now.astimezone(UTC), given=True, record=True))
    page = render_html(bank, answers, "clinician", region=region, header=header)
    write_private(record.answers, dumps_document(answers, bank, meta))
    try:
        write_private(record.clinician, page)
    except Exception:
        record.answers.unlink(missing_ok=True)
        raise
    return record


# --- warning signs -------------------------------------------------------------------


def alert_path(folder: Path, rid: str) -> Path:
    return folder / f"{rid}.alert.json"


def write_alert(
    folder: Path,
    rid: str,
    red_flags: Iterable[str],
    red_flags_unsure: Iterable[str],
    urgency: str,
    now: datetime | None = None,
) -> Path:
    """Write (or update) the alert of record ``rid``: when, which signs, how urgent.
    Never any other answer. Atomic and owner-only; raises InputError."""
    doc = {
        "alert": "warning sign",  # what the file is, for the clinic's scripts: never translated
        "time": iso_time(now or datetime.now(UTC)),
        "record_id": rid,
        "red_flags": list(red_flags),
        "red_flags_unsure": list(red_flags_unsure),
        "urgency": urgency,
        "via": VIA,
    }
    return write_private(alert_path(folder, rid), json.dumps(doc, indent=2) + "\n")


def start_alert_command(command: list[str], path: Path) -> subprocess.Popen[bytes]:
    """Start the clinic's own command with the alert file as its last argument, without
    waiting for it. Its output goes nowhere (never onto the patient's screen). Raises
    OSError when it cannot start."""
    return subprocess.Popen(
        [*command, os.path.abspath(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # a Ctrl+C at the terminal is not the command's business
    )


def split_command(text: str) -> list[str]:
    """``--on-alert``: split as a shell would, without a shell. Raises ValueError."""
    words = shlex.split(text)
    if not words:
        raise ValueError(ui("records.errors.empty_command"))
    return words


# --- a record left unfinished ----------------------------------------------------------


def set_aside_draft(folder: Path) -> Path | None:
    """Move a draft left by a crash or a staff exit out of the way, so that the next
    patient neither sees it nor overwrites it. Returns where it went (None: no draft).
    Raises OSError if it cannot be moved."""
    drafts = draft_folder(folder)
    draft = drafts / DRAFT_NAME
    # What a kiosk killed while writing left half-written: its temp files (the kiosk's
    # lock on the folder is held, so none is a live writer's).
    remove_stale_temps(folder)
    remove_stale_temps(drafts)
    try:
        # lstat, never stat: a link named like the draft is not a patient's draft, and
        # its target is never looked at, moved or changed.
        if not stat.S_ISREG(os.lstat(draft).st_mode):
            return None
    except FileNotFoundError:
        return None
    while True:
        target = drafts / f"{WAITING_PREFIX}{record_id()}.json"
        if not os.path.lexists(target):
            break
    os.replace(draft, target)
    return target


def waiting_records(folder: Path) -> list[Path]:
    """Unfinished records waiting for staff, oldest first: plain files only (a link or a
    folder is never one; ``set_aside_unreadable`` moves those out of the way)."""
    try:
        return sorted(
            p
            for p in draft_folder(folder).glob(f"{WAITING_PREFIX}*.json")
            if not p.is_symlink() and p.is_file()
        )
    except OSError:
        return []


def read_waiting(path: Path) -> dict[str, Any]:
    """A waiting record's document, read as an answer file is (a regular file, at most
    4 MB, strict JSON, bounded nesting), and never through a link. Raises InputError."""
    name = show_name(str(path))
    if path.is_symlink():
        raise InputError(ui("records.errors.waiting_link", name=name))
    doc = load_json(read_text(str(path)), name)
    if not isinstance(doc, dict):
        raise InputError(ui("records.errors.waiting_not_object", name=name))
    return doc


def set_aside_unreadable(folder: Path, now: datetime | None = None) -> list[str]:
    """Move every waiting record that cannot be read (not JSON, nested too deep, too
    large, a link, a folder, ...) out of the waiting place, unchanged, as
    ``<id>.partial.bad`` in the save folder, for staff to look at. Returns one line for
    staff about each; never raises."""
    lines: list[str] = []
    try:
        entries = sorted(draft_folder(folder).glob(f"{WAITING_PREFIX}*.json"))
    except OSError:
        return lines
    for entry in entries:
        try:
            read_waiting(entry)
            continue
        except InputError as exc:
            problem = str(exc)
        except Exception as exc:  # whatever it holds, never the kiosk's end
            problem = ui("records.errors.waiting_unreadable", name=show_name(str(entry)))
            problem = f"{problem} ({type(exc).__name__})"
        target = folder / f"{record_id(now)}.partial.bad"
        try:
            while target.exists() or target.is_symlink():
                target = folder / f"{record_id(now)}.partial.bad"
            if stat.S_ISREG(os.lstat(entry).st_mode):
                os.chmod(entry, 0o600)  # a plain file, never through a link
            os.replace(entry, target)  # a link is moved as a link, never followed
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            lines.append(ui("records.errors.unreadable_not_moved", problem=problem, error=reason))
            continue
        lines.append(ui("records.errors.unreadable_set_aside", problem=problem, file=target.name))
    return lines


def waiting_saved(path: Path) -> str | None:
    """When the waiting record was last saved (from its meta), for staff; no answers."""
    try:
        meta = read_waiting(path).get("meta") or {}
    except Exception:  # unreadable: staff are told it was stopped, not when
        return None
    saved = meta.get("saved") if isinstance(meta, dict) else None
    if not isinstance(saved, str):
        return None
    try:
        return record_note("", datetime.fromisoformat(saved)).split(", ", 1)[1]
    except (TypeError, ValueError):
        return None


def waiting_alert(folder: Path, path: Path) -> Path | None:
    """The alert file of a waiting record's patient (a warning sign was reported before
    the kiosk stopped), or None; never raises."""
    try:
        meta = read_waiting(path).get("meta") or {}
    except Exception:  # unreadable: set aside elsewhere, with its own line for staff
        return None
    rid = meta.get("record_id") if isinstance(meta, dict) else None
    if not isinstance(rid, str) or not RECORD_ID.fullmatch(rid):
        return None
    alert = alert_path(folder, rid)
    return alert if alert.is_file() else None


def keep_partial(folder: Path, bank: Bank, waiting: Path, now: datetime | None = None) -> Path:
    """Keep a waiting record as ``<id>.partial.json`` (atomic, owner-only) with its id
    and the date and time in ``meta``, then remove it from the waiting place. One that
    cannot be read is kept unchanged as ``<id>.partial.bad``. Raises InputError/OSError."""
    now = now or datetime.now(UTC)
    name = str(waiting)
    try:
        doc = load_json(read_text(name), name)
        answers = parse_document(doc, bank, name)
    except InputError:
        rid = record_id(now)
        target = folder / f"{rid}.partial.bad"
        os.chmod(waiting, 0o600)
        os.replace(waiting, target)
        return target
    old = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
    old_rid = old.get("record_id")
    if (
        isinstance(old_rid, str)
        and RECORD_ID.fullmatch(old_rid)
        and not any(
            (folder / f"{old_rid}{suffix}").exists() for suffix in (".json", ".partial.json")
        )
    ):
        rid = old_rid
    else:
        rid = record_id(now)
    last = old["saved"] if isinstance(old.get("saved"), str) else None
    target = save_partial(folder, bank, answers, rid, now, last_answer=last)
    waiting.unlink(missing_ok=True)
    return target


def save_partial(
    folder: Path,
    bank: Bank,
    answers: Mapping[str, Answer],
    rid: str,
    now: datetime | None = None,
    last_answer: str | None = None,
) -> Path:
    """Write ``<id>.partial.json`` (atomic, owner-only): the answers of a patient who did
    not finish, with the id and the date and time in ``meta``. Raises InputError."""
    now = now or datetime.now(UTC)
    meta: dict[str, str | bool] = {
        "id": rid,
        "record_id": rid,
        "saved": iso_time(now),
        "via": VIA,
        "partial": True,
    }
    if last_answer is not None:
        meta["last_answer"] = last_answer
    return write_private(folder / f"{rid}.partial.json", dumps_document(answers, bank, meta))
