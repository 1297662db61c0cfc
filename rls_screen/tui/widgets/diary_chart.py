"""The diary's chart: one row per night along the night's clock, 18:00 to 12:00.

Each night shows when the feelings started, the time in bed and the time asleep as
marks (never colour alone: it reads the same with NO_COLOR), and the night's own 0-10
rating at the end of the row. A small widget of its own: no plotting library.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

# The chart's line: from 18:00 on the night's date to 12:00 the next day.
START = 18 * 60
SPAN = 18 * 60
LABEL = 11  # "Mon 11-30 " and a space
RATING = 5  # " 10  "

# The marks, one character each, and what they mean (the legend: tui.toml-like words in
# questions/interface/diary.toml, diary.tui.chart.*).
EMPTY = "·"
IN_BED = "░"
ASLEEP = "█"
ONSET = "●"
EARLIER = "◀"  # the feelings started before 18:00
LATER = "▶"  # still in bed after 12:00


class NightLike(Protocol):
    """What the chart reads of a night (``core.diary.Night``)."""

    @property
    def night(self) -> dt.date: ...
    @property
    def symptoms(self) -> str | None: ...
    @property
    def onset(self) -> str | None: ...
    @property
    def severity(self) -> int | None: ...
    @property
    def bed(self) -> str | None: ...
    @property
    def sleep_latency(self) -> int | None: ...
    @property
    def wake(self) -> str | None: ...
    @property
    def out_of_bed(self) -> str | None: ...


def _clock(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def on_chart(hhmm: str) -> int:
    """Minutes from 18:00 of the night's date, for a time on the night's line (06:00 on
    that date to 05:59 the next morning): -720 to 719."""
    return (_clock(hhmm) - 360) % 1440 - 720


def after(start: str, hhmm: str) -> int:
    """Minutes from ``start`` to the first such clock time after it."""
    return (_clock(hhmm) - _clock(start)) % 1440


def line_cells(night: NightLike, width: int) -> list[str]:
    """The marks of one night on a line of ``width`` cells (each cell SPAN/width minutes)."""
    cells = [EMPTY] * width
    if width <= 0:
        return cells

    def cell(minutes: float) -> int:
        return int(minutes * width // SPAN)

    def fill(start: float, end: float, mark: str) -> None:
        first, last = max(0, cell(start)), min(width, cell(end))
        for index in range(first, max(last, first + 1) if end > start else first):
            if index < width:
                cells[index] = mark

    if night.bed is not None:
        bed = on_chart(night.bed)
        if night.wake is not None:
            wake = bed + after(night.bed, night.wake)
            out = night.out_of_bed or night.wake
            leave = bed + after(night.bed, out)
            leave = max(leave, wake) if leave - wake < 720 else wake
            fill(bed, leave, IN_BED)
            if night.sleep_latency is not None and bed + night.sleep_latency < wake:
                fill(bed + night.sleep_latency, wake, ASLEEP)
            if leave > SPAN:
                cells[-1] = LATER
        elif 0 <= bed < SPAN:
            cells[cell(bed)] = IN_BED
    if night.symptoms == "yes" and night.onset is not None:
        onset = on_chart(night.onset)
        if onset < 0:
            cells[0] = EARLIER
        elif onset < SPAN:
            cells[cell(onset)] = ONSET
    return cells


def axis(width: int) -> str:
    """The hours above the line: 18, 21, 00, 03, 06, 09, 12 where they fall."""
    row = [" "] * (width + 2)
    for hour in range(0, SPAN // 60 + 1, 3):
        label = f"{(18 + hour) % 24:02d}"
        at = hour * 60 * width // SPAN
        at = min(at, width - len(label) + 2)
        row[at : at + len(label)] = label
    return "".join(row).rstrip()


def rating(night: NightLike) -> str:
    if night.symptoms == "yes" and night.severity is not None:
        return f"{night.severity:>3}"
    return "  -"


def night_label(night: dt.date) -> str:
    return night.strftime("%a %m-%d")


def chart_lines(nights: Sequence[NightLike], width: int) -> list[tuple[str, list[str], str]]:
    """Each night as (label, cells, rating), oldest first."""
    line = max(width - LABEL - RATING, 12)
    return [
        (night_label(night.night), line_cells(night, line), rating(night))
        for night in sorted(nights, key=lambda n: n.night)
    ]


class DiaryChart(Widget):
    """The nights' rows, under an axis of hours."""

    COMPONENT_CLASSES = {
        "diary-chart--onset",
        "diary-chart--asleep",
        "diary-chart--bed",
        "diary-chart--axis",
    }
    DEFAULT_CSS = """
    DiaryChart { height: auto; }
    DiaryChart > .diary-chart--onset { color: $error; text-style: bold; }
    DiaryChart > .diary-chart--asleep { color: $primary; }
    DiaryChart > .diary-chart--bed { color: $secondary; }
    DiaryChart > .diary-chart--axis { color: $text-muted; }
    """

    def __init__(self, nights: Sequence[NightLike] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.nights: list[NightLike] = list(nights)

    def show(self, nights: Sequence[NightLike]) -> None:
        self.nights = list(nights)
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.nights) + 1

    def render(self) -> Text:
        width = self.size.width or 80
        line = max(width - LABEL - RATING, 12)
        styles = {
            ONSET: self.get_component_rich_style("diary-chart--onset"),
            EARLIER: self.get_component_rich_style("diary-chart--onset"),
            ASLEEP: self.get_component_rich_style("diary-chart--asleep"),
            IN_BED: self.get_component_rich_style("diary-chart--bed"),
        }
        text = Text(no_wrap=True, overflow="crop")
        text.append(" " * LABEL + axis(line), self.get_component_rich_style("diary-chart--axis"))
        for label, cells, strength in chart_lines(self.nights, width):
            text.append("\n" + label.ljust(LABEL))
            for mark in cells:
                text.append(mark, styles.get(mark, ""))
            text.append(strength)
        return text
