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

Every text is a template (``str.format``), filled in whether or not the program passes
fields: a brace of its own is written ``{{`` or ``}}``. What a template may hold is held
when its file is read (:func:`template_fields`), so that no edited text can crash or
exhaust a command when it is filled in: a field is a plain name, its conversion ``!r``
or none, and its format spec one the shipped texts use.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

from rls_screen.core.errors import BankError
from rls_screen.core.reading import read_regular, size_problems

FOLDER = "interface"  # questions/interface/<file>.toml: tui, plain, serve, commands, ...

# --- what a template may hold ----------------------------------------------------------
# The format specs the shipped texts use (string.Formatter().parse over every text of
# questions/): a count with thousands separators (","), a rate (",.0f"), a share as a
# percent (".0%") and seconds ("g"). Everything else str.format can do is refused: a
# pad or precision that exhausts memory or fails ({x:>99999999}, {x:.999999999f}),
# attribute and index access ({x.__class__}, {x[0]}), nested fields ({x:{y}}),
# positional fields ({}, {0}) and the conversions !s and !a.
NUMBER_SPECS = frozenset({",", ",.0f", ".0%", "g"})
SPECS = NUMBER_SPECS | {""}
CONVERSIONS = frozenset({None, "r"})
# What a field is filled with when a template is tried: a word, a count, a share.
_SAMPLES: tuple[object, ...] = ("sample", 1234, 0.5)
_NUMBERS: tuple[object, ...] = (1234, 0.5)  # where the spec is one for numbers


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
    problems = size_problems(path, data)
    if problems:
        return {}, tuple(problems)
    texts: dict[str, str] = {}
    for name, value in _flatten(data):
        if not isinstance(value, str):
            kind = type(value).__name__
            problems.append(f"{path}: {name}: a text must be a string in quotes, not {kind}")
            continue
        try:
            template_fields(value)
            if f"{path.stem}.{name}" in LOG_FORMATS:
                _check_log_format(value)
            if path.stem in ARGPARSE_FILES and "%" in value.replace("%%", ""):
                raise ValueError("a '%' is written '%%' (the command line's help reads it)")
            if "[" in value and path.stem not in BRACKETS_ALLOWED:
                raise ValueError(
                    "a '[' is read as markup by the terminal app ('[/]' ends it): use ( )"
                )
        except ValueError as exc:
            problems.append(f"{path}: {name}: {exc}")
            continue
        texts[name] = value
    return texts, tuple(problems)


# The files whose texts only ever go to stderr or --help. Every other file's texts may
# reach the terminal app, where Textual reads "[...]" as markup: "[/]" or "[/b]" ends
# the app, "[b]" styles its words and "[@click=app.quit]" runs an action. None of the
# shipped texts there has a "[".
BRACKETS_ALLOWED = frozenset({"bank", "commands"})

# The files whose texts argparse fills in with "%" (the help of each option and
# command): "50%" ends --help with a traceback, "%(prog)999999999s" pads it.
ARGPARSE_FILES = frozenset({"commands"})

# Texts that are also a format of Python's logging (%-style): serve's log lines. Only
# %(message)s, which they must hold, and %% may follow a %: %(message)999999999s would
# pad every line, and a name logging lacks would end serve at its start.
LOG_FORMATS = frozenset({"serve.terminal.log_line"})
_LOG_PERCENT = re.compile(r"%(?:\(message\)s|%)")


def _check_log_format(text: str) -> None:
    if "%(message)s" not in text or "%" in _LOG_PERCENT.sub("", text):
        raise ValueError("must hold %(message)s, and no other % but %%")


