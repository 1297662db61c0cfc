"""``rls-screen --plain``: the walk-through as plain lines, for screen readers, braille
displays and pipes.

One question at a time on stdout, answers from stdin. No full-screen drawing, no cursor
movement and never any colour, so every line can be read in order. The same
``Walkthrough`` as the TUI drives it, red flags use the summary's own texts, and it ends
with exactly what ``rls-screen score`` prints for the same answers.

Keys: a number or an answer code answers; several, separated by spaces or commas, for
"pick all that fit"; Enter alone moves on (the question stays unanswered, or keeps the
answer it already has); ``b`` goes back; ``?`` shows the help and the codes; ``q`` quits.

When stdin is a terminal:
- a saved draft is offered at the start ("Resume (r) or start over (s)?"), answers are
  saved as a draft after every answer unless ``--no-autosave``, and finishing deletes it;
- ``q`` asks before quitting; a red flag waits for Enter; at the end it offers to save
  the answer file (owner-only, written atomically);
- end of input (Ctrl-D) stops like a confirmed ``q``; Ctrl-C stops too (exit status 130).

``--resume FILE`` starts from a saved answer file instead of a draft, at its first
unanswered question; with autosave on, the draft then follows the new answers.

When stdin is not a terminal (answers piped in), nothing waits for a reply that is not
an answer, and nothing touches drafts:
- no resume question: it always starts fresh (or from ``--resume FILE``), because a
  script should never pick up a person's half-done draft, and it neither saves nor
  deletes a draft, because a script's answers are not a person's work in progress;
- ``q`` quits at once; a red flag prints its texts and goes straight on;
- each reply is echoed after its prompt, so the output reads as a transcript;
- at end of input the remaining questions count as skipped: it prints the summary and
  exits 0, without offering to save (``rls-screen score`` is the tool for files).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from rls_screen.core import vocab
from rls_screen.core.answers import Answer, dumps_document
from rls_screen.core.bank import Bank, Item, load_bank
from rls_screen.core.crisis import resolve_region
from rls_screen.core.errors import InputError, show_name
from rls_screen.core.walk import Walkthrough
from rls_screen.interop.drafts import Drafts
from rls_screen.interop.files import write_private
from rls_screen.interop.inputs import read_answer_file
from rls_screen.reports.summary import Report, alert_for, summary_text

SAVE_NAME = "rls-screen-answers.json"
SAVE_QUESTION = "Save your answers to a file, to look at later or show a doctor? (y/n) "
BACK, HELP, QUIT = "b", "?", "q"
REPLY_LIMIT = 10_000  # characters in one reply; the longest answer (own words) is 500

# UI wording only; every clinical text comes from the question bank.
KEYS = (
    "How to answer: type the number of your answer, then press Enter.",
    "Where you can pick more than one, type the numbers with spaces between them, like 1 3.",
    "Press Enter on an empty line to skip a question.",
    "Type b to go back, ? for help and answer codes, or q to quit.",
)


class EndOfInput(Exception):
    """stdin is closed: no more replies will come."""


class Stop(Exception):
    """The person chose to stop before the end."""


# --- replies -------------------------------------------------------------------------


def _number(token: str, item: Item) -> str | None:
    # ASCII digits only: int() refuses some characters that str.isdigit() accepts ("²").
    if token.isascii() and token.isdigit() and 1 <= int(token) <= len(item.options):
        return item.codes[int(token) - 1]
    return None


def _code(token: str, item: Item) -> str | None:
    token = token.lower()
    if token in item.code_set:
        return token
    return _number(token, item)


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


def parse_reply(item: Item, reply: str) -> Answer:
    """The answer a typed reply stands for. Raises ValueError with one kind line that
    says what is allowed."""
    if item.kind == "text":
        return reply.strip()  # checked by the walk-through, like any answer
    if item.kind == "multi":
        return _parse_multi(item, reply)
    text = reply.strip()
    code = _code(text, item)
    # A label typed out in full ("not sure") is as clear as its code.
    code = code or next((o.code for o in item.options if _same_words(o.label, text)), None)
    if code is None:
        raise ValueError(
            f"Please type a number from 1 to {len(item.options)}, or a code "
            "(type ? to see the codes). Enter alone skips."
        )
    return code


_MULTI_HELP = (
    "Please type numbers from 1 to {last} or codes, separated by spaces or commas "
    "(type ? to see the codes). Enter alone skips."
)


def _parse_multi(item: Item, reply: str) -> tuple[str, ...]:
    chosen: list[str] = []
    tokens = [token for token in re.split(r"[\s,;]+", reply) if token]
    if not tokens:
        raise ValueError(_MULTI_HELP.format(last=len(item.options)))
    for token in tokens:
        code = _code(token, item)
        if code is None:
            raise ValueError(_MULTI_HELP.format(last=len(item.options)))
        if code not in chosen:
            chosen.append(code)
    if vocab.NONE in chosen and len(chosen) > 1:
        raise ValueError(
            f'"{item.label(vocab.NONE)}" goes on its own. Please pick again: either it, '
            "or the others."
        )
    return tuple(code for code in item.codes if code in chosen)


def prompt_for(item: Item) -> str:
    if item.kind == "text":
        return f"Your words (up to {item.max_length} characters; Enter alone skips): "
    last = len(item.options)
    if item.kind == "single":
        return f"Your answer (a number from 1 to {last}, or a code): "
    none = (
        f"; {item.codes.index(vocab.NONE) + 1} only on its own"
        if vocab.NONE in item.code_set
        else ""
    )
    return (
        f"Your answers (numbers from 1 to {last} or codes, separated by spaces or commas{none}): "
    )


def _flat(text: str) -> str:
    """Bank texts are wrapped in TOML; plain lines let the terminal or reader wrap."""
    return " ".join(text.split())


# --- the console ---------------------------------------------------------------------


class Console:
    """Plain lines out, one reply per line in."""

    def __init__(self, inp: TextIO, out: TextIO, interactive: bool) -> None:
        self.inp = inp
        self.out = out
        self.interactive = interactive

    def say(self, *lines: str) -> None:
        for line in lines:
            self.out.write(line + "\n")

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def ask(self, prompt: str) -> str:
        """One reply, without its line end. Raises EndOfInput when stdin is closed."""
        self.out.write(prompt)
        self.out.flush()
        # Read with a bound: /dev/zero or a stream with no line end never fills memory.
        line = self.inp.readline(REPLY_LIMIT + 1)
        if not line:
            if not self.interactive:
                self.say("")
            raise EndOfInput
        if len(line) > REPLY_LIMIT:
            self.say("")
            raise InputError(
                f"standard input: a reply longer than {REPLY_LIMIT:,} characters; "
                "type a number, a code or a few words, then Enter"
            )
        reply = line.rstrip("\r\n")
        if not self.interactive:
            # Piped replies are not echoed by a terminal; show them for a readable log.
            self.say(reply)
        return reply

    def yes_no(self, prompt: str) -> bool:
        while True:
            reply = self.ask(prompt).strip().lower()
            if reply in ("y", "yes"):
                return True
            if reply in ("n", "no"):
                return False
            self.say("Please type y for yes or n for no.")


# --- the session ---------------------------------------------------------------------


class Session:
    def __init__(
        self,
        bank: Bank,
        console: Console,
        drafts: Drafts,
        autosave: bool,
        region: str | None = None,
    ) -> None:
        self.bank = bank
        self.region = region
        self.con = console
        self.drafts = drafts
        self.autosave = autosave
        self.walk = Walkthrough(bank)
        self._section = ""

    # --- the whole run -------------------------------------------------------------

    def run(self, resume: str | None) -> int:
        self.welcome()
        try:
            self.start(resume)
            self.ask_all()
        except (Stop, EndOfInput):
            self.stopped()
            return 0
        self.finish()
        return 0

    def welcome(self) -> None:
        welcome = self.bank.instrument.welcome
        self.con.say(self.bank.instrument.title, "", _flat(welcome.lead), "")
        self.con.say(*(f"- {_flat(point)}" for point in welcome.points))
        self.con.say("", *KEYS)
        if self.autosave:
            self.con.say("Your answers are saved as you go, so you can stop and come back.")

    def start(self, resume: str | None) -> None:
        draft = self.drafts.load() if self.autosave else None
        moved = self.drafts.moved_aside
        if moved is not None:
            self.con.say(
                "",
                f"Your saved answers from last time could not be read. "
                f"They were kept, unchanged, in {moved}.",
            )
        if draft is not None and not draft[0]:
            draft = None
        if resume is not None:
            answers = read_answer_file(resume, self.bank)
            if draft is not None and not self.ask_file_or_draft(resume, len(draft[0])):
                self.walk = Walkthrough(self.bank, draft[0])
                self.walk.resume(draft[1])
                return
            self.walk = Walkthrough(self.bank, answers)
            self.con.say(
                "", f"Going on from {show_name(resume)} ({len(self.walk.answers)} answers)."
            )
            self.walk.resume()
            return
        if draft is None:
            return
        answers, position = draft
        self.con.say("", f"You have a draft from last time with {len(answers)} answers.")
        if self.ask_resume():
            self.walk = Walkthrough(self.bank, answers)
            self.walk.resume(position)
        else:
            self.drafts.delete()

    def ask_file_or_draft(self, resume: str, count: int) -> bool:
        """--resume FILE while a draft is kept: which to go on with. True for the file.
        Enter alone keeps the draft, so nothing is lost by a key pressed too soon."""
        self.con.say(
            "",
            f"You opened {show_name(resume)}, and you also have a draft from last time "
            f"with {count} answers.",
        )
        while True:
            reply = (
                self.con.ask(
                    "Go on with the file (f) or with your draft (d)? Enter keeps the draft: "
                )
                .strip()
                .lower()
            )
            if reply in ("", "d", "draft"):
                return False
            if reply in ("f", "file"):
                return True
            self.con.say("Please type f for the file or d for your draft.")

    def ask_resume(self) -> bool:
        """Enter alone resumes; starting over takes a choice and a confirmation."""
        while True:
            reply = self.con.ask("Resume (r) or start over (s)? Enter resumes: ").strip().lower()
            if reply in ("", "r", "resume"):
                return True
            if reply in ("s", "start over"):
                if self.con.yes_no("This deletes your draft for good. Delete it? (y/n) "):
                    return False
                continue
            self.con.say("Please type r to resume or s to start over.")

    def ask_all(self) -> None:
        while not self.walk.finished:
            try:
                done = self.ask_current()
            except EndOfInput:
                if self.con.interactive:
                    raise
                self.walk.finish()  # piped: the questions left count as skipped
                return
            self.save_draft()
            if done is not None:
                alert = alert_for(self.walk, done, self.region)
                if alert is not None:
                    self.interrupt(alert)

    # --- one question --------------------------------------------------------------

    def ask_current(self) -> str | None:
        """Ask the current question until it is answered, skipped or left. Returns the
        id of the item answered or skipped (None when the person went back)."""
        item = self.walk.current
        assert item is not None
        self.show(item)
        while True:
            reply = self.con.ask(prompt_for(item))
            command = reply.strip().lower()
            if command == "":
                self.walk.advance()
                return item.id
            if command == BACK:
                if self.walk.back():
                    return None
                self.con.say("This is the first question.")
            elif command == HELP:
                self.show_help(item)
            elif command == QUIT:
                if self.confirm_quit():
                    raise Stop
            else:
                try:
                    value = parse_reply(item, reply)
                    self.record(item, value)
                except ValueError as exc:
                    self.con.say(str(exc))
                    continue
                except InputError as exc:  # a text answer: too long, or a control key
                    self.con.say(text_problem(exc, item))
                    continue
                return item.id

    def show(self, item: Item) -> None:
        section = self.walk.section(item)
        number, total = self.walk.progress()
        self.con.say("")
        if section.id != self._section:
            self._section = section.id
            self.con.say(_flat(section.section.intro))
        self.con.say(f"{section.title}: question {number} of about {total}", _flat(item.text))
        if item.hint.strip():
            self.con.say(_flat(item.hint))
        if item.kind != "text":
            self.con.say(*(f"  {n}. {o.label}" for n, o in enumerate(item.options, start=1)))
        current = self.walk.answers.get(item.id)
        if current is not None:
            self.con.say(f"Your answer now: {item.describe(current)}. Press Enter to keep it.")

    def show_help(self, item: Item) -> None:
        self.con.say(_flat(item.help) or _flat(item.hint))
        if item.codes:
            self.con.say("Codes: " + ", ".join(f"{n} = {c}" for n, c in enumerate(item.codes, 1)))

    def record(self, item: Item, value: Answer) -> None:
        dropped = self.walk.answer(item.id, value)
        if dropped:
            count = "1 answer" if len(dropped) == 1 else f"{len(dropped)} answers"
            self.con.say(f"Removed {count} to a question that no longer applies.")
        self.walk.advance()

    def interrupt(self, alert: Report) -> None:
        """A warning sign: say what to do now, at once, in the summary's words (the
        walk-through chose them, as for every face)."""
        for block in alert.blocks:
            self.con.say("", block.heading.upper(), *(_flat(p) for p in block.paragraphs))
            self.con.say(*(f"- {_flat(e.name)}: {_flat(e.text)}" for e in block.entries))
            self.con.say(*(_flat(p) for p in block.footer))
        if self.con.interactive:
            self.con.ask("Press Enter to go on with the questions. ")

    def confirm_quit(self) -> bool:
        if not self.con.interactive:
            return True
        if not self.walk.answers:
            return self.con.yes_no("Quit? (y/n) ")
        if self.autosave:
            return self.con.yes_no("Quit? Your answers so far are kept as a draft. (y/n) ")
        return self.con.yes_no("Quit? Your answers so far will be lost. (y/n) ")

    def save_draft(self) -> None:
        if self.autosave and self.walk.answers:
            position = self.walk.current.id if self.walk.current else None
            self.drafts.save(self.walk.answers, position)

    # --- the end -------------------------------------------------------------------

    def stopped(self) -> None:
        self.con.say("")
        if self.autosave and self.walk.answers:
            self.con.say("Stopped. Your answers are kept as a draft.")
            self.con.say("Run rls-screen --plain again to go on where you left off.")
        elif self.walk.answers:
            self.con.say("Stopped. Your answers were not saved.")
        else:
            self.con.say("Stopped.")
        self.con.write("")

    def finish(self) -> None:
        self.con.say("")
        self.con.write(summary_text(self.bank, self.walk.answers, self.region))
        if self.con.interactive:
            self.offer_save()
            if self.autosave:
                self.drafts.delete()  # finished: the draft has done its job
        self.con.write("")

    def offer_save(self) -> None:
        self.con.say("")
        try:
            if self.con.yes_no(SAVE_QUESTION):
                default = default_save_path()
                reply = self.con.ask(f"File name (press Enter for {default}): ")
                if self.save_loop(Path(reply.strip()).expanduser() if reply.strip() else default):
                    return
        except EndOfInput:
            pass
        self.con.say("Your answers were not saved.")

    def save_loop(self, path: Path) -> bool:
        """Try to save, asking again after each failure. False when the person gives up."""
        text = dumps_document(self.walk.answers, self.bank, save_meta())
        while True:
            if path.is_dir():
                path = path / SAVE_NAME
            if not path.exists() or self.con.yes_no(f"{path} already exists. Replace it? (y/n) "):
                try:
                    saved = write_private(path, text)
                except InputError as exc:
                    self.con.say(f"Could not save: {exc}")
                else:
                    self.con.say(f"Saved to {saved}. Only you can open it.")
                    self.con.say(f"To see the summary again later: rls-screen score {saved}")
                    return True
            reply = self.con.ask("Type another file name, or press Enter to not save: ").strip()
            if not reply:
                return False
            path = Path(reply).expanduser()


def text_problem(exc: InputError, item: Item) -> str:
    """A kind line for a text answer the walk-through refused (the file-style message
    names an item id, which means nothing here)."""
    message = str(exc)
    if "control character" in message:
        return "Please type letters, numbers and marks only. Enter alone skips."
    return f"Please keep it to {item.max_length} characters or fewer. Enter alone skips."


def default_save_path() -> Path:
    """In the person's documents folder when there is one, else the current folder."""
    from platformdirs import user_documents_dir

    documents = Path(user_documents_dir())
    return (documents if documents.is_dir() else Path.cwd()) / SAVE_NAME


def save_meta() -> dict[str, str]:
    return {"saved": datetime.now(UTC).isoformat(timespec="seconds"), "via": "rls-screen --plain"}


def run(args: argparse.Namespace) -> int:
    try:
        sys.stdin.fileno()
    except (OSError, ValueError, AttributeError):
        raise InputError("standard input is closed; --plain reads the answers from it") from None
    bank = load_bank()
    if hasattr(sys.stdin, "reconfigure"):
        # A stray byte in piped input is a wrong answer, never a traceback.
        sys.stdin.reconfigure(errors="replace")
    interactive = sys.stdin.isatty()
    autosave = interactive and not getattr(args, "no_autosave", False)
    console = Console(sys.stdin, sys.stdout, interactive)
    region = resolve_region(getattr(args, "region", None))
    session = Session(bank, console, Drafts(bank, enabled=autosave), autosave, region)
    try:
        return session.run(getattr(args, "resume", None))
    except KeyboardInterrupt:
        session.stopped()
        return 130
