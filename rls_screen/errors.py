"""Errors that reach the person as one line and exit status 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input (an answer file, a path, an option): one clear line, exit status 2."""


class BankError(Exception):
    """A broken question bank. Carries every problem found, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the question bank")
        self.problems = problems
