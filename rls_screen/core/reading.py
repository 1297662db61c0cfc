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
from typing import Any

MAX_BANK_BYTES = 1024 * 1024

# Bounds of what one bank file may hold (the shipped bank, 2026-12-03: its longest text
# is 3,751 characters (commands.toml, batch's help), its widest table 32 keys, its
# longest list 13 entries and its longest key 20 characters). Each is well above that,
# and below what would make a face slow to draw or a message long.
MAX_TEXT_CHARS = 10_000
MAX_TABLE_KEYS = 500  # a table for every country of crisis.toml still fits
MAX_LIST_ITEMS = 500
MAX_KEY_CHARS = 100


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


def size_problems(path: str | Path, data: dict[str, Any]) -> list[str]:
    """What in one parsed TOML file is past a bound above, one line each naming the file
    and the key (the first few only: a file with thousands is told in a few lines)."""
    problems: list[str] = []
    todo: list[tuple[str, object]] = [("", data)]
    while todo and len(problems) < 5:
        where, value = todo.pop()
        if isinstance(value, dict):
            if len(value) > MAX_TABLE_KEYS:
                problems.append(
                    f"{path}: {_short(where) or 'the file'}: a table may have at most"
                    f" {MAX_TABLE_KEYS:,} keys (it has {len(value):,})"
                )
                continue
            for key, item in value.items():
                name = f"{where}.{key}" if where else key
                if len(key) > MAX_KEY_CHARS:
                    problems.append(
                        f"{path}: {_short(where + '.' + key[:12])}…: a key may be at most"
                        f" {MAX_KEY_CHARS:,} characters"
                    )
                    continue
                todo.append((name, item))
        elif isinstance(value, list):
            if len(value) > MAX_LIST_ITEMS:
                problems.append(
                    f"{path}: {_short(where)}: a list may have at most {MAX_LIST_ITEMS:,} entries"
                    f" (it has {len(value):,})"
                )
                continue
            todo.extend((f"{where}[{_index(n, item)}]", item) for n, item in enumerate(value))
        elif isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            problems.append(
                f"{path}: {_short(where)}: a text may be at most {MAX_TEXT_CHARS:,} characters"
                f" (it has {len(value):,})"
            )
    return sorted(problems)


def _index(n: int, item: object) -> str:
    """An entry of a list as a message names it: an item by its id (``'urge'``), else
    by its place, counted from 1."""
    if isinstance(item, dict) and isinstance(item.get("id"), str) and len(item["id"]) <= 40:
        return repr(item["id"])
    return str(n + 1)


def _short(where: str, limit: int = 60) -> str:
    """Where in a file, cut at the start if long: the end names the key that is wrong."""
    return where if len(where) <= limit else "…" + where[1 - limit :]
