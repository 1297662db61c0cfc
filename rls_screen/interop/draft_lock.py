"""The lock beside the draft (issue 19): one window writes a draft at a time.

``draft.lock`` holds ``pid start-time token``: the process's start time (field 22 of
/proc/<pid>/stat) tells a live holder from a reused pid, and the random token tells
this window's lock from one taken over by another window. The lock is made atomically
(a private temp file, then os.link into place, which fails if a lock is there) and is
never read or removed through a link. A lock whose process is gone, or whose pid now
belongs to another process, is stale and taken over silently. No Textual here: the
faces ask the person what to do with a live lock.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = "draft.lock"
# A lock file is one short line; anything longer is not ours.
MOST_BYTES = 200


def start_time(pid: int) -> str | None:
    """The start time of a running process (in clock ticks since boot), None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            line = handle.read(4096).decode("ascii", "replace")
    except OSError:
        return None
    # The name (field 2) is in parentheses and may hold spaces: split after it.
    fields = line[line.rfind(")") + 2 :].split()
    if len(fields) <= 19 or fields[0] in ("Z", "X"):
        return None  # a zombie (killed, not yet reaped) holds nothing
    return fields[19]


@dataclass(frozen=True)
class Holder:
    pid: int
    started: str
    token: str


def _read(path: Path) -> Holder | None:
    """The lock's holder; None if there is no lock, or the file is not a lock."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        data = os.read(fd, MOST_BYTES + 1)
    finally:
        os.close(fd)
    parts = data.decode("ascii", "replace").split()
    if len(data) > MOST_BYTES or len(parts) != 3 or not parts[0].isdigit():
        return None
    return Holder(int(parts[0]), parts[1], parts[2])


class DraftLock:
    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self.token = secrets.token_hex(16)
        self.held = False

    def other(self) -> Holder | None:
        """A live window that holds the lock (not this one), or None."""
        holder = _read(self.path)
        if holder is None or holder.token == self.token:
            return None
        if start_time(holder.pid) != holder.started:
            return None  # stale: that process is gone
        return holder

    def acquire(self, take_over: bool = False) -> bool:
        """Take the lock. A stale lock (or, with take_over, a live one) is replaced.
        False when another live window holds it."""
        if not take_over and self.other() is not None:
            return False
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        mine = f"{os.getpid()} {start_time(os.getpid())} {self.token}\n".encode("ascii")
        temp = self.path.with_name(f".{LOCK_NAME}.{self.token}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, mine)
            os.fsync(fd)
            os.close(fd)
            for _ in range(3):
                try:
                    os.link(temp, self.path, follow_symlinks=False)
                    self.held = True
                    return True
                except FileExistsError:
                    if not take_over and self.other() is not None:
                        return False
                    # A stale lock, or one taken over: the entry itself is removed,
                    # never what it may point to.
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(self.path)
            return False
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)

    def holds(self) -> bool:
        """True while the lock file is still this window's (checked before every write)."""
        if not self.held:
            return False
        holder = _read(self.path)
        if holder is None or holder.token != self.token:
            self.held = False
        return self.held

    def release(self) -> None:
        """Remove the lock if it is still this window's; a taken-over lock is left."""
        if self.holds():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)
        self.held = False
