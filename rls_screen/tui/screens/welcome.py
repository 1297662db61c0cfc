"""The first screen: what this is and is not, privacy, the keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Static

from rls_screen.core.texts import ui
from rls_screen.core.welcome import WelcomeText
from rls_screen.tui.bindings import LEAVE
from rls_screen.tui.widgets.footer import Footer
from rls_screen.tui.widgets.hanging import Hanging, Rows

if TYPE_CHECKING:
    from textual import getters

    from rls_screen.tui.app import RlsScreenApp

KEYS = ui("tui.welcome.keys_note")


class WelcomeScreen(Screen[None]):
    if TYPE_CHECKING:  # as Textual types MessagePump.app; runs only in RlsScreenApp
        app = getters.app(RlsScreenApp)

    BINDINGS = [
        Binding(
            "enter",
            "start",
            ui("tui.welcome.keys.start"),
            id="start",
            tooltip=ui("tui.welcome.keys.start_tip"),
        ),
        Binding(
            "escape",
            "later",
            ui("tui.welcome.keys.later"),
            id="later",
            show=False,
            tooltip=ui("tui.welcome.keys.later_tip"),
        ),
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
            # A point that wraps goes on under its first word, not under the bullet.
            points = Rows([Hanging(Content("•  "), Content(point)) for point in self.text.points])
            yield Static(points, classes="point", markup=False)
            yield Static(self.privacy, classes="note", markup=False)
            yield Static(self.keys, classes="note", markup=False)
            with Center(id="start-row"):
                yield Button(ui("tui.welcome.start"), id="start", variant="primary")
            # Answers kept from last time: offered here, before anything starts.
            with Vertical(id="resume-offer"):
                yield Static("", id="resume-text", markup=False)
                with Horizontal(classes="buttons"):
                    yield Button("", id="resume", variant="primary")
                    yield Button("", id="decline")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#resume-offer").display = False
        self.query_one("#start", Button).focus()

    def show_offer(self, text: str, resume: str, other: str) -> None:
        """Offer the answers kept from last time; the focus goes to picking them up, so
        Enter (pressed once or ten times) never throws them away."""
        self.query_one("#resume-text", Static).update(text)
        self.query_one("#resume", Button).label = resume
        self.query_one("#decline", Button).label = other
        self.query_one("#start-row").display = False
        self.query_one("#resume-offer").display = True
        self.query_one("#resume", Button).focus()
        self.query_one("#resume-offer").scroll_visible(animate=False)
        self.offering = True

    offering = False

    def hide_offer(self) -> None:
        self.offering = False
        self.query_one("#resume-offer").display = False
        self.query_one("#start-row").display = True
        self.query_one("#start", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "resume":
            self.app.resume_draft()
        elif event.button.id == "decline":
            self.app.decline_draft()
        else:
            self.action_start()

    def action_start(self) -> None:
        if self.offering:
            self.app.resume_draft()
        else:
            self.app.start_questions()

    def action_later(self) -> None:
        if self.offering:
            self.notify(ui("tui.welcome.later"), timeout=4)
