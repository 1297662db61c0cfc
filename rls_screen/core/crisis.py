"""Crisis support by region: who to call, in words a person in distress can act on.

The numbers and sentences are data (``questions/crisis.toml``), so they can be checked
against their sources and fixed without touching code. This module finds the person's
region (``--region``, else the locale) and fills in the sentences; a region without an
entry gets wording that names the kind of service and no number, because a wrong number
in a crisis is worse than none.

Headless: imports neither textual nor rich, nor pydantic (the red-flag dialog needs
this on the way to the screen).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from rls_screen.core.errors import BankError, InputError
from rls_screen.core.locations import default_questions_dir
from rls_screen.core.texts import person_fields, second_wording_problems, template_fields, ui
from rls_screen.core.toml_files import read_toml

FILE_NAME = "crisis.toml"

# Every officially assigned ISO 3166-1 alpha-2 code. Written out: the standard library
# has no list, and the zoneinfo copy is not on every system.
_ASSIGNED = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
    BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
    DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET
    FI FJ FK FM FO FR
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
    HK HM HN HR HT HU
    ID IE IL IM IN IO IQ IR IS IT
    JE JM JO JP
    KE KG KH KI KM KN KP KR KW KY KZ
    LA LB LC LI LK LR LS LT LU LV LY
    MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
    NA NC NE NF NG NI NL NO NP NR NU NZ
    OM
    PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA
    RE RO RS RU RW
    SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
    TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
    UA UG UM US UY UZ
    VA VC VE VG VI VN VU
    WF WS
    YE YT
    ZA ZM ZW
"""
COUNTRY_CODES: frozenset[str] = frozenset(_ASSIGNED.split())

# The keys of each table of crisis.toml.
REGION_KEYS = (
    "name",
    "emergency",
    "crisis_name",
    "crisis_number",
    "crisis_how",
    "source",
    "checked",
)
GENERIC_KEYS = ("emergency", "crisis_name", "crisis_how")
# v3, optional in a region: a children's or young people's line, shown when the person
# the answers are about is under 18; all or none of these, checked against its own source.
YOUTH_KEYS = ("youth_name", "youth_number", "youth_how", "youth_source", "youth_checked")
# Which placeholders each template may use: the generic wording has no number to fill in.
_FOR_ALL = frozenset(GENERIC_KEYS)
_WITH_NUMBER = _FOR_ALL | {"crisis_number"}
TEMPLATES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "emergency_first": _FOR_ALL,
        "emergency_now": _FOR_ALL,
        "if_changes": _FOR_ALL,
        "country": _WITH_NUMBER | {"name"},
        "line": _WITH_NUMBER,
        "generic_line": _FOR_ALL,
        "trust": _FOR_ALL,
        "gentle": _WITH_NUMBER,
        "generic_gentle": _FOR_ALL,
        # With no country known: the emergency numbers of the countries in this file.
        "known": frozenset({"numbers"}),
        "known_entry": frozenset({"emergency", "names"}),
        "youth_line": frozenset({"youth_name", "youth_number", "youth_how"}),
    }
)

_PLAIN = frozenset({""})  # the format specs crisis texts may use: none

# language[_territory][.codeset][@modifier], e.g. en_GB.UTF-8 or de_DE@euro.
_LOCALE = re.compile(r"[A-Za-z]{2,3}_([A-Za-z]{2})(?:\.[A-Za-z0-9_-]+)?(?:@[A-Za-z0-9_-]+)?")
_SHOWN_MAX = 20


@dataclass(frozen=True)
class CrisisSupport:
    """The filled-in crisis texts for one region (``region`` is None for the generic ones)."""

    region: str | None
    emergency: str
    emergency_first: str
    line: str
    trust: str
    gentle: str
    source: str
    checked: str
    emergency_now: str = ""
    if_changes: str = ""
    country: str = ""  # the country the numbers are for, named; empty for the generic
    name: str = ""  # that country's name alone ("the United Kingdom"), for the clinician
    crisis_name: str = ""
    crisis_number: str = ""  # empty for the generic wording
    youth_line: str = ""  # the children's or young people's line, where there is one


@dataclass(frozen=True)
class CrisisData:
    """crisis.toml as loaded and checked: region code -> its fields, and the sentences."""

    path: Path
    regions: Mapping[str, Mapping[str, str]]
    generic: Mapping[str, str]
    texts: Mapping[str, str]
    # v3: [for_person], the sentences a parent or carer reads about the person answered
    # for ("{person}"), each replacing the one of [texts] with the same key.
    for_person: Mapping[str, str]


# --- the region ------------------------------------------------------------------------


# Another name in common use for an assigned code.
_ALIASES = {"UK": "GB"}


