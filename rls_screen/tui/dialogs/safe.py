"""One pattern for every dialog (issue 19): keys and actions may arrive before a dialog
is mounted, while it is drawn, or after it was dismissed. None of them may look up a
widget that is not there, and a dialog that is no longer on top never closes again (a
second dismiss would pop the screen below it)."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Static

from rls_screen.core.texts import ui

ResultType = TypeVar("ResultType")
W = TypeVar("W", bound=Widget)


async def _nothing() -> None:
    return None


def find(node: Widget, selector: str, expect: type[W]) -> W | None:
    """The first widget matching, or None when it is not (or no longer) there."""
    for widget in node.query(selector).results(expect):
        return widget
    return None


# Every dialog, one keyboard model: the arrows move between its buttons as Tab and
# Shift+Tab do; Enter presses the button with the focus; Esc is the safe choice.
_ARROWS = {"left": -1, "up": -1, "right": 1, "down": 1}


def key_hint(escape: str) -> Static:
    """The line under a dialog's buttons that says how to use them; ``escape`` is what
    Esc does here (the label of the safe choice)."""
    return Static(ui("tui.dialogs.hint", escape=escape), classes="dialog-hint", markup=False)


class SafeModal(ModalScreen[ResultType]):
    """A modal dialog that closes once only, and only while it is the screen on top.
    With the focus on one of its buttons, the arrow keys move between them (in a list
    or a text box they stay that widget's)."""

    closing = False

    def on_key(self, event: events.Key) -> None:
        step = _ARROWS.get(event.key)
        if step is None or not isinstance(self.focused, Button):
            return
        event.stop()
        event.prevent_default()  # never the screen below's binding (Left is "back")
        if step < 0:
            self.focus_previous(Button)
        else:
            self.focus_next(Button)

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
