"""The Textual app: a thin face over the walk-through, the rules and the reports.

``make_app`` builds the app for the CLI and the tests alike. No rule and no clinical text
lives here: questions, help and summary come from the bank.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen

from rls_screen.core.texts import ui
from rls_screen.core.welcome import WelcomeText, read_welcome
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    from rich.console import RenderableType

    from rls_screen.core.answers import Answer, Answers
    from rls_screen.core.bank import Bank
    from rls_screen.core.walk import Walkthrough
    from rls_screen.interop.draft_lock import DraftLock
    from rls_screen.interop.drafts import Drafts, DraftWriter
    from rls_screen.reports.diary import Diary
    from rls_screen.reports.summary import Report
    from rls_screen.session.flow import DraftOffer, Session, Step

# Only what the welcome screen needs is imported at start-up. The bank (pydantic), the
# question, review and summary screens (Markdown) load after the first screen is drawn.


class RlsScreenApp(App[None]):
    # Absolute, so that subclasses defined elsewhere (tests, benchmarks) find it too.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "rls-screen"
    BINDINGS = [
        Binding(
            "ctrl+q",
            "request_quit",
            ui("tui.keys.quit"),
            id="quit",
            show=False,
            priority=True,
            tooltip=ui("tui.keys.quit_tip"),
        ),
        Binding(
            "ctrl+c",
            "request_quit",
            ui("tui.keys.quit"),
            id="quit-ctrl-c",
            show=False,
            tooltip=ui("tui.keys.quit_tip"),
        ),
    ]
    # The smallest size the screens are laid out at. A smaller window (10 columns, or
    # 20x5) crashed Textual while it wrapped text at width 0; now it shows the top left
    # of the screen at this size, and the whole of it again once the window is larger.
    MIN_SIZE = Size(30, 8)

    def _at_least(self, size: Size) -> Size:
        least = self.MIN_SIZE
        return Size(max(size.width, least.width), max(size.height, least.height))

    @property
    def size(self) -> Size:
        return self._at_least(super().size)

    def _check_resize(self) -> None:
        event = self._resize_event  # what the screens get: never below MIN_SIZE
        if event is not None and self._at_least(event.size) != event.size:
            size = self._at_least(event.size)
            self._resize_event = events.Resize(size, size, pixel_size=event.pixel_size)
        super()._check_resize()
        if self.too_small:
            # Drawn again at every resize: a terminal may clear or reflow what it held.
            self.show_small_window(again=True)
        elif self.small_window is not None and self._screen_stack:
            self.screen.refresh()  # drawn whole again by _display

    # --- a window below MIN_SIZE ----------------------------------------------------
    # It shows one line, "make the window larger", over the whole window, and takes no
    # keys but these. Nothing else changes: the screens, the focus and the answers stay
    # as they are, laid out at MIN_SIZE, and are drawn again once the window is larger.
    SMALL_WINDOW_KEYS: frozenset[str] = frozenset({"ctrl+q", "ctrl+c"})
    # The rows on show while the window is too small (None: the app is on show).
    small_window: list[str] | None = None

    @property
    def window_size(self) -> Size:
        """The terminal's own size (``size``, what the screens get, is at least MIN_SIZE)."""
        return super().size

    @property
    def too_small(self) -> bool:
        size, least = self.window_size, self.MIN_SIZE
        return size.width < least.width or size.height < least.height

    def show_small_window(self, again: bool = False) -> None:
        from rls_screen.tui.fallback import rows_sequence, small_window_rows

        size = self.window_size
        rows = small_window_rows(size.width, size.height)
        if rows == self.small_window and not again:
            return
        self.small_window = rows
        driver = self._driver
        if self._running and not self._closed and not self.is_headless and driver is not None:
            driver.write(rows_sequence(rows))
            driver.flush()

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        if self.too_small:
            self.show_small_window()
            return
        if self.small_window is not None:  # larger again: the whole screen, as it was
            if screen._compositor.size != self.size:
                # Still laid out at MIN_SIZE (its Resize can come late, or be lost when
                # two arrive at once): laid out at the size it has now, which draws it.
                screen._refresh_layout(self.size)
                return
            self.small_window = None
            renderable = screen._compositor.render_update(
                full=True, screen_stack=self._background_screens
            )
        super()._display(screen, renderable)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.InputEvent | events.Paste):
            if not self._screen_stacks.get(self._current_mode):
                # A key back from a widget after the screens went (a quit in a burst):
                # Textual would look for a screen's bindings (ScreenStackError).
                return
            if (
                self.too_small
                and not event.is_forwarded
                and not (isinstance(event, events.Key) and event.key in self.SMALL_WINDOW_KEYS)
            ):
                return  # a key or click on a screen that cannot be seen
        await super().on_event(event)

    # How long leaving waits, at most, for the last answer to reach the draft (None: the
    # drafts' own FLUSH_SECONDS).
    DRAFT_FLUSH_SECONDS: float | None = None

    def __init__(
        self,
        *,
        questions_dir: Path | None = None,
        answers: Answers | None = None,
        autosave: bool = True,
        draft_dir: Path | None = None,
        save_folder: Path | None = None,
        region: str | None = None,
    ) -> None:
        super().__init__()
        from rls_screen.tui.themes import readable_themes

        for theme in readable_themes():
            self.register_theme(theme)
        self.questions_dir = questions_dir
        # ISO 3166 code for the crisis numbers of the summary; None: generic wording.
        self.region = region
        self.initial_answers = answers
        self.autosave_on = autosave
        self.draft_dir = draft_dir
        # Writes the drafts off the UI thread (made with the first draft).
        self.draft_writer: DraftWriter | None = None
        # Lines for stderr once the app has closed the terminal (never health data).
        self.exit_lines: list[str] = []
        self.save_folder = save_folder
        # This person's session (session.flow): the walk, the draft, what was shown and
        # saved. Made when the bank has loaded (the draft is offered then), or at Start.
        self.session: Session | None = None
        self.save_choice = ("markdown", "patient")
        # The file given with --resume, if any (a draft then asks which to keep).
        self.resume_source: str | None = None
        self.draft_checked = False
        self.offer_decided = False
        # The lock beside the draft: one window writes it at a time (see ask_about_lock).
        self.draft_lock: DraftLock | None = None
        self.lock_settled = False
        self.read_only = False  # another window holds the lock: nothing is written
        self.lock_lost_told = False

    # --- the session's state, as the screens, the kiosk and the last resort read it --

    @property
    def walk(self) -> Walkthrough | None:
        return self.session.walk if self.session is not None else None

    @property
    def drafts(self) -> Drafts | None:
        """Where this person's answers in progress go (None: nowhere, or read-only)."""
        session = self.session
        if session is None or session.read_only:
            return None
        return session.drafts

    @property
    def saved(self) -> bool:
        """A file was saved (the kiosk: the record handed in) since the last change."""
        return self.session is not None and self.session.saved

    @saved.setter
    def saved(self, value: bool) -> None:
        if self.session is not None:
            self.session.saved = value

    @property
    def editing(self) -> bool:
        return self.session is not None and self.session.editing

    @editing.setter
    def editing(self, value: bool) -> None:
        if self.session is not None:
            self.session.editing = value

    @property
    def shown_alerts(self) -> list[Report]:
        """The warning signs shown to this person (printed again if the app fails)."""
        return self.session.shown_alerts if self.session is not None else []

    @property
    def summary_half_way(self) -> bool:
        """Whether the summary on show was opened with questions left (its draft kept)."""
        return self.session is not None and self.session.half_way

    # --- start-up -------------------------------------------------------------------

    def _fatal_error(self) -> None:
        # Textual's crash report lists each frame's local variables, and here those can
        # be answers: health data on a shared screen, or in a log that keeps stderr. The
        # same report, without them. (Overrides Textual's own, pinned at 8.2.8.)
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        report = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()

    # --- the last resort (issue 19; rls_screen/tui/fallback.py) ----------------------

    failed = False
    # The draft the answers on screen went to as the app failed (None: not kept).
    kept_on_failure: Drafts | None = None

    def _handle_exception(self, error: Exception) -> None:
        # Textual ends the app on any exception that reaches it: the answers on screen go
        # to the draft first (the draft writer is waited for as the app closes).
        if not self.failed:
            self.failed = True
            from rls_screen.tui.fallback import save_on_screen

            save_on_screen(self)
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        # The terminal is back: after Textual's report (without locals), where the answers
        # are, and the words of each warning sign shown, as plain lines.
        super()._print_error_renderables()
        if self.failed:
            from rls_screen.tui.fallback import failure_lines, print_lines

            print_lines(failure_lines(self))
            self.failed = False  # told once

    def failure_line(self, kept: Path | None) -> str:
        walk = self.walk
        if kept is not None:
            line = ui("tui.failed.kept", path=kept)
        elif walk is not None and walk.answers and not self.saved:
            line = ui("tui.failed.not_kept")
        else:
            line = ui("tui.failed.stopped")
        return f"rls-screen: {line}"

    def alert_lines(self, alert: Report) -> list[str]:
        from rls_screen.tui.fallback import alert_lines

        return alert_lines(alert)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        # Textual's "Screenshot" writes what is on screen (answers, the summary) as an
        # SVG readable by everyone, into ~/Downloads: not for health data. Saving goes
        # through the save dialog, which writes owner-only files.
        for command in super().get_system_commands(screen):
            if "screenshot" not in command.title.lower():
                yield command

    def action_screenshot(self, *args: object, **kwargs: object) -> None:
        """Disabled for the same reason (a key binding or a script could call it)."""

    def deliver_screenshot(self, *args: object, **kwargs: object) -> None:
        """Disabled for the same reason."""

    def get_default_screen(self) -> Screen[None]:
        # The welcome is the first screen itself, at the bottom of the screen stack: no
        # empty default screen is made and drawn before it. Pages go on top of it.
        welcome = read_welcome(self.questions_dir)
        self.sub_title = welcome.title
        return self.welcome_screen(welcome)

    def show_page(self, page: Screen[None] | str) -> None:
        """Show a page (question, review, summary) in place of the one on show; the first
        page goes on top of the welcome."""
        if len(self.screen_stack) > 1:
            self.switch_screen(page)
        else:
            self.push_screen(page)

    def show_welcome(self) -> None:
        """Back to the welcome at the bottom of the stack; the pages above it go."""
        while len(self.screen_stack) > 1:
            self.pop_screen()

    # Set by run(): SIGTERM and SIGHUP end the app as a quit does (the last answer
    # written, the draft's lock released), not the process outright.
    exit_on_signals = False

    def catch_signals(self) -> None:
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.exit, None, 128 + signum)

    def on_ready(self) -> None:
        if self.exit_on_signals:
            self.catch_signals()
        # The first screen is going out to the terminal. Once it has been drawn, load the
        # rest while the person reads it: started now, the loading thread would compete
        # with the drawing for the interpreter.
        self.call_after_refresh(self.set_timer, 0.05, self.load_rest_in_background)

    @work(thread=True, exclusive=True, group="bank")
    def load_rest_in_background(self) -> None:
        import rls_screen.tui.screens.question
        import rls_screen.tui.screens.review
        import rls_screen.tui.screens.summary  # noqa: F401

        self.bank  # noqa: B018 - loads and caches the bank
        # A draft from last time is offered on the welcome before Start is pressed.
        self.call_from_thread(self.offer_draft)

    @property
    def bank(self) -> Bank:
        from rls_screen.core.bank import load_bank

        return load_bank(self.questions_dir)

    def welcome_screen(self, welcome: WelcomeText | None = None) -> WelcomeScreen:
        return WelcomeScreen(welcome or read_welcome(self.questions_dir), self.privacy_note())

    def privacy_note(self) -> str:
        if not self.autosave_on:
            return ui("tui.welcome.privacy_no_autosave")
        from rls_screen.core.locations import default_draft_dir

        folder = self.draft_dir or default_draft_dir()
        return ui("tui.welcome.privacy", folder=folder)

    def start_questions(self) -> None:
        if self.walk is None:
            if self.offer_draft():  # the welcome shows a choice first
                return
            self.begin()
            return
        self.show_page("question")

    # --- a draft from last time -----------------------------------------------------

    def find_draft(self) -> DraftOffer | None:
        """The draft from last time, read once. One that cannot be read is moved aside
        (never overwritten) and the person is told where it went."""
        offer = self.offered_session().draft_offer()
        if not self.draft_checked:
            self.draft_checked = True
            moved = self.offered_session().moved_aside
            if moved is not None:
                self.notify(ui("tui.draft.unreadable", path=moved), severity="warning", timeout=12)
        return offer

    def offer_draft(self) -> bool:
        """Offer the draft on the welcome screen, before anything starts: Enter picks it
        up; starting again takes a choice and a confirmation. With --resume FILE too,
        the person picks which to go on with. False when there is nothing to offer."""
        if self.offer_decided:
            return False
        if self.ask_about_lock():  # another window has the questions open: asked first
            return True
        if not isinstance(self.screen, WelcomeScreen):
            return False
        offer = self.find_draft()
        if offer is None:
            return False
        if offer.with_file:
            self.screen.show_offer(
                ui("tui.draft.offer_with_file", file=self.resume_source, count=offer.count),
                resume=ui("tui.draft.resume_kept"),
                other=ui("tui.draft.resume_file"),
            )
        else:
            self.screen.show_offer(
                ui("tui.draft.offer", count=offer.count),
                resume=ui("tui.draft.resume"),
                other=ui("tui.draft.start_again"),
            )
        return True

    # --- one window at a time (the lock beside the draft) -------------------------

    def ask_about_lock(self) -> bool:
        """Take the draft's lock before the draft is offered. With the questions open in
        another (live) window, ask first: open read-only, take over, or quit. True while
        the person is asked. A lock left by a process that has gone is taken silently."""
        if not self.autosave_on or self.lock_settled:
            return False
        from rls_screen.session.lock import draft_lock
        from rls_screen.tui.dialogs.lock import LockDialog

        if self.draft_lock is None:
            self.draft_lock = draft_lock(self.draft_dir)
        try:
            taken = self.draft_lock.acquire()
        except OSError:  # no lock to be had: the draft's own write says what is wrong
            self.draft_lock, taken = None, True
        if taken:
            self.lock_settled = True
            return False
        if not any(isinstance(screen, LockDialog) for screen in self.screen_stack):
            self.push_screen(LockDialog(), self.lock_chosen)
        return True

    def lock_chosen(self, choice: str | None) -> None:
        from rls_screen.tui.dialogs.lock import READ_ONLY, TAKE_OVER

        lock = self.draft_lock
        if choice == READ_ONLY:  # the lock stays the other window's: nothing is written
            self.read_only = self.lock_settled = True
            self.notify(ui("tui.lock.read_only_note"), timeout=15)
        elif choice == TAKE_OVER and lock is not None:
            try:
                self.lock_settled = lock.acquire(take_over=True)
            except OSError:
                self.draft_lock, self.lock_settled = None, True
        else:
            self.draft_lock = None  # the other window's lock is left as it is
            self.exit()
            return
        self.offer_draft()

    def draft_lock_lost(self, drafts: Drafts) -> None:
        """On the draft writer's thread: another window took the draft's lock over, and
        this save was not written. Told on the UI thread."""
        self.call_from_thread(self.tell_lock_lost, drafts)

    def tell_lock_lost(self, drafts: Drafts) -> None:
        """Once, kindly: this window no longer saves the answers (the other one does)."""
        drafts.enabled = False
        if drafts is self.drafts and not self.lock_lost_told:
            self.lock_lost_told = True
            self.notify(ui("tui.lock.lost"), severity="warning", timeout=30)

    @property
    def keeps_nothing(self) -> bool:
        """This window keeps no answers: read-only, or the lock taken over (said above
        every question from then on)."""
        return self.read_only or self.lock_lost_told

    def release_lock(self) -> None:
        """On every way out, so that the next start is not asked needlessly; a lock taken
        over by another window is left to it."""
        if self.draft_lock is not None:
            with contextlib.suppress(OSError):
                self.draft_lock.release()

    def resume_draft(self) -> None:
        from rls_screen.session.flow import DRAFT

        self.offer_decided = True
        self.begin(DRAFT)  # with no draft after all: the file's answers, if any

    def decline_draft(self) -> None:
        """The other choice at the offer: the file opened, or (after a confirmation)
        starting again without the draft."""
        from rls_screen.session.flow import FILE, NEW

        if self.read_only:  # the draft is the other window's, and stays: nothing to ask
            self.begin(FILE if self.resume_source is not None else NEW)
            return
        if self.resume_source is not None:
            self.confirm_file_over_draft()
            return
        self.ask(
            ui("tui.draft.discard.title"),
            ui("tui.draft.discard.body"),
            ui("tui.draft.discard.yes"),
            ui("tui.draft.discard.no"),
            then=lambda: self.begin(NEW),
        )

    def confirm_file_over_draft(self) -> None:
        """--resume FILE, and the person picked the file: the draft is deleted only
        after a yes; a no leaves the offer (and the draft) as it was."""
        from rls_screen.session.flow import FILE

        def replace() -> None:
            if not self.offer_decided:
                self.begin(FILE)

        self.ask(
            ui("tui.draft.replace.title"),
            ui("tui.draft.replace.body", file=self.resume_source),
            ui("tui.draft.replace.yes"),
            ui("tui.draft.replace.no"),
            then=replace,
        )

    def new_drafts(self) -> Drafts | None:
        """Where this person's answers in progress are kept (None: autosave is off)."""
        from rls_screen.session.flow import open_drafts

        if not self.autosave_on:
            return None
        # The lock is checked before every write.
        return open_drafts(self.bank, self.draft_dir, lock=self.draft_lock)

    def new_session(self) -> Session:
        from rls_screen.session.flow import Session

        drafts = self.new_drafts()
        writer = self.writer() if drafts is not None else None
        session = Session(
            self.bank, self.region, drafts, writer, self.initial_answers, self.resume_source
        )
        session.read_only = self.read_only
        session.flush_seconds = self.flush_seconds()
        session.on_save_error = self.autosave_failed
        return session

    def offered_session(self) -> Session:
        """The session the draft is offered from: made once the bank has loaded."""
        if self.session is None:
            self.session = self.new_session()
        return self.session

    def begin(self, choice: str | None = None, answers: Answers | None = None) -> None:
        """Start the walk (``session.flow.Session.begin``: the draft, the --resume file,
        or nothing; ``answers`` in place of the file's): at the draft's question if it
        is shown, else at the first question without an answer."""
        from rls_screen.tui.screens.question import QuestionScreen

        self.offer_decided = True
        welcome = self.screen_stack[0] if self.screen_stack else None
        if isinstance(welcome, WelcomeScreen):
            welcome.hide_offer()
        session = self.session
        if session is None or session.walk is not None:  # a walk of its own each time
            session = self.session = self.new_session()
        if answers is not None:
            session.initial_answers = answers
        session.read_only = self.read_only
        if "question" not in self._installed_screens:
            self.install_screen(QuestionScreen(), name="question")
        self.draw(session.begin(choice))

    def draw(self, step: Step) -> None:
        """Show what the session says comes next."""
        from rls_screen.session.flow import ALERT, REVIEW

        if step.kind == ALERT and step.alert is not None:
            self.show_alert(step.item_id or "", step.alert)
        elif step.kind == REVIEW:
            self.show_review()
        else:
            self.refresh_question()

    def ask(
        self,
        title: str,
        body: str,
        yes: str,
        no: str,
        then: Callable[[], object],
        otherwise: Callable[[], object] | None = None,
    ) -> None:
        """Confirm, then act: ``then`` after a yes, ``otherwise`` (if given) after a no
        or Escape."""

        def chosen(answer: bool | None) -> None:
            if answer:
                then()
            elif otherwise is not None:
                otherwise()

        self.push_screen(ConfirmDialog(title, body, yes=yes, no=no), chosen)

    # --- answering ------------------------------------------------------------------

    def taking_answers(self) -> bool:
        """Whether a walk is on to answer, move through or change (the kiosk: not once the
        record is handed in). Every way of changing it asks this first."""
        return self.session is not None and self.session.walk is not None

    def answer(self, item_id: str, value: Answer | None) -> None:
        session = self.session
        if session is None or not self.taking_answers():
            return
        step = session.answer(item_id, value)
        self.tell_removed()
        self.draw(step)

    def tell_removed(self) -> None:
        """How many answers the last change removed (their questions no longer apply)."""
        removed = self.session.removed if self.session is not None else []
        if len(removed) == 1:
            self.notify(ui("tui.question.removed_one"), timeout=6)
        elif removed:
            self.notify(ui("tui.question.removed_many", count=len(removed)), timeout=6)

    def show_alert(self, item_id: str, alert: Report) -> None:
        """A warning sign: what to do now, at once; then on with the questions. (The
        kiosk also tells the patient to tell staff, and alerts them.)"""
        from rls_screen.tui.dialogs.red_flag import RedFlagDialog

        self.push_screen(RedFlagDialog(alert), lambda choice: self.after_alert(item_id, choice))

    def after_alert(self, item_id: str, choice: str | None) -> None:
        """The warning sign's dialog closed: on with the questions, or, when the person
        chose the wrong answer, back to that question with the answer cleared. (An alert
        a kiosk already wrote stays written for staff.)"""
        from rls_screen.tui.dialogs.red_flag import WRONG_ANSWER

        session = self.session
        if session is None or not self.taking_answers():
            return
        wrong = choice == WRONG_ANSWER and item_id in self.bank.items
        if not wrong:
            self.move_on(item_id)
            return
        step = session.after_alert(item_id, wrong_answer=True)
        self.draw(step)
        self.notify(ui("tui.red_flag.cleared"), timeout=4)

    def skip_current(self) -> None:
        """Skip: move on. An answer already given is kept, so pressing S again and again
        never throws answers away (a skipped warning question still shows its alert)."""
        walk = self.walk
        if self.session is None or walk is None or walk.current is None:
            return
        if self.taking_answers():
            self.draw(self.session.skip())

    def move_on(self, answered: str) -> None:
        if self.session is not None and self.taking_answers():
            self.draw(self.session.move_on(answered))

    def refresh_question(self) -> None:
        from rls_screen.tui.screens.question import QuestionScreen

        screen = self.screen
        if isinstance(screen, QuestionScreen):
            screen.show_current()
        else:
            self.show_page("question")

    def go_back(self) -> None:
        session = self.session
        if session is None or not self.taking_answers():
            return
        from rls_screen.tui.screens.question import QuestionScreen

        if session.back():
            self.refresh_question()
        elif not isinstance(self.screen, QuestionScreen):
            self.show_page("question")
        else:
            self.notify(ui("tui.question.first"), timeout=3)

    def leave_review(self) -> None:
        """Back from the review: to the question the person was on, or the last one."""
        if self.walk is None or not self.taking_answers():
            return
        if self.walk.finished:
            self.go_back()
        else:
            self.show_page("question")

    def edit(self, item_id: str) -> None:
        if self.session is None or not self.taking_answers() or item_id not in self.bank.items:
            return
        self.session.edit(item_id)
        self.show_page("question")

    def writer(self) -> DraftWriter:
        if self.draft_writer is None:
            from rls_screen.session.flow import draft_writer

            self.draft_writer = draft_writer(
                on_error=self.draft_not_saved, on_lock_lost=self.draft_lock_lost
            )
        return self.draft_writer

    def draft_not_saved(self, drafts: Drafts, exc: Exception) -> None:
        """On the draft writer's thread: a draft could not be written. Told on the UI
        thread (not at all if the app has closed)."""
        self.call_from_thread(self.autosave_failed, drafts, exc)

    def autosave_failed(self, drafts: Drafts, exc: Exception) -> None:
        drafts.enabled = False
        if drafts is self.drafts:  # not a kiosk patient who has gone
            self.notify(ui("tui.draft.autosave_failed", error=exc), severity="warning")

    # --- review and summary ---------------------------------------------------------

    def show_review(self) -> None:
        if not self.taking_answers():
            return
        self.editing = False
        self.show_page(self.review_screen())

    def review_screen(self) -> Screen[None]:
        from rls_screen.tui.screens.review import ReviewScreen

        return ReviewScreen()

    def show_summary(self) -> None:
        from rls_screen.reports.summary import summary_markdown
        from rls_screen.tui.screens.summary import SummaryScreen

        session = self.session
        assert session is not None and session.walk is not None
        # Half-way (questions not reached yet), a look at the summary finishes nothing:
        # the draft stays, and the person is told how many questions are left.
        left = session.look_at_summary()
        if left == 1:
            self.notify(ui("tui.summary.left_one"), timeout=10)
        elif left:
            self.notify(ui("tui.summary.left_many", count=left), timeout=10)
        walk = session.walk
        markdown = summary_markdown(self.bank, walk.answers, self.region, self.diary)
        self.show_page(SummaryScreen(markdown, diary_offer=self.diary_offer()))

    # --- the person's own symptom diary (issue 22) ------------------------------------
    # The summary offers to include it when the diary (rls-screen diary) has nights;
    # once included, the summary, its copy and its saved files all show it.
    OFFERS_DIARY = True  # not in the kiosk: a shared terminal holds no one's diary
    diary: Diary | None = None
    diary_path: Path | None = None  # None: the data folder's diary

    def own_diary_path(self) -> Path:
        from rls_screen.interop.diary_store import default_diary_path

        return self.diary_path or default_diary_path()

    def diary_offer(self) -> int:
        """How many nights the person's diary holds, to offer it (0: nothing to offer).
        A diary that does not exist is never made here."""
        if not self.OFFERS_DIARY or self.is_web or self.diary is not None:
            return 0
        path = self.own_diary_path()
        if not path.is_file():
            return 0
        from rls_screen.interop.diary_store import DiaryStore

        try:
            with DiaryStore.open(path) as store:
                return store.count()
        except Exception:  # a diary that cannot be read is not offered
            return 0

    def include_diary(self) -> str | None:
        """Read the diary into the summary; its Markdown, or None if it failed."""
        from rls_screen.core.errors import one_line
        from rls_screen.interop.diary_store import DiaryStore
        from rls_screen.reports.diary import Diary
        from rls_screen.reports.summary import summary_markdown

        assert self.walk is not None
        try:
            with DiaryStore.open(self.own_diary_path()) as store:
                self.diary = Diary.of(store.nights())
        except Exception as exc:  # one line; the summary stays as it was
            self.notify(ui("diary.tui.store_failed", error=one_line(str(exc))), severity="error")
            return None
        return summary_markdown(self.bank, self.walk.answers, self.region, self.diary)

    def summary_text(self) -> str:
        from rls_screen.reports.summary import summary_text

        assert self.walk is not None
        return summary_text(self.bank, self.walk.answers, self.region, self.diary)

    def open_save_dialog(self) -> None:
        from rls_screen.session.flow import save_folder
        from rls_screen.tui.dialogs.save import SaveDialog

        # In a browser the browser downloads the file: only a name is asked for. A
        # folder that does not exist is not offered: the home folder is (as --plain).
        folder = None if self.is_web else save_folder(self.save_folder)

        def saved(path: Path | None) -> None:
            if path is not None:
                self.saved = True
                title = ui("tui.save.saved_title")
                if self.is_web:
                    self.notify(ui("tui.save.downloading", path=path), title=title, timeout=6)
                else:
                    self.notify(ui("tui.save.saved_to", path=path), title=title, timeout=6)

        def remember(fmt: str, audience: str) -> None:
            self.save_choice = (fmt, audience)  # offered again next time, this session

        fmt, audience = self.save_choice
        self.push_screen(SaveDialog(folder, self.write_export, fmt, audience, remember), saved)

    def write_export(self, fmt: str, path: Path) -> Path:
        """The file ``fmt`` (which may carry its audience: ``clinician:html``), written
        by the session (an answer file with its ``meta``; the doctor's page with its
        header), or downloaded by the browser under ``serve``."""
        session = self.session
        assert session is not None and session.walk is not None
        if self.is_web:
            # In a browser the file is downloaded by the browser, not written here.
            text = session.export(fmt, name=path.name, diary=self.diary)
            self.deliver_text(io.StringIO(text), save_filename=path.name)
            return Path(path.name)
        return session.save(path, fmt, diary=self.diary)

    def delete_draft(self) -> None:
        """Delete this person's draft: after any save of it still being written, so that
        no save can bring it back."""
        if self.session is not None:
            self.session.delete_draft()

    # --- leaving --------------------------------------------------------------------

    def flush_seconds(self) -> float:
        from rls_screen.session.flow import flush_seconds

        return flush_seconds() if self.DRAFT_FLUSH_SECONDS is None else self.DRAFT_FLUSH_SECONDS

    def on_unmount(self) -> None:
        """However the app ends (a quit key or dialog, ``exit``, a crash, a kiosk staff
        exit), the last answer is on disk before it does: wait for the draft writer, for
        a few seconds at most, and say so in one line if that was not enough."""
        writer = self.draft_writer
        if writer is not None:
            seconds = self.flush_seconds()
            if not writer.close(seconds):
                self.exit_line(ui("drafts.flush_late", seconds=seconds))
        self.release_lock()  # after the last answer is written

    def exit_line(self, line: str) -> None:
        """One line for stderr, once the app has given the terminal back."""
        self.exit_lines.append(line)

    def action_command_palette(self) -> None:
        """Textual's command palette, in a form a burst of keys cannot crash."""
        from textual.command import CommandPalette

        from rls_screen.tui.dialogs.palette import SafeCommandPalette

        # Not while one is anywhere in the stack (under a dialog) or still closing: its
        # id is still taken, and a second one would end the app (DuplicateIds).
        there = any(isinstance(s, CommandPalette) for s in self.screen_stack) or any(
            child.id == "--command-palette" for child in self._nodes
        )
        if self.use_command_palette and not there:
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def action_start_over(self) -> None:
        def start_over() -> None:
            if self.session is not None and self.session.walk is not None:
                self.session.start_over()
                self.show_welcome()

        self.ask(
            ui("tui.start_over.title"),
            ui("tui.start_over.body"),
            ui("tui.start_over.yes"),
            ui("tui.start_over.no"),
            then=start_over,
        )

    def on_summary(self) -> bool:
        return self.screen.id == "summary"

    def answers_at_risk(self) -> bool:
        """Whether quitting now would lose answers the person has not kept."""
        session = self.session
        return session is not None and session.answers_at_risk(self.on_summary())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_answers":  # the kiosk's "q"; here "q" leaves
            return False
        return super().check_action(action, parameters)

    async def action_quit(self) -> None:
        """Textual's own quit (the command palette's "Quit", "as soon as possible")
        asks first, as every other way out does, when answers would be lost."""
        self.action_request_quit()

    def action_request_quit(self) -> None:
        if isinstance(self.screen, ConfirmDialog):
            return
        if not (self.walk and self.walk.answers):
            self.exit()
            return
        if self.answers_at_risk():
            if self.on_summary():
                body = ui("tui.leave.unsaved_summary")
            elif self.keeps_nothing:  # the other window keeps its own
                body = ui("tui.lock.leave")
            else:
                body = ui("tui.leave.no_autosave")
        elif self.saved:  # the draft went when the summary was shown
            body = ui("tui.leave.saved")
        else:
            body = ui("tui.leave.drafted")
        self.ask(ui("tui.leave.title"), body, ui("tui.leave.yes"), ui("tui.leave.no"), self.exit)


def make_app(
    *,
    questions_dir: Path | None = None,
    answers: Answers | None = None,
    autosave: bool = True,
    draft_dir: Path | None = None,
    save_folder: Path | None = None,
    region: str | None = None,
) -> RlsScreenApp:
    """Build the app. The CLI, the tests and the snapshot apps all come through here."""
    return RlsScreenApp(
        questions_dir=questions_dir,
        answers=answers,
        autosave=autosave,
        draft_dir=draft_dir,
        save_folder=save_folder,
        region=region,
    )


def run(args: argparse.Namespace, answers: Answers | None = None) -> int:
    from rls_screen.core.crisis import resolve_region

    region = resolve_region(getattr(args, "region", None))
    app = make_app(answers=answers, autosave=not args.no_autosave, region=region)
    if answers is not None:
        from rls_screen.core.errors import show_name

        app.resume_source = show_name(args.resume, 60)
    app.exit_on_signals = True
    try:
        app.run()
    finally:
        app.release_lock()  # however the app ended
    for line in app.exit_lines:
        print(f"rls-screen: {line}", file=sys.stderr)
    return app.return_code or 0
