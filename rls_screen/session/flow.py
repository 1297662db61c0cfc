"""One person's session, the same for every face: the draft offered at the start, each
answer and skip, the warning signs and "I chose the wrong answer", changes from the
review and the follow-up question they open, the summary half-way or at the end, saving
a file, and when leaving puts answers at risk.

The faces (the terminal app, the kiosk, ``--plain``) only draw what a ``Step`` says
comes next and read keys. No I/O of its own but through ``interop.drafts`` and
``interop.files``.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from rls_screen.core.answers import Answer, Answers, dumps_document
from rls_screen.core.bank import Bank
from rls_screen.core.walk import Walkthrough
from rls_screen.interop.drafts import FLUSH_SECONDS, Drafts, DraftWriter
from rls_screen.interop.files import write_private
from rls_screen.reports.summary import Report, alert_for

if TYPE_CHECKING:
    from rls_screen.reports.diary import Diary

# What a face draws next (Step.kind).
QUESTION = "question"  # the walk's current question (Step.item_id)
ALERT = "alert"  # a warning sign (Step.alert), raised by the answer to Step.item_id
REVIEW = "review"  # every question is behind: the review

# The person's choice at the start (Session.begin).
DRAFT = "draft"  # go on with the draft from last time
FILE = "file"  # the file given with --resume (the draft is deleted)
NEW = "new"  # start again without the draft (the draft is deleted)


@dataclass(frozen=True)
class Step:
    """What the face shows next."""

    kind: str
    item_id: str | None = None
    alert: Report | None = None


@dataclass(frozen=True)
class DraftOffer:
    """A draft from last time, to offer before anything starts."""

    count: int  # answers in it
    with_file: bool  # a --resume file was given too: the choice is the draft or the file


def save_folder(chosen: Path | None = None) -> Path:
    """Where a file is saved unless the person names another place, in every face: the
    folder chosen (a test's, the app's), else the documents folder; the home folder
    when that does not exist."""
    from rls_screen.reports.exports import default_folder

    folder = chosen if chosen is not None else default_folder()
    return folder if folder.is_dir() else Path.home()


def save_meta(via: str) -> dict[str, str]:
    """What a saved answer file says about itself: when, and which face saved it."""
    return {"saved": datetime.now(UTC).isoformat(timespec="seconds"), "via": via}


class Session:
    """One person's way through the questions, with their draft.

    ``drafts`` is where the answers in progress are kept (None: autosave is off);
    ``writer`` writes them off the face's thread (None: written at once). With
    ``read_only`` (another window holds the draft's lock) the draft is read, never
    written nor deleted.
    """

    def __init__(
        self,
        bank: Bank,
        region: str | None = None,
        drafts: Drafts | None = None,
        writer: DraftWriter | None = None,
        initial_answers: Mapping[str, Answer] | None = None,
        resume_source: str | None = None,
        via: str = "rls-screen",
    ) -> None:
        self.bank = bank
        self.region = region
        self.drafts = drafts
        self.writer = writer
        self.initial_answers = initial_answers
        self.resume_source = resume_source
        self.via = via
        self.read_only = False
        self.flush_seconds = FLUSH_SECONDS
        # Told when an autosave fails (autosave is then off); it never stops the person.
        self.on_save_error: Callable[[Drafts, Exception], None] | None = None
        # None until begin(): nothing asked yet.
        self.walk: Walkthrough | None = None
        self.editing = False  # a change made from the review
        self.saved = False  # a file was saved since the last change
        # The summary on show was opened with questions left (its draft kept).
        self.half_way = False
        # The warning signs shown to this person (the last resort prints them again).
        self.shown_alerts: list[Report] = []
        # The ids of the answers the last change removed (their questions went away).
        self.removed: list[str] = []
        self._draft_read = False
        self._draft: tuple[Answers, str | None] | None = None

    # --- the start ----------------------------------------------------------------

    @property
    def moved_aside(self) -> Path | None:
        """Where a draft that could not be read was set aside (None: it was not)."""
        return self.drafts.moved_aside if self.drafts is not None else None

    def draft(self) -> tuple[Answers, str | None] | None:
        """The draft from last time (answers, the question it stopped at), read once;
        None when there is none, or it holds no answer."""
        if not self._draft_read:
            self._draft_read = True
            found = self.drafts.load() if self.drafts is not None else None
            self._draft = found if found and found[0] else None
        return self._draft

    def draft_offer(self) -> DraftOffer | None:
        """What to offer before the questions start, or None: nothing to offer."""
        draft = self.draft()
        if draft is None:
            return None
        return DraftOffer(len(draft[0]), self.resume_source is not None)

    def begin(self, choice: str | None = None) -> Step:
        """Start the walk: with the draft (``DRAFT``), the --resume file (``FILE``) or
        nothing (``NEW``), the draft deleted for the last two; with no choice (nothing
        was offered), the --resume file's answers if one was given. It picks up at the
        draft's question, else the first unanswered one, else the review."""
        answers: Mapping[str, Answer] | None = self.initial_answers
        position = None
        draft = self.draft() if choice == DRAFT else None
        if draft is not None:
            answers, position = draft
        elif choice in (FILE, NEW):
            self.delete_draft()
            if choice == NEW:
                answers = None
        self.walk = Walkthrough(self.bank, answers)
        self.editing = self.saved = self.half_way = False
        self.shown_alerts = []
        self.removed = []
        self.walk.resume(position)
        return self.here()

    def start_over(self) -> None:
        """Every answer goes, and the draft with them."""
        walk = self.started
        walk.restart()
        self.editing = self.saved = self.half_way = False
        self.shown_alerts = []
        self.removed = []
        self.delete_draft()

    @property
    def started(self) -> Walkthrough:
        if self.walk is None:
            raise RuntimeError("the session has not begun")
        return self.walk

    # --- where the walk is --------------------------------------------------------

    def here(self) -> Step:
        """The question the walk is on, or the review once every question is behind
        (after a change from the review too: ``review``)."""
        current = self.started.current
        if current is None:
            return Step(REVIEW)
        return Step(QUESTION, current.id)

    def reached(self, item_id: str) -> bool:
        """Whether the person has come to ``item_id`` already and it is still asked:
        its page may be shown again (a back link, the browser's Back)."""
        walk = self.started
        item = self.bank.items.get(item_id)
        if item is None or not walk.is_shown(item):
            return False
        return walk.index_of(item_id) <= walk.furthest

    def before(self, item_id: str) -> str | None:
        """The question asked before ``item_id`` with the answers as they are (where a
        back link goes), or None: it is the first."""
        walk = self.started
        position = walk.index_of(item_id)
        earlier = [item.id for item in walk.shown_items() if walk.index_of(item.id) < position]
        return earlier[-1] if earlier else None

    # --- answering ----------------------------------------------------------------

    def answer(self, item_id: str, value: Answer | list[str] | None) -> Step:
        """Set (None: clear) an answer; ``removed`` lists what it took away. A warning
        sign comes first; otherwise on to the next question."""
        walk = self.started
        self.removed = walk.answer(item_id, value)
        self.saved = False
        return self.alert_or_move_on(item_id)

    def skip(self) -> Step:
        """Move on from the current question. An answer already given is kept, so that
        skipping again and again throws nothing away; a warning question skipped still
        shows its alert (crisis support after the question about safety, answered or
        not; a warning sign answered before)."""
        walk = self.started
        item = walk.current
        if item is None:
            return Step(REVIEW)
        self.removed = []
        if item.id not in walk.answers:
            self.removed = walk.answer(item.id, None)
        return self.alert_or_move_on(item.id)

    def alert_or_move_on(self, item_id: str) -> Step:
        walk = self.started
        alert = alert_for(walk, item_id, self.region)
        if alert is None:
            return self.move_on(item_id)
        self.shown_alerts.append(alert)
        self.autosave()
        return Step(ALERT, item_id, alert)

    def after_alert(self, item_id: str, wrong_answer: bool = False) -> Step:
        """The warning sign was read: on with the questions; or, when the person chose
        the wrong answer, back to that question with the answer cleared (and the sign
        not counted as shown)."""
        walk = self.started
        if not wrong_answer or item_id not in self.bank.items:
            return self.move_on(item_id)
        self.removed = walk.answer(item_id, None)
        self.saved = False
        if self.shown_alerts:
            self.shown_alerts.pop()
        if walk.is_shown(self.bank.items[item_id]):
            walk.go_to(item_id)
        self.autosave()
        return self.here()

    def move_on(self, answered: str) -> Step:
        """After ``answered``: the next question; after a change from the review, the
        follow-up question it opened, else the review again."""
        walk = self.started
        if self.editing:
            follow_up = walk.follow_up(answered)
            if follow_up is None:
                step = self.review()
                self.autosave()
                return step
            walk.go_to(follow_up)
        else:
            walk.advance()
        self.autosave()
        if walk.finished:
            self.editing = False
        return self.here()

    def back(self) -> bool:
        """Back to the previous shown question; False when already at the first."""
        self.editing = False
        return self.started.back()

    def edit(self, item_id: str) -> Step:
        """Change an answer from the review: that question, then back to the review
        (by way of the follow-up question the change opens, if any)."""
        self.started.go_to(item_id)
        self.editing = True
        return self.here()

    def review(self) -> Step:
        """Back to the review, after a change from it (or a look at a question through a
        back link): no longer editing, and once every question has been behind the walk
        is put behind its last again, so that ``here`` says the review. (A review opened
        half-way leaves the walk on the question the person was on.)"""
        walk = self.started
        self.editing = False
        if walk.all_reached:
            walk.finish()
        return Step(REVIEW)

    # --- the summary and saving -----------------------------------------------------

    def look_at_summary(self) -> int:
        """The summary is about to be shown: how many questions are left. Half-way (some
        left) it finishes nothing and the draft stays; with none left the walk ends and
        the draft is deleted."""
        walk = self.started
        left = len(walk.unreached())
        self.half_way = bool(left)
        if not left:
            walk.finish()
            self.delete_draft()
        return left

    def export(
        self,
        fmt: str,
        audience: str = "patient",
        name: str = "",
        diary: Diary | None = None,
    ) -> str:
        """A file's text: an answer file says when and by which face it was saved (its
        ``meta``); the doctor's page starts with the time and the file's ``name``."""
        from rls_screen.reports.exports import PageHeader, render_export, split_code

        answers = self.started.answers
        if split_code(fmt, audience)[0] == "answers":
            return dumps_document(answers, self.bank, save_meta(self.via))
        header = PageHeader(name, datetime.now().astimezone())
        return render_export(
            self.bank, answers, fmt, audience, self.region, diary=diary, header=header
        )

    def save(
        self, path: Path, fmt: str, audience: str = "patient", diary: Diary | None = None
    ) -> Path:
        """Write the file (owner-only, atomically); raises InputError as
        ``write_private`` does."""
        saved = write_private(path, self.export(fmt, audience, path.name, diary))
        self.saved = True
        return saved

    # --- the draft ----------------------------------------------------------------

    @property
    def drafting(self) -> bool:
        """Whether answers are being kept as a draft."""
        drafts = self.drafts
        return drafts is not None and drafts.enabled and not drafts.lock_lost and not self.read_only

    def autosave(self) -> Exception | None:
        """Keep the answers as they are now as the draft (through the writer, off the
        face's thread, when there is one). A failure turns autosave off and is returned
        (and handed to ``on_save_error``); it never stops the person."""
        walk, drafts = self.walk, self.drafts
        if walk is None or drafts is None or self.read_only:
            return None
        current = walk.current
        position = current.id if current else None
        try:
            if self.writer is not None:
                self.writer.save(drafts, walk.answers, position)
            else:
                drafts.save(walk.answers, position)
        except Exception as exc:  # a failing autosave must never stop the person
            drafts.enabled = False
            if self.on_save_error is not None:
                self.on_save_error(drafts, exc)
            return exc
        return None

    def delete_draft(self) -> None:
        """Delete the draft (never another window's): after any save of it still being
        written, so that no save brings it back."""
        drafts = self.drafts
        if drafts is None or self.read_only:
            return
        if self.writer is not None:
            self.writer.delete(drafts, self.flush_seconds)
        else:
            drafts.delete()

    # --- leaving ------------------------------------------------------------------

    def answers_at_risk(self, on_summary: bool) -> bool:
        """Whether leaving now loses answers the person has not kept: some answers, no
        file saved since, and either the finished summary on show (its draft is gone)
        or no draft kept."""
        walk = self.walk
        if walk is None or not walk.answers or self.saved:
            return False
        return (on_summary and not self.half_way) or not self.drafting


# --- what the faces make through the session, never from interop themselves ---------

if TYPE_CHECKING:
    from rls_screen.interop.draft_lock import DraftLock


def open_drafts(
    bank: Bank, folder: Path | None = None, enabled: bool = True, lock: DraftLock | None = None
) -> Drafts:
    """Where a person's answers in progress are kept: ``folder`` (None: the default draft
    folder), with the lock beside the draft (``session.lock``) checked before every
    write (None: no lock is kept)."""
    drafts = Drafts(bank, folder=folder, enabled=enabled)
    drafts.lock = lock
    return drafts


def draft_writer(
    on_error: Callable[[Drafts, Exception], None] | None = None,
    on_lock_lost: Callable[[Drafts], None] | None = None,
) -> DraftWriter:
    """The one background thread that writes a face's drafts (``Session.writer``); its
    callbacks run on that thread."""
    return DraftWriter(on_error=on_error, on_lock_lost=on_lock_lost)


def flush_seconds() -> float:
    """How long leaving waits, at most, for the last answer to reach the draft."""
    return FLUSH_SECONDS
