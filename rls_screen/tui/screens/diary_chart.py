"""The chart of the nights, with its legend."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from rls_screen.core.texts import ui
from rls_screen.tui.widgets import diary_chart as marks
from rls_screen.tui.widgets.diary_chart import DiaryChart
from rls_screen.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from rls_screen.core.diary import Night


def legend() -> str:
    return ui(
        "diary.tui.chart.legend",
        onset=marks.ONSET,
        bed=marks.IN_BED,
        asleep=marks.ASLEEP,
        earlier=marks.EARLIER,
        later=marks.LATER,
    )


class DiaryChartScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "escape",
            "app.pop_screen",
            ui("diary.tui.keys.back"),
            id="back",
            tooltip=ui("diary.tui.keys.back_tip"),
        ),
        Binding(
            "f2",
            "app.nights",
            ui("diary.tui.keys.nights"),
            id="nights",
            tooltip=ui("diary.tui.keys.nights_tip"),
        ),
        Binding(
            "q",
            "app.request_quit",
            ui("tui.keys.quit"),
            id="quit",
            tooltip=ui("tui.keys.quit_tip"),
        ),
    ]

    def __init__(self, nights: Sequence[Night]) -> None:
        super().__init__(id="diary-chart-screen")
        self.nights = nights

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="page", id="chart-page"):
            yield Static(ui("diary.tui.chart.title"), classes="page-title", markup=False)
            if self.nights:
                yield DiaryChart(self.nights, id="diary-chart")
            else:
                yield Static(ui("diary.tui.chart.none"), classes="lead", markup=False)
            yield Static(legend(), id="chart-legend", classes="note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#chart-page", VerticalScroll).scroll_end(animate=False)
