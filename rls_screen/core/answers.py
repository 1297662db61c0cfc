"""Answer files (docs/instrument.md section 5): reading, checking and writing.

Answers are held as ``dict[item_id, str | tuple[str, ...]]``: a code for a single-choice
item, a tuple of codes (in the instrument's option order) for a multi-choice item.
Missing items are unanswered.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable, Container, Mapping
from operator import contains
from pathlib import Path
from typing import Any, BinaryIO, cast

from rls_screen.core import vocab
from rls_screen.core.bank import Bank
from rls_screen.core.errors import InputError, show, show_name
from rls_screen.core.texts import ui

Answer = str | tuple[str, ...]
Answers = dict[str, Answer]

TOP_LEVEL_KEYS = ("instrument", "instrument_version", "answers", "meta")

# operator.contains, typed for check_answers' fast path: there an unknown item looks up
# None, and ``contains(None, code)`` raises the TypeError that the fast path catches.
_contains_or_raise = cast("Callable[[Container[object] | None, object], bool]", contains)


# An answer file or record is a few KB; this cap keeps a wrong file (a video, /dev/zero
# behind a symlink, one 200 MB line) from being read into memory.
MAX_INPUT_BYTES = 4 * 1024 * 1024
MAX_INPUT_TEXT = "4 MB"


def read_text(source: str) -> str:
    """Read an input file (or ``-`` for stdin) as text, with one-line errors. Only a
    regular file (or stdin) is read, never more than MAX_INPUT_BYTES."""
    name = "<stdin>" if source == "-" else show_name(source)
    if source == "-":
        stdin = sys.stdin
        if stdin is None or stdin.closed:
            raise InputError(ui("answers.file.stdin_closed", name=name))
        try:
            raw = stdin.buffer.read(MAX_INPUT_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise InputError(_cannot_read(name, exc)) from None
    else:
        raw = read_bounded(source, name)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(ui("answers.file.too_large", name=name, limit=MAX_INPUT_TEXT))
    return decode(raw, name)


def read_bounded(path: str | Path, name: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Up to ``limit`` + 1 bytes of a regular file (see ``open_regular``)."""
    with open_regular(path, name) as handle:
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise InputError(_cannot_read(name, exc)) from None


def os_problem(exc: OSError | ValueError) -> str:
    """Why a file could not be opened, in a few words."""
    if isinstance(exc, FileNotFoundError):
        return ui("answers.file.problem.missing")
    if isinstance(exc, IsADirectoryError):
        return ui("answers.file.problem.folder")
    if isinstance(exc, PermissionError):
        return ui("answers.file.problem.permission")
    return ui("answers.file.problem.unreadable", reason=_reason(exc))


