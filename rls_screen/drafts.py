"""Drafts: answers in progress, saved after every answer so that a closed terminal or a
crash loses nothing. Owner-only, atomic, in the user's data folder (or a folder given,
as the kiosk does). Finishing or discarding deletes the draft.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from rls_screen.answers import Answer, Answers, dumps_document, parse_document
from rls_screen.bank import Bank
from rls_screen.errors import InputError
from rls_screen.files import write_private
from rls_screen.locations import default_draft_dir

DRAFT_NAME = "draft.json"


class Drafts:
    def __init__(self, bank: Bank, folder: Path | None = None, enabled: bool = True) -> None:
        self.bank = bank
        self.folder = folder if folder is not None else default_draft_dir()
        self.enabled = enabled

    @property
    def path(self) -> Path:
        return self.folder / DRAFT_NAME

    def save(self, answers: Mapping[str, Answer], position: str | None = None) -> None:
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        meta = {"saved": datetime.now(UTC).isoformat(timespec="seconds"), "draft": True}
        if position:
            meta["position"] = position
        write_private(self.path, dumps_document(answers, self.bank, meta))

    def load(self) -> tuple[Answers, str | None] | None:
        """The saved draft (answers, id of the question it stopped at), or None. A draft
        that cannot be read is treated as no draft: it is never worth a crash."""
        if not self.enabled or not self.path.is_file():
            return None
        try:
            doc = json.loads(self.path.read_text(encoding="utf-8"))
            answers = parse_document(doc, self.bank, str(self.path))
        except (OSError, ValueError, InputError):
            return None
        position = (doc.get("meta") or {}).get("position")
        return answers, position if isinstance(position, str) else None

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)
