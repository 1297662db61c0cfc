"""The welcome text, read without the rest of the bank.

The first screen needs only `instrument.toml`; loading and checking the whole bank
(pydantic) is deferred until after it is drawn, so the app starts as fast as a bare
Textual app. Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rls_screen.core.reading import read_regular


@dataclass(frozen=True)
class WelcomeText:
    title: str
    lead: str
    points: tuple[str, ...]


def read_welcome(directory: Path | None = None) -> WelcomeText:
    if directory is None:
        from rls_screen.core.locations import default_questions_dir

        directory = default_questions_dir()
    data = tomllib.loads(read_regular(Path(directory) / "instrument.toml").decode("utf-8"))
    welcome = data["welcome"]
    return WelcomeText(data["title"], welcome["lead"], tuple(welcome["points"]))
