"""'Copied' only where copying is known to work (issue 21): Textual copies with OSC 52,
which tmux, a browser and many terminals drop; there the person is told how to save."""

from __future__ import annotations

import pytest
from test_tui import complete_answers, open_summary, wait_for

from rls_screen.tui.clipboard import copy_known_to_work

TERMINAL_VARS = (
    "TMUX",
    "STY",
    "TERM",
    "TERM_PROGRAM",
    "KITTY_WINDOW_ID",
    "WT_SESSION",
    "WEZTERM_PANE",
    "GHOSTTY_RESOURCES_DIR",
)


def notes(app) -> str:
    return " ".join(f"{n.title} {n.message}" for n in app._notifications)


@pytest.mark.parametrize(
    ("env", "known"),
    [
        ({"TERM": "xterm-kitty"}, True),
        ({"TERM": "xterm-256color", "WT_SESSION": "1"}, True),
        ({"TERM": "tmux-256color", "TMUX": "/tmp/tmux-0/default,1,0"}, False),
        ({"TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"}, False),  # inside tmux
        ({"TERM": "screen"}, False),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "Apple_Terminal"}, False),
        ({"TERM": "xterm-256color"}, False),  # unknown
    ],
)
def test_copying_is_known_to_work_only_in_some_terminals(env, known):
    assert copy_known_to_work(env) is known
    assert not copy_known_to_work(env, is_web=True)  # a browser: never


@pytest.mark.parametrize(
    ("env", "known"),
    [({"TERM": "xterm-kitty"}, True), ({"TERM": "tmux-256color", "TMUX": "/tmp/t,1,0"}, False)],
)
async def test_copied_is_said_only_where_copying_is_known_to_work(
    bank, app_factory, monkeypatch, env, known
):
    for name in TERMINAL_VARS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = app_factory(answers=complete_answers(bank))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("c")
        await wait_for(pilot, lambda: app._notifications, "a notice")
        said = notes(app)
        assert app.clipboard.startswith("Your restless legs summary")  # sent either way
    if known:
        assert "Copied" in said and "The summary is on the clipboard." in said
    else:
        assert "Copied" not in said and "on the clipboard" not in said
        assert "save it to a file instead: press Ctrl+S" in said
