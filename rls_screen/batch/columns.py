"""The columns of a result and its fast encoders, derived from ``engine.Result``.

``engine.Result`` declares the fields of a result object once (docs/instrument.md
section 5; field order is the JSON key order). From its ``model_fields`` this module
derives, once per model (at first use, then cached), everything batch writes of it:

  * the CSV columns: one per field, a nested model's fields flattened as
    ``field.subfield`` (``essential_features.urge``), after the row's own ``source``,
    ``line`` and ``id``;
  * a JSON encoder giving exactly ``json.dumps(result, separators=(",", ":"))`` of a
    result dict (as ``engine.evaluate`` makes it), about three times as fast;
  * a CSV encoder giving the result's cells exactly as ``csv.writer`` writes them, with
    the spreadsheet guard of :func:`spreadsheet_safe` on text from outside the rules.

A field added to ``Result`` is a new key in JSONL and a new column in CSV with no edit
here. The encoders are Python source written for the model's fields and compiled once
(as dataclasses writes ``__init__``): one template per format, no call per field.
What each field's type allows decides how its value is written:

  Literal codes (| None)  as they are, when every code is plain text that neither JSON
                          nor CSV escapes or a spreadsheet takes for a formula
  bool (| None)           true / false (JSON null, CSV empty)
  list of str or codes    codes of the rules' closed vocabulary: JSON ["a","b"], CSV
                          a;b, unescaped (free text, ``own_words``, is never part of a
                          result; tests/test_batch.py checks the output against json
                          and csv)
  str                     any text: through json and :func:`csv_cell` (remembered for a
                          few values: the instrument version is the same on every row)
  a pydantic model        its fields, nested in JSON and flattened in CSV
  anything else           through json, and :func:`cell` in CSV

A result dict of another shape (a key more or less) goes to ``json`` whole.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import json
import re
import string
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from rls_screen.core import engine

# The columns every CSV row starts with: where the record is, and its own id.
ROW_COLUMNS = ("source", "line", "id")

# A cell starting with one of these is a formula to a spreadsheet program.
FORMULA_STARTS = frozenset("=+-@\t\r")
# Characters a CSV cell can hold without quotes (most ids are made of these).
CSV_PLAIN = frozenset(string.ascii_letters + string.digits + "_-.:/ ")

JSON = json.JSONEncoder(separators=(",", ":"))
_JSON_LITERAL = {True: "true", False: "false", None: "null"}
_CSV_LITERAL = {True: "true", False: "false", None: ""}
_REMEMBERED = 64  # values of a str field whose encoding is kept (memory stays flat)


def csv_cell(text: str) -> str:
    """A cell as csv.writer writes it (minimal quoting)."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


# Characters that a terminal or an editor acts on instead of showing: C0 and C1
# controls, DEL, the line and paragraph separators and the bidi overrides. Tab, line
# feed and carriage return stay (CSV quotes a cell that holds them).
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def spreadsheet_safe(text: str) -> str:
    """Text from the input (a file name, a record id) for a CSV cell: controls written
    as escapes (``\\x1b``), so that `cat` of the file never runs one, and a leading '
    when it would start a formula, so that a spreadsheet shows it as text."""
    text = _CONTROLS.sub(_escaped, text)
    return "'" + text if text and text[0] in FORMULA_STARTS else text


def cell(value: Any) -> str:
    """The CSV cell of a value of no known kind: empty for null, true/false, a list
    joined with ';', a number or an object as its JSON; text kept from formulas."""
    if value is None:
        return ""
    if value is True or value is False:
        return _CSV_LITERAL[value]
    if isinstance(value, int | float):
        return JSON.encode(value)
    if isinstance(value, list | tuple):
        text = ";".join(v if isinstance(v, str) else JSON.encode(v) for v in value)
    elif isinstance(value, str):
        text = value
    else:
        text = JSON.encode(value)
    return csv_cell(spreadsheet_safe(text))


# --- the kinds of field ----------------------------------------------------------------

