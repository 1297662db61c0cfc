"""The app's fallbacks: a window below the smallest size the screens are laid out at gets
one short line instead of a cut-off screen; an app that fails keeps the answers on
screen and says where they are (and what to do now, after a warning sign)."""

from __future__ import annotations

import contextlib
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.core.answers import Answer
    from rls_screen.reports.summary import Report
    from rls_screen.tui.app import RlsScreenApp


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
    # As even as the lines can be: the narrowest wrap that takes no more lines.
    narrow = width
    while narrow > 1 and len(narrower := textwrap.wrap(text, narrow - 1)) == len(lines):
        lines, narrow = narrower, narrow - 1
    lines = lines[:height]
    top = (height - len(lines)) // 2
    rows = [""] * top + [line.center(width) for line in lines]
    rows += [""] * (height - len(rows))
    return [row.ljust(width)[:width] for row in rows]


def rows_sequence(rows: list[str]) -> str:
    """The terminal sequence that draws ``rows`` over the whole window, in the terminal's
    own colours."""
    return "\x1b[0m" + "".join(f"\x1b[{y};1H{row}" for y, row in enumerate(rows, start=1))


# --- the last resort ------------------------------------------------------------------
# If the app ever fails (an unhandled exception: Textual then ends the app), the answers
# on screen go to the draft before it closes (the kiosk's draft is its partial record,
# set aside for staff at the next start). Once the terminal is back, one line says where
# they are, and the words of every warning sign shown to this person are printed again.


def pending_answer(app: RlsScreenApp) -> tuple[str, Answer] | None:
    """What the person typed or ticked at the question on screen, not yet given: their
    own words in the box, the ticks of a multi-choice question."""
    from textual.widgets import Input

    from rls_screen.tui.dialogs.safe import find
    from rls_screen.tui.screens.question import QuestionScreen
    from rls_screen.tui.widgets.choices import ChoiceList

    walk = app.walk
    item = walk.current if walk is not None else None
    screen = next((s for s in app.screen_stack if isinstance(s, QuestionScreen)), None)
    if item is None or screen is None:
        return None
    value: Answer | None = None
    if item.kind == "text":
        box = find(screen, "#text-answer", Input)
        value = box.value.strip() if box is not None else None
    elif item.kind == "multi":
        choices = find(screen, "#choices", ChoiceList)
        value = choices.selection if choices is not None and choices.item is item else None
    return (item.id, value) if value else None


def on_screen_answers(app: RlsScreenApp) -> dict[str, Answer]:
    from rls_screen.core.answers import check_answers
    from rls_screen.core.engine import effective_answers

    walk = app.walk
    assert walk is not None
    answers = dict(walk.answers)
    try:
        pending = pending_answer(app)
        if pending is not None:
            item_id, value = pending
            raw = list(value) if isinstance(value, tuple) else value
            given = {**answers, **check_answers({item_id: raw}, walk.bank, "answer")}
            answers = dict(effective_answers(walk.bank, given))
    except Exception:  # a pending answer that is not valid: the given ones still go
        pass
    return answers


def save_on_screen(app: RlsScreenApp) -> None:
    """Hand the answers on screen to the draft writer (the app waits for it as it closes,
    however it ends). Never raises: the app is already failing."""
    try:
        walk, drafts = app.walk, app.drafts
        if walk is None or drafts is None or app.saved or not drafts.enabled:
            return
        answers = on_screen_answers(app)
        if not answers:
            return
        current = walk.current
        app.writer().save(drafts, answers, current.id if current is not None else None)
        app.kept_on_failure = drafts
    except Exception:
        app.kept_on_failure = None


def kept_at(app: RlsScreenApp) -> Path | None:
    """Where the answers are, now that the draft writer has finished (None: not kept)."""
    drafts, writer = app.kept_on_failure, app.draft_writer
    # lock_lost, not may_write(): the lock is released as the app closes, before this
    # is asked; a save refused because another window took over set lock_lost then.
    if drafts is None or writer is None or writer.busy or not drafts.enabled or drafts.lock_lost:
        return None
    path = drafts.path
    return path if path.is_file() else None


def alert_lines(alert: Report) -> list[str]:
    """A warning sign in the words its dialog showed, one line to a paragraph."""

    def flat(text: str) -> str:
        return " ".join(text.split())

    lines = [flat(alert.title)]
    for number, block in enumerate(alert.blocks):
        if number:  # the first block's heading is the title
            lines.append(flat(block.heading))
        lines += [flat(p) for p in block.paragraphs]
        for entry in block.entries:
            lines.append(f"- {flat(entry.name)}: {flat(entry.text)}" if entry.text else entry.name)
        lines += [flat(p) for p in block.footer]
    return lines


def failure_lines(app: RlsScreenApp) -> list[str]:
    lines = [app.failure_line(kept_at(app))]
    if app.is_web:  # stderr is the server's console, not the person's screen
        return lines
    alerts: list[Report] = []
    for alert in app.shown_alerts:
        if alert not in alerts:
            alerts.append(alert)
    for alert in alerts:
        lines += ["", ui("tui.failed.again"), *app.alert_lines(alert)]
    return lines


def print_lines(lines: list[str]) -> None:
    """Plain lines on stderr, in any encoding (a character it cannot hold becomes "?")."""
    stream = sys.stderr
    if stream is None:
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    with contextlib.suppress(OSError, ValueError):
        for line in lines:
            stream.write(line.encode(encoding, "replace").decode(encoding) + "\n")
        stream.flush()
