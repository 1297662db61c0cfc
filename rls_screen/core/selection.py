"""Ticking options of a multi-choice item. Kept apart from the engine so the UI can use
it without loading pydantic. Headless: imports neither textual nor rich."""

from __future__ import annotations

from collections.abc import Iterable

from rls_screen.core.vocab import NONE


def toggle(selection: Iterable[str], code: str, order: tuple[str, ...]) -> tuple[str, ...]:
    """Toggle ``code`` in a selection, kept in option ``order``. ``none`` is exclusive
    both ways: ticking it clears the others, ticking another clears it."""
    chosen = set(selection)
    if code in chosen:
        chosen.discard(code)
    elif code == NONE:
        chosen = {code}
    else:
        chosen.discard(NONE)
        chosen.add(code)
    return tuple(c for c in order if c in chosen)