def template_fields(text: str, specs: frozenset[str] = SPECS) -> set[str]:
    """The names of the ``{fields}`` of a template, once it is known that it can be
    filled in: every field a plain name, with no conversion or ``!r`` and a spec in
    ``specs``, and each field filled with sample values of every kind it may get (a
    word, a count, a share; a number only where the spec is one for numbers). Raises
    ValueError saying, in a few words, what is wrong and with which field."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise ValueError(
            f"its braces do not parse ({exc}; write a brace as {{{{ or }}}})"
        ) from None
    names: set[str] = set()
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier():
            raise ValueError(
                f"{{{field[:40]}}} must be a plain name such as {{count}}"
                " (a brace of its own is written {{ or }})"
            )
        shown = "{" + field + ("!" + conversion if conversion else "")
        shown += (":" + spec[:20] if spec else "") + "}"
        if conversion not in CONVERSIONS:
            raise ValueError(f"{shown}: only !r may follow a name")
        if spec not in specs:
            allowed = ", ".join(repr(s) for s in sorted(specs - {""}))
            raise ValueError(f"{shown}: the format spec may be none or one of {allowed}")
        for sample in _NUMBERS if spec in NUMBER_SPECS else _SAMPLES:
            try:
                format(repr(sample) if conversion else sample, spec)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{shown} cannot be filled in ({exc})") from None
        names.add(field)
    return names


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
    """The ``{fields}`` of a text (names only); None if it is not a template of ours."""
    try:
        return template_fields(text)
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
            elif _fields(have[name]) != fields:
                names = ", ".join(f"{{{field}}}" for field in sorted(fields or ())) or "no field"
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


def check_file(stem: str) -> None:
    """Raise BankError, one line a problem, if ``interface/<stem>.toml`` of the shipped
    bank has one (the file is read once and kept, as for ui())."""
    problems = _read(_folder(None) / f"{stem}.toml")[1]
    if problems:
        raise BankError(list(problems))


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
    if not fields and "{" not in text and "}" not in text:
        return text  # the most common case, and the fastest
    try:
        try:
            return text.format(**fields)
        except (ValueError, TypeError):
            # A spec for numbers ({count:,}) where the program fills in a word: the word
            # is shown as it is (read() allowed only the specs of the shipped texts).
            return _Lenient().vformat(text, (), fields)
    except KeyError as exc:
        known = ", ".join(f"{{{field}}}" for field in fields) or "none"
        raise BankError(
            [f"{path}: {name}: {{{exc.args[0]}}} is not a field of this text (it has {known})"]
        ) from None
    except (IndexError, ValueError, AttributeError, TypeError) as exc:
        raise BankError(
            [f"{path}: {name}: cannot fill in the text ({exc}; write a brace as {{{{ or }}}})"]
        ) from None


class _Lenient(string.Formatter):
    """Fills in a template as str.format does, but a spec that does not fit its value
    shows the value as it is."""

    def format_field(self, value: object, format_spec: str) -> str:
        try:
            return format(value, format_spec)
        except (ValueError, TypeError):
            return format(value, "")


# --- a second wording, about the person answered for -------------------------------
# Instrument v3, who is answering: when a parent or carer answers for someone else, the
# person's summary and the crisis sentences speak about that person, "{person}" ("your
# child", "the person you answer for") and "{Person}" at the start of a sentence. Such a
# wording lives beside the first one, in a [for_person] table of the same shape that
# holds only the texts it replaces (summary.toml, crisis.toml).
PERSON_FIELDS = frozenset({"person", "Person"})
_PLAIN_SPECS = frozenset({""})


def person_fields(words: str) -> dict[str, str]:
    """The fields a second wording is filled with: ``words`` as they read inside a
    sentence, and with a capital at its start."""
    return {"person": words, "Person": words[:1].upper() + words[1:]}


def _names(text: str) -> set[str]:
    try:
        return template_fields(text, _PLAIN_SPECS)
    except ValueError:
        return set()


def second_wording_problems(
    file: object, first: Mapping[str, object], second: Mapping[str, object], table: str
) -> list[str]:
    """What is wrong with a second wording ``second`` (the ``[table]`` of ``file``)
    beside the ``first``, one line each naming the file, table and key: a key the first
    wording lacks, a value of another kind (a text, a table, a list of as many texts),
    a template that does not parse, or other placeholders than the first text's
    (``{person}`` and ``{Person}`` aside)."""
    problems: list[str] = []
    for key, value in second.items():
        at = {"file": file, "table": table, "key": key}
        if key not in first:
            problems.append(ui("bank.for_person.unknown", **at))
            continue
        had = first[key]
        if isinstance(had, Mapping) and isinstance(value, Mapping):
            problems += second_wording_problems(file, had, value, f"{table}.{key}")
        elif isinstance(had, str) and isinstance(value, str):
            problems += _placeholder_problems(at, had, value)
        elif (
            isinstance(had, list | tuple)
            and isinstance(value, list)
            and len(value) == len(had)
            and all(isinstance(v, str) for v in (*had, *value))
        ):
            for n, (old, new) in enumerate(zip(had, value, strict=True), start=1):
                problems += _placeholder_problems({**at, "key": f"{key}[{n}]"}, old, new)
        else:
            problems.append(ui("bank.for_person.kind", **at))
    return problems


def _placeholder_problems(at: Mapping[str, object], first: str, second: str) -> list[str]:
    try:
        names = template_fields(second, _PLAIN_SPECS) - PERSON_FIELDS
    except ValueError as exc:
        return [ui("bank.for_person.bad_template", **at, reason=exc)]
    wanted = _names(first)
    return [
        *(ui("bank.for_person.extra_placeholder", **at, field=f) for f in sorted(names - wanted)),
        *(ui("bank.for_person.missing_placeholder", **at, field=f) for f in sorted(wanted - names)),
    ]


class _Keep(dict[str, str]):
    """A placeholder that is not the person's stays as it is written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill_second_wording(
    first: Mapping[str, object], second: Mapping[str, object], words: str
) -> dict[str, object]:
    """The first wording with each text of the (checked) ``second`` put in its place,
    about ``words``: ``{person}`` and ``{Person}`` filled in, any other placeholder
    kept for whoever fills the first wording's."""
    fields = _Keep(person_fields(words))
    out = dict(first)
    for key, value in second.items():
        had = first[key]
        if isinstance(value, Mapping) and isinstance(had, Mapping):
            out[key] = fill_second_wording(had, value, words)
        elif isinstance(value, list):
            out[key] = [str(v).format_map(fields) for v in value]
        else:
            out[key] = str(value).format_map(fields)
    return out
