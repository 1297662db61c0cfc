"""The welcome text, read without the rest of the bank.

The first screen needs only `instrument.toml`; loading and checking the whole bank
(pydantic) is deferred until after it is drawn, so the app starts as fast as a bare
Textual app. Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
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


def replace_point(points: Sequence[str], parts: Iterable[str], point: str) -> list[str]:
    """The welcome's points for a face where one of them is not true (the answers "stay
    on this computer" in a kiosk or in the browser): the first point that holds one of
    ``parts`` (lower case) becomes ``point``, any further one goes; with none, ``point``
    is added at the end."""
    parts = tuple(parts)
    hits = [n for n, p in enumerate(points) if any(part in p.lower() for part in parts)]
    if not hits:
        return [*points, point]
    kept = list(points)
    kept[hits[0]] = point
    return [p for n, p in enumerate(kept) if n not in hits[1:]]


def replace_sentence(text: str, parts: Iterable[str], sentence: str) -> str:
    """``text`` with its first sentence that holds one of ``parts`` (lower case) replaced
    by ``sentence``, any further one gone; a text without one is kept as it is."""
    parts = tuple(parts)
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    hits = [n for n, s in enumerate(sentences) if any(part in s.lower() for part in parts)]
    if not hits:
        return text
    sentences[hits[0]] = sentence
    return " ".join(s for n, s in enumerate(sentences) if n not in hits[1:])