def normalise_region(code: str) -> str:
    """``gb`` -> ``GB``, ``UK`` -> ``GB``. Raises InputError (one line) unless it is an
    assigned country code: exactly two ASCII letters once trimmed (``gı`` upper-cases to
    ``GI`` but is not a code)."""
    trimmed = code.strip()
    region = trimmed.upper() if len(trimmed) == 2 and trimmed.isascii() else ""
    region = _ALIASES.get(region, region)
    if region not in COUNTRY_CODES:
        shown = code if len(code) <= _SHOWN_MAX else code[: _SHOWN_MAX - 1] + "…"
        # repr escapes newlines and escape sequences: the value can't break the line.
        raise InputError(ui("bank.crisis.not_a_region", code=shown))
    return region


def region_from_locale(environ: Mapping[str, str]) -> str | None:
    """The locale's territory (``en_GB.UTF-8`` -> ``GB``), or None. Never an error: the
    locale is a hint, and a wrong guess only costs the generic wording."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            break
    else:
        return None
    match = _LOCALE.fullmatch(value)
    if match is None:
        return None
    territory = match.group(1).upper()
    return territory if territory in COUNTRY_CODES else None


def resolve_region(option: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """``--region`` if given (may raise InputError), else the locale's territory."""
    if option is not None:
        return normalise_region(option)
    return region_from_locale(os.environ if environ is None else environ)


# --- the texts -------------------------------------------------------------------------


def crisis_support(
    region: str | None, directory: Path | str | None = None, person: str | None = None
) -> CrisisSupport:
    """The crisis texts for a region; the generic wording when it has no entry. With
    ``person`` (a parent or carer answering: "your child"), the sentences of
    [for_person] about that person take the place of their [texts]."""
    data = load_crisis(directory)
    texts: Mapping[str, str] = data.texts
    about: dict[str, str] = {}
    if person is not None:
        texts = {**data.texts, **data.for_person}
        about = person_fields(person)
    key = region.strip().upper() if region else ""
    if key not in data.regions:
        return _fill(None, data.generic, "generic_line", "generic_gentle", data, texts, about)
    return _fill(key, data.regions[key], "line", "gentle", data, texts, about)


def _fill(
    region: str | None,
    fields: Mapping[str, str],
    line: str,
    gentle: str,
    data: CrisisData,
    texts: Mapping[str, str],
    about: Mapping[str, str],
) -> CrisisSupport:
    values = {**{key: fields[key] for key in _WITH_NUMBER if key in fields}, **about}
    return CrisisSupport(
        region=region,
        emergency=fields["emergency"],
        emergency_first=texts["emergency_first"].format(**values),
        line=texts[line].format(**values),
        emergency_now=texts["emergency_now"].format(**values),
        if_changes=texts["if_changes"].format(**values),
        country=(
            texts["country"].format(name=fields["name"], **values)
            if region
            else _known_numbers(data, texts, about)
        ),
        trust=texts["trust"].format(**values),
        gentle=texts[gentle].format(**values),
        source=fields.get("source", ""),
        checked=fields.get("checked", ""),
        name=fields.get("name", "") if region else "",
        crisis_name=fields["crisis_name"],
        crisis_number=fields.get("crisis_number", ""),
        youth_line=(
            texts["youth_line"].format(**{k: fields[k] for k in YOUTH_KEYS}, **about)
            if region and "youth_name" in fields
            else ""
        ),
    )


def _known_numbers(data: CrisisData, texts: Mapping[str, str], about: Mapping[str, str]) -> str:
    """For a person whose country is not known: the emergency numbers this file knows,
    each with its countries, in the file's order ("911 (United States, Canada); ..."),
    and how to choose the country."""
    countries: dict[str, list[str]] = {}
    for fields in data.regions.values():
        countries.setdefault(fields["emergency"], []).append(fields["name"])
    if not countries:
        return ""
    entry = texts["known_entry"]
    numbers = "; ".join(
        entry.format(emergency=number, names=", ".join(names), **about)
        for number, names in countries.items()
    )
    return texts["known"].format(numbers=numbers, **about)


# --- loading and checking --------------------------------------------------------------


def load_crisis(directory: Path | str | None = None) -> CrisisData:
    """crisis.toml of a question folder (default: the shipped bank), checked. Raises
    BankError listing every problem."""
    return _read(_root(directory))


def crisis_problems(directory: Path | str | None = None) -> list[str]:
    """Every problem of crisis.toml, one line each naming the file, table and key."""
    try:
        load_crisis(directory)
    except BankError as exc:
        return exc.problems
    return []


def _root(directory: Path | str | None) -> Path:
    return Path(directory) if directory is not None else default_questions_dir()


@lru_cache(maxsize=4)
def _read(root: Path) -> CrisisData:
    path = root / FILE_NAME
    data = read_toml(path)
    problems = _check(path, data)
    if problems:
        raise BankError(problems)
    regions = {k: MappingProxyType(v) for k, v in data.items() if k not in _OWN_TABLES}
    return CrisisData(
        path=path,
        regions=MappingProxyType(regions),
        generic=MappingProxyType(data["generic"]),
        texts=MappingProxyType(data["texts"]),
        for_person=MappingProxyType(data.get("for_person", {})),
    )


_OWN_TABLES = ("generic", "texts", "for_person")


