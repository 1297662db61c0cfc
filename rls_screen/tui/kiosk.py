"""Kiosk mode: the questionnaire on a clinic's shared terminal.

One patient after another: at the end their answers and the clinician summary go to
the save folder, they see their own summary (unless turned off), and the app returns to
the welcome screen with nothing of them left in memory or on screen. Nothing here
browses the folder. Patients cannot quit: "q" starts over instead; staff leave with
Ctrl+X pressed three times within two seconds (documented only in ``kiosk --help``).
"""

from __future__ import annotations

import time
from pathlib import Path

from textual import events
from textual.binding import Binding

from rls_screen.tui.app import RlsScreenApp
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.screens.welcome import WelcomeScreen
from rls_screen.welcome import WelcomeText, read_welcome

KEYS = (
    "Keys: Enter to choose, arrow keys to move, 1-9 to pick an option, "
    "Space to tick, Left or Backspace to go back, S to skip, F1 or ? for help, "
    "V on the review to finish, Q to clear your answers and start over. "
    "The mouse works too."
)

LEAVE_PRESSES = 3
LEAVE_WINDOW = 2.0  # seconds


class KioskApp(RlsScreenApp):
    # The palette offers "Quit" and screenshots to anyone: not on a shared terminal.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+x", "leave_kiosk", show=False, priority=True, system=True),
        # Where the app leaves, the kiosk starts over (asking first).
        Binding("ctrl+q", "clear_answers", show=False, priority=True),
        Binding("ctrl+c", "clear_answers", show=False),
    ]

    def __init__(
        self,
        *,
        save_dir: Path,
        patient_summary: bool = True,
        idle_reset: float = 120.0,
        questions_dir: Path | None = None,
        region: str | None = None,
    ) -> None:
        from rls_screen.kiosk import draft_folder

        super().__init__(
            questions_dir=questions_dir,
            autosave=True,
            draft_dir=draft_folder(save_dir),
            region=region,
        )
        self.save_dir = save_dir
        self.patient_summary = patient_summary
        self.idle_reset = idle_reset
        self.last_input = time.monotonic()
        self.leave_presses: list[float] = []
        self.records_saved = 0

    def welcome_screen(self, welcome: WelcomeText | None = None) -> WelcomeScreen:
        return WelcomeScreen(welcome or read_welcome(self.questions_dir), self.privacy_note(), KEYS)

    def privacy_note(self) -> str:
        return (
            "When you finish, your answers are saved on this computer for the clinic team. "
            "They are cleared from this screen before the next person starts."
        )

    # --- who is at the keyboard ---------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown):
            self.last_input = time.monotonic()
        await super().on_event(event)

    def idle_for(self) -> float:
        return time.monotonic() - self.last_input

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
        if self.walk is None:
            from rls_screen.drafts import Drafts

            # A draft here means the kiosk stopped mid-patient: go on with that patient.
            draft = Drafts(self.bank, folder=self.draft_dir).load()
            if draft is not None and draft[0]:
                self.initial_answers = draft[0]
                self.notify("Going on from where the questions stopped.", timeout=4)
        super().start_questions()

    def show_summary(self) -> None:
        """Ask first: saving hands the record to the clinic, and a key pressed again and
        again must never do that (the focus starts on "Not yet")."""
        if isinstance(self.screen, ConfirmDialog):
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                self.submit()

        self.push_screen(
            ConfirmDialog(
                "Are you done?",
                "Your answers will be saved on this computer for the clinic team. "
                "After that you cannot change them here.",
                yes="Yes, save my answers",
                no="Not yet",
            ),
            chosen,
        )

    def submit(self) -> None:
        from rls_screen.errors import InputError
        from rls_screen.kiosk import save_record

        walk = self.walk
        assert walk is not None
        try:
            save_record(self.save_dir, self.bank, walk.answers)
        except InputError as exc:
            self.could_not_save(str(exc))
            return
        except Exception as exc:  # never end on a crash screen that shows a patient's data
            self.could_not_save(type(exc).__name__)
            return
        self.records_saved += 1
        self.saved = True
        if self.drafts is not None:
            self.drafts.delete()
        walk.position = len(walk.items)
        from rls_screen.tui.screens.kiosk import KioskSummaryScreen, ThankYouScreen

        if self.patient_summary:
            from rls_screen.report import summary_markdown

            summary = summary_markdown(self.bank, walk.answers, self.region)
            self.show_page(KioskSummaryScreen(summary))
        else:
            self.show_page(ThankYouScreen())

    def could_not_save(self, reason: str) -> None:
        def chosen(again: bool | None) -> None:
            if again:
                self.submit()

        self.push_screen(
            ConfirmDialog(
                "Your answers could not be saved",
                f"Please tell the staff. Your answers are still here. ({reason})",
                yes="Try again",
                no="Back to my answers",
            ),
            chosen,
        )

    def next_patient(self) -> None:
        """Back to the welcome screen with nothing of the last person left."""
        self.walk = None
        self.initial_answers = None
        self.drafts = None
        self.editing = False
        self.saved = False
        self.clear_notifications()
        self.show_welcome()
        if "question" in self._installed_screens:
            # Its widgets still hold the last question and answer: build a new one.
            self.call_after_refresh(self.uninstall_screen, "question")
        self.last_input = time.monotonic()

    # --- start over and leaving ---------------------------------------------------

    def action_clear_answers(self) -> None:
        if isinstance(self.screen, ConfirmDialog) or not (self.walk and self.walk.answers):
            return

        def chosen(yes: bool | None) -> None:
            if yes:
                if self.drafts is not None:
                    self.drafts.delete()
                self.next_patient()

        self.push_screen(
            ConfirmDialog(
                "Start over?",
                "This clears all your answers. Nothing is sent to the clinic team.",
                yes="Clear my answers",
                no="Keep going",
            ),
            chosen,
        )

    def action_leave_kiosk(self) -> None:
        now = time.monotonic()
        self.leave_presses = [t for t in self.leave_presses if now - t < LEAVE_WINDOW]
        self.leave_presses.append(now)
        if len(self.leave_presses) >= LEAVE_PRESSES:
            self.exit()


def run(args) -> int:
    from rls_screen.kiosk import check_folder

    save_dir = check_folder(Path(args.save_dir))
    app = KioskApp(
        save_dir=save_dir,
        patient_summary=not args.no_patient_summary,
        idle_reset=args.idle_reset,
        region=args.region,
    )
    app.run()
    return app.return_code or 0
