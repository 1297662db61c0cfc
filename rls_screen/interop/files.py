"""Writing health data: atomically (temp file + rename) and owner-only (0600).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

from rls_screen.core.errors import InputError, show_name
from rls_screen.core.texts import ui


def private_temp(path: Path | str, shown: str | None = None) -> tuple[int, str, Path]:
    """Make the temp file that ``path`` is written through: in the same folder (so the
    final rename is atomic), readable by the owner only. Returns (fd, temp path, target).
    Raises InputError with one clear line, naming the file as ``shown`` (default: the
    target), if the target is a folder or its folder is missing or not writable."""
    target = Path(path).expanduser()
    name = show_name(str(target)) if shown is None else shown
    folder = target.parent
    _check_replaceable(target, name)
    if not folder.is_dir():
        raise InputError(ui("files.no_folder", name=name, folder=show_name(str(folder), 60)))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except PermissionError:
        where = show_name(str(folder), 60)
        raise InputError(ui("files.permission_denied", name=name, folder=where)) from None
    except (OSError, ValueError) as exc:  # ValueError: a name the system cannot encode
        raise InputError(ui("files.cannot_write", name=name, reason=_why(exc))) from None
    try:
        os.fchmod(fd, 0o600)
    except BaseException as exc:
        os.close(fd)
        _remove(tmp)
        if not isinstance(exc, OSError | UnicodeError):
            raise
        raise InputError(ui("files.cannot_write", name=name, reason=_why(exc))) from None
    return fd, tmp, target


def _why(exc: BaseException) -> str:
    if isinstance(exc, UnicodeError):
        return ui("files.not_unicode")
    return str(getattr(exc, "strerror", None) or exc)


# A temp file as private_temp names it: ".<target's name>.<8 random characters>.tmp".
_TEMP = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")


def remove_stale_temps(folder: Path) -> int:
    """Remove the temp files a process killed while writing (``kill -9``, a power cut)
    left in ``folder``: only regular files named as ``private_temp`` names them, never
    a link or a folder. Call it only while holding the folder's lock, so that no live
    writer's temp file is taken. Returns how many went; never raises."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if not _TEMP.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
    return removed


def _remove(tmp: str) -> None:
    """Remove a temp file, whatever happens: it is never left behind."""
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def _check_replaceable(target: Path, name: str) -> None:
    """Only a regular file or a missing path is ever replaced: never a folder, a device
    (as root, ``-o /dev/null`` would otherwise become a file), a FIFO, a socket or a
    symbolic link."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:  # ValueError: a name the system cannot encode
        raise InputError(ui("files.cannot_write", name=name, reason=_why(exc))) from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputError(ui("files.is_a_folder", name=name))
    if stat.S_ISLNK(mode):
        raise InputError(ui("files.is_a_link", name=name))
    raise InputError(ui("files.not_a_regular_file", name=name))


def write_private(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` so that it is either wholly there or not at all, readable
    by the owner only. Raises InputError with one clear line if it cannot."""
    fd, tmp, target = private_temp(path)
    try:
        try:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            os.close(fd)
            raise
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:  # an error, Ctrl+C or a signal: no temp file is left
        _remove(tmp)
        if not isinstance(exc, OSError | UnicodeError):
            raise
        raise InputError(
            ui("files.cannot_write", name=show_name(str(target)), reason=_why(exc))
        ) from None
    return target


def same_file(a: Path | str, b: Path | str) -> bool:
    """Whether two names are one file (a link, ``./x`` and ``x`` alike); False when
    either does not exist."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False
