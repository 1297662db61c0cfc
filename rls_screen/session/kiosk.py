"""The kiosk's rules, one patient after another, without a face: a record per patient
(its id carried by the draft and the alert file), the alert file at a warning sign (and
the clinic's own command), the partial record kept after a warning sign when the answers
are cleared, the patient leaves or staff exit, handing the record in, and the idle reset.

The terminal kiosk (``tui.kiosk``) composes these rules with the shared session
(``session.flow``). Every line for staff goes to ``problem`` (never health data).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rls_screen.core.answers import Answer
from rls_screen.core.bank import Bank
from rls_screen.core.decisions import merge_alerts
from rls_screen.core.engine import Result
from rls_screen.core.errors import InputError
from rls_screen.core.texts import ui
from rls_screen.interop import records
from rls_screen.interop.drafts import Drafts

if TYPE_CHECKING:
    from rls_screen.interop.draft_lock import DraftLock

# What the idle check asks the face to do (Kiosk.when_idle).
STILL_THERE = "still_there"  # ask "Still there?", then clear the answers
NEXT_PATIENT = "next_patient"  # the answers are handed in: only the screen to clear


def reason(exc: BaseException) -> str:
    """A failure in one line for staff: an InputError's own words, else its kind."""
    return str(exc) if isinstance(exc, InputError) else type(exc).__name__


