"""Errors that reach the person as one line and exit status 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input (an answer file, a path, an option): one clear line, exit status 2."""


class BankError(Exception):
    """A broken question bank. Carries every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))  # shown line by line, from ``problems``
        self.problems = problems


# --- one short, safe line ------------------------------------------------------------
# Whatever reaches stderr comes from the input: a file name with a newline or an escape
# sequence, a 10 MB value. These keep every message one short line that a terminal shows
# as plain text.

LINE_LIMIT = 200


def _escaped(text: str) -> str:
    """Control and unprintable characters (a newline, ESC, a stray surrogate from a file
    name that is not UTF-8) as Python escapes; every other character as it is."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def show(value: object, limit: int = 40) -> str:
    """A value from the input, quoted for a message and cut short with "…"."""
    text = _escaped(repr(value)) if isinstance(value, str) else repr(value)
    if len(text) > limit:
        # Cut the repr only when it is long: a 4,301-digit number is never made whole.
        text = text[: limit - 1] + "…"
    return text


def show_name(name: str, limit: int = 80) -> str:
    """A file name for a message: control characters escaped, a long name shortened in
    the middle (both ends say the most)."""
    text = _escaped(name)
    if len(text) > limit:
        half = (limit - 1) // 2
        text = text[:half] + "…" + text[-half:]
    return text


def one_line(message: str, limit: int = LINE_LIMIT) -> str:
    """The last guard before stderr: one line, at most ``limit`` characters. (Messages
    keep file names short with ``show_name``, so what is wrong comes before any cut.)"""
    text = _escaped(message)
    return text if len(text) <= limit else text[: limit - 1] + "…"
