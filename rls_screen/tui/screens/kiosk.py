"""The kiosk's screens: the welcome with a line for staff, the question and review pages
that never touch a patient who has gone, and the last screens (the patient's summary,
or a thank-you). The last screens go back to the welcome on Finish, or (the app sees to
it) by themselves after a quiet while."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Input, Markdown, Static

from rls_screen.core.texts import ui
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.review import ReviewScreen
from rls_screen.tui.screens.welcome import WelcomeScreen
from rls_screen.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual import getters

    from rls_screen.tui.kiosk import KioskApp

SAVED = ui("tui.kiosk.saved")
HAND_OVER = ui("tui.kiosk.hand_over")


class KioskWelcomeScreen(WelcomeScreen):
    """The welcome, with a neutral line for staff when a record is waiting for them."""

    if TYPE_CHECKING:  # as Textual types MessagePump.app; runs only in KioskApp
        app = getters.app(KioskApp)

    def on_mount(self) -> None:
        line = Static("", id="staff-line", classes="kiosk-staff-line", markup=False)
        # Above the page, outside its scrolling: at 80x24 the end of the welcome is
        # below the fold, and the page scrolls to its Start button.
        self.mount(line, before=self.query_one(".page"))
        self.refresh_staff_line()

    def on_screen_resume(self) -> None:
        self.refresh_staff_line()

    def refresh_staff_line(self) -> None:
        lines = self.query("#staff-line")
        if not lines:
            return
        count = len(self.app.waiting_records())
        if count == 1:
            text = ui("tui.kiosk.staff.line_one")
        elif count:
            text = ui("tui.kiosk.staff.line_other", count=count)
        else:
            text = ""
        line = lines.first(Static)
        line.update(text)
        line.display = bool(count)


class KioskQuestionScreen(QuestionScreen):
    """Between one patient and the next there is no walk: do nothing then."""

    def gone(self) -> bool:
        return self.app.walk is None or self.app.walk.current is None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.gone():
            event.stop()
            event.prevent_default()

    def action_help(self) -> None:
        if not self.gone():
            super().action_help()

    def action_review(self) -> None:
        if self.app.walk is not None:
            super().action_review()


class KioskReviewScreen(ReviewScreen):
    """The review, where V hands the answers in to the clinic team: it says so."""

    BINDINGS = [
        Binding(
            "v",
            "summary",
            ui("tui.kiosk.review.hand_in"),
            id="summary",
            tooltip=ui("tui.kiosk.review.hand_in_tip"),
        ),
    ]

    def note(self) -> str:
        return ui("tui.kiosk.review.note")

    def summary_label(self) -> str:
        return ui("tui.kiosk.review.hand_in")

    def refresh_answers(self) -> None:
        if self.app.walk is not None:  # the patient has gone: the screen is going too
            super().refresh_answers()


class _LastScreen(Screen[None]):
    if TYPE_CHECKING:  # as Textual types MessagePump.app; runs only in KioskApp
        app = getters.app(KioskApp)

    BINDINGS = [
        Binding(
            "f",
            "finish",
            ui("tui.kiosk.keys.finish"),
            id="finish",
            tooltip=ui("tui.kiosk.keys.finish_tip"),
        ),
    ]

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
                yield Button(ui("tui.kiosk.finish"), id="finish", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary-scroll").focus()


class ThankYouScreen(_LastScreen):
    def __init__(self) -> None:
        super().__init__(id="thank-you")

    def compose(self) -> ComposeResult:
        with Vertical(classes="page"):
            yield Static(SAVED, classes="page-title", markup=False)
            yield Static(ui("tui.kiosk.tell_staff"), classes="lead", markup=False)
            with Center(classes="buttons"):
                yield Button(ui("tui.kiosk.finish"), id="finish", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#finish", Button).focus()
