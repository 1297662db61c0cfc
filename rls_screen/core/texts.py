"""Interface wording read from `questions/`: button labels, footer keys, dialog texts,
prompts of the plain mode, the browser page, the command line's help and every one-line
message about bad input. Code names a text by its key (``ui("tui.review.title")``); it
holds no English of its own, so a translation is a change of data, not of code
(ARCHITECTURE.md, "Where texts live"). The lines below, about a text file that cannot be
read, are the exception: they cannot come from that file.

Read with tomllib alone, each file once per process and only when one of its texts is
needed: the app's first screen needs these texts, so this costs no pydantic import.
Headless: imports neither textual nor rich.

A file that cannot be read, a value that is not a string, a key with no text or a text
whose ``{fields}`` do not fit raise :class:`BankError`, one line naming the file: the
command line prints it as such, never a traceback (``rls-screen check-questions`` lists
them too).
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from rls_screen.core.errors import BankError
from rls_screen.core.reading import read_regular

FOLDER = "interface"  # questions/interface/<file>.toml: tui, plain, serve, commands, ...


def _flatten(table: Mapping[str, object], prefix: str = "") -> Iterator[tuple[str, object]]:
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, name + ".")
        else:
            yield name, value


@cache
def _read(path: Path) -> tuple[Mapping[str, str], tuple[str, ...]]:
    """The texts of one file, keyed without its stem (``review.title``), and what is
    wrong with it (one line each; nothing when it is sound)."""
    try:
        data = tomllib.loads(read_regular(path).decode("utf-8"))
    except FileNotFoundError:
        return {}, (f"{path}: file is missing",)
    except UnicodeDecodeError:
        return {}, (f"{path}: not UTF-8 text",)
    except tomllib.TOMLDecodeError as exc:
        return {}, (f"{path}: not valid TOML ({exc})",)
    except OSError as exc:  # a folder of that name, no permission, ...
        return {}, (f"{path}: cannot be read ({exc.strerror or exc})",)
    except (RecursionError, ValueError):  # nesting too deep, a huge number
        return {}, (f"{path}: not valid TOML (nested too deep or a number too long)",)
    texts: dict[str, str] = {}
    problems: list[str] = []
    for name, value in _flatten(data):
        if isinstance(value, str):
            texts[name] = value
        else:
            kind = type(value).__name__
            problems.append(f"{path}: {name}: a text must be a string in quotes, not {kind}")
    return texts, tuple(problems)


@cache
def _folder(directory: Path | None) -> Path:
    if directory is None:
        from rls_screen.core.locations import default_questions_dir

        directory = default_questions_dir()
    return Path(directory) / FOLDER


def text_problems(directory: Path | str | None = None) -> list[str]:
    """What is wrong with the interface texts of a question folder (default: the shipped
    bank), one line each: every file, so that one run shows everything. Another folder
    than the shipped one (an edited copy, a translation) must also have the shipped
    folder's texts, no others, each with the same ``{fields}``: the program names
    exactly those (tests/test_texts.py checks the shipped ones against the code)."""
    folder = _folder(None if directory is None else Path(directory))
    problems = _load_problems(folder)
    shipped = _folder(None)
    if any(folder.glob("*.toml")) and shipped.is_dir() and folder.resolve() != shipped.resolve():
        problems += _differences(folder, shipped)
    return problems


def _load_problems(folder: Path) -> list[str]:
    paths = sorted(folder.glob("*.toml"))
    if not paths:
        return [f"{folder}: no interface texts (*.toml files) in this folder"]
    return [problem for path in paths for problem in _read(path)[1]]


def _fields(text: str) -> set[str] | None:
    """The ``{fields}`` of a text (names only); None if its braces do not parse."""
    try:
        parsed = string.Formatter().parse(text)
        return {field for _, field, _, _ in parsed if field and field.isidentifier()}
    except ValueError:
        return None


def _differences(folder: Path, shipped: Path) -> list[str]:
    problems: list[str] = []
    for reference in sorted(shipped.glob("*.toml")):
        wanted, broken = _read(reference)
        if broken:
            return []  # the shipped texts are no guide; their own problems show elsewhere
        path = folder / reference.name
        if not path.is_file():
            problems.append(f"{path}: file is missing")
            continue
        have, unread = _read(path)
        if unread:
            continue  # its own problems are listed already
        for name, text in wanted.items():
            fields = _fields(text)
            if name not in have:
                problems.append(f"{path}: no text named {name!r}")
            elif fields and _fields(have[name]) != fields:  # a text without is shown as is
                names = ", ".join(f"{{{field}}}" for field in sorted(fields))
                problems.append(
                    f"{path}: {name}: the program fills in {names}; this text has others"
                    " (a brace of its own is written {{ or }})"
                )
        problems.extend(
            f"{path}: {name!r} is not a text the program shows"
            for name in have
            if name not in wanted
        )
    return problems


@cache
def all_texts(directory: Path | None = None) -> Mapping[str, str]:
    """Every interface text by its dotted key: ``[review] title = ...`` in
    ``interface/tui.toml`` is ``tui.review.title``. Raises BankError if a file is
    broken."""
    problems = _load_problems(_folder(directory))
    if problems:
        raise BankError(problems)
    texts: dict[str, str] = {}
    for path in sorted(_folder(directory).glob("*.toml")):
        texts.update((f"{path.stem}.{name}", text) for name, text in _read(path)[0].items())
    return texts


def ui(key: str, /, **fields: object) -> str:
    """The text named ``key``, with ``{name}`` fields filled from ``fields``. Only the
    key's own file is read (``plain.*`` from ``interface/plain.toml``)."""
    stem, _, name = key.partition(".")
    path = _folder(None) / f"{stem}.toml"
    texts, problems = _read(path)
    if problems:
        raise BankError(list(problems))
    try:
        text = texts[name]
    except KeyError:
        raise BankError([f"{path}: no text named {name!r}"]) from None
    if not fields:
        return text
    try:
        return text.format(**fields)
    except KeyError as exc:
        known = ", ".join(f"{{{field}}}" for field in fields)
        raise BankError(
            [f"{path}: {name}: {{{exc.args[0]}}} is not a field of this text (it has {known})"]
        ) from None
    except (IndexError, ValueError, AttributeError, TypeError) as exc:
        raise BankError(
            [f"{path}: {name}: cannot fill in the text ({exc}; write a brace as {{{{ or }}}})"]
        ) from None
