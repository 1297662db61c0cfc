"""Bindings shared by the pages."""

from __future__ import annotations

from textual.binding import Binding

from rls_screen.core.texts import ui

# "q" leaves rls-screen; in the kiosk, where patients cannot leave, the same key clears
# the answers and starts over, and the footer says so. The app's check_action shows the
# one that applies (see RlsScreenApp and KioskApp).
LEAVE = (
    Binding(
        "q", "app.request_quit", ui("tui.keys.quit"), id="quit", tooltip=ui("tui.keys.leave_tip")
    ),
    Binding(
        "q",
        "app.clear_answers",
        ui("tui.keys.start_over"),
        id="clear-answers",
        tooltip=ui("tui.keys.start_over_tip"),
    ),
)
