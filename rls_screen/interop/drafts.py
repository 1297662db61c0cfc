"""Drafts: answers in progress, saved after every answer so that a closed terminal or a
crash loses nothing. Owner-only, atomic, in the user's data folder (or a folder given,
as the kiosk does). Finishing or discarding deletes the draft.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
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
from rls_screen.interop.files import write_private

DRAFT_NAME = "draft.json"


class Drafts:
    def __init__(self, bank: Bank, folder: Path | None = None, enabled: bool = True) -> None:
        self.bank = bank
        self.folder = folder if folder is not None else default_draft_dir()
        self.enabled = enabled
        # Where the last load() moved a draft it could not read (None: it did not).
        self.moved_aside: Path | None = None

    @property
    def path(self) -> Path:
        return self.folder / DRAFT_NAME

    def save(self, answers: Mapping[str, Answer], position: str | None = None) -> None:
        if not self.enabled:
            return
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        meta = self.meta()
        if position:
            meta["position"] = position
        write_private(self.path, dumps_document(answers, self.bank, meta))

    def meta(self) -> dict[str, str | bool]:
        """What a draft says about itself (a kiosk's also carries the record id)."""
        return {"saved": datetime.now(UTC).isoformat(timespec="seconds"), "draft": True}

    @property
    def bad_path(self) -> Path:
        return self.folder / (DRAFT_NAME + ".bad")

    def load(self) -> tuple[Answers, str | None] | None:
        """The saved draft (answers, id of the question it stopped at), or None. A draft
        that cannot be read (damaged, or from another version) is never overwritten:
        it is moved aside as ``draft.json.bad`` (owner-only), ``moved_aside`` says so,
        and this returns None."""
        self.moved_aside = None
        if not self.enabled or not self.path.is_file():
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
            os.chmod(self.path, 0o600)
            os.replace(self.path, self.bad_path)
        except OSError:  # cannot move it: leave it, and never write over it
            self.enabled = False
            return
        self.moved_aside = self.bad_path

    def delete(self) -> None:
        self.path.unlink(missing_ok=True)
