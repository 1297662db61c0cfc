"""2,000 seeded random keys, in bursts without waiting, to the questionnaire and to the
kiosk (issue 19): 400-500 used to end both apps with a traceback. The app stays up, or
leaves only through its own quit path; then it is started again for the keys left."""

from __future__ import annotations

import random

import pytest
from test_tui import start
from textual import events

from rls_screen.tui.app import make_app
from rls_screen.tui.kiosk import KioskApp

KEYS = [
    *((str(n), str(n)) for n in range(10)),
    *((c, c) for c in "abcdefghijklmnopqrstuvwxyz"),
    ("enter", "\r"),
    ("tab", "\t"),
    ("shift+tab", None),
    ("up", None),
    ("down", None),
    ("left", None),
    ("right", None),
    ("pageup", None),
    ("pagedown", None),
    ("escape", "\x1b"),
    ("space", " "),
    ("ctrl+p", None),
    ("ctrl+s", None),
    ("f1", None),
    ("backspace", "\x7f"),
    ("q", "q"),
]
COUNT = 2000


def keys(seed: int) -> list[tuple[str, str | None]]:
    rng = random.Random(seed)
    return [rng.choice(KEYS) for _ in range(COUNT)]


async def mash(make, todo: list[tuple[str, str | None]], rng: random.Random) -> int:
    """Send every key, in bursts; returns how many times the app was started."""
    starts = 0
    while todo:
        starts += 1
        app = make()
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            while todo and app.is_running:
                for _ in range(rng.randint(20, 80)):
                    if not todo:
                        break
                    name, character = todo.pop()
                    app.post_message(events.Key(name, character))
                await pilot.pause()
        # run_test raises any exception the app ended with; a quit is the app's own.
        assert app._exception is None
        assert app.return_code in (None, 0)
    return starts


@pytest.mark.parametrize("seed", [19])
async def test_2000_random_keys_never_crash_the_questionnaire(tmp_path, seed):
    def make():
        app = make_app(autosave=False, draft_dir=tmp_path / "drafts", save_folder=tmp_path)
        # A mashed file name may leave the folder: nothing is written anywhere.
        app.write_export = lambda _code, path: path  # type: ignore[method-assign]
        return app

    # No time limit here: speed is measured by benchmarks/bench_tui.py, not by a test.
    await mash(make, keys(seed)[::-1], random.Random(seed))


@pytest.mark.parametrize("seed", [19])
async def test_2000_random_keys_never_crash_the_kiosk(tmp_path, seed):
    await mash(
        lambda: KioskApp(save_dir=tmp_path, idle_reset=60), keys(seed)[::-1], random.Random(seed)
    )
