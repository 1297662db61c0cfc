"""Interface wording read from `questions/`: button labels, footer keys, dialog texts,
prompts of the plain mode, the browser page and the command line's help. The faces name a
text by its key (``ui("review.title")``); they hold no English of their own, so a
translation is a change of data, not of code (ARCHITECTURE.md, "Where texts live").

Read with tomllib alone, once per process: the app's first screen needs these texts, so
this costs no pydantic import. Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

FOLDER = "interface"  # questions/interface/<face>.toml: tui, plain, serve, commands


def _flatten(table: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, str]]:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
        elif isinstance(value, str):
            yield name, value
        else:
            raise ValueError(f"{name}: a text must be a string, not {type(value).__name__}")


@cache
def all_texts(directory: Path | None = None) -> Mapping[str, str]:
    """Every interface text by its dotted key: ``[review] title = ...`` in
    ``interface/tui.toml`` is ``tui.review.title``."""
    if directory is None:
        from rls_screen.core.locations import default_questions_dir

        directory = default_questions_dir()
    texts: dict[str, str] = {}
    for path in sorted((Path(directory) / FOLDER).glob("*.toml")):
        with path.open("rb") as handle:
            texts.update(_flatten(tomllib.load(handle), path.stem + "."))
    return texts


def ui(key: str, /, **fields: object) -> str:
    """The text named ``key``, with ``{name}`` fields filled from ``fields``."""
    text = all_texts()[key]
    return text.format(**fields) if fields else text
