"""A yes/no question in a modal: dismisses with True or False."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from rls_screen.core.texts import ui
from rls_screen.tui.dialogs.safe import SafeModal, key_hint


class ConfirmDialog(SafeModal[bool]):
    BINDINGS = [
        Binding(
            "escape",
            "answer(False)",
            ui("tui.confirm.keys.cancel"),
            id="cancel",
            tooltip=ui("tui.confirm.keys.cancel_tip"),
        ),
        Binding(
            "y",
            "answer(True)",
            ui("tui.confirm.yes"),
            show=False,
            id="yes",
            tooltip=ui("tui.confirm.yes"),
        ),
        Binding(
            "n",
            "answer(False)",
            ui("tui.confirm.no"),
            show=False,
            id="no",
            tooltip=ui("tui.confirm.no"),
        ),
    ]

    def __init__(
        self, title: str, body: str, yes: str | None = None, no: str | None = None
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.body = body
        self.yes = ui("tui.confirm.yes") if yes is None else yes
        self.no = ui("tui.confirm.no") if no is None else no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.body, classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.yes, id="yes", variant="primary")
                yield Button(self.no, id="no")
            yield key_hint(self.no)

    def on_mount(self) -> None:
        self.focus_first("#no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
