"""One night's entry as the faces ask it: the fields in order, what each takes, and
what a person types turned into the diary's values (`core.diary.parse_night` then
checks them: its one line is the error a face shows).

Headless and pydantic-free: the terminal's form and ``--plain`` share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What each field takes (spec section 1): a clock time, a whole number, one of a few
# words, or free text.
TIME, NUMBER, CHOICE, TEXT = "time", "number", "choice", "text"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    choices: tuple[str, ...] = ()
    # The feelings' own fields: not asked when the feelings did not come.
    symptoms_only: bool = False


ENTRY: tuple[Field, ...] = (
    Field("symptoms", CHOICE, ("yes", "no", "unsure")),
    Field("onset", TIME, symptoms_only=True),
    Field("severity", NUMBER, symptoms_only=True),
    Field("bed", TIME),
    Field("sleep_latency", NUMBER),
    Field("awakenings", NUMBER),
    Field("awake_minutes", NUMBER),
    Field("wake", TIME),
    Field("out_of_bed", TIME),
    Field("quality", CHOICE, ("very_poor", "poor", "fair", "good", "very_good")),
    Field("rls_medicine_time", TIME),
    Field("caffeine_late", CHOICE, ("yes", "no")),
    Field("alcohol", CHOICE, ("yes", "no")),
    Field("note", TEXT),
)
BY_NAME = {field.name: field for field in ENTRY}

_TIME = re.compile(r"(\d{1,2})[:.h]?(\d{2})")


def applies(field: Field, symptoms: object) -> bool:
    """Whether ``field`` is asked, given the answer to ``symptoms`` so far."""
    return not (field.symptoms_only and symptoms == "no")


def value_of(field: Field, typed: str) -> object:
    """What the person typed as the diary's value: None when nothing was typed; a
    value that cannot be read is passed on as typed, for parse_night to refuse."""
    text = typed.strip()
    if not text:
        return None
    if field.kind == TEXT:
        return " ".join(typed.split()) if typed.strip() else None
    if field.kind == NUMBER:
        return int(text) if text.isascii() and text.isdigit() else text
    if field.kind == TIME:
        found = _TIME.fullmatch(text)
        return f"{int(found[1]):02d}:{found[2]}" if found else text
    word = text.lower().replace(" ", "_").replace("-", "_")
    if word.isdigit() and 1 <= int(word) <= len(field.choices):
        return field.choices[int(word) - 1]  # 1-5 for the quality, 1-3 for the feelings
    starting = [choice for choice in field.choices if choice.startswith(word)]
    return starting[0] if len(starting) == 1 else word


def shown(value: object) -> str:
    """A stored value as it is typed back into the form."""
    return "" if value is None else str(value)
