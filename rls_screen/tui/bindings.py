"""Bindings shared by the pages."""

from __future__ import annotations

from textual.binding import Binding

# "q" leaves rls-screen; in the kiosk, where patients cannot leave, the same key clears
# the answers and starts over, and the footer says so. The app's check_action shows the
# one that applies (see RlsScreenApp and KioskApp).
LEAVE = (
    Binding("q", "app.request_quit", "Quit", id="quit", tooltip="Leave rls-screen"),
    Binding(
        "q",
        "app.clear_answers",
        "Start over",
        id="clear-answers",
        tooltip="Clear your answers and start over",
    ),
)
