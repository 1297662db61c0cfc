"""``rls-screen --plain``: the walk-through as plain lines, for screen readers, braille
displays and pipes.

One question at a time on stdout, answers from stdin. No full-screen drawing, no cursor
movement and never any colour, so every line can be read in order. The same session
(``session.flow``) as the TUI's drives it, red flags use the summary's own texts, and it
ends with what ``rls-screen score`` prints for the same answers (exactly that at 80
columns or more; wrapped narrower on a narrower terminal).

Keys: a number answers (an answer code or a single choice's label, typed out, does
too, for scripts); several, separated by spaces or commas, for "pick all that fit";
Enter alone moves on (the question stays unanswered, or keeps the answer it already
has); ``b`` goes back; ``?`` shows the help, in the answers' own words; ``q`` quits.

Every line fits the terminal: texts are wrapped between words at its width (80 columns
when it is not known, as on a pipe; at most 78 a line, as ``rls-screen score`` writes),
and wrapped answers stay under their label. A reply echoed or typed after a prompt has
room on its line.

When stdin is a terminal:
- a saved draft is offered at the start ("Resume (r) or start over (s)?"), answers are
  saved as a draft after every answer unless ``--no-autosave``, and finishing deletes it;
- ``q`` asks before quitting; a red flag waits for Enter (``b`` goes back to the
  question with its answer cleared, as the TUI's "I chose the wrong answer" does; any
  other text is answered, never swallowed); at the end it offers to save
  the summary (text, Markdown or a web page, for the person or for the doctor) or the
  answer file, as many as wanted: the same choices and writer as the TUI's save dialog,
  in the same folder (the documents folder), owner-only, written atomically, and never
  over a file without asking;
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
import shutil
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rls_screen.core import vocab
from rls_screen.core.answers import Answer
from rls_screen.core.bank import Bank, Item, load_bank
from rls_screen.core.crisis import resolve_region
from rls_screen.core.errors import InputError, show_name
from rls_screen.core.texts import ui
from rls_screen.core.walk import Walkthrough
from rls_screen.interop.inputs import read_answer_file
from rls_screen.reports.exports import AUDIENCES, FORMATS, default_filename
from rls_screen.reports.summary import Report, build_report, render_text
from rls_screen.session import flow
from rls_screen.session.flow import ALERT, DRAFT, FILE, NEW, Step

if TYPE_CHECKING:
    from rls_screen.interop.drafts import Drafts

# The questions about thoughts of self-harm: a heading of their own, not the section's.
OWN_HEADING = ("mood", vocab.SAFE_NOW_ITEM)
REPLY_LIMIT = 10_000  # characters in one reply; the longest answer (own words) is 500
WIDEST = 78  # columns a line may take at most: the width of rls-screen score's summary
NARROWEST = 20  # a line is never made shorter than this, however narrow the terminal
REPLY_ROOM = 16  # columns left after a prompt, for a short reply on the same line

# Every text of its own is in questions/interface/plain.toml (ui("plain.…")); every
# clinical text comes from the question bank.


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


def _problem(item: Item, tokens: list[str], allowed: str) -> ValueError:
    """What is allowed, after "there are only 3 answers" when a number is beyond them."""
    count = len(item.options)
    beyond = any(t.isascii() and t.isdigit() and int(t) > count for t in tokens)
    if not beyond:
        return ValueError(allowed)
    only = ui("plain.problems.only_one") if count == 1 else ui("plain.problems.only", count=count)
    return ValueError(f"{only} {allowed}")


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
        raise _problem(item, [text], ui("plain.problems.single", last=len(item.options)))
    return code


def replies(words: str) -> frozenset[str]:
    """What a person may type for one choice: ``"y|yes"`` (a text of ``[replies]``)
    is ``{"y", "yes"}``; compare with a reply stripped and in lower case."""
    return frozenset(word.strip().lower() for word in words.split("|"))


def _parse_multi(item: Item, reply: str) -> tuple[str, ...]:
    chosen: list[str] = []
    tokens = [token for token in re.split(r"[\s,;]+", reply) if token]
    if not tokens:
        raise ValueError(ui("plain.problems.multi", last=len(item.options)))
    for token in tokens:
        code = _code(token, item)
        if code is None:
            raise _problem(item, [token], ui("plain.problems.multi", last=len(item.options)))
        if code not in chosen:
            chosen.append(code)
    if vocab.NONE in chosen and len(chosen) > 1:
        raise ValueError(ui("plain.problems.none_alone", label=item.label(vocab.NONE)))
    return tuple(code for code in item.codes if code in chosen)


def prompt_for(item: Item) -> str:
    if item.kind == "text":
        return ui("plain.prompts.own_words", limit=item.max_length)
    last = len(item.options)
    if item.kind == "single":
        return ui("plain.prompts.single", last=last)
    if vocab.NONE in item.code_set:
        none = item.codes.index(vocab.NONE) + 1
        return ui("plain.prompts.multi_with_none", last=last, none=none)
    return ui("plain.prompts.multi", last=last)


def _flat(text: str) -> str:
    """Bank texts are wrapped in TOML: one paragraph, for the console to wrap."""
    return " ".join(text.split())


def line_width() -> int:
    """The columns a line may take: the terminal's width less two (``COLUMNS`` if set;
    80 when not known, as on a pipe), at most ``WIDEST``, at least ``NARROWEST``."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(NARROWEST, min(WIDEST, columns - 2))


