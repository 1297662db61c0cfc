"""Drafts: answers in progress, saved after every answer so that a closed terminal or a
crash loses nothing. Owner-only, atomic, in the user's data folder (or a folder given,
as the kiosk does). Finishing or discarding deletes the draft.

The terminal app writes its drafts through a ``DraftWriter``: one background thread, so
that writing (and waiting for the disk) never holds up the next question.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import stat
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from rls_screen.core.answers import (
    Answer,
    Answers,
    dumps_document,
    load_json,
    parse_document,
    read_text,
)
from rls_screen.core.bank import Bank
from rls_screen.core.errors import InputError
from rls_screen.core.locations import default_draft_dir
from rls_screen.interop.draft_lock import DraftLock
from rls_screen.interop.files import remove_stale_temps, write_private

DRAFT_NAME = "draft.json"
# How long leaving waits, at most, for the draft to be written (a hung disk must not
# hang the exit for ever).
FLUSH_SECONDS = 3.0
# One line when leaving could not wait for it (the face puts its own name in front).


class Drafts:
    def __init__(self, bank: Bank, folder: Path | None = None, enabled: bool = True) -> None:
        self.bank = bank
        self.folder = folder if folder is not None else default_draft_dir()
        self.enabled = enabled
        # Where the last load() moved a draft it could not read (None: it did not).
        self.moved_aside: Path | None = None
        # The lock beside the draft, when the face took one (None: no lock is kept).
        self.lock: DraftLock | None = None
        # True once another window took the lock over: nothing is written after that.
        self.lock_lost = False

    def may_write(self) -> bool:
        """False once another window took the lock over (checked before every write)."""
        if self.lock is not None and not self.lock.holds():
            self.lock_lost = True
        return self.enabled and not self.lock_lost

    @property
    def path(self) -> Path:
        return self.folder / DRAFT_NAME

    def save(self, answers: Mapping[str, Answer], position: str | None = None) -> None:
        if not self.may_write():
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        meta = self.meta()
        if position:
            meta["position"] = position
        write_private(self.path, dumps_document(answers, self.bank, meta))

    def meta(self) -> dict[str, str | bool]:
        """What a draft says about itself (a kiosk's also carries the record id)."""
        return {"saved": datetime.now(UTC).isoformat(timespec="seconds"), "draft": True}

    def bad_paths(self) -> Iterator[Path]:
        """Where a draft that cannot be read may be set aside: ``draft.json.bad``, then
        ``draft.json.bad.1``, ``.bad.2``, ... Every copy set aside is kept."""
        yield self.folder / (DRAFT_NAME + ".bad")
        for number in itertools.count(1):
            yield self.folder / f"{DRAFT_NAME}.bad.{number}"

    def load(self) -> tuple[Answers, str | None] | None:
        """The saved draft (answers, id of the question it stopped at), or None. A draft
        that cannot be read (damaged, or from another version) is never overwritten:
        it is moved aside as ``draft.json.bad`` (owner-only), ``moved_aside`` says so,
        and this returns None."""
        self.moved_aside = None
        if not self.enabled:
            return None
        if self.lock is not None and self.lock.holds():
            remove_stale_temps(self.folder)  # left by a window killed while it wrote
        try:
            found = os.lstat(self.path)
        except OSError:
            return None
        if not stat.S_ISREG(found.st_mode):  # a link is never followed: set aside, as it is
            self._move_aside()
            return None
        try:
            doc = load_json(read_text(str(self.path)), str(self.path))
            answers = parse_document(doc, self.bank, str(self.path))
        except InputError:
            self._move_aside()
            return None
        position = (doc.get("meta") or {}).get("position")
        return answers, position if isinstance(position, str) else None

    def _move_aside(self) -> None:
        try:
            if stat.S_ISREG(os.lstat(self.path).st_mode):  # never the target of a link
                os.chmod(self.path, 0o600)
            for bad in self.bad_paths():
                if os.path.lexists(bad):
                    continue
                try:  # a hard link never replaces a copy set aside before
                    os.link(self.path, bad, follow_symlinks=False)
                except FileExistsError:
                    continue
                except OSError:
                    os.rename(self.path, bad)
                else:
                    os.unlink(self.path)
                break
        except OSError:  # cannot move it: leave it, and never write over it
            self.enabled = False
            return
        self.moved_aside = bad

    def delete(self) -> None:
        if self.lock is not None and not self.may_write():
            return  # the other window's draft now
        self.path.unlink(missing_ok=True)


@dataclass
class _Save:
    """One save: the answers as they were when it was asked for."""

    drafts: Drafts
    answers: dict[str, Answer]
    position: str | None
    # Set when the draft is deleted while this save is being written: the writer then
    # deletes what it has just written.
    deleted: bool = False


class DraftWriter:
    """Writes drafts on one background thread, one at a time, newest answers winning.

    ``save`` copies the answers (the state at that moment) and returns at once. While a
    draft is being written, further saves wait as one: the next write carries the newest
    answers. ``delete`` comes after every save asked for before it: a waiting save is
    dropped, the one being written is waited for, then the draft is deleted, so neither
    can bring a deleted draft back. ``flush`` waits until the last save is on disk, and
    ``close`` does that and lets the thread end. A write that fails turns that draft's
    autosave off and is handed to ``on_error`` (on the writer thread, after the writer
    has marked itself idle, so that a flush never waits on it). A save not written
    because another window took the draft's lock over is handed to ``on_lock_lost`` in
    the same way. The writer logs nothing and never prints: the answers are health data.
    """

    def __init__(
        self,
        on_error: Callable[[Drafts, Exception], None] | None = None,
        on_lock_lost: Callable[[Drafts], None] | None = None,
    ) -> None:
        self.on_error = on_error
        self.on_lock_lost = on_lock_lost
        self._changed = threading.Condition()
        self._waiting: _Save | None = None
        self._writing: _Save | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    def save(self, drafts: Drafts, answers: Mapping[str, Answer], position: str | None) -> None:
        if not drafts.enabled:
            return
        job = _Save(drafts, dict(answers), position)
        with self._changed:
            self._waiting = job
            self._stopping = False
            if self._thread is None:
                thread = threading.Thread(
                    target=self._run, name="rls-screen draft writer", daemon=True
                )
                try:
                    thread.start()
                except RuntimeError:  # no thread to be had: this save is not made
                    self._waiting = None
                    raise
                self._thread = thread
            self._changed.notify_all()

    def delete(self, drafts: Drafts, timeout: float = FLUSH_SECONDS) -> bool:
        """Delete the draft after any save of it still being written (waiting at most
        ``timeout`` seconds for it; past that, the writer deletes it when that save ends).
        False if the wait ran out. Raises OSError as ``Drafts.delete`` does."""
        with self._changed:
            if self._waiting is not None and self._waiting.drafts.path == drafts.path:
                self._waiting = None
            writing = self._writing
            done = True
            if writing is not None and writing.drafts.path == drafts.path:
                writing.deleted = True
                done = self._changed.wait_for(lambda: self._writing is not writing, timeout)
            drafts.delete()
        return done

    def flush(self, timeout: float = FLUSH_SECONDS) -> bool:
        """Wait until every save asked for so far is written; False if ``timeout`` seconds
        were not enough."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._waiting is None and self._writing is None, timeout
            )

    def close(self, timeout: float = FLUSH_SECONDS) -> bool:
        """Flush, then let the thread end (a later save starts it again)."""
        done = self.flush(timeout)
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        return done

    @property
    def busy(self) -> bool:
        with self._changed:
            return self._waiting is not None or self._writing is not None

    def _run(self) -> None:
        while True:
            with self._changed:
                while self._waiting is None:
                    if self._stopping:
                        self._thread = None
                        return
                    self._changed.wait()
                job, self._waiting = self._waiting, None
                self._writing = job
            failure: Exception | None = None
            try:
                job.drafts.save(job.answers, job.position)
            except Exception as exc:  # told to the face; the thread goes on
                job.drafts.enabled = False
                failure = exc
            with self._changed:
                if job.deleted:  # deleted while it was written: it must not come back
                    with contextlib.suppress(OSError):
                        job.drafts.delete()
                waiting = self._waiting
                if failure is not None and waiting is not None and waiting.drafts is job.drafts:
                    self._waiting = None  # autosave is off for this draft
                self._writing = None
                self._changed.notify_all()
            if failure is not None and self.on_error is not None:
                # An error here: the face has gone (the app closed), nothing to tell.
                with contextlib.suppress(Exception):
                    self.on_error(job.drafts, failure)
            if job.drafts.lock_lost and self.on_lock_lost is not None:
                with contextlib.suppress(Exception):
                    self.on_lock_lost(job.drafts)
