"""The nights to edit: the last two weeks (written down or not) and every older entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from rls_screen.core.texts import ui
from rls_screen.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual import getters

    from rls_screen.core.diary import Night
    from rls_screen.tui.diary_app import DiaryApp

RECENT_DAYS = 14


def night_line(night: dt.date, stored: Night | None) -> str:
    day = night.strftime("%a %Y-%m-%d")
    if stored is None:
        return ui("diary.tui.nights.empty", night=day)
    parts = []
    if stored.symptoms is not None:
        parts.append(ui("diary.tui.nights.symptoms", symptoms=stored.symptoms))
    if stored.symptoms == "yes" and stored.onset is not None:
        parts.append(ui("diary.tui.nights.onset", onset=stored.onset))
    if stored.symptoms == "yes" and stored.severity is not None:
        parts.append(ui("diary.tui.nights.severity", severity=stored.severity))
    if stored.bed is not None:
        parts.append(ui("diary.tui.nights.bed", bed=stored.bed))
    if stored.wake is not None:
        parts.append(ui("diary.tui.nights.wake", wake=stored.wake))
    return ui("diary.tui.nights.line", night=day, parts="  ".join(parts))


def listed(today: dt.date, nights: Sequence[Night]) -> list[tuple[dt.date, Night | None]]:
    """Newest first: each of the last RECENT_DAYS nights, and every older stored one."""
    stored = {night.night: night for night in nights}
    days = {today - dt.timedelta(days=back) for back in range(RECENT_DAYS)} | set(stored)
    return [(day, stored.get(day)) for day in sorted(days, reverse=True) if day <= today]


class DiaryNightsScreen(Screen[None]):
    if TYPE_CHECKING:
        app = getters.app(DiaryApp)

    BINDINGS = [
        Binding(
            "escape",
            "app.pop_screen",
            ui("diary.tui.keys.back"),
            id="back",
            tooltip=ui("diary.tui.keys.back_tip"),
        ),
        Binding(
            "f3",
            "app.chart",
            ui("diary.tui.keys.chart"),
            id="chart",
            tooltip=ui("diary.tui.keys.chart_tip"),
        ),
        Binding(
            "q",
            "app.request_quit",
            ui("tui.keys.quit"),
            id="quit",
            tooltip=ui("tui.keys.quit_tip"),
        ),
    ]

    def __init__(self, today: dt.date, nights: Sequence[Night], current: dt.date) -> None:
        super().__init__(id="diary-nights")
        self.rows = listed(today, nights)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="page"):
            yield Static(ui("diary.tui.nights.title"), classes="page-title", markup=False)
            yield OptionList(
                *(Option(night_line(day, night), id=day.isoformat()) for day, night in self.rows),
                id="answers",
            )
            yield Static(ui("diary.tui.nights.keys_note"), id="keys-hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        days = [day for day, _ in self.rows]
        if self.current in days:
            options.highlighted = days.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.app.open_night(dt.date.fromisoformat(event.option.id))
