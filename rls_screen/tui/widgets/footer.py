"""Textual's footer, rebuilt once for a burst of key changes."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """The keys of the screen, as Textual's ``Footer`` shows them.

    Textual rebuilds its footer once for every change of the keys, after the next
    refresh; a screen that opens changes them several times in a row (mounted, shown,
    focused), so five rebuilds of the same keys were queued, each mounting every key
    again. This one queues one rebuild at a time, and that rebuild reads the keys as
    they are when it runs, so the last change is always shown.
    """

    def __init__(self) -> None:
        super().__init__()
        self._rebuild_queued = False

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()
