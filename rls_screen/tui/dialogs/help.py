"""Help for the current question: its longer text with examples."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from rls_screen.core.texts import ui
from rls_screen.tui.dialogs.safe import SafeModal

if TYPE_CHECKING:
    from rls_screen.core.bank import Item


class HelpDialog(SafeModal[None]):
    BINDINGS = [
        Binding(
            "escape,f1,question_mark",
            "close",
            ui("tui.help.keys.close"),
            id="close",
            tooltip=ui("tui.help.keys.close_tip"),
        ),
    ]

    def __init__(self, item: Item) -> None:
        super().__init__(classes="dialog-screen")
        self.item = item

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(ui("tui.help.title"), classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.item.text, classes="help-question", markup=False)
                yield Static(" ".join(self.item.help.split()), classes="dialog-body", markup=False)
            yield Button(ui("tui.help.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.focus_first("#close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
