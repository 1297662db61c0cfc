"""One question at a time: progress, the question, its hint, its options."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Static

from rls_screen.core.texts import ui
from rls_screen.tui.bindings import LEAVE
from rls_screen.tui.dialogs.help import HelpDialog
from rls_screen.tui.dialogs.safe import find
from rls_screen.tui.widgets.choices import ChoiceList
from rls_screen.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual import getters

    from rls_screen.tui.app import RlsScreenApp


# The questions about thoughts of self-harm: a heading of their own, not the section's.
OWN_HEADING = ("mood", "safe_now")  # vocab.SAFE_NOW_ITEM, not imported for it


class QuestionScreen(Screen[None]):
    """Shows ``app.walk.current`` and hands answers to the app."""

    if TYPE_CHECKING:  # as Textual types MessagePump.app; runs only in RlsScreenApp
        app = getters.app(RlsScreenApp)

    BINDINGS = [
        Binding(
            "left,backspace",
            "back",
            ui("tui.question.keys.back"),
            id="back",
            tooltip=ui("tui.question.keys.back_tip"),
        ),
        Binding(
            "s",
            "skip",
            ui("tui.question.keys.skip"),
            id="skip",
            tooltip=ui("tui.question.keys.skip_tip"),
        ),
        Binding(
            "f1,question_mark",
            "help",
            ui("tui.question.keys.help"),
            id="help",
            key_display="F1",
            tooltip=ui("tui.question.keys.help_tip"),
        ),
        Binding(
            "r",
            "review",
            ui("tui.question.keys.review"),
            id="review",
            tooltip=ui("tui.question.keys.review_tip"),
        ),
        Binding(
            "escape",
            "leave_box",
            ui("tui.question.keys.leave_box"),
            id="leave-box",
            show=False,
            tooltip=ui("tui.question.keys.leave_box_tip"),
        ),
        *LEAVE,
    ]

    # On a wide terminal the help sits beside the question instead of behind F1.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="page", id="question-page"):
            yield Static("", id="progress-text", markup=False)
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
            with Horizontal(id="question-row"):
                with Vertical(id="question-main"):
                    yield Static("", id="question-text", markup=False)
                    yield Static("", id="hint", markup=False)
                    yield ChoiceList(id="choices")
                    # A free-text question (the person's own words) instead of options.
                    yield Input(id="text-answer")
                    yield Static("", id="text-count", markup=False)
                    yield Static("", id="keys-hint", markup=False)
                yield Static("", id="help-panel", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_current()

    def on_screen_resume(self) -> None:
        self.show_current()

    # Every part of the page that show_current fills in.
    PARTS = (
        "#progress-text",
        "#progress",
        "#question-text",
        "#hint",
        "#help-panel",
        "#question-page",
        "#choices",
        "#text-answer",
        "#text-count",
        "#keys-hint",
    )

    def complete(self) -> bool:
        """Whether the page is all there: keys that arrive before it is mounted or after
        it was taken down must never look up a part that is missing (issue 19)."""
        return all(find(self, part, Widget) is not None for part in self.PARTS)

    def show_current(self) -> None:
        walk = self.app.walk
        item = walk.current if walk is not None else None
        # Nothing to show: a kiosk clearing up for the next person.
        if walk is None or item is None or not self.complete():
            return
        number, total = walk.progress()
        section = walk.section(item)
        title = ui("tui.question.own_heading") if item.id in OWN_HEADING else section.title
        progress = ui("tui.question.progress", section=title, number=number, total=total)
        if self.app.keeps_nothing:  # read-only, or taken over by another window
            progress = ui("tui.lock.progress", progress=progress)
        self.query_one("#progress-text", Static).update(progress)
        self.query_one("#progress", ProgressBar).update(total=total, progress=number - 1)
        self.query_one("#question-text", Static).update(item.text)
        self.query_one("#hint", Static).update(item.hint)
        self.query_one("#help-panel", Static).update(" ".join(item.help.split()))
        self.query_one("#question-page", VerticalScroll).scroll_home(animate=False)
        text = item.kind == "text"
        choices = self.query_one(ChoiceList)
        box = self.query_one("#text-answer", Input)
        choices.display = not text
        box.display = text
        self.query_one("#text-count").display = text
        if text:
            self.show_text(item.id, item.max_length or 500)
            return
        keys = (
            ui("tui.question.keys_multi")
            if item.kind == "multi"
            else ui("tui.question.keys_single")
        )
        self.query_one("#keys-hint", Static).update(keys)
        choices.show(item, walk.answers.get(item.id))
        choices.focus()

    def show_text(self, item_id: str, limit: int) -> None:
        """A box for the person's own words, with a count of the characters left."""
        box = self.query_one("#text-answer", Input)
        box.max_length = limit
        walk = self.app.walk
        assert walk is not None  # only show_current calls this, with a walk
        answer = walk.answers.get(item_id)
        box.value = answer if isinstance(answer, str) else ""
        box.placeholder = ui("tui.question.placeholder")
        self.query_one("#keys-hint", Static).update(ui("tui.question.keys_text"))
        self.update_count(box.value, limit)
        box.focus()

    def update_count(self, value: str, limit: int) -> None:
        count = find(self, "#text-count", Static)
        if count is not None:
            count.update(ui("tui.question.count", count=len(value), limit=limit))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.update_count(event.value, event.input.max_length or 500)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        walk = self.app.walk
        # Only a kiosk drops its walk, and its screen stops this event then.
        assert walk is not None
        item = walk.current
        if item is None or item.kind != "text":
            return
        from rls_screen.core.errors import InputError

        value = event.value.strip()
        try:
            self.app.answer(item.id, value or None)
        except InputError:  # a pasted control character: say so kindly, keep the text
            self.notify(ui("tui.question.bad_characters"), severity="warning")

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        walk = self.app.walk
        item = walk.current if walk is not None else None
        if walk is None or item is None or item.id != event.item_id:
            return  # a second key for a question already answered (keys typed ahead)
        self.app.answer(item.id, event.value)
        if isinstance(event.value, str) and walk is self.app.walk and walk.current is item:
            choices = find(self, "#choices", ChoiceList)
            if choices is not None:  # it stays: a dialog over it
                choices.mark(event.value)

    def action_back(self) -> None:
        self.app.go_back()

    def action_skip(self) -> None:
        self.app.skip_current()

    def action_help(self) -> None:
        walk = self.app.walk
        assert walk is not None  # only a kiosk drops its walk, and its screen checks first
        item = walk.current
        if item is not None:
            self.app.push_screen(HelpDialog(item))

    def action_leave_box(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(None)

    def action_review(self) -> None:
        self.app.show_review()