def open_regular(path: str | Path, name: str, buffering: int = -1) -> BinaryIO:
    """A regular file, opened for reading. A FIFO, device, socket or folder (or a link to
    one) is refused in one line without waiting on it: opened non-blocking, then
    checked."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:
        raise InputError(ui("answers.file.failed", name=name, problem=os_problem(exc))) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(
                ui("answers.file.failed", name=name, problem=ui("answers.file.problem.folder"))
            )
        if not stat.S_ISREG(mode):
            raise InputError(ui("answers.file.not_regular", name=name))
        os.set_blocking(fd, True)
        return open(fd, "rb", buffering=buffering)  # noqa: SIM115 (the caller closes it)
    except BaseException:
        os.close(fd)
        raise


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


def _cannot_read(name: str, exc: BaseException) -> str:
    problem = ui("answers.file.problem.unreadable", reason=_reason(exc))
    return ui("answers.file.failed", name=name, problem=problem)


def decode(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise InputError(ui("answers.file.empty", name=name))
    if b"\0" in raw:
        raise InputError(ui("answers.file.not_text", name=name))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(ui("answers.file.not_utf8", name=name)) from None


class _Refused:
    """A JSON value strict JSON refuses (NaN, Infinity, a number too long to convert),
    kept as a marker so that the object holding it can name its key."""

    def __init__(self, what: str) -> None:
        self.what = what


def _constant(text: str) -> _Refused:
    return _Refused(ui("answers.json.constant", value=text))


def _integer(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > 100:  # no answer is a number; a long one is never converted
        return _Refused(ui("answers.json.digits", digits=len(text.lstrip("-"))))
    return int(text)


def _float(text: str) -> float | _Refused:
    value = float(text)
    if not math.isfinite(value):
        return _Refused(ui("answers.json.too_large", value=show(text, 24)))
    return value


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _StrictError(ui("answers.json.key_twice", key=show(key)))
        if isinstance(value, _Refused):
            raise _StrictError(ui("answers.json.refused", key=show(key), refused=value.what))
        out[key] = value
    return out


class _StrictError(ValueError):
    pass


_DECODER = json.JSONDecoder(
    object_pairs_hook=_strict_object,
    parse_constant=_constant,
    parse_int=_integer,
    parse_float=_float,
)


def load_json(text: str, name: str, *, one_line: bool = False) -> Any:
    """Strict JSON: duplicate keys, NaN, Infinity and overlong numbers are bad input,
    each named by its key. ``one_line``: the text is one line of a file whose line the
    name already gives, so an error names the column only."""
    try:
        doc = _DECODER.decode(text)
    except _StrictError as exc:
        raise InputError(_not_json(name, str(exc))) from None
    except json.JSONDecodeError as exc:
        if one_line and exc.lineno == 1:
            where = ui("answers.json.column", column=exc.colno, message=exc.msg)
        else:
            where = ui("answers.json.position", line=exc.lineno, column=exc.colno, message=exc.msg)
        raise InputError(_not_json(name, where)) from None
    except RecursionError:
        raise InputError(_not_json(name, ui("answers.json.nested"))) from None
    except ValueError as exc:  # e.g. a number Python will not convert
        raise InputError(_not_json(name, show(str(exc), 60))) from None
    _check_lists(doc, name)
    if _SURROGATE_HINT.search(text):
        check_unicode(doc, name)
    if isinstance(doc, _Refused):
        raise InputError(_not_json(name, doc.what))
    return doc


# A lone surrogate (U+D800 to U+DFFF) is valid as a JSON escape ("\\ud800") but is not
# Unicode text: it cannot be written as UTF-8, so it would fail later, in a summary, a
# FHIR file or a save. Only a text holding such an escape (or the character itself) is
# walked: a pair that makes one real character is decoded whole and passes.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_HINT = re.compile("[\ud800-\udfff]|\\\\u[dD][89a-fA-F]")


def check_unicode(doc: Any, name: str) -> None:
    """Refuse a lone surrogate in any string, key or value, naming where it is (every
    reader's one message: an answer file, a batch record, a draft)."""
    stack: list[tuple[Any, str]] = [(doc, "")]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                raise InputError(not_unicode(name, where))
        elif isinstance(node, dict):
            for key, value in node.items():
                path = f"{where}.{key}" if where else key
                if _SURROGATE.search(key):
                    raise InputError(not_unicode(name, where, key=key))
                stack.append((value, path))
        elif isinstance(node, list):
            stack.extend((value, f"{where}[{index}]") for index, value in enumerate(node))


def not_unicode(name: str, where: str, key: str | None = None) -> str:
    """The one line for text that is not valid Unicode, at ``where`` (a path of keys)."""
    if key is not None:
        shown = show(key)
        place = ui("answers.json.unicode_key", key=shown, where=show_name(where, 60))
        if not where:
            place = ui("answers.json.unicode_top_key", key=shown)
    else:
        place = show_name(where, 60) if where else ui("answers.json.unicode_document")
    return ui("answers.json.not_unicode", name=name, where=place)


def _not_json(name: str, reason: str) -> str:
    return ui("answers.json.invalid", name=name, reason=reason)


def _check_lists(doc: Any, name: str) -> None:
    """Lists have no hook: a refused value inside one is found here (answers hold lists
    of codes only, so this walk is short)."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, _Refused):
                    raise InputError(_not_json(name, value.what))
                stack.append(value)


def readable_versions() -> str:
    """The instrument versions whose files this tool reads, for a message: "1.x, 2.x
    and 3.x" (answer files and FHIR responses alike)."""
    majors = [major + ".x" for major in vocab.READABLE_MAJORS]
    if len(majors) == 1:
        return majors[0]
    return ui("answers.document.versions", earlier=", ".join(majors[:-1]), later=majors[-1])


def parse_document(doc: Any, bank: Bank, name: str) -> Answers:
    """Check an answer document (already parsed JSON) and return its answers."""
    if not isinstance(doc, dict):
        raise InputError(ui("answers.document.not_object", name=name))
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            allowed = ", ".join(TOP_LEVEL_KEYS)
            raise InputError(
                ui("answers.document.unknown_key", name=name, key=show(key), allowed=allowed)
            )
    instrument = doc.get("instrument", vocab.INSTRUMENT_ID)
    if instrument != vocab.INSTRUMENT_ID:
        raise InputError(
            ui(
                "answers.document.instrument",
                name=name,
                value=show(instrument),
                instrument=vocab.INSTRUMENT_ID,
            )
        )
    version = doc.get("instrument_version", vocab.INSTRUMENT_VERSION)
    if version != bank.instrument.version and (
        not isinstance(version, str) or version.split(".")[0] not in vocab.READABLE_MAJORS
    ):
        versions = readable_versions()
        raise InputError(
            ui("answers.document.version", name=name, value=show(version), versions=versions)
        )
    if "meta" in doc and not isinstance(doc["meta"], dict):
        raise InputError(ui("answers.document.meta", name=name))
    if "answers" not in doc:
        raise InputError(ui("answers.document.no_answers", name=name))
    return check_answers(doc["answers"], bank, name)


def check_answers(raw: Any, bank: Bank, name: str) -> Answers:
    """Check raw answers against the bank; return them in canonical form."""
    if raw.__class__ is dict:
        # Batch scoring runs this for every record, so the all-valid case runs in C: each
        # answer is looked up in its item's allowed codes by map(), without a Python-level
        # step per answer. Multi-choice answers are then checked one by one. Anything odd
        # (an unknown item, a code not allowed, a list where a code belongs) goes to the
        # careful loop below, which finds the first problem and names it.
        try:
            valid = all(map(_contains_or_raise, map(bank.allowed_codes.get, raw), raw.values()))
        except TypeError:  # None for an unknown item, or an unhashable answer
            valid = False
        if valid:
            out = dict(raw)
            for item_id, canonical in bank.multi_choices:
                value = raw.get(item_id)
                if value is None:
                    continue
                try:
                    ordered = canonical.get(frozenset(value))
                except TypeError:  # a list or object inside the list
                    ordered = None
                if ordered is None or len(ordered) != len(value):  # or a code twice
                    multi_rule = bank.answer_rules[item_id]
                    ordered = _check_multi(item_id, multi_rule[2], multi_rule[1], value, name)
                out[item_id] = ordered
            for item_id in bank.text_items:
                if item_id in raw:
                    out[item_id] = check_text(bank, item_id, raw[item_id], name)
            return out
    if not isinstance(raw, Mapping):
        raise InputError(ui("answers.document.answers_not_object", name=name))
    singles = bank.single_codes
    rules = bank.answer_rules
    out = {}
    for item_id, value in raw.items():
        codes = singles.get(item_id)
        if codes is not None:
            if value.__class__ is str and value in codes:
                out[item_id] = value
                continue
            raise InputError(_single_error(name, item_id, value, rules[item_id][2]))
        rule = rules.get(item_id)
        if rule is None:
            raise InputError(ui("answers.answer.unknown_item", name=name, item=show(item_id)))
        if item_id in bank.text_items:
            out[item_id] = check_text(bank, item_id, value, name)
            continue
        out[item_id] = _check_multi(item_id, rule[2], rule[1], value, name)
    return out


# Control characters other than the line break (C0, DEL and C1): a text answer is data
# that every face shows literally, and these would move a terminal's cursor or hide text.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def check_text(bank: Bank, item_id: str, value: Any, name: str) -> str:
    """A free-text answer, trimmed: 1 to ``max_length`` characters, line breaks allowed,
    no other control character."""
    limit = bank.items[item_id].max_length or vocab.TEXT_MAX
    if value.__class__ is not str:
        raise InputError(ui("answers.answer.not_text", name=name, item=item_id, limit=limit))
    text = value.strip()
    if not text:
        raise InputError(ui("answers.answer.empty_text", name=name, item=item_id))
    if len(text) > limit:
        raise InputError(
            ui(
                "answers.answer.text_too_long",
                name=name,
                item=item_id,
                length=len(text),
                limit=limit,
            )
        )
    if _CONTROL.search(text):
        raise InputError(ui("answers.answer.control_character", name=name, item=item_id))
    if _SURROGATE.search(text):
        raise InputError(not_unicode(name, item_id))
    return text


def _single_error(name: str, item_id: str, value: Any, order: tuple[str, ...]) -> str:
    allowed = ", ".join(order)
    if type(value) is not str:
        return ui("answers.answer.not_a_code", name=name, item=item_id, allowed=allowed)
    return ui(
        "answers.answer.not_allowed", name=name, item=item_id, code=show(value), allowed=allowed
    )


def _check_multi(
    item_id: str, order: tuple[str, ...], codes: frozenset[str], value: Any, name: str
) -> tuple[str, ...]:
    if value.__class__ is list and value:
        try:
            seen = set(value)
        except TypeError:  # a list or object inside the list: reported below
            seen = None
        if (
            seen is not None
            and len(seen) == len(value)
            and seen <= codes  # codes are strings, so anything else fails here
            and (len(seen) == 1 or vocab.NONE not in seen)
        ):
            if len(value) == 1:
                return (value[0],)
            return tuple(code for code in order if code in seen)
    _multi_error(item_id, order, codes, value, name)
    raise AssertionError("unreachable")  # pragma: no cover


def _multi_error(
    item_id: str, order: tuple[str, ...], codes: frozenset[str], value: Any, name: str
) -> None:
    """Raise the one-line error for a bad multi-choice answer."""
    allowed = ", ".join(order)
    if type(value) is not list:
        raise InputError(ui("answers.answer.not_a_list", name=name, item=item_id, allowed=allowed))
    if not value:
        raise InputError(ui("answers.answer.empty_list", name=name, item=item_id, allowed=allowed))
    seen = set()
    for code in value:
        if type(code) is not str or code not in codes:
            raise InputError(
                ui(
                    "answers.answer.not_allowed",
                    name=name,
                    item=item_id,
                    code=show(code),
                    allowed=allowed,
                )
            )
        if code in seen:
            raise InputError(
                ui("answers.answer.listed_twice", name=name, item=item_id, code=show(code))
            )
        seen.add(code)
    raise InputError(ui("answers.answer.none_combined", name=name, item=item_id))


def to_document(
    answers: Mapping[str, Answer], bank: Bank, meta: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The answer file for these answers, in instrument order."""
    ordered = {
        item_id: (
            list(answers[item_id]) if isinstance(answers[item_id], tuple) else answers[item_id]
        )
        for item_id in bank.items
        if item_id in answers
    }
    doc: dict[str, Any] = {
        "instrument": vocab.INSTRUMENT_ID,
        "instrument_version": bank.instrument.version,
        "answers": ordered,
    }
    if meta:
        doc["meta"] = meta
    return doc


def dumps_document(
    answers: Mapping[str, Answer], bank: Bank, meta: dict[str, Any] | None = None
) -> str:
    return json.dumps(to_document(answers, bank, meta), indent=2, ensure_ascii=False) + "\n"
