"""The summary to discuss with a doctor, with save, copy, start over and quit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Markdown

from rls_screen.core.texts import ui
from rls_screen.tui.bindings import LEAVE
from rls_screen.tui.dialogs.safe import find
from rls_screen.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual import getters

    from rls_screen.tui.app import RlsScreenApp


class SummaryScreen(Screen[None]):
    if TYPE_CHECKING:  # as Textual types MessagePump.app; runs only in RlsScreenApp
        app = getters.app(RlsScreenApp)

    BINDINGS = [
        # Ctrl+S, not S: S skips a question, and one key means one thing on every screen.
        Binding(
            "ctrl+s",
            "save",
            ui("tui.summary.keys.save"),
            id="save",
            tooltip=ui("tui.summary.keys.save_tip"),
        ),
        # How to leave comes second, so that a narrow footer still shows it.
        *LEAVE,
        Binding(
            "c",
            "copy",
            ui("tui.summary.keys.copy"),
            id="copy",
            tooltip=ui("tui.summary.keys.copy_tip"),
        ),
        Binding(
            "e",
            "edit",
            ui("tui.summary.keys.edit"),
            id="edit",
            tooltip=ui("tui.summary.keys.edit_tip"),
        ),
        Binding(
            "d",
            "include_diary",
            ui("diary.tui.summary.keys.include"),
            id="include-diary",
            tooltip=ui("diary.tui.summary.keys.include_tip"),
        ),
        Binding(
            "n",
            "app.start_over",
            ui("tui.summary.keys.start_over"),
            id="start-over",
            tooltip=ui("tui.summary.keys.start_over_tip"),
        ),
    ]

    def __init__(self, markdown: str, diary_offer: int = 0) -> None:
        super().__init__(id="summary")
        self.markdown = markdown
        self.diary_offer = diary_offer  # the nights of the person's diary, to include

    def compose(self) -> ComposeResult:
        with Vertical(classes="page"):
            with VerticalScroll(id="summary-scroll", can_focus=True):
                yield Markdown(self.markdown, id="summary-text")
            with Horizontal(classes="buttons"):
                yield Button(ui("tui.summary.save"), id="save", variant="primary")
                if self.diary_offer:
                    yield Button(
                        ui("diary.tui.summary.include", count=self.diary_offer), id="diary"
                    )
                yield Button(ui("tui.summary.copy"), id="copy")
                yield Button(ui("tui.summary.start_over"), id="start-over")
                yield Button(ui("tui.summary.quit"), id="quit")
        yield Footer()

    def on_mount(self) -> None:
        scroll = find(self, "#summary-scroll", Widget)
        if scroll is not None:  # not when it was taken down before its mount
            scroll.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "save": self.action_save,
            "copy": self.action_copy,
            "start-over": self.app.action_start_over,
            "quit": self.app.action_request_quit,
            "diary": self.action_include_diary,
        }
        self.call_next(actions[event.button.id or "save"])

    def action_save(self) -> None:
        self.app.open_save_dialog()

    def action_copy(self) -> None:
        import os

        from rls_screen.tui.clipboard import copy_known_to_work

        self.app.copy_to_clipboard(self.app.summary_text())
        if copy_known_to_work(os.environ, self.app.is_web):
            self.notify(ui("tui.summary.copied"), title=ui("tui.summary.copied_title"))
        else:  # sent all the same; but saving is the way that is sure to work
            self.notify(
                ui("tui.summary.copy_unsure"),
                title=ui("tui.summary.copy_unsure_title"),
                timeout=8,
            )

    def action_include_diary(self) -> None:
        if not self.diary_offer:
            return
        markdown = self.app.include_diary()
        if markdown is None:
            return
        self.diary_offer = 0
        self.markdown = markdown
        text = find(self, "#summary-text", Markdown)
        if text is not None:
            text.update(markdown)
        button = find(self, "#diary", Button)
        if button is not None:
            button.remove()
        self.refresh_bindings()
        self.notify(ui("diary.tui.summary.included"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "include_diary":
            return bool(self.diary_offer)
        return True

    def action_edit(self) -> None:
        self.app.show_review()
