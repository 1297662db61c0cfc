"""The kiosk's own dialogs: "Still there?", the warning sign with the staff message, and
the staff's choice for an unfinished record."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from rls_screen.core.texts import ui
from rls_screen.reports.clinic import in_the_clinic
from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.dialogs.safe import SafeModal, key_hint

if TYPE_CHECKING:
    from rls_screen.reports.summary import Report


def countdown_text(remaining: float) -> str:
    n = max(1, math.ceil(remaining))
    if n == 1:
        return ui("tui.kiosk.still_there.countdown_one", seconds=n)
    return ui("tui.kiosk.still_there.countdown_other", seconds=n)


class StillThereDialog(SafeModal[bool]):
    """Nobody has touched the keys for a while. Any key or click dismisses it with True
    (the app sees to the keys, before any binding); at the end of the countdown it
    dismisses itself with False and the app clears the answers."""

    def __init__(self, seconds: float) -> None:
        super().__init__(classes="dialog-screen kiosk-still-there")
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.closed = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(ui("tui.kiosk.still_there.title"), classes="dialog-title", markup=False)
            yield Static(
                countdown_text(self.seconds), id="countdown", classes="dialog-body", markup=False
            )
            yield Button(ui("tui.kiosk.still_there.stay"), id="stay", variant="primary")

    def on_mount(self) -> None:
        if self.closed:  # a key came in the same moment it was put up: it is gone already
            return
        self.focus_first("#stay")
        self.set_interval(min(0.25, max(0.02, self.seconds / 10)), self.tick)

    def tick(self) -> None:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.close(False)
        else:
            countdown = self.find("#countdown", Static)
            if countdown is not None:
                countdown.update(countdown_text(remaining))

    def close(self, stay: bool) -> None:
        if self.closed or not self.is_current:
            return
        self.closed = True
        self.dismiss(stay)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.close(True)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        event.stop()
        self.close(True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.close(True)


class KioskRedFlagDialog(RedFlagDialog):
    """The warning sign, with the clinic's message first: tell a member of staff now.
    The line that sends the person elsewhere (``elsewhere``: the bank's urgent line) is
    left out: they are in the clinic."""

    def __init__(self, alert: Report, staff_message: str, elsewhere: str = "") -> None:
        super().__init__(in_the_clinic(alert, elsewhere))
        self.staff_message = staff_message

    def on_mount(self) -> None:
        titles = self.query(".dialog-title")
        boxes = self.query(".dialog")
        if not titles or not boxes:  # closed in the same burst that opened it
            return
        boxes.first().mount(
            Static(
                self.staff_message, id="staff-message", classes="kiosk-staff-message", markup=False
            ),
            after=titles.first(),
        )


class StaffDialog(SafeModal[str | None]):
    """For staff (behind Ctrl+X): what to do with a record left unfinished. Says when it
    was last saved, never what is in it. Dismisses with "keep", "discard" or None."""

    BINDINGS = [
        Binding("escape", "choose('')", ui("tui.kiosk.staff.keys.not_now"), id="not-now"),
        Binding("k", "choose('keep')", ui("tui.kiosk.staff.keys.keep"), show=False, id="keep"),
        Binding(
            "d",
            "choose('discard')",
            ui("tui.kiosk.staff.keys.discard"),
            show=False,
            id="discard",
        ),
    ]

    def __init__(self, count: int, saved: str | None) -> None:
        super().__init__(classes="dialog-screen kiosk-staff")
        self.count = count
        self.saved = saved

    def compose(self) -> ComposeResult:
        stopped = (
            ui("tui.kiosk.staff.stopped_saved", saved=self.saved)
            if self.saved
            else ui("tui.kiosk.staff.stopped")
        )
        waiting = ui("tui.kiosk.staff.waiting", count=self.count) if self.count > 1 else ""
        with Vertical(classes="dialog"):
            yield Static(ui("tui.kiosk.staff.title"), classes="dialog-title", markup=False)
            yield Static(
                ui("tui.kiosk.staff.body", stopped=stopped, waiting=waiting),
                classes="dialog-body",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(ui("tui.kiosk.staff.keep"), id="keep", variant="primary")
                yield Button(ui("tui.kiosk.staff.discard"), id="discard", variant="error")
                yield Button(ui("tui.kiosk.staff.not_now"), id="not-now")
            yield key_hint(ui("tui.kiosk.staff.not_now"))

    def on_mount(self) -> None:
        self.focus_first("#not-now")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_choose("" if event.button.id == "not-now" else str(event.button.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice or None)
