"""Help for one field of the diary: what it asks, with an example, and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from rls_screen.core.texts import ui
from rls_screen.tui.dialogs.safe import SafeModal


class DiaryHelpDialog(SafeModal[None]):
    BINDINGS = [
        Binding(
            "escape,f1",
            "close",
            ui("tui.help.keys.close"),
            id="close",
            tooltip=ui("tui.help.keys.close_tip"),
        ),
    ]

    def __init__(self, question: str, text: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question = question
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(ui("tui.help.title"), classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield Static(self.question, classes="help-question", markup=False)
                yield Static(self.text, classes="dialog-body", markup=False)
                yield Static(ui("diary.tui.help.keys"), classes="dialog-body", markup=False)
            yield Button(ui("tui.help.close"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.focus_first("#close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
