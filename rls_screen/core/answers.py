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
            raise InputError(f"{name}: standard input is closed; give a file name")
        try:
            raw = stdin.buffer.read(MAX_INPUT_BYTES + 1)
        except (OSError, ValueError) as exc:
            raise InputError(f"{name}: cannot read ({_reason(exc)})") from None
    else:
        raw = read_bounded(source, name)
    if len(raw) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than {MAX_INPUT_TEXT}; an answer file is much smaller")
    return decode(raw, name)


def read_bounded(path: str | Path, name: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """Up to ``limit`` + 1 bytes of a regular file (see ``open_regular``)."""
    with open_regular(path, name) as handle:
        try:
            return handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({_reason(exc)})") from None


def os_problem(exc: OSError | ValueError) -> str:
    """Why a file could not be opened, in a few words."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({_reason(exc)})"


def open_regular(path: str | Path, name: str, buffering: int = -1) -> BinaryIO:
    """A regular file, opened for reading. A FIFO, device, socket or folder (or a link to
    one) is refused in one line without waiting on it: opened non-blocking, then
    checked."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:
        raise InputError(f"{name}: {os_problem(exc)}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{name}: is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise InputError(
                f"{name}: not a regular file (a pipe, device or socket); "
                "give a file, or - for standard input"
            )
        os.set_blocking(fd, True)
        return open(fd, "rb", buffering=buffering)  # noqa: SIM115 (the caller closes it)
    except BaseException:
        os.close(fd)
        raise


def _reason(exc: BaseException) -> str:
    return str(getattr(exc, "strerror", None) or exc)


def decode(raw: bytes, name: str) -> str:
    if not raw.strip():
        raise InputError(f"{name}: the file is empty; expected an answer file (JSON)")
    if b"\0" in raw:
        raise InputError(f"{name}: not a text file; expected an answer file (JSON)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not UTF-8 text; expected an answer file (JSON)") from None


class _Refused:
    """A JSON value strict JSON refuses (NaN, Infinity, a number too long to convert),
    kept as a marker so that the object holding it can name its key."""

    def __init__(self, what: str) -> None:
        self.what = what


def _constant(text: str) -> _Refused:
    return _Refused(f"{text} is not allowed (strict JSON)")


def _integer(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > 100:  # no answer is a number; a long one is never converted
        return _Refused(f"a number of {len(text.lstrip('-'))} digits is not allowed")
    return int(text)


def _float(text: str) -> float | _Refused:
    value = float(text)
    if not math.isfinite(value):
        return _Refused(f"{show(text, 24)} is too large a number (strict JSON)")
    return value


def _strict_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _StrictError(f"key {show(key)} is given twice; give it once")
        if isinstance(value, _Refused):
            raise _StrictError(f"{show(key)}: {value.what}")
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


def load_json(text: str, name: str) -> Any:
    """Strict JSON: duplicate keys, NaN, Infinity and overlong numbers are bad input,
    each named by its key."""
    try:
        doc = _DECODER.decode(text)
    except _StrictError as exc:
        raise InputError(f"{name}: not valid JSON ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{name}: not valid JSON (nested too deeply)") from None
    except ValueError as exc:  # e.g. a number Python will not convert
        raise InputError(f"{name}: not valid JSON ({show(str(exc), 60)})") from None
    _check_lists(doc, name)
    if isinstance(doc, _Refused):
        raise InputError(f"{name}: not valid JSON ({doc.what})")
    return doc


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
                    raise InputError(f"{name}: not valid JSON ({value.what})")
                stack.append(value)


def parse_document(doc: Any, bank: Bank, name: str) -> Answers:
    """Check an answer document (already parsed JSON) and return its answers."""
    if not isinstance(doc, dict):
        raise InputError(f"{name}: expected a JSON object with an 'answers' object")
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            raise InputError(
                f"{name}: unknown top-level key {show(key)}; allowed: {', '.join(TOP_LEVEL_KEYS)}"
            )
    instrument = doc.get("instrument", vocab.INSTRUMENT_ID)
    if instrument != vocab.INSTRUMENT_ID:
        raise InputError(
            f"{name}: 'instrument' is {show(instrument)}; "
            f"this tool reads {vocab.INSTRUMENT_ID!r} files"
        )
    version = doc.get("instrument_version", vocab.INSTRUMENT_VERSION)
    if version != bank.instrument.version and (
        not isinstance(version, str) or version.split(".")[0] not in vocab.READABLE_MAJORS
    ):
        raise InputError(
            f"{name}: 'instrument_version' is {show(version)}; this tool reads versions "
            f"{' and '.join(m + '.x' for m in vocab.READABLE_MAJORS)}"
        )
    if "meta" in doc and not isinstance(doc["meta"], dict):
        raise InputError(f"{name}: 'meta' must be a JSON object")
    if "answers" not in doc:
        raise InputError(f"{name}: the 'answers' object is missing")
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
        raise InputError(f"{name}: 'answers' must be a JSON object of item id to answer code")
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
            raise InputError(
                f"{name}: unknown item {show(item_id)}; "
                "see 'rls-screen check-questions' for the ids"
            )
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
    at = f"{name}: item {item_id!r}"
    if value.__class__ is not str:
        raise InputError(f"{at} takes text: a string of 1 to {limit} characters")
    text = value.strip()
    if not text:
        raise InputError(f"{at}: the text is empty; leave the item out if unanswered")
    if len(text) > limit:
        raise InputError(f"{at}: the text has {len(text)} characters; at most {limit} allowed")
    if _CONTROL.search(text):
        raise InputError(f"{at}: the text has a control character; only line breaks are allowed")
    return text


def _single_error(name: str, item_id: str, value: Any, order: tuple[str, ...]) -> str:
    allowed = ", ".join(order)
    if type(value) is not str:
        return f"{name}: item {item_id!r} takes one code as a string; allowed: {allowed}"
    return f"{name}: item {item_id!r}: {show(value)} is not allowed; allowed: {allowed}"


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
        raise InputError(f"{name}: item {item_id!r} takes a list of codes; allowed: {allowed}")
    if not value:
        raise InputError(
            f"{name}: item {item_id!r}: the list is empty; leave the item out if unanswered "
            f"(allowed: {allowed})"
        )
    seen = set()
    for code in value:
        if type(code) is not str or code not in codes:
            raise InputError(
                f"{name}: item {item_id!r}: {show(code)} is not allowed; allowed: {allowed}"
            )
        if code in seen:
            raise InputError(f"{name}: item {item_id!r}: {show(code)} is listed twice")
        seen.add(code)
    raise InputError(f"{name}: item {item_id!r}: 'none' cannot be combined with other codes")


def to_document(answers: Mapping[str, Answer], bank: Bank, meta: dict | None = None) -> dict:
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


def dumps_document(answers: Mapping[str, Answer], bank: Bank, meta: dict | None = None) -> str:
    return json.dumps(to_document(answers, bank, meta), indent=2, ensure_ascii=False) + "\n"