class Kiosk:
    """One save folder's records, one patient at a time."""

    def __init__(
        self,
        save_dir: Path,
        bank: Callable[[], Bank],
        problem: Callable[[str], None],
        region: str | None = None,
        on_alert: list[str] | None = None,
        idle_reset: float = 120.0,
    ) -> None:
        self.save_dir = save_dir
        self.bank = bank  # the bank loads after the first screen: asked when needed
        self.problem = problem
        self.region = region
        self.on_alert = on_alert
        self.idle_reset = idle_reset
        self.record_id: str | None = None
        # The warning signs already reported for this patient, and how urgent.
        self.alerted: tuple[list[str], list[str], str] | None = None
        self.alert_commands: list[subprocess.Popen[bytes]] = []
        # False when a draft left by the last run could not be set aside: never written
        # over, so no drafts this run.
        self.drafting = True

    @property
    def draft_folder(self) -> Path:
        return records.draft_folder(self.save_dir)

    def set_aside(self) -> None:
        """At start: a record left by a crash or a staff exit is set aside for staff, so
        that the next patient neither sees it nor writes over it."""
        try:
            records.set_aside_draft(self.save_dir)
        except OSError as exc:
            self.drafting = False
            self.problem(
                ui(
                    "tui.kiosk.problems.no_set_aside",
                    folder=self.draft_folder,
                    error=exc.strerror or exc,
                )
            )

    # --- one patient --------------------------------------------------------------

    def new_patient(self) -> None:
        """A record of their own: its id goes into the draft and any alert file."""
        self.record_id = records.record_id()
        self.alerted = None

    def forget(self) -> None:
        """Nothing of the last patient is kept."""
        self.record_id = None
        self.alerted = None

    def drafts(self) -> Drafts | None:
        """Where this patient's answers in progress go (None: no drafts this run)."""
        if not self.drafting or self.record_id is None:
            return None
        return records.KioskDrafts(self.bank(), self.draft_folder, self.record_id)

    def hand_in(self, answers: Mapping[str, Answer]) -> None:
        """The record (answers and the clinician summary) to the save folder. Raises
        InputError, or any error writing it: the face asks to try again."""
        records.save_record(
            self.save_dir, self.bank(), answers, rid=self.record_id, region=self.region
        )

    # --- warning signs ------------------------------------------------------------

    def report_alert(self, result: Result) -> Path | None:
        """Tell staff at once: the alert file (what this patient raised so far), then the
        clinic's command, without waiting for it. Never raises: the patient is shown the
        sign whatever happens here. The alert file's path (None: not written)."""
        if self.record_id is None:
            self.record_id = records.record_id()
        try:
            # Once told, staff keep being told: the core adds this result to what they were.
            self.alerted = flags, unsure, urgency = merge_alerts(self.alerted, result)
            path = records.write_alert(self.save_dir, self.record_id, flags, unsure, urgency)
        except Exception as exc:
            self.problem(
                ui(
                    "tui.kiosk.problems.alert_not_written",
                    record=self.record_id,
                    reason=reason(exc),
                )
            )
            return None
        if self.on_alert is not None:
            try:
                self.alert_commands.append(records.start_alert_command(self.on_alert, path))
            except (OSError, ValueError) as exc:
                why = getattr(exc, "strerror", None) or type(exc).__name__
                self.problem(
                    ui("tui.kiosk.problems.alert_not_started", record=self.record_id, reason=why)
                )
        return path

    def check_alert_commands(self) -> None:
        """A clinic's command that ended badly: one line for staff."""
        for command in list(self.alert_commands):
            code = command.poll()
            if code is None:
                continue
            self.alert_commands.remove(command)
            if code != 0:
                self.problem(ui("tui.kiosk.problems.alert_failed", code=code))

    def keep_partial(self, answers: Mapping[str, Answer], handed_in: bool) -> bool:
        """After a warning sign, the answers so far kept as ``<id>.partial.json`` beside
        the alert file (staff were told, and the alert names this record): when they are
        cleared, the patient leaves or staff exit. True when kept."""
        if self.alerted is None or self.record_id is None or handed_in:
            return False
        try:
            records.save_partial(self.save_dir, self.bank(), answers, self.record_id)
        except Exception as exc:  # the screen is cleared for the next person whatever happens
            self.problem(
                ui(
                    "tui.kiosk.problems.partial_not_written",
                    record=self.record_id,
                    reason=reason(exc),
                )
            )
            return False
        return True

    # --- left alone ----------------------------------------------------------------

    def when_idle(self, idle_for: float, begun: bool, handed_in: bool) -> str | None:
        """What a quiet kiosk does now: nothing (someone is there, or nothing to clear
        on the welcome), the next patient's welcome once the record is handed in, or
        "Still there?" before the answers are cleared."""
        if not begun or idle_for < self.idle_reset:
            return None
        return NEXT_PATIENT if handed_in else STILL_THERE

    # --- the records waiting for staff (the welcome's Ctrl+X) --------------------

    def set_aside_unreadable(self) -> list[str]:
        """Every waiting record that cannot be read, moved out of the waiting place for
        staff to look at: one line for staff each."""
        return records.set_aside_unreadable(self.save_dir)

    def waiting_records(self) -> list[Path]:
        """The unfinished records waiting for staff, oldest first."""
        return records.waiting_records(self.save_dir)

    def waiting_saved(self, record: Path) -> str | None:
        """When a waiting record was last saved, for staff; no answers."""
        return records.waiting_saved(record)

    def keep_waiting(self, record: Path) -> Path:
        """A waiting record kept as a partial record in the save folder, for staff.
        Raises InputError or OSError."""
        return records.keep_partial(self.save_dir, self.bank(), record)

    def waiting_alert(self, record: Path) -> Path | None:
        """The alert file of a waiting record's patient, or None; never raises."""
        return records.waiting_alert(self.save_dir, record)


# --- the save folder, before any kiosk starts ------------------------------------------


def check_folder(folder: Path) -> Path:
    """The save folder, created (owner-only) if its parent exists; one clear line
    (InputError) if it cannot be used."""
    return records.check_folder(folder)


def draft_folder(save_dir: Path) -> Path:
    """Where the kiosk keeps the patient's draft and its lock, in the save folder."""
    return records.draft_folder(save_dir)


def split_command(text: str) -> list[str]:
    """``--on-alert``: split as a shell would, without a shell. Raises ValueError."""
    return records.split_command(text)


def kiosk_lock(save_dir: Path) -> DraftLock:
    """One kiosk per save folder: two would write one draft, and the second's start
    would set aside the first one's patient as a record left unfinished. A lock left by
    a kiosk that has gone is taken silently. Raises InputError (one line) otherwise."""
    from rls_screen.session.lock import draft_lock

    lock = draft_lock(records.draft_folder(save_dir))
    try:
        taken = lock.acquire()
    except OSError:
        return lock  # unheld: set_aside_draft says what is wrong with the folder
    if not taken:
        raise InputError(ui("tui.lock.kiosk_in_use", folder=save_dir))
    return lock
