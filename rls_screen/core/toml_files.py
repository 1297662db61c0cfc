"""Reading one TOML file of the question bank, with one-line problems naming the file.

Headless and light: no pydantic, so the crisis texts load without it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from rls_screen.core.errors import BankError
from rls_screen.core.reading import read_regular, size_problems


def read_toml(path: Path) -> dict[str, Any]:
    """The file's tables, or BankError with the problem that stops reading it (or the
    sizes past a bound: a text too long, a table or list too large)."""
    data = _parse(path)
    problems = size_problems(path, data)
    if problems:
        raise BankError(problems)
    return data


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        raise BankError([f"{path}: file is missing"]) from None
    except OSError as exc:  # a folder, FIFO, device, no permission, too large
        raise BankError([f"{path}: cannot be read ({exc.strerror or exc})"]) from None
    except UnicodeDecodeError:
        raise BankError([f"{path}: not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise BankError([f"{path}: not valid TOML ({exc})"]) from None
    except (RecursionError, ValueError):  # nesting too deep, a number too long
        raise BankError(
            [f"{path}: not valid TOML (nested too deep or a number too long)"]
        ) from None
