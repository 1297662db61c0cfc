"""Every answer by section; choose one to change it, then see the summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from rls_screen.core.texts import ui
from rls_screen.tui.bindings import LEAVE
from rls_screen.tui.dialogs.safe import find
from rls_screen.tui.widgets.footer import Footer
from rls_screen.tui.widgets.hanging import Hanging

if TYPE_CHECKING:
    from textual import getters

    from rls_screen.core.walk import Walkthrough
    from rls_screen.tui.app import RlsScreenApp

NOT_ANSWERED = ui("tui.review.not_answered")
SKIPPED = ui("tui.review.skipped")

# How the list draws a section's title, an answer and a question left unanswered.
SECTION_STYLE = Style(bold=True, underline=True)
ANSWER_STYLE = Style(bold=True)
NOT_ANSWERED_STYLE = Style(dim=True, italic=True)


def answer_label(walk: Walkthrough, item_id: str) -> str:
    item = walk.worded(walk.bank.items[item_id])
    answer = walk.answers.get(item_id)
    if answer is None:
        return SKIPPED if walk.skipped(item) else NOT_ANSWERED
    return item.describe(answer)


class ReviewScreen(Screen[None]):
    if TYPE_CHECKING:  # as Textual types MessagePump.app; runs only in RlsScreenApp
        app = getters.app(RlsScreenApp)

    BINDINGS = [
        Binding(
            "v",
            "summary",
            ui("tui.review.keys.summary"),
            id="summary",
            tooltip=ui("tui.review.keys.summary_tip"),
        ),
        Binding(
            "left,backspace",
            "back",
            ui("tui.review.keys.back"),
            id="back",
            tooltip=ui("tui.review.keys.back_tip"),
        ),
        *LEAVE,
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="page"):
            yield Static(ui("tui.review.title"), classes="page-title")
            yield Static(self.note(), classes="note")
            yield OptionList(id="answers")
            with Horizontal(classes="buttons"):
                yield Button(self.summary_label(), id="summary", variant="primary")
        yield Footer()

    def note(self) -> str:
        """What the review says it is for (the kiosk's hands the answers in)."""
        return ui("tui.review.note")

    def summary_label(self) -> str:
        return ui("tui.review.summary")

    def on_mount(self) -> None:
        self.refresh_answers()

    def on_screen_resume(self) -> None:
        self.refresh_answers()

    def refresh_answers(self) -> None:
        walk = self.app.walk
        assert walk is not None  # only a kiosk drops its walk, and its screen checks first
        options: list[Option | None] = []
        section = None
        for item in walk.shown_items():
            if walk.section(item) is not section:
                section = walk.section(item)
                options.append(Option(Content.styled(section.title, SECTION_STYLE), disabled=True))
            label = answer_label(walk, item.id)
            style = NOT_ANSWERED_STYLE if label in (NOT_ANSWERED, SKIPPED) else ANSWER_STYLE
            # The answer hangs under its own first letter when it wraps, not under the arrow.
            answer = Hanging(Content.styled("    → ", style), Content.styled(label, style))
            options.append(Option(answer.under(Content(item.text)), id=item.id))
        answers = find(self, "#answers", OptionList)
        if answers is None:  # mounted after it was taken down, in a burst of keys
            return
        highlighted = answers.highlighted
        answers.set_options(options)
        if highlighted is not None and highlighted < answers.option_count:
            answers.highlighted = highlighted
        else:
            answers.action_first()
        answers.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.app.edit(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_summary()

    def action_summary(self) -> None:
        self.app.show_summary()

    def action_back(self) -> None:
        self.app.leave_review()
