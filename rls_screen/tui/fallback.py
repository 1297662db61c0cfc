"""What the app shows when the terminal cannot hold it: a window below the smallest size
the screens are laid out at gets one short line instead of a cut-off screen."""

from __future__ import annotations

import textwrap

from rls_screen.core.texts import ui


def small_window_rows(width: int, height: int) -> list[str]:
    """The whole window, row by row: one kind line (the short one if the first does not
    fit; cut to fit if not even that does), in the middle."""
    if width < 1 or height < 1:
        return []
    lines: list[str] = []
    for text in (ui("tui.small.line"), ui("tui.small.short")):
        lines = textwrap.wrap(text, width)
        if len(lines) <= height:
            break
    lines = lines[:height]
    top = (height - len(lines)) // 2
    rows = [""] * top + [line.center(width) for line in lines]
    rows += [""] * (height - len(rows))
    return [row.ljust(width)[:width] for row in rows]


def rows_sequence(rows: list[str]) -> str:
    """The terminal sequence that draws ``rows`` over the whole window, in the terminal's
    own colours."""
    return "\x1b[0m" + "".join(f"\x1b[{y};1H{row}" for y, row in enumerate(rows, start=1))
