"""Writing health data: atomically (temp file + rename) and owner-only (0600).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rls_screen.errors import InputError


def write_private(path: Path | str, text: str) -> Path:
    """Write ``text`` to ``path`` so that it is either wholly there or not at all, readable
    by the owner only. Raises InputError with one clear line if it cannot."""
    target = Path(path).expanduser()
    folder = target.parent
    if target.is_dir():
        raise InputError(f"{target}: is a folder; choose a file name")
    if not folder.is_dir():
        raise InputError(f"{target}: the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except PermissionError:
        raise InputError(f"{target}: cannot write in {folder} (permission denied)") from None
    except OSError as exc:
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"{target}: cannot write ({exc.strerror or exc})") from None
    return target
