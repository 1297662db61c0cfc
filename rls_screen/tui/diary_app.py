"""`rls-screen diary`: the symptom diary in the terminal.

It opens on the right night (before 2 pm last night, after it tonight): a form of one
row per field, the list of nights to edit or to pick another, and the chart. Each saved
night is one write through `interop.diary_store`. The form is drawn first, its boxes
as one picture; once it is on screen the boxes come in the picture's place and the diary
(sqlite3 and the pydantic model) is read in a thread, as the questionnaire's bank is
(ARCHITECTURE.md, "Speed": tricks 8 and 9).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from rls_screen.core.texts import ui
from rls_screen.tui.screens.diary_form import DiaryFormScreen

if TYPE_CHECKING:
    from rls_screen.core.diary import Night


class DiaryApp(App[None]):
    CSS_PATH = [Path(__file__).with_name("app.tcss"), Path(__file__).with_name("diary.tcss")]
    TITLE = "rls-screen"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding(
            "ctrl+q",
            "request_quit",
            ui("tui.keys.quit"),
            id="quit",
            show=False,
            tooltip=ui("tui.keys.quit_tip"),
        ),
    ]

    def __init__(
        self,
        db: Path | None = None,
        *,
        now: dt.datetime | None = None,
        night: dt.date | None = None,
    ) -> None:
        super().__init__()
        from rls_screen.tui.themes import readable_themes

        for theme in readable_themes():
            self.register_theme(theme)
        self.db = db
        self.now = now
        self.first_night = night
        self.form = DiaryFormScreen()
        self.stored: dict[dt.date, Night] = {}
        self.ready = False

    @property
    def today(self) -> dt.date:
        return (self.now or dt.datetime.now()).date()

    def get_default_screen(self) -> DiaryFormScreen:
        return self.form  # the first screen, with no blank one under it

    # --- the diary ------------------------------------------------------------------

    def path(self) -> Path:
        if self.db is None:
            from rls_screen.interop.diary_store import default_diary_path

            self.db = default_diary_path()
        return self.db

    @work(thread=True, exit_on_error=False)
    def read_diary(self) -> None:
        from rls_screen.core.diary import night_for_now

        night = self.first_night or night_for_now(self.now or dt.datetime.now())
        nights = self.read_nights()
        self.call_from_thread(self.diary_read, night, nights)

    def read_nights(self) -> list[Night] | None:
        from rls_screen.interop.diary_store import DiaryStore

        try:
            with DiaryStore.open(self.path()) as store:
                if store.notice:  # an unreadable diary was moved aside: one line
                    self.call_from_thread(self.notify, store.notice, severity="warning", timeout=10)
                return store.nights()
        except Exception as exc:  # a database that cannot be read: one line, no traceback
            self.call_from_thread(self.store_failed, exc)
            return None

    def diary_read(self, night: dt.date, nights: list[Night] | None) -> None:
        self.stored = {entry.night: entry for entry in nights or ()}
        self.form.load(night, self.stored.get(night))
        self.ready = True

    def store_failed(self, exc: BaseException) -> None:
        from rls_screen.core.errors import one_line

        self.notify(
            ui("diary.tui.store_failed", error=one_line(str(exc))), severity="error", timeout=10
        )

    def save_night(self, raw: dict[str, object]) -> bool:
        """Write one night (replacing what was stored for it); False when it failed."""
        from rls_screen.core.diary import parse_night
        from rls_screen.interop.diary_store import DiaryStore

        night = parse_night(raw, today=self.today)
        try:
            with DiaryStore.open(self.path()) as store:
                store.put(night, replace=True)
        except Exception as exc:  # told in one line; the form keeps what was typed
            self.store_failed(exc)
            return False
        self.stored[night.night] = night
        return True

    # --- moving about ---------------------------------------------------------------

    def action_nights(self) -> None:
        from rls_screen.tui.screens.diary_nights import DiaryNightsScreen

        if not self.ready:
            return
        self.to_form()
        current = self.form.night or self.today
        self.push_screen(DiaryNightsScreen(self.today, list(self.stored.values()), current))

    def action_chart(self) -> None:
        from rls_screen.tui.screens.diary_chart import DiaryChartScreen

        if not self.ready:
            return
        self.to_form()
        nights = sorted(self.stored.values(), key=lambda entry: entry.night)
        self.push_screen(DiaryChartScreen(nights))

    def to_form(self) -> None:
        while self.screen is not self.form and len(self.screen_stack) > 1:
            self.pop_screen()

    def open_night(self, night: dt.date) -> None:
        """Show ``night`` in the form (asking first if the form has unsaved changes)."""

        def go(yes: bool | None = True) -> None:
            if yes:
                self.to_form()
                self.form.load(night, self.stored.get(night))

        if self.form.dirty and night != self.form.night:
            self.ask_unsaved(go)
        else:
            go()

    def ask_unsaved(self, then: Callable[[bool | None], None]) -> None:
        from rls_screen.tui.dialogs.confirm import ConfirmDialog

        self.push_screen(
            ConfirmDialog(
                ui("diary.tui.unsaved.title"),
                ui("diary.tui.unsaved.body"),
                ui("diary.tui.unsaved.yes"),
                ui("diary.tui.unsaved.no"),
            ),
            then,
        )

    def action_request_quit(self) -> None:
        def leave(yes: bool | None = True) -> None:
            if yes:
                self.exit()

        if self.form.dirty:
            self.ask_unsaved(leave)
        else:
            leave()


def run(args: argparse.Namespace) -> int:
    """The face of `rls-screen diary` (args.db: the database, None for the default;
    args.night, when given, the night to open: checked by the command)."""
    db = getattr(args, "db", None)
    night = getattr(args, "night", None)
    app = DiaryApp(
        Path(db) if db is not None else None,
        night=dt.date.fromisoformat(night) if isinstance(night, str) else night,
    )
    app.run()
    return 0
