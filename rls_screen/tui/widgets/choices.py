"""The answer options of one question: single or multi choice, keyboard and mouse."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from rls_screen.core import vocab
from rls_screen.core.selection import toggle
from rls_screen.core.texts import ui
from rls_screen.tui.widgets.hanging import Hanging

if TYPE_CHECKING:
    from rls_screen.core.bank import Item


class ChoiceList(OptionList):
    """Options numbered 1-9 in the instrument's order.

    Single choice: Enter, a click or a number key picks and moves on.
    Multi choice: Space, a click or a number key toggles; Enter moves on.
    """

    BINDINGS = [
        Binding(
            "space",
            "tick",
            ui("tui.choices.keys.tick"),
            id="tick",
            tooltip=ui("tui.choices.keys.tick_tip"),
        ),
    ]

    class Chosen(Message):
        """The person answered (value is None when nothing is ticked in a multi)."""

        def __init__(self, item_id: str, value: str | tuple[str, ...] | None) -> None:
            super().__init__()
            self.item_id = item_id
            self.value = value

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: Item | None = None
        self.selection: tuple[str, ...] = ()
        self.current: str | None = None

    @property
    def multi(self) -> bool:
        return self.item is not None and self.item.kind == "multi"

    def show(self, item: Item, answer: str | tuple[str, ...] | None) -> None:
        """Show the options of ``item``, marking the current answer."""
        was_multi = self.multi
        self.item = item
        self._told_only = None
        self.selection = answer if isinstance(answer, tuple) else ()
        self.current = answer if isinstance(answer, str) else None
        self.set_options(self._option(i) for i in range(len(item.options)))
        codes = item.codes
        marked = self.current or (self.selection[0] if self.selection else None)
        if marked in codes:
            self.highlighted = codes.index(marked)
        else:
            # A warning sign not yet answered has nothing highlighted: an Enter typed
            # ahead (meant for the last question) must never pick its "Yes".
            self.highlighted = None if item.id in vocab.RED_FLAG_ITEMS else 0
        if self.multi != was_multi:  # Space ticks only in a multi-choice question
            self.refresh_bindings()  # the footer is rebuilt: only when it changes

    def _option(self, index: int) -> Option:
        assert self.item is not None
        option = self.item.options[index]
        number = f"{index + 1}" if index < 9 else " "
        if self.multi:
            mark = "[x]" if option.code in self.selection else "[ ]"
        else:
            mark = "(•)" if option.code == self.current else "( )"
        # A label that wraps goes on under its own first letter, not under the mark.
        head = Content.assemble((f"{mark} ", "bold"), (f"{number}  ", "dim"))
        return Option(Hanging(head, Content(option.label)), id=option.code)

    def _redraw(self) -> None:
        assert self.item is not None
        for i in range(len(self.item.options)):
            self.replace_option_prompt_at_index(i, self._option(i).prompt)

    # --- acting ---------------------------------------------------------------------

    def pick(self, index: int) -> None:
        assert self.item is not None
        if self.multi:
            self.highlighted = index
            self.selection = toggle(self.selection, self.item.codes[index], self.item.codes)
            self._redraw()
        else:
            # Nothing is redrawn yet: the answer moves on, and a frame of this question
            # with its new mark would be drawn before the next question, a frame's wait
            # on every answer. The screen marks it if the question stays (``mark``).
            self.post_message(self.Chosen(self.item.id, self.item.codes[index]))

    def mark(self, code: str) -> None:
        """Show ``code`` as the answer of a single-choice question that stays on screen
        (a warning sign's dialog over it)."""
        assert self.item is not None
        self.current = code
        self.highlighted = self.item.codes.index(code)
        self._redraw()

    def action_select(self) -> None:
        if self.item is None:
            return
        if self.multi:
            self.post_message(self.Chosen(self.item.id, self.selection or None))
        elif self.highlighted is not None:
            self.pick(self.highlighted)
        else:  # nothing highlighted yet (a warning sign's question): say how to choose
            self.app.notify(ui("tui.choices.choose_first", count=len(self.item.options)), timeout=4)

    # Not "toggle": that is DOMNode's action for flipping an attribute.
    def action_tick(self) -> None:
        if self.multi and self.highlighted is not None:
            self.pick(self.highlighted)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tick":
            return self.multi
        return True

    async def _on_click(self, event: events.Click) -> None:
        # Replaces OptionList's handler, which would select a second time.
        event.prevent_default()
        index = event.style.meta.get("option")
        if index is not None and self.item is not None:
            self.pick(index)

    def on_key(self, event: events.Key) -> None:
        if self.item is None or not event.character or event.character not in "123456789":
            return
        index = int(event.character) - 1
        event.stop()
        event.prevent_default()
        if index < len(self.item.options):
            self.pick(index)
            return
        # A number beyond the answers: say so, once for a run of the same key.
        count = len(self.item.options)
        if self._told_only != (self.item.id, index):
            self._told_only = (self.item.id, index)
            self.app.notify(ui("tui.choices.only", count=count), timeout=4)

    # The question and key last told "there are only N answers" (not told twice).
    _told_only: tuple[str, int] | None = None
