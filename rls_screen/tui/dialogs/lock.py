"""A second window (issue 19): the questions are open in another window, which holds the
draft's lock (``interop.draft_lock``). Open read-only, take over, or quit: the dialog
dismisses with ``"read-only"``, ``"take-over"`` or ``"quit"``. The focus starts on
read-only, the choice that changes nothing for the other window."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from rls_screen.core.texts import ui
from rls_screen.tui.dialogs.safe import SafeModal, key_hint

READ_ONLY = "read-only"
TAKE_OVER = "take-over"
QUIT = "quit"
CHOICES = (READ_ONLY, TAKE_OVER, QUIT)


class LockDialog(SafeModal[str]):
    BINDINGS = [
        Binding(
            "escape",
            "choose('quit')",
            ui("tui.lock.keys.quit"),
            id="lock-quit",
            tooltip=ui("tui.lock.keys.quit_tip"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(ui("tui.lock.title"), classes="dialog-title", markup=False)
            yield Static(ui("tui.lock.body"), classes="dialog-body", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(ui("tui.lock.read_only"), id=READ_ONLY, variant="primary")
                yield Button(ui("tui.lock.take_over"), id=TAKE_OVER)
                yield Button(ui("tui.lock.quit"), id=QUIT)
            yield key_hint(ui("tui.lock.quit"))

    def on_mount(self) -> None:
        self.focus_first(f"#{READ_ONLY}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id in CHOICES:
            self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
