"""Kiosk mode: the questionnaire on a clinic's shared terminal.

One patient after another: at the end their answers and the clinician summary go to
the save folder, they see their own summary (unless turned off), and the app returns to
the welcome screen with nothing of them left in memory or on screen. Nothing here
browses the folder. Patients cannot quit: "q" starts over instead; staff leave with
Ctrl+X pressed three times within two seconds (documented only in ``kiosk --help``).

Left alone mid-patient, the kiosk asks "Still there?" and, after a countdown, clears the
answers for the next person. A warning sign tells the patient to tell staff, writes an
alert file at once and may run the clinic's own command. A record left unfinished by a
crash or a staff exit is set aside for staff (Ctrl+X on the welcome), never resumed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import ScreenStackError
from textual.binding import Binding
from textual.screen import Screen

from rls_screen.core.texts import ui
from rls_screen.core.welcome import WelcomeText, read_welcome, replace_point, replace_sentence
from rls_screen.tui.app import RlsScreenApp
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.screens.welcome import WelcomeScreen

if TYPE_CHECKING:
    import argparse

    from rls_screen.core.answers import Answers
    from rls_screen.interop.draft_lock import DraftLock
    from rls_screen.interop.drafts import Drafts
    from rls_screen.reports.summary import Report

KEYS = ui("tui.kiosk.keys_note")

STAFF_MESSAGE = ui("tui.kiosk.staff_message")
# Replaces a welcome point that says the answers stay here or go nowhere: in the kiosk
# they are saved for the clinic team.
KIOSK_POINT = ui("tui.kiosk.point")
_REPLACED_POINTS = (
    ui("tui.kiosk.replaced_point.sent"),
    ui("tui.kiosk.replaced_point.stay"),
    ui("tui.kiosk.replaced_point.stays"),
)

# Replaces the welcome lead's sentence that promises a summary to take away: the kiosk's
# patient leaves with nothing, and the clinic team talks the answers through.
KIOSK_LEAD = ui("tui.kiosk.welcome.lead")
_REPLACED_LEAD = (
    ui("tui.kiosk.replaced_lead.summary"),
    ui("tui.kiosk.replaced_lead.take"),
)

LEAVE_PRESSES = 3
LEAVE_WINDOW = 2.0  # seconds
PROG = ui("tui.kiosk.problems.prog")


def kiosk_lead(lead: str) -> str:
    """The welcome's lead, with the sentence that promises a summary to take away
    replaced by where the answers go in the kiosk (a lead without one is kept)."""
    return replace_sentence(lead, _REPLACED_LEAD, KIOSK_LEAD)


def kiosk_welcome(text: WelcomeText) -> WelcomeText:
    points = replace_point(text.points, _REPLACED_POINTS, KIOSK_POINT)
    return dataclasses.replace(text, lead=kiosk_lead(text.lead), points=tuple(points))


class KioskApp(RlsScreenApp):
    # The palette offers "Quit" and screenshots to anyone: not on a shared terminal.
    ENABLE_COMMAND_PALETTE = False
    OFFERS_DIARY = False  # a shared terminal holds no one's own diary (issue 22)
    BINDINGS = [
        Binding("ctrl+x", "leave_kiosk", show=False, priority=True, system=True),
        # Where the app leaves, the kiosk starts over (asking first).
        Binding("ctrl+q", "clear_answers", show=False, priority=True),
        # priority: the own-words box's Ctrl+C (copy) never wins over starting over.
        Binding("ctrl+c", "clear_answers", show=False, priority=True),
    ]
    # Staff can leave while the window is too small, as the patient can start over.
    SMALL_WINDOW_KEYS = frozenset({"ctrl+x", "ctrl+q", "ctrl+c"})
    # How long "Still there?" counts down before the answers are cleared.
    STILL_THERE_SECONDS: float = 30.0

    def __init__(
        self,
        *,
        save_dir: Path,
        patient_summary: bool = True,
        idle_reset: float = 120.0,
        questions_dir: Path | None = None,
        region: str | None = None,
        staff_message: str = STAFF_MESSAGE,
        on_alert: str | None = None,
    ) -> None:
        from rls_screen.session.kiosk import Kiosk, draft_folder, split_command

        super().__init__(
            questions_dir=questions_dir,
            autosave=True,
            draft_dir=draft_folder(save_dir),
            region=region,
        )
        self.save_dir = save_dir
        self.patient_summary = patient_summary
        self.staff_message = staff_message
        self.last_input = time.monotonic()
        self.leave_presses: list[float] = []
        self.problems: list[str] = []  # lines for staff (stderr), never health data
        self.deferred_problems: list[str] = []
        # The kiosk's rules (session.kiosk): a record per patient, the alert file, the
        # partial record, the idle reset.
        command = split_command(on_alert) if on_alert else None
        self.rules = Kiosk(save_dir, lambda: self.bank, self.problem, region, command, idle_reset)
        # A record left by a crash or a staff exit: set aside for staff before anyone
        # starts, so that the next patient neither sees it nor writes over it.
        self.rules.set_aside()

    # The rules' state, as the screens and the tests read it.

    @property
    def idle_reset(self) -> float:
        return self.rules.idle_reset

    @idle_reset.setter
    def idle_reset(self, seconds: float) -> None:
        self.rules.idle_reset = seconds

    @property
    def record_id(self) -> str | None:
        return self.rules.record_id

    @property
    def alerted(self) -> tuple[list[str], list[str], str] | None:
        return self.rules.alerted

    @property
    def alert_commands(self) -> list[subprocess.Popen[bytes]]:
        return self.rules.alert_commands

    def welcome_screen(self, welcome: WelcomeText | None = None) -> WelcomeScreen:
        from rls_screen.tui.screens.kiosk import KioskWelcomeScreen

        text = kiosk_welcome(welcome or read_welcome(self.questions_dir))
        return KioskWelcomeScreen(text, self.privacy_note(), KEYS)

    def privacy_note(self) -> str:
        return ui("tui.kiosk.privacy")

    def on_mount(self) -> None:
        tick = min(0.5, max(0.05, self.idle_reset / 5))
        self.set_interval(tick, self.check_quiet)
        self.clear_clipboard()

    # --- clipboards: nothing of one patient kept for the next ---------------------

    def copy_to_clipboard(self, text: str) -> None:
        """Copy (Ctrl+C in a box, a selection on screen) keeps nothing: in the app's
        clipboard the next patient would paste it, and the terminal's (OSC 52) is
        anyone's."""
        self._clipboard = ""

    @property
    def clipboard(self) -> str:
        return ""

    def clear_clipboard(self) -> None:
        """Empty the app's clipboard and ask the terminal to empty its own (an empty
        OSC 52), at every reset: words a patient copied some other way stay theirs."""
        self._clipboard = ""
        driver = self._driver
        if driver is None:
            return
        with contextlib.suppress(Exception):  # a terminal that is gone has nothing to clear
            driver.write("\x1b]52;c;\x07")

    # --- for staff: stderr, never the patient's screen ---------------------------

    def problem(self, line: str) -> None:
        """One line for staff on stderr. The kiosk draws on the terminal through stderr,
        so while it runs there the line waits until the kiosk closes."""
        line = f"{PROG}: {line}"
        self.problems.append(line)
        err = sys.__stderr__
        try:
            if err is not None and not err.isatty():
                print(line, file=err, flush=True)
                return
        except (OSError, ValueError):
            pass
        self.deferred_problems.append(line)

    def exit_line(self, line: str) -> None:
        self.problem(line)  # for staff, like every other line

    # --- who is at the keyboard ---------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        touched = (
            events.Key,
            events.MouseDown,
            events.MouseScrollDown,
            events.MouseScrollUp,
            events.Paste,
        )
        if isinstance(event, touched):
            self.last_input = time.monotonic()
            from rls_screen.tui.dialogs.kiosk_dialogs import StillThereDialog

            screen = self.screen if self.screen_stack else None
            if (
                isinstance(event, events.Key | events.MouseDown | events.Paste)
                and not event.is_forwarded
                and isinstance(screen, StillThereDialog)
            ):
                # Any key or click: the patient is there. The key does nothing else.
                screen.close(True)
                return
        await super().on_event(event)

    def idle_for(self) -> float:
        return time.monotonic() - self.last_input

    def check_quiet(self) -> None:
        from rls_screen.session.kiosk import NEXT_PATIENT, STILL_THERE

        self.rules.check_alert_commands()
        do = self.rules.when_idle(self.idle_for(), self.walk is not None, self.saved)
        if do == NEXT_PATIENT:  # the answers are saved: only the screen to clear
            self.next_patient()
        elif do == STILL_THERE:
            from rls_screen.tui.dialogs.kiosk_dialogs import StillThereDialog

            if not any(isinstance(s, StillThereDialog) for s in self.screen_stack):
                self.push_screen(StillThereDialog(self.STILL_THERE_SECONDS), self.still_there)

    def still_there(self, stay: bool | None) -> None:
        if stay is False:
            self.clear_for_next_person()
        else:
            self.last_input = time.monotonic()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "request_quit":  # patients cannot leave
            return False
        if action == "clear_answers":
            # Nothing to offer with nothing to clear, or once the answers are saved.
            return bool(self.walk and self.walk.answers and not self.saved)
        return super().check_action(action, parameters)

    # --- one patient --------------------------------------------------------------

    def offer_draft(self) -> bool:
        # A kiosk never offers anyone's answers on its welcome screen.
        return False

    def start_questions(self) -> None:
        # Never goes on from a draft: one found at start was set aside for staff.
        if self.walk is None:
            self.initial_answers = None
        super().start_questions()

    def new_drafts(self) -> Drafts | None:
        return self.rules.drafts()

    def begin(self, choice: str | None = None, answers: Answers | None = None) -> None:
        from rls_screen.tui.screens.kiosk import KioskQuestionScreen

        if "question" not in self._installed_screens:
            self.install_screen(KioskQuestionScreen(), name="question")
        self.rules.new_patient()  # before the drafts, which carry its record id
        self.clear_clipboard()
        super().begin(choice, answers)
        self.last_input = time.monotonic()

    def taking_answers(self) -> bool:
        # Between one patient and the next there is no walk, and once the record is
        # handed in nothing changes: screens still about to close may ask, and get nothing.
        return super().taking_answers() and not self.saved

    def review_screen(self) -> Screen[None]:
        from rls_screen.tui.screens.kiosk import KioskReviewScreen

        return KioskReviewScreen()

    def show_summary(self) -> None:
        """Ask first: saving hands the record to the clinic, and a key pressed again and
        again must never do that (the focus starts on "Not yet")."""
        if isinstance(self.screen, ConfirmDialog) or self.walk is None or self.saved:
            return

        if not self.walk.answers:
            self.confirm_empty_hand_in()
            return
        self.confirm_hand_in()

    def confirm_empty_hand_in(self) -> None:
        """No answers at all: say so, with the focus on going back. Handing in anyway
        still asks "Are you done?", so that one slip of the keys (Shift+Tab, Enter)
        never hands in an empty record."""
        self.ask(
            ui("tui.kiosk.done_empty.title"),
            ui("tui.kiosk.done_empty.body"),
            ui("tui.kiosk.done_empty.yes"),
            ui("tui.kiosk.done_empty.no"),
            then=self.confirm_hand_in,
            otherwise=self.leave_review,  # back to the questions
        )

    def confirm_hand_in(self) -> None:
        if isinstance(self.screen, ConfirmDialog) or not self.taking_answers():
            return
        self.ask(
            ui("tui.kiosk.done.title"),
            ui("tui.kiosk.done.body"),
            ui("tui.kiosk.done.yes"),
            ui("tui.kiosk.done.no"),
            then=self.submit,
        )

    def submit(self) -> None:
        from rls_screen.core.errors import InputError

        walk = self.walk
        if walk is None or self.saved:
            return
        try:
            self.rules.hand_in(walk.answers)
        except InputError as exc:
            self.could_not_save(str(exc))
            return
        except Exception as exc:  # never end on a crash screen that shows a patient's data
            self.could_not_save(type(exc).__name__)
            return
        self.saved = True
        self.clear_clipboard()
        self.delete_draft()
        walk.finish()
        from rls_screen.tui.screens.kiosk import KioskSummaryScreen, ThankYouScreen

        if self.patient_summary:
            from rls_screen.reports.clinic import in_the_clinic
            from rls_screen.reports.summary import build_report, render_markdown

            # The warning signs say "tell a member of staff now" here too.
            report = build_report(self.bank, walk.answers, self.region)
            report = in_the_clinic(report, self.bank.summary.urgency.urgent)
            self.show_page(KioskSummaryScreen(render_markdown(report)))
        else:
            self.show_page(ThankYouScreen())

    def could_not_save(self, reason: str) -> None:
        self.ask(
            ui("tui.kiosk.not_saved.title"),
            ui("tui.kiosk.not_saved.body", reason=reason),
            ui("tui.kiosk.not_saved.yes"),
            ui("tui.kiosk.not_saved.no"),
            then=self.submit,
        )

    def clear_for_next_person(self) -> None:
        """The answers go (the draft too), and the welcome waits for the next person.
        After a warning sign they are first kept as ``<id>.partial.json``: staff were
        told, and the alert file names this record."""
        self.keep_alerted()
        self.delete_draft()
        self.next_patient()

    def keep_alerted(self) -> bool:
        """After a warning sign, keep the patient's answers as ``<id>.partial.json``
        beside the alert file. True when kept."""
        walk = self.walk
        return walk is not None and self.rules.keep_partial(walk.answers, self.saved)

    def next_patient(self) -> None:
        """Back to the welcome screen with nothing of the last person left."""
        self.session = None  # the walk, the draft, what was shown: all of it goes
        self.initial_answers = None
        self.rules.forget()
        self.clear_clipboard()
        self.clear_notifications()
        self.show_welcome()
        # Its widgets still hold the last question and answer: the next patient gets a
        # new one. (Off the stack now, so it is dropped as it closes.)
        with contextlib.suppress(ScreenStackError):
            self.uninstall_screen("question")
        self.last_input = time.monotonic()

    # --- warning signs ------------------------------------------------------------

    def show_alert(self, item_id: str, alert: Report) -> None:
        """Tell the patient to tell staff, and tell staff: the alert file at once, and
        the clinic's command (without waiting for it)."""
        from rls_screen.tui.dialogs.kiosk_dialogs import KioskRedFlagDialog

        self.report_alert()
        self.push_screen(
            KioskRedFlagDialog(alert, self.staff_message, self.bank.summary.urgency.urgent),
            lambda choice: self.after_alert(item_id, choice),
        )

    def report_alert(self) -> None:
        if self.walk is not None:
            self.rules.report_alert(self.walk.result())

    def failure_line(self, kept: Path | None) -> str:
        """For staff: where the patient's answers are (the record waiting at the next
        start), after the app stopped on an error."""
        walk = self.walk
        if kept is not None:
            line = ui("tui.failed.kiosk_kept", path=kept)
        elif walk is not None and walk.answers and not self.saved:
            line = ui("tui.failed.kiosk_not_kept")
        else:
            line = ui("tui.failed.kiosk_stopped")
        return f"{PROG}: {line}"

    def alert_lines(self, alert: Report) -> list[str]:
        return [*super().alert_lines(alert), " ".join(self.staff_message.split())]

    # --- start over, staff and leaving --------------------------------------------

    def action_clear_answers(self) -> None:
        from rls_screen.tui.dialogs.kiosk_dialogs import StillThereDialog

        if isinstance(self.screen, ConfirmDialog | StillThereDialog) or not (
            self.walk and self.walk.answers and not self.saved
        ):
            return
        # After a warning sign staff were told: the answers given are kept for them.
        body = (
            ui("tui.kiosk.start_over.body_alerted")
            if self.alerted is not None
            else ui("tui.kiosk.start_over.body")
        )
        self.ask(
            ui("tui.kiosk.start_over.title"),
            body,
            ui("tui.kiosk.start_over.yes"),
            ui("tui.kiosk.start_over.no"),
            then=self.clear_for_next_person,
        )

    def waiting_records(self) -> list[Path]:
        """The records waiting for staff; one that cannot be read is first set aside
        (and staff told in one line), so that no screen ever opens it."""
        lines = self.rules.set_aside_unreadable()
        for line in lines:
            if f"{PROG}: {line}" not in self.problems:
                self.problem(line)
        if lines:  # the staff line may have counted it
            self.call_later(self.refresh_staff_line)
        return self.rules.waiting_records()

    def action_leave_kiosk(self) -> None:
        now = time.monotonic()
        self.leave_presses = [t for t in self.leave_presses if now - t < LEAVE_WINDOW]
        self.leave_presses.append(now)
        if len(self.leave_presses) >= LEAVE_PRESSES:
            # A patient who raised a warning sign: their record is kept at once under the
            # alert's id (an alert never stands alone), and no copy is left waiting.
            if self.keep_alerted():
                self.delete_draft()
            self.exit()
        elif (
            len(self.leave_presses) == 1
            and self.walk is None
            and isinstance(self.screen, WelcomeScreen)
            and self.waiting_records()
        ):
            self.open_staff_dialog()

    def open_staff_dialog(self) -> None:
        from rls_screen.tui.dialogs.kiosk_dialogs import StaffDialog

        waiting = self.waiting_records()
        if not waiting:
            return
        record = waiting[0]

        def chosen(choice: str | None) -> None:
            if choice == "keep":
                self.keep_waiting(record)
            elif choice == "discard":
                self.discard_waiting(record)

        self.push_screen(StaffDialog(len(waiting), self.rules.waiting_saved(record)), chosen)

    def keep_waiting(self, record: Path) -> None:
        try:
            kept = self.rules.keep_waiting(record)
        except Exception as exc:
            self.notify(ui("tui.kiosk.staff.not_kept", error=exc), severity="error")
            return
        self.notify(
            ui("tui.kiosk.staff.kept", file=kept.name),
            title=ui("tui.kiosk.staff.notice_title"),
            timeout=6,
        )
        self.refresh_staff_line()

    def discard_waiting(self, record: Path) -> None:
        # Its patient raised a warning sign: staff are told that the alert would be left
        # with no record (the default stays "Keep it waiting").
        alert = self.rules.waiting_alert(record)
        body = (
            ui("tui.kiosk.staff.confirm_discard.body_alerted", file=alert.name)
            if alert is not None
            else ui("tui.kiosk.staff.confirm_discard.body")
        )

        def discard() -> None:
            try:
                record.unlink(missing_ok=True)
            except OSError as exc:
                self.notify(
                    ui("tui.kiosk.staff.not_discarded", error=exc.strerror), severity="error"
                )
                return
            self.notify(
                ui("tui.kiosk.staff.discarded"),
                title=ui("tui.kiosk.staff.notice_title"),
                timeout=6,
            )
            self.refresh_staff_line()

        self.ask(
            ui("tui.kiosk.staff.confirm_discard.title"),
            body,
            ui("tui.kiosk.staff.confirm_discard.yes"),
            ui("tui.kiosk.staff.confirm_discard.no"),
            then=discard,
        )

    def refresh_staff_line(self) -> None:
        from rls_screen.tui.screens.kiosk import KioskWelcomeScreen

        welcome = self.screen_stack[0] if self.screen_stack else None
        if isinstance(welcome, KioskWelcomeScreen):
            welcome.refresh_staff_line()


def kiosk_lock(save_dir: Path) -> DraftLock:
    """One kiosk per save folder (``session.kiosk.kiosk_lock``). Raises InputError."""
    from rls_screen.session.kiosk import kiosk_lock as take

    return take(save_dir)


def run(args: argparse.Namespace) -> int:
    from rls_screen.session.kiosk import check_folder

    save_dir = check_folder(Path(args.save_dir))
    lock = kiosk_lock(save_dir)  # before the kiosk sets aside what it finds
    try:
        return run_kiosk(args, save_dir, lock)
    finally:
        lock.release()


def run_kiosk(args: argparse.Namespace, save_dir: Path, lock: DraftLock) -> int:
    app = KioskApp(
        save_dir=save_dir,
        patient_summary=not args.no_patient_summary,
        idle_reset=args.idle_reset,
        region=args.region,
        staff_message=getattr(args, "staff_message", None) or STAFF_MESSAGE,
        on_alert=getattr(args, "on_alert", None),
    )
    app.draft_lock = lock  # released when the app ends
    app.run()
    for line in app.deferred_problems:
        print(line, file=sys.stderr)
    return app.return_code or 0