CODE, CODE_OR_NULL, FLAG, CODES, TEXT, MODEL, OTHER = (
    "code", "code_or_null", "flag", "codes", "text", "model", "other"
)  # fmt: skip


def _plain_code(value: object) -> bool:
    """A code written as it is: JSON needs no escape in it, CSV no quotes, no spreadsheet
    takes it for a formula, and it holds no ';' (CSV's list separator)."""
    return (
        isinstance(value, str)
        and JSON.encode(value) == f'"{value}"'
        and csv_cell(spreadsheet_safe(value)) == value
        and ";" not in value
    )


def _codes(annotation: Any) -> bool:
    return get_origin(annotation) is Literal and all(map(_plain_code, get_args(annotation)))


def nested_model(annotation: Any) -> type[BaseModel] | None:
    """The model of a field that is itself a pydantic model (not optional), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def kind_of(annotation: Any) -> str:
    """How a field of this type is written (the table in the module's docstring)."""
    nullable = False
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(rest) != 1:
            return OTHER
        nullable, annotation = True, rest[0]
    if annotation is bool:
        return FLAG
    if _codes(annotation):
        return CODE_OR_NULL if nullable else CODE
    if nullable:
        return OTHER
    if annotation is str:
        return TEXT
    if get_origin(annotation) is list and get_args(annotation):
        item = get_args(annotation)[0]
        if item is str or _codes(item):
            return CODES
    if nested_model(annotation) is not None:
        return MODEL
    return OTHER


# --- columns and encoders --------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What batch writes of a result model: its CSV columns and its encoders."""

    columns: tuple[str, ...]  # the result's CSV columns (after ROW_COLUMNS)
    json: Callable[[dict[str, Any]], str]  # a result dict -> its compact JSON
    csv: Callable[[dict[str, Any]], str]  # a result dict -> its CSV cells, joined with ','


def result_columns(model: type[BaseModel]) -> tuple[str, ...]:
    """The CSV columns of a result: its fields in order, a nested model's flattened as
    ``field.subfield``."""
    columns: list[str] = []
    for name, field in model.model_fields.items():
        nested = nested_model(field.annotation)
        if nested is None:
            columns.append(name)
        else:
            columns += (f"{name}.{sub}" for sub in result_columns(nested))
    return tuple(columns)


class _Source:
    """The Python source of one encoder: statements binding each value to a local, then
    one string put together from constant text and those values."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[tuple[bool, str]] = []  # (constant?, text or expression)
        self.names: dict[str, Any] = {}  # the encoder's globals
        self.locals = 0

    def local(self, expression: str) -> str:
        """A new local bound to ``expression``."""
        self.locals += 1
        name = f"v{self.locals}"
        self.lines.append(f"{name} = {expression}")
        return name

    def constant(self, value: Any) -> str:
        """The name of ``value`` in the encoder's globals."""
        for name, known in self.names.items():
            if known is value:
                return name
        name = f"c{len(self.names) + 1}"
        self.names[name] = value
        return name

    def text(self, text: str) -> None:
        self.parts.append((True, text))

    def value(self, expression: str) -> None:
        self.parts.append((False, expression))

    def remembered(self, value: str, encode: Callable[[str], str]) -> str:
        """A local holding ``encode(value)``, kept for the rows after (a few values)."""
        memo, how = self.constant({}), self.constant(encode)
        done = self.local(f"{memo}.get({value})")
        self.lines += [f"if {done} is None:", f"    {done} = remember({memo}, {how}, {value})"]
        return done

    def compile(self, fallback: str | None) -> Callable[[dict[str, Any]], str]:
        """The encoder. ``fallback`` is what it returns for a dict of another shape (a
        KeyError or TypeError on the way); with None, those errors go to the caller."""
        merged: list[tuple[bool, str]] = []
        for constant, text in self.parts:  # adjacent constant text as one literal
            if constant and merged and merged[-1][0]:
                text = merged.pop()[1] + text
            merged.append((constant, text))
        parts = [repr(text) if constant else f"f'{{{text}}}'" for constant, text in merged]
        body = [*self.lines, "return (", *(f"    {part}" for part in parts), ")"]
        if fallback is None:
            source = "def encode(r):\n" + "".join(f"    {line}\n" for line in body)
        else:
            source = "def encode(r):\n    try:\n"
            source += "".join(f"        {line}\n" for line in body)
            source += f"    except (KeyError, TypeError):\n        return {fallback}\n"
        names = {**self.names, "remember": _remember, "plain": JSON.encode}
        exec(compile(source, "<rls_screen.batch.columns>", "exec"), names)
        encode: Callable[[dict[str, Any]], str] = names["encode"]
        encode.__doc__ = source  # what it does, for a reader
        return encode


def _remember(memo: dict[str, str], encode: Callable[[str], str], value: str) -> str:
    done = encode(value)
    if len(memo) < _REMEMBERED:
        memo[value] = done
    return done


def _json_codes(codes: list[str]) -> str:
    return '["' + '","'.join(codes) + '"]' if codes else "[]"


def _json_object(src: _Source, model: type[BaseModel], mapping: str) -> None:
    """The JSON object of ``mapping`` (a local): the model's fields in order. A dict
    with keys more or fewer than the model's fields goes to json whole."""
    src.lines.append(f"if len({mapping}) != {len(model.model_fields)}: return plain(r)")
    src.text("{")
    for index, (name, field) in enumerate(model.model_fields.items()):
        src.text(("," if index else "") + JSON.encode(name) + ":")
        value = src.local(f"{mapping}[{name!r}]")
        kind = kind_of(field.annotation)
        nested = nested_model(field.annotation)
        if nested is not None:
            _json_object(src, nested, value)
        elif kind == CODE:
            src.text('"')
            src.value(value)
            src.text('"')
        elif kind == CODE_OR_NULL:
            src.lines.append(f"""{value} = 'null' if {value} is None else '"' + {value} + '"'""")
            src.value(value)
        elif kind == FLAG:
            src.value(f"{src.constant(_JSON_LITERAL)}[{value}]")
        elif kind == CODES:
            src.value(f"{src.constant(_json_codes)}({value})")
        elif kind == TEXT:
            src.value(src.remembered(value, JSON.encode))
        else:
            src.value(f"plain({value})")
    src.text("}")


def _csv_cells(src: _Source, model: type[BaseModel], mapping: str) -> list[str]:
    """The expressions of the CSV cells of ``mapping`` (a local): the model's fields in
    order, a nested model's in its place."""
    cells: list[str] = []
    for name, field in model.model_fields.items():
        value = src.local(f"{mapping}[{name!r}]")
        kind = kind_of(field.annotation)
        nested = nested_model(field.annotation)
        if nested is not None:
            cells += _csv_cells(src, nested, value)
        elif kind == CODE:
            cells.append(value)
        elif kind == CODE_OR_NULL:
            src.lines.append(f"{value} = '' if {value} is None else {value}")
            cells.append(value)
        elif kind == FLAG:
            cells.append(f"{src.constant(_CSV_LITERAL)}[{value}]")
        elif kind == CODES:
            cells.append(f"{src.constant(_CSV_JOIN)}({value})")
        elif kind == TEXT:
            cells.append(src.remembered(value, _text_cell))
        else:
            cells.append(f"{src.constant(cell)}({value})")
    return cells


_CSV_JOIN = ";".join


def _text_cell(text: str) -> str:
    return csv_cell(spreadsheet_safe(text))


@cache
def layout_of(model: type[BaseModel]) -> Layout:
    """The columns and encoders of ``model`` (a result model), made once per model."""
    json_source = _Source()
    _json_object(json_source, model, "r")
    csv_source = _Source()
    for index, expression in enumerate(_csv_cells(csv_source, model, "r")):
        if index:
            csv_source.text(",")
        csv_source.value(expression)
    return Layout(
        columns=result_columns(model),
        json=json_source.compile(fallback="plain(r)"),
        csv=csv_source.compile(fallback=None),
    )


def layout() -> Layout:
    """The columns and encoders of ``engine.Result`` (looked up when called: a test may
    put a model with one more field in its place)."""
    return layout_of(engine.Result)