class _Wrapper(textwrap.TextWrapper):
    """textwrap's, but a word longer than a whole line (a long file name) starts on a
    line of its own and is cut after a ``/`` where one fits (or a ``-``, when that
    fills the line better), so that each piece reads as part of a path: never
    ``…summary-2`` / ``026-12-03.html``. Only a piece with neither is cut anywhere."""

    def _handle_long_word(
        self, reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int
    ) -> None:
        if cur_line:
            return  # this line ends here; the word is cut at the start of the next
        word = reversed_chunks[-1]
        room = max(width, 1)
        cut = word.rfind("/", 0, room)
        if cut < room // 2:  # a folder's name would leave the line half empty
            cut = max(cut, word.rfind("-", 0, room))
        end = cut + 1 if cut > 0 else room
        cur_line.append(word[:end])
        reversed_chunks[-1] = word[end:]


def fit(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """One paragraph as lines of at most ``width`` columns, broken between words, never
    at a hyphen; only a word longer than a whole line (a long file name) is cut, on
    lines of its own and after a ``/`` where it can be (``_Wrapper``). Each line starts
    with ``first`` (the first) or ``rest`` (the others), so wrapped text stays under
    its label."""
    wrapper = _Wrapper(
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    )
    return wrapper.wrap(text) or [first.rstrip()]


# --- the console ---------------------------------------------------------------------


class Console:
    """Plain lines out, each one wrapped to fit the terminal; one reply per line in."""

    def __init__(
        self,
        inp: TextIO,
        out: TextIO,
        interactive: bool,
        width: Callable[[], int] = line_width,
    ) -> None:
        self.inp = inp
        self.out = out
        self.interactive = interactive
        self.width = width  # asked again for each text: a terminal can be resized

    def say(self, *lines: str) -> None:
        """Each text as wrapped lines; a text of several lines keeps its line ends, and
        a line's leading spaces start each of its wrapped lines."""
        width = self.width()
        for text in lines:
            for line in text.split("\n"):
                indent = line[: len(line) - len(line.lstrip())]
                for part in fit(line.strip(), width, indent, indent):
                    self.out.write(part + "\n")

    def hang(self, label: str, text: str) -> None:
        """``text`` after ``label`` (``"  2. "``, ``"- "``), wrapped lines under the text."""
        for part in fit(text, self.width(), label, " " * len(label)):
            self.out.write(part + "\n")

    def write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def ask(self, prompt: str, own_line: bool = False) -> str:
        """One reply, without its line end; typed after the prompt, or on a line of its
        own (``own_line``: a reply of many words, which a whole line shows best). Raises
        EndOfInput when stdin is closed."""
        last = self.write_prompt(prompt, own_line)
        self.out.flush()
        # Read with a bound: /dev/zero or a stream with no line end never fills memory.
        line = self.inp.readline(REPLY_LIMIT + 1)
        if not line:
            if not self.interactive:
                self.say("")
            raise EndOfInput
        if len(line) > REPLY_LIMIT:
            self.say("")
            raise InputError(ui("plain.errors.reply_too_long", limit=REPLY_LIMIT))
        reply = line.rstrip("\r\n")
        if not self.interactive:
            # Piped replies are not echoed by a terminal; show them for a readable log.
            self.echo(last, reply)
        return reply

    def write_prompt(self, prompt: str, own_line: bool = False) -> str:
        """The prompt, wrapped, its last line short enough to leave room for a reply
        (``REPLY_ROOM``), and ending in one space; or, for a reply on a line of its own,
        ending in a line end. Returns what stands before the reply on its line."""
        width = self.width()
        lines = fit(prompt.strip(), width)
        if own_line:
            self.say(*lines)
            return ""
        if len(lines[-1]) > width - REPLY_ROOM:
            # Only between words: a long file name stays whole, on a line it fits.
            lines[-1:] = textwrap.wrap(lines[-1], width - REPLY_ROOM, break_long_words=False)
        for line in lines[:-1]:
            self.out.write(line + "\n")
        self.out.write(lines[-1] + " ")
        return lines[-1] + " "

    def echo(self, prompt: str, reply: str) -> None:
        """A piped reply after its prompt's last line; on lines of its own when it
        would not fit there."""
        width = self.width()
        if len(prompt) + len(reply) <= width:
            self.out.write(reply + "\n")
            return
        self.out.write("\n")
        self.say(reply)

    def yes_no(self, prompt: str) -> bool:
        while True:
            reply = self.ask(prompt).strip().lower()
            if reply in replies(ui("plain.replies.yes")):
                return True
            if reply in replies(ui("plain.replies.no")):
                return False
            self.say(ui("plain.problems.yes_no"))


# --- the session ---------------------------------------------------------------------


VIA = "rls-screen --plain"  # a saved answer file's meta: which face saved it


class Session:
    """The shared session (``session.flow``) drawn as plain lines: this face only asks
    and says; what each reply means is the core's."""

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
        # Open read-only: another window holds the draft's lock.
        self.read_only = False
        self.core = flow.Session(bank, region, drafts if autosave else None, via=VIA)
        self.core.on_save_error = self.draft_not_saved
        self.core.begin()
        self._section = ""

    @property
    def walk(self) -> Walkthrough:
        return self.core.started

    @walk.setter
    def walk(self, walk: Walkthrough) -> None:
        self.core.walk = walk

    # --- the whole run -------------------------------------------------------------

    def run(self, resume: str | None) -> int:
        try:
            if self.autosave and not self.take_lock():
                return 0
            self.welcome()
            try:
                self.start(resume)
                if self.read_only:
                    self.autosave = False
                self.ask_all()
            except (Stop, EndOfInput):
                self.stopped()
                return 0
            self.finish()
            return 0
        finally:
            if self.drafts.lock is not None:
                self.drafts.lock.release()

    def take_lock(self) -> bool:
        """One writer of the draft at a time: with the questions open in another window,
        open read-only (nothing written), take over, or quit (3, q or Ctrl-D; other
        text is answered). False to quit."""
        from rls_screen.session.lock import draft_lock

        lock = draft_lock(self.drafts.folder)
        self.drafts.lock = lock
        if lock.acquire():
            return True
        self.con.say(ui("plain.lock.elsewhere"))
        while True:
            try:
                reply = self.con.ask(ui("plain.lock.ask")).strip()
            except EndOfInput:  # Ctrl-D: quit, as 3 does, on a line of its own
                self.con.say("")
                reply = "3"
            if reply.lower() in replies(ui("plain.replies.quit")):
                reply = "3"  # q quits here too, as at every question
            if reply == "1":  # the lock stays unheld: the draft is read, never written
                self.read_only = True
                self.con.say(ui("plain.lock.read_only"))
                return True
            if reply == "2":
                return lock.acquire(take_over=True) or self.take_lock()
            if reply == "3":
                self.drafts.lock = None
                return False
            self.con.say(ui("plain.lock.again"))

    def welcome(self) -> None:
        welcome = self.bank.instrument.welcome
        self.con.say(self.bank.instrument.title, "", _flat(welcome.lead), "")
        for point in welcome.points:
            self.con.hang("- ", _flat(point))
        self.con.say("", ui("plain.welcome.how_to_answer"))
        if self.autosave:
            self.con.say(ui("plain.welcome.autosave"))

    def start(self, resume: str | None) -> None:
        core = self.core
        core.read_only = self.read_only
        offer = core.draft_offer()
        moved = core.moved_aside
        if moved is not None:
            self.con.say("", ui("plain.start.draft_unreadable", path=moved))
        if resume is not None:
            core.initial_answers = read_answer_file(resume, self.bank)
            core.resume_source = resume
            if offer is not None and not self.ask_file_or_draft(resume, offer.count):
                core.begin(DRAFT)
                return
            core.begin(FILE if offer is not None else None)
            count = len(self.walk.answers)
            self.con.say("", ui("plain.start.file", file=show_name(resume), count=count))
            return
        if offer is None:
            return
        self.con.say("", ui("plain.start.draft", count=offer.count))
        core.begin(DRAFT if self.ask_resume() else NEW)

    def ask_file_or_draft(self, resume: str, count: int) -> bool:
        """--resume FILE while a draft is kept: which to go on with. True for the file.
        Enter alone keeps the draft, so nothing is lost by a key pressed too soon."""
        self.con.say("", ui("plain.start.file_and_draft", file=show_name(resume), count=count))
        while True:
            reply = self.con.ask(ui("plain.start.ask_file_or_draft")).strip().lower()
            if reply == "" or reply in replies(ui("plain.replies.draft")):
                return False
            if reply in replies(ui("plain.replies.file")):
                if self.con.yes_no(ui("plain.start.confirm_file")):
                    return True
                continue
            self.con.say(ui("plain.problems.file_or_draft"))

    def ask_resume(self) -> bool:
        """Enter alone resumes; starting over takes a choice and a confirmation."""
        while True:
            reply = self.con.ask(ui("plain.start.ask_resume")).strip().lower()
            if reply == "" or reply in replies(ui("plain.replies.resume")):
                return True
            if reply in replies(ui("plain.replies.start_over")):
                if self.con.yes_no(ui("plain.start.confirm_delete")):
                    return False
                continue
            self.con.say(ui("plain.problems.resume"))

    def ask_all(self) -> None:
        while not self.walk.finished:
            try:
                step = self.ask_current()
                self.check_lock()
                while step.kind == ALERT and step.alert is not None:
                    wrong = self.interrupt(step.alert)
                    step = self.core.after_alert(step.item_id or "", wrong_answer=wrong)
                    if wrong:
                        self.con.say(ui("plain.question.cleared"))
                    self.check_lock()
            except EndOfInput:
                if self.con.interactive:
                    raise
                self.walk.finish()  # piped: the questions left count as skipped
                return

    # --- one question --------------------------------------------------------------

    def ask_current(self) -> Step:
        """Ask the current question until it is answered, skipped or left. Returns what
        comes next (the question gone back to, when the person went back)."""
        item = self.walk.current
        assert item is not None
        self.show(item)
        while True:
            reply = self.con.ask(prompt_for(item), own_line=item.kind == "text")
            command = reply.strip().lower()
            if command == "":
                return self.core.skip()
            if command in replies(ui("plain.replies.back")):
                if self.core.back():
                    self.core.autosave()  # the draft picks up here
                    return self.core.here()
                self.con.say(ui("plain.question.first"))
            elif command in replies(ui("plain.replies.help")):
                self.show_help(item)
            elif command in replies(ui("plain.replies.quit")):
                if self.confirm_quit():
                    raise Stop
            else:
                try:
                    value = parse_reply(item, reply)
                    step = self.core.answer(item.id, value)
                except ValueError as exc:
                    self.con.say(str(exc))
                    continue
                except InputError:  # a text answer: too long, or a control key
                    self.con.say(text_problem(item, reply))
                    continue
                self.tell_removed()
                return step

    def show(self, item: Item) -> None:
        section = self.walk.section(item)
        number, total = self.walk.progress()
        self.con.say("")
        if section.id != self._section:
            self._section = section.id
            self.con.say(_flat(section.section.intro))
        title = ui("plain.question.own_heading") if item.id in OWN_HEADING else section.title
        heading = ui("plain.question.heading", section=title, number=number, total=total)
        self.con.say(heading, _flat(item.text))
        if item.hint.strip():
            self.con.say(_flat(item.hint))
        self.show_options(item)
        current = self.walk.answers.get(item.id)
        if current is not None:
            self.con.say(ui("plain.question.answer_now", answer=item.describe(current)))

    def show_options(self, item: Item) -> None:
        """The numbered answers; a long one wraps under its own first word."""
        for n, option in enumerate(item.options, start=1):
            self.con.hang(f"  {n}. ", option.label)

    def show_help(self, item: Item) -> None:
        """The item's help, its answers again, and how to give one: in the words the
        person sees (the answers' labels), never in codes."""
        self.con.say(_flat(item.help) or _flat(item.hint))
        self.show_options(item)
        options = item.options
        if item.kind == "text":
            self.con.say(ui("plain.help.own_words", limit=item.max_length))
        elif item.kind == "single":
            self.con.say(ui("plain.help.single", label=options[0].label))
        else:
            self.con.say(ui("plain.help.multi", first=options[0].label, second=options[1].label))
            if vocab.NONE in item.code_set:
                none = item.codes.index(vocab.NONE) + 1
                self.con.say(ui("plain.help.none_alone", number=none, label=item.label(vocab.NONE)))
        self.con.say(ui("plain.help.keys"))

    def tell_removed(self) -> None:
        """How many answers the last one removed (their questions no longer apply)."""
        removed = self.core.removed
        if len(removed) == 1:
            self.con.say(ui("plain.question.removed_one"))
        elif removed:
            self.con.say(ui("plain.question.removed_many", count=len(removed)))

    def interrupt(self, alert: Report) -> bool:
        """A warning sign: say what to do now, at once, in the summary's words (the
        walk-through chose them, as for every face). True when the person chose the
        wrong answer (``b``)."""
        for block in alert.blocks:
            self.con.say("", block.heading.upper(), *(_flat(p) for p in block.paragraphs))
            for entry in block.entries:
                self.con.hang("- ", f"{_flat(entry.name)}: {_flat(entry.text)}")
            self.con.say(*(_flat(p) for p in block.footer))
        return self.con.interactive and self.wait_to_go_on()

    def wait_to_go_on(self) -> bool:
        """After a warning sign, on a terminal: Enter alone goes on; ``b`` goes back to
        the question, its answer cleared, to change a wrong answer (True); ``q`` quits,
        as at a question; anything else typed is answered, never swallowed."""
        while True:
            reply = self.con.ask(ui("plain.question.go_on")).strip().lower()
            if reply == "":
                return False
            if reply in replies(ui("plain.replies.back")):
                return True
            if reply in replies(ui("plain.replies.quit")):
                if self.confirm_quit():
                    raise Stop
                continue
            self.con.say(ui("plain.question.press_enter"))

    def confirm_quit(self) -> bool:
        if not self.con.interactive:
            return True
        if not self.walk.answers:
            return self.con.yes_no(ui("plain.quit.ask"))
        if not self.core.answers_at_risk(on_summary=False):
            return self.con.yes_no(ui("plain.quit.ask_draft_kept"))
        return self.con.yes_no(ui("plain.quit.ask_answers_lost"))

    def draft_not_saved(self, drafts: Drafts, exc: Exception) -> None:
        """Autosave is off from now on: said once, and quitting then asks as without it."""
        self.autosave = False
        self.con.say(ui("plain.draft.not_saved", error=exc))

    def check_lock(self) -> None:
        """Another window took the draft over: said once; nothing is written after."""
        if self.autosave and self.drafts.lock_lost:
            self.autosave = False
            self.con.say(ui("plain.lock.lost"))

    # --- the end -------------------------------------------------------------------

    def stopped(self) -> None:
        self.con.say("")
        if self.walk.answers and not self.core.answers_at_risk(on_summary=False):
            self.con.say(ui("plain.quit.stopped_draft_kept"))
        elif self.walk.answers:
            self.con.say(ui("plain.quit.stopped_answers_lost"))
        else:
            self.con.say(ui("plain.quit.stopped"))
        self.con.write("")

    def finish(self) -> None:
        self.con.say("")
        # What rls-screen score prints, wrapped to this terminal (the same at 80 columns).
        report = build_report(self.bank, self.walk.answers, self.region)
        self.con.write(render_text(report, width=self.con.width()))
        if self.con.interactive:
            self.offer_save()
            self.core.look_at_summary()  # finished: the draft has done its job
        self.con.write("")

    def offer_save(self) -> None:
        """Save the summary or the answers, one file after another, until the person
        says no more."""
        self.con.say("")
        saved = False
        try:
            if self.con.yes_no(ui("plain.save.ask")):
                while self.save_one():
                    saved = True
                    if not self.con.yes_no(ui("plain.save.ask_more")):
                        return
        except EndOfInput:
            pass
        if not saved:
            self.con.say(ui("plain.save.not_saved"))

    def save_one(self) -> bool:
        """Which file, for whom, and where: the save dialog's choices, as questions.
        False when the person chose not to save."""
        formats = {code: label for code, (label, _ext) in FORMATS.items()}
        fmt = self.choose(ui("plain.save.what"), formats)
        if fmt is None:
            return False
        audience = "patient"
        if fmt != "answers":  # the answer file is the same for both
            chosen = self.choose(ui("plain.save.who"), AUDIENCES)
            if chosen is None:
                return False
            audience = chosen
        default = flow.save_folder() / default_filename(fmt, audience=audience)
        reply = self.con.ask(ui("plain.save.file_name", default=default), own_line=True).strip()
        path = save_path(reply, fmt, audience) if reply else default
        return self.save_loop(path, fmt, audience)

    def choose(self, question: str, choices: Mapping[str, str]) -> str | None:
        """One of ``choices`` (code: label) by its number; None for Enter alone."""
        codes = list(choices)
        self.con.say(question)
        for n, code in enumerate(codes, start=1):
            self.con.hang(f"  {n}. ", choices[code])
        while True:
            reply = self.con.ask(ui("plain.save.choice", last=len(codes))).strip()
            if not reply:
                return None
            if reply.isascii() and reply.isdigit() and 1 <= int(reply) <= len(codes):
                return codes[int(reply) - 1]
            self.con.say(ui("plain.save.choice_problem", last=len(codes)))

    def save_loop(self, path: Path, fmt: str, audience: str) -> bool:
        """Try to save, asking again after each failure. False when the person gives up."""
        while True:
            if path.is_dir():
                path = path / default_filename(fmt, audience=audience)
            if not path.exists() or self.con.yes_no(ui("plain.save.replace", path=path)):
                try:
                    saved = self.core.save(path, fmt, audience)
                except InputError as exc:
                    self.con.say(ui("plain.save.failed", problem=exc))
                else:
                    self.con.say(ui("plain.save.saved", path=saved))
                    if fmt == "answers":
                        self.con.say(ui("plain.save.saved_answers", path=saved))
                    elif fmt == "html":
                        self.con.say(ui("plain.save.saved_page"))
                    return True
            reply = self.con.ask(ui("plain.save.another"), own_line=True).strip()
            if not reply:
                return False
            path = save_path(reply, fmt, audience)


def text_problem(item: Item, reply: str) -> str:
    """A kind line for a text answer the walk-through refused (its file-style message
    names an item id, which means nothing here): too long, else a control character
    (core.answers.check_text, which checks the length first)."""
    if len(reply.strip()) > (item.max_length or vocab.TEXT_MAX):
        return ui("plain.problems.own_words_too_long", limit=item.max_length)
    return ui("plain.problems.own_words_marks")


def save_path(reply: str, fmt: str, audience: str) -> Path:
    """The path typed: in a folder, the default file name; else with the extension of
    the chosen file (as the TUI's dialog: ``.json`` for a web page becomes ``.html``, a
    name without one gets it)."""
    path = Path(reply).expanduser()
    if path.is_dir():
        return path / default_filename(fmt, audience=audience)
    extension = FORMATS[fmt][1]
    suffix = path.suffix.lower()
    if suffix == extension:
        return path
    if suffix in {ext for _label, ext in FORMATS.values()}:
        return path.with_suffix(extension)
    return path.with_name(path.name + extension)


def run(args: argparse.Namespace) -> int:
    try:
        sys.stdin.fileno()
    except (OSError, ValueError, AttributeError):
        raise InputError(ui("plain.errors.stdin_closed")) from None
    bank = load_bank()
    if hasattr(sys.stdin, "reconfigure"):
        # A stray byte in piped input is a wrong answer, never a traceback.
        sys.stdin.reconfigure(errors="replace")
    interactive = sys.stdin.isatty()
    autosave = interactive and not getattr(args, "no_autosave", False)
    console = Console(sys.stdin, sys.stdout, interactive)
    region = resolve_region(getattr(args, "region", None))
    session = Session(bank, console, flow.open_drafts(bank, enabled=autosave), autosave, region)
    try:
        return session.run(getattr(args, "resume", None))
    except KeyboardInterrupt:
        session.stopped()
        return 130
