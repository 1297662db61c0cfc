"""The first screen: what this is and is not, privacy, the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from rls_screen.tui.bindings import LEAVE
from rls_screen.welcome import WelcomeText

KEYS = (
    "Keys: Enter to choose, arrow keys to move, 1-9 to pick an option, "
    "Space to tick, Left or Backspace to go back, S to skip, F1 or ? for help, "
    "Ctrl+Q to leave. The mouse works too."
)


class WelcomeScreen(Screen[None]):
    BINDINGS = [
        Binding("enter", "start", "Start", id="start", tooltip="Start the questions"),
        *LEAVE,
    ]

    def __init__(self, text: WelcomeText, privacy: str, keys: str = KEYS) -> None:
        super().__init__(id="welcome")
        self.text = text
        self.privacy = privacy
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="page"):
            yield Static(self.text.title, classes="page-title", markup=False)
            yield Static(self.text.lead, classes="lead", markup=False)
            # One widget for all the points: the first screen comes up sooner.
            points = "\n".join(f"•  {point}" for point in self.text.points)
            yield Static(points, classes="point", markup=False)
            yield Static(self.privacy, classes="note", markup=False)
            yield Static(self.keys, classes="note", markup=False)
            with Center():
                yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        self.app.start_questions()
