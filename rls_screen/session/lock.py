"""The lock beside the draft, for every face: one window writes a draft at a time
(``interop.draft_lock`` keeps it). The faces make it here, ask the person what to do
when another live window holds it, and release it on every way out.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from pathlib import Path

from rls_screen.core.locations import default_draft_dir
from rls_screen.interop.draft_lock import DraftLock


def draft_lock(folder: Path | None = None) -> DraftLock:
    """The lock beside the draft in ``folder`` (None: the default draft folder); not
    taken yet (``acquire``)."""
    return DraftLock(folder if folder is not None else default_draft_dir())
