"""Textual's command palette, guarded (issue 19): Ctrl+P and PageDown in one burst used to
page a list that was not laid out yet (``KeyError`` in ``OptionList._move_page``), and the
app exited with a traceback. A key that moves in the list before it is there is dropped."""

from __future__ import annotations

from textual import work
from textual.command import CommandList, CommandPalette
from textual.widget import Widget

from rls_screen.tui.dialogs.safe import find


class SafeCommandPalette(CommandPalette):
    def _action_command_list(self, action: str) -> None:
        commands = find(self, "CommandList", CommandList)
        if commands is None or not commands.option_count:
            return
        # The list maps each option to its line once it is laid out; before, paging
        # looks up a line that is not there.
        if (commands.highlighted or 0) not in commands._index_to_line:
            return
        super()._action_command_list(action)

    @work(exclusive=True, group="--textual-command-palette-gather-commands")
    async def _gather_commands(self, search_value: str) -> None:
        # The search runs a moment after the key that started it: by then a burst may
        # have closed the palette, and its list is gone.
        if find(self, "CommandList", CommandList) is None:
            return
        # Textual's @work wraps it; typeshed's callable has no __wrapped__, set by wraps.
        gather = CommandPalette._gather_commands.__wrapped__  # type: ignore[attr-defined]
        await gather(self, search_value)

    # A search may also end after a burst took the list down: its watchers then find
    # nothing to mark (they looked the list up, NoMatches, and the app ended).
    PARTS = ("CommandList", "#--input", "LoadingIndicator")

    def complete(self) -> bool:
        return all(find(self, part, Widget) is not None for part in self.PARTS)

    def _watch__list_visible(self) -> None:
        if self.complete():
            super()._watch__list_visible()

    async def _watch__show_busy(self) -> None:
        if self.complete():
            await super()._watch__show_busy()
