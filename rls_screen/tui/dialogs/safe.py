"""One pattern for every dialog (issue 19): keys and actions may arrive before a dialog
is mounted, while it is drawn, or after it was dismissed. None of them may look up a
widget that is not there, and a dialog that is no longer on top never closes again (a
second dismiss would pop the screen below it)."""

from __future__ import annotations

from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen
from textual.widget import Widget

ResultType = TypeVar("ResultType")
W = TypeVar("W", bound=Widget)


async def _nothing() -> None:
    return None


def find(node: Widget, selector: str, expect: type[W]) -> W | None:
    """The first widget matching, or None when it is not (or no longer) there."""
    for widget in node.query(selector).results(expect):
        return widget
    return None


class SafeModal(ModalScreen[ResultType]):
    """A modal dialog that closes once only, and only while it is the screen on top."""

    closing = False

    def find(self, selector: str, expect: type[W]) -> W | None:
        return find(self, selector, expect)

    def focus_first(self, selector: str) -> None:
        widget = self.find(selector, Widget)
        if widget is not None:
            widget.focus()

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self.closing or not self.is_current:
            return AwaitComplete(_nothing())
        self.closing = True
        return super().dismiss(result)
