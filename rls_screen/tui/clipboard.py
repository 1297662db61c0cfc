"""Whether copying to the clipboard is known to work in this terminal (issue 21).

Textual copies with OSC 52, an escape sequence the terminal may or may not honour, and
no terminal says whether it did. So "Copied" is said only in terminals known to honour
it by default; anywhere else the copy is still sent, and the person is told how to save
the summary instead. Read from the environment only: nothing is asked of the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping

# TERM values of terminals that honour OSC 52 by default.
_KNOWN_TERMS = frozenset({"xterm-kitty", "xterm-ghostty", "alacritty", "foot", "wezterm"})
# Variables that only those terminals set (kitty, Windows Terminal, WezTerm, ghostty).
_KNOWN_MARKS = ("KITTY_WINDOW_ID", "WT_SESSION", "WEZTERM_PANE", "GHOSTTY_RESOURCES_DIR")


def copy_known_to_work(environ: Mapping[str, str], is_web: bool = False) -> bool:
    """True only where a copy is known to reach the clipboard. Not in a browser (the
    page's terminal has no clipboard access), not inside tmux or screen (tmux passes it
    on only when set up to, screen never), not in an unknown terminal (macOS Terminal
    and iTerm2 as set up out of the box ignore it)."""
    if is_web or environ.get("TMUX") or environ.get("STY"):
        return False
    term = environ.get("TERM", "")
    if term.startswith(("screen", "tmux")):
        return False
    return term in _KNOWN_TERMS or any(environ.get(mark) for mark in _KNOWN_MARKS)
