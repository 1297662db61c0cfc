"""A safety answer of `yes` interrupts at once with what to do now (spec section 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from rls_screen import vocab

if TYPE_CHECKING:
    from rls_screen.bank import Bank


class RedFlagDialog(ModalScreen[None]):
    """Shows the urgency, the flag and (for self_harm) crisis support. The person
    acknowledges and may go on with the questions."""

    BINDINGS = [
        Binding("escape", "close", "Go on", id="go-on", tooltip="Close this and go on"),
    ]

    def __init__(self, bank: Bank, flag: str) -> None:
        super().__init__(classes="dialog-screen red-flag-screen")
        self.bank = bank
        self.flag = flag

    def compose(self) -> ComposeResult:
        texts = self.bank.summary
        emergency = self.flag in vocab.EMERGENCY_FLAGS
        with Vertical(classes="dialog red-flag"):
            yield Static(texts.headings.red_flags, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-scroll"):
                urgency = texts.urgency.emergency if emergency else texts.urgency.urgent
                yield Static(urgency, classes="urgency", markup=False)
                flag = texts.red_flags[self.flag]
                yield Static(flag.name, classes="flag-name", markup=False)
                yield Static(flag.now, classes="dialog-body", markup=False)
                if self.flag == "self_harm":
                    yield Static(texts.crisis, classes="dialog-body crisis", markup=False)
            yield Button("I understand. Go on", id="go-on", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#go-on", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
