"""The walk-through as a headless state machine: which question is current, what is
shown, going back, skipping, live conditions. The TUI and the plain line mode are two
faces over this one object.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rls_screen.core import vocab
from rls_screen.core.answers import Answer, Answers, check_answers
from rls_screen.core.bank import Bank, Item, Section

# Decided in core.decisions; named here too, where the faces and tests have found it.
from rls_screen.core.decisions import interrupts as interrupts
from rls_screen.core.engine import Result, condition_holds, effective_answers, score


class Walkthrough:
    """One person's way through the instrument.

    ``position`` indexes the instrument's items; it always rests on a shown item, or on
    ``len(items)`` once the last question is behind (the review).
    """

    def __init__(self, bank: Bank, answers: Mapping[str, Answer] | None = None) -> None:
        self.bank = bank
        self.items: tuple[Item, ...] = tuple(bank.items.values())
        self._index = {item.id: i for i, item in enumerate(self.items)}
        self.answers: Answers = effective_answers(bank, answers or {})
        # The furthest position this walk has been at: a shown question before it with no
        # answer was skipped; one at or after it is not reached yet (the review tells them
        # apart).
        self.furthest = 0
        self.position = self._next_shown(0)

    @property
    def position(self) -> int:
        return self._position

    @position.setter
    def position(self, value: int) -> None:
        self._position = value
        self.furthest = max(self.furthest, value)

    def index_of(self, item_id: str) -> int:
        """Where ``item_id`` stands among the instrument's questions (a position)."""
        return self._index[item_id]

    @property
    def all_reached(self) -> bool:
        """Whether every question has been behind once (the review was reached)."""
        return self.furthest >= len(self.items)

    def unreached(self) -> list[Item]:
        """The shown questions with no answer that the walk has not gone past yet (the
        one it is on among them): what is left to do."""
        return [
            item
            for item in self.shown_items()
            if item.id not in self.answers and self._index[item.id] >= self.furthest
        ]

    def skipped(self, item: Item) -> bool:
        """Whether ``item`` has no answer though the walk went past it (skipped, or an
        answer cleared), as against not reached yet."""
        return item.id not in self.answers and self._index[item.id] < self.furthest

    # --- what is shown ------------------------------------------------------------

    def is_shown(self, item: Item) -> bool:
        return condition_holds(item, self.answers)

    def worded(self, item: Item) -> Item:
        """``item`` as the person answering reads it (v3: about "your child" or "the
        person you answer for" when a parent or carer answers)."""
        return item.worded(self.answers.get(vocab.RESPONDENT_ITEM))

    def shown_items(self) -> list[Item]:
        return [self.worded(item) for item in self.items if self.is_shown(item)]

    @property
    def current(self) -> Item | None:
        if self.position >= len(self.items):
            return None
        return self.worded(self.items[self.position])

    @property
    def finished(self) -> bool:
        return self.position >= len(self.items)

    def section(self, item: Item) -> Section:
        """``item``'s section as the person answering reads it (v3: its title and intro
        about the person when a parent or carer answers, `Section.worded`)."""
        return self.bank.section_of[item.id].worded(self.answers.get(vocab.RESPONDENT_ITEM))

    def progress(self) -> tuple[int, int]:
        """(number of the current question, about how many there are), given the answers
        so far. The total can change as answers open or close follow-up questions."""
        shown = self.shown_items()
        if self.finished:
            return len(shown), len(shown)
        number = sum(1 for item in shown if self._index[item.id] <= self.position)
        return number, len(shown)

    # --- moving -------------------------------------------------------------------

    def _next_shown(self, start: int) -> int:
        for i in range(start, len(self.items)):
            if self.is_shown(self.items[i]):
                return i
        return len(self.items)

    def advance(self) -> Item | None:
        """Go to the next shown question; None when the walk-through is done."""
        self.position = self._next_shown(self.position + 1)
        return self.current

    def back(self) -> bool:
        """Go to the previous shown question. False when already at the first."""
        for i in range(min(self.position, len(self.items)) - 1, -1, -1):
            if self.is_shown(self.items[i]):
                self.position = i
                return True
        return False

    def go_to(self, item_id: str) -> None:
        item = self.bank.items[item_id]
        if not self.is_shown(item):
            raise ValueError(f"item {item_id!r} is not shown with the current answers")
        self.position = self._index[item_id]

    def first_gap(self) -> Item | None:
        """The first shown question without an answer, or None when all are answered."""
        return next((i for i in self.shown_items() if i.id not in self.answers), None)

    def resume(self, position: str | None = None) -> None:
        """Pick up a walk: at ``position`` (the question a draft stopped at) if it is
        shown, else at the first question without an answer, else at the end (every
        face then shows the review or the summary)."""
        item = self.bank.items.get(position or "")
        if item is None or not self.is_shown(item):
            item = self.first_gap()
        if item is None:
            self.finish()
        else:
            self.position = self._index[item.id]

    def finish(self) -> None:
        """Put the walk behind its last question: the review and the summary come next."""
        self.position = len(self.items)

    def follow_up(self, changed: str) -> str | None:
        """After a change made from the review: the first shown question that the change
        opened and that has no answer yet, or None."""
        for item in self.shown_items():
            if item.id not in self.answers and any(c.question == changed for c in item.enable_when):
                return item.id
        return None

    def restart(self) -> None:
        self.answers = {}
        self.position = self._next_shown(0)

    # --- answering ----------------------------------------------------------------

    def answer(self, item_id: str, value: Answer | list[str] | None) -> list[str]:
        """Set (or with None, clear) an answer. Returns the ids of answers dropped
        because the items they belong to are no longer shown."""
        if value is None or value == () or value == []:
            self.answers.pop(item_id, None)
        else:
            raw = list(value) if isinstance(value, tuple | list) else value
            self.answers.update(check_answers({item_id: raw}, self.bank, "answer"))
        before = set(self.answers)
        self.answers = effective_answers(self.bank, self.answers)
        return [i for i in self.items_order(before - set(self.answers))]

    def items_order(self, ids: Iterable[str]) -> list[str]:
        return sorted(ids, key=self._index.__getitem__)

    def result(self) -> Result:
        return score(self.bank, self.answers)
