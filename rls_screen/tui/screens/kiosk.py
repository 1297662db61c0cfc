"""The kiosk's last screens: the patient's summary, or a thank-you. Both go back to the
welcome screen for the next person on Finish, or by themselves after a quiet while."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown, Static

SAVED = "Thank you. Your answers have been sent to the clinic team."
HAND_OVER = "When you are done reading, press Finish so the next person starts fresh."


class _LastScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "f", "finish", "Finish", id="finish", tooltip="Clear the screen for the next person"
        ),
    ]

    def on_mount(self) -> None:
        self.set_interval(1.0, self.reset_when_quiet)

    def reset_when_quiet(self) -> None:
        if self.app.idle_for() >= self.app.idle_reset:
            self.action_finish()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_finish()

    def action_finish(self) -> None:
        if self.is_current:
            self.app.next_patient()


class KioskSummaryScreen(_LastScreen):
    def __init__(self, markdown: str) -> None:
        super().__init__(id="summary")
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        with Vertical(classes="page"):
            yield Static(SAVED, classes="kiosk-saved", markup=False)
            with VerticalScroll(id="summary-scroll", can_focus=True):
                yield Markdown(self.markdown, id="summary-text")
            yield Static(HAND_OVER, classes="note", markup=False)
            with Center(classes="buttons"):
                yield Button("Finish", id="finish", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#summary-scroll").focus()


class ThankYouScreen(_LastScreen):
    def __init__(self) -> None:
        super().__init__(id="thank-you")

    def compose(self) -> ComposeResult:
        with Vertical(classes="page"):
            yield Static(SAVED, classes="page-title", markup=False)
            yield Static(
                "Please let the staff know you are done. They will go over it with you.",
                classes="lead",
                markup=False,
            )
            with Center(classes="buttons"):
                yield Button("Finish", id="finish", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#finish", Button).focus()
