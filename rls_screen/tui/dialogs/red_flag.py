"""A warning sign answered yes or not sure interrupts at once with what to do now (spec
section 4). The dialog only draws the alert that the walk-through chose, so the TUI,
the kiosk and the plain mode say the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from rls_screen.core.texts import ui
from rls_screen.tui.dialogs.safe import SafeModal

if TYPE_CHECKING:
    from rls_screen.reports.summary import Report


# What the dialog dismisses with when the person says the answer was a mistake.
WRONG_ANSWER = "wrong-answer"


class RedFlagDialog(SafeModal[str | None]):
    """Shows the alert's blocks: what to do now, each sign with its text, and crisis
    support where it applies. The person acknowledges and may go on with the questions,
    or says the answer was a mistake (dismissed with ``WRONG_ANSWER``: the app goes back
    to the question with that answer cleared)."""

    BINDINGS = [
        Binding(
            "escape",
            "close",
            ui("tui.red_flag.keys.go_on"),
            id="go-on",
            tooltip=ui("tui.red_flag.keys.go_on_tip"),
        ),
        Binding("enter", "close", ui("tui.red_flag.keys.go_on"), id="go-on-enter", show=False),
    ]

    def __init__(self, alert: Report) -> None:
        super().__init__(classes="dialog-screen red-flag-screen")
        self.alert = alert

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog red-flag"):
            yield Static(self.alert.title, classes="dialog-title", markup=False)
            with VerticalScroll(classes="dialog-scroll"):
                for number, block in enumerate(self.alert.blocks):
                    if number:  # the first block's heading is the dialog's title
                        yield Static(block.heading, classes="dialog-title", markup=False)
                    for paragraph in block.paragraphs:
                        yield Static(paragraph, classes="urgency", markup=False)
                    for entry in block.entries:
                        yield Static(entry.name, classes="flag-name", markup=False)
                        yield Static(entry.text, classes="dialog-body", markup=False)
                    for paragraph in block.footer:
                        yield Static(paragraph, classes="dialog-body crisis", markup=False)
            yield Button(ui("tui.red_flag.go_on"), id="go-on", variant="primary")
            # One line, under the way on: a mistaken key is put right here.
            yield Button(ui("tui.red_flag.wrong_answer"), id="wrong-answer", compact=True)

    # Keys typed in the same burst as the answer (a hurried "1" then Enter) reach this
    # screen before it is drawn: they are dropped, so that the warning is always seen
    # and nothing looks up a widget that is not there yet.
    drawn = False

    def on_mount(self) -> None:
        # The text takes the focus, so that the arrow keys scroll it when it is longer
        # than the screen (crisis lines must never hide below the fold); Enter goes on.
        for scroll in self.query(VerticalScroll).results():
            scroll.focus()
            break
        self.call_after_refresh(self._now_drawn)

    def _now_drawn(self) -> None:
        self.drawn = True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == WRONG_ANSWER:
            if self.drawn:
                self.dismiss(WRONG_ANSWER)
            return
        self.action_close()

    def action_close(self) -> None:
        if self.drawn:
            self.dismiss(None)
