"""Reading one file of the question bank: a regular file only, never more than a bound.

The bottom layer (no texts): a FIFO, device, socket or folder is refused without waiting
on it, and a file past the bound is never read whole. Problems are OSError, so the
callers turn them into one line naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_BANK_BYTES = 1024 * 1024


class NotRegularFileError(OSError):
    """A FIFO, device or socket where a file was expected."""


class TooLargeError(OSError):
    """A file past the bound."""


def read_regular(path: str | Path, limit: int = MAX_BANK_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; OSError otherwise."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "a folder, not a file")
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file")
        os.set_blocking(fd, True)
        with open(fd, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise TooLargeError(errno.EFBIG, f"larger than {limit // 1024} KB")
    return raw