def _check(path: Path, data: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    for name, table in data.items():
        if not isinstance(table, dict):
            problems.append(ui("bank.crisis.not_a_table", file=path, table=name))
        elif name == "texts":
            problems += _check_texts(path, table)
        elif name == "generic":
            problems += _check_generic(path, table)
        elif name == "for_person":
            problems += _check_for_person(path, table, data.get("texts"))
        elif name not in COUNTRY_CODES:
            problems.append(ui("bank.crisis.not_a_country", file=path, table=name))
        else:
            youth = {k: v for k, v in table.items() if k in YOUTH_KEYS}
            rest = {k: v for k, v in table.items() if k not in YOUTH_KEYS}
            problems += _check_fields(path, name, rest, REGION_KEYS)
            problems += _check_region(path, name, rest)
            if youth:
                problems += _check_youth(path, name, youth)
    problems += [
        ui("bank.crisis.table_missing", file=path, table=name)
        for name in ("generic", "texts")
        if name not in data
    ]
    return problems


def _check_fields(path: Path, name: str, table: dict[str, Any], keys: tuple[str, ...]) -> list[str]:
    problems = [
        ui("bank.crisis.key_missing", file=path, table=name, key=key)
        for key in keys
        if key not in table
    ]
    for key, value in table.items():
        if key not in keys:
            problems.append(ui("bank.crisis.unknown_key", file=path, table=name, key=key))
        elif not isinstance(value, str) or not value.strip():
            problems.append(ui("bank.crisis.not_a_string", file=path, table=name, key=key))
    return problems


def _check_region(path: Path, name: str, table: dict[str, Any]) -> list[str]:
    problems = []
    for key in ("emergency", "crisis_number"):
        if isinstance(table.get(key), str) and not re.search(r"\d", table[key]):
            problems.append(ui("bank.crisis.no_number", file=path, table=name, key=key))
    if isinstance(table.get("source"), str) and not table["source"].startswith("https://"):
        problems.append(ui("bank.crisis.not_https", file=path, table=name))
    if isinstance(table.get("checked"), str) and not _is_date(table["checked"]):
        problems.append(ui("bank.crisis.not_a_date", file=path, table=name))
    return problems


def _check_youth(path: Path, name: str, table: dict[str, Any]) -> list[str]:
    """A children's or young people's line: all its keys, a number, an https source and
    the date it was checked."""
    problems = _check_fields(path, name, table, YOUTH_KEYS)
    if isinstance(table.get("youth_number"), str) and not re.search(r"\d", table["youth_number"]):
        problems.append(ui("bank.crisis.no_number", file=path, table=name, key="youth_number"))
    source = table.get("youth_source")
    if isinstance(source, str) and not source.startswith("https://"):
        problems.append(ui("bank.crisis.not_https", file=path, table=name))
    checked = table.get("youth_checked")
    if isinstance(checked, str) and not _is_date(checked):
        problems.append(ui("bank.crisis.not_a_date", file=path, table=name))
    return problems


def _check_generic(path: Path, table: dict[str, Any]) -> list[str]:
    problems = _check_fields(path, "generic", table, GENERIC_KEYS)
    for key, value in table.items():
        # A number here would be dialled in a country it was never meant for.
        if isinstance(value, str) and re.search(r"\d", value):
            problems.append(ui("bank.crisis.generic_number", file=path, key=key))
    return problems


def _check_texts(path: Path, table: dict[str, Any]) -> list[str]:
    problems = _check_fields(path, "texts", table, tuple(TEMPLATES))
    for key, allowed in TEMPLATES.items():
        template = table.get(key)
        if not isinstance(template, str):
            continue
        try:
            names = template_fields(template, _PLAIN)  # every field is a word: no spec
        except ValueError as exc:
            problems.append(ui("bank.crisis.bad_template", file=path, key=key, reason=exc))
            continue
        problems += [
            ui("bank.crisis.unknown_placeholder", file=path, key=key, field=field)
            for field in sorted(names - allowed)
        ]
    return problems


def _check_for_person(path: Path, table: dict[str, Any], texts: object) -> list[str]:
    """[for_person]: only sentences of [texts], each a non-empty string with the same
    placeholders as its first wording, and {person} or {Person} besides."""
    first = texts if isinstance(texts, dict) else {}
    first = {k: v for k, v in first.items() if k in TEMPLATES}
    # A sentence of [texts] that is itself wrong is told once, there.
    broken = {k for k, v in first.items() if not _fits(v, TEMPLATES[k])}
    second = {k: v for k, v in table.items() if k not in broken}
    problems = [
        ui("bank.crisis.not_a_string", file=path, table="for_person", key=key)
        for key, value in second.items()
        if key in first and isinstance(value, str) and not value.strip()
    ]
    return problems + second_wording_problems(path, first, second, "for_person")


def _fits(template: object, allowed: frozenset[str]) -> bool:
    if not isinstance(template, str):
        return False
    try:
        return template_fields(template, _PLAIN) <= allowed
    except ValueError:
        return False


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
