"""The symptom diary's engine: one night's entry, its checks, and the figures read from
many nights (docs/diary.md; issue 22).

A night is named by the date of its evening. Clock times are ``HH:MM`` strings; ``onset``,
``bed`` and ``rls_medicine_time`` lie on the night's line, from 06:00 of that date to
05:59 the next morning (:func:`on_line`), and ``wake`` and ``out_of_bed`` are the first
such clock time after ``bed`` (:func:`after_bed`).

Headless: imports neither textual nor rich. Every message is data
(``questions/interface/diary.toml``); the entry's questions and labels are
``questions/diary.toml`` (:func:`entry_questions`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rls_screen.core.errors import show, show_name
from rls_screen.core.texts import ui

# The spec's fields, in the spec's order (a public interface: files, CSV columns, FHIR).
FIELDS: tuple[str, ...] = (
    "night",
    "symptoms",
    "onset",
    "severity",
    "bed",
    "sleep_latency",
    "awakenings",
    "awake_minutes",
    "wake",
    "out_of_bed",
    "quality",
    "rls_medicine_time",
    "caffeine_late",
    "alcohol",
    "note",
)

TIME_FIELDS = frozenset({"onset", "bed", "wake", "out_of_bed", "rls_medicine_time"})
# field: (lowest, highest) of a whole number
NUMBER_FIELDS: Mapping[str, tuple[int, int]] = {
    "severity": (0, 10),
    "sleep_latency": (0, 720),
    "awakenings": (0, 50),
    "awake_minutes": (0, 720),
}
CHOICE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "symptoms": ("yes", "no", "unsure"),
    "quality": ("very_poor", "poor", "fair", "good", "very_good"),
    "caffeine_late": ("yes", "no"),
    "alcohol": ("yes", "no"),
}
TEXT_FIELDS = frozenset({"note"})
NOTE_LIMIT = 300
FIRST_NIGHT = datetime.date(2000, 1, 1)
# The night's line starts at 06:00 of the night's date.
LINE_START = 6 * 60
DAY = 24 * 60
# Before this hour, the night being written down is last night (night_for_now).
NEW_NIGHT_HOUR = 14
# The default window of the figures: the most recent 28 days that hold entries.
WINDOW_DAYS = 28
MIN_SHIFT_HALF = 3

_TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

Hhmm = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
YesNo = Literal["yes", "no"]


class Night(BaseModel):
    """One night's entry. Every field but ``night`` may be missing (None)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    night: datetime.date
    symptoms: Literal["yes", "no", "unsure"] | None = None
    onset: Hhmm | None = None
    severity: Annotated[int, Field(ge=0, le=10, strict=True)] | None = None
    bed: Hhmm | None = None
    sleep_latency: Annotated[int, Field(ge=0, le=720, strict=True)] | None = None
    awakenings: Annotated[int, Field(ge=0, le=50, strict=True)] | None = None
    awake_minutes: Annotated[int, Field(ge=0, le=720, strict=True)] | None = None
    wake: Hhmm | None = None
    out_of_bed: Hhmm | None = None
    quality: Literal["very_poor", "poor", "fair", "good", "very_good"] | None = None
    rls_medicine_time: Hhmm | None = None
    caffeine_late: YesNo | None = None
    alcohol: YesNo | None = None
    note: Annotated[str, Field(min_length=1, max_length=NOTE_LIMIT)] | None = None

    def raw(self) -> dict[str, object]:
        """The entry as a diary file holds it: the fields given, in FIELDS order, the
        night as ``YYYY-MM-DD`` (what :func:`parse_night` reads back)."""
        values: dict[str, object] = {"night": self.night.isoformat()}
        for name in FIELDS[1:]:
            value = getattr(self, name)
            if value is not None:
                values[name] = value
        return values

    @property
    def got_up(self) -> str | None:
        """When the person got up: ``out_of_bed``, or ``wake`` when it is missing."""
        return self.out_of_bed if self.out_of_bed is not None else self.wake


class DiaryError(Exception):
    """A bad value: its str is the one line (night, field, what is allowed)."""

    def __init__(self, message: str, *, night: str = "", field: str = "") -> None:
        super().__init__(message)
        self.night = night
        self.field = field


def _allowed(field: str) -> str:
    if field == "night":
        return ui("diary.allowed.night")
    if field in TIME_FIELDS:
        return ui("diary.allowed.time")
    if field == "severity":
        return ui("diary.allowed.severity")
    if field in ("sleep_latency", "awake_minutes"):
        return ui("diary.allowed.minutes")
    if field == "awakenings":
        return ui("diary.allowed.awakenings")
    if field == "symptoms":
        return ui("diary.allowed.symptoms")
    if field == "quality":
        return ui("diary.allowed.quality")
    if field in ("caffeine_late", "alcohol"):
        return ui("diary.allowed.yes_no")
    return ui("diary.allowed.note")


def _bad(night: str, field: str, value: object, allowed: str | None = None) -> DiaryError:
    message = ui(
        "diary.errors.line",
        night=night,
        field=field,
        allowed=_allowed(field) if allowed is None else allowed,
        got=show(value),
    )
    return DiaryError(message, night=night, field=field)


def parse_date(value: object, *, today: datetime.date | None = None) -> datetime.date | None:
    """A night's date from ``YYYY-MM-DD`` (None when it is not one, or out of range)."""
    if isinstance(value, datetime.datetime):
        return None
    if isinstance(value, datetime.date):
        day = value
    elif isinstance(value, str) and _DATE.fullmatch(value):
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    latest = today if today is not None else datetime.date.today()
    if day < FIRST_NIGHT or day > latest:
        return None
    return day


def parse_night(raw: Mapping[str, object], *, today: datetime.date | None = None) -> Night:
    """One night from a mapping of field names to values, strictly: numbers are whole
    numbers (never text, never true/false), times ``HH:MM``, choices their codes, an
    unknown field is an error, None is a missing value. Raises DiaryError."""
    if not isinstance(raw, Mapping):
        raise DiaryError(
            ui("diary.errors.not_a_table", night=ui("diary.errors.no_night"), got=show(raw))
        )
    given = raw.get("night")
    night_name = given if isinstance(given, str) and len(given) <= 40 else ""
    if not night_name:
        night_name = ui("diary.errors.no_night") if given is None else show(given)
    for name in raw:
        if name not in FIELDS:
            raise _bad(
                night_name,
                show(name),
                raw[name],
                ui("diary.errors.unknown_field", fields=", ".join(FIELDS)),
            )
    if given is None:
        message = ui(
            "diary.errors.missing_line",
            night=night_name,
            field="night",
            allowed=ui("diary.allowed.night_missing"),
        )
        raise DiaryError(message, night=night_name, field="night")
    day = parse_date(given, today=today)
    if day is None:
        raise _bad(night_name, "night", given)
    night_name = day.isoformat()
    values: dict[str, Any] = {"night": day}
    for name in FIELDS[1:]:
        value = raw.get(name)
        if value is None:
            continue
        if name in TIME_FIELDS:
            if not (isinstance(value, str) and _TIME.fullmatch(value)):
                raise _bad(night_name, name, value)
        elif name in NUMBER_FIELDS:
            low, high = NUMBER_FIELDS[name]
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise _bad(night_name, name, value)
        elif name in CHOICE_FIELDS:
            if value not in CHOICE_FIELDS[name] or not isinstance(value, str):
                raise _bad(night_name, name, value)
        elif not (
            isinstance(value, str) and 1 <= len(value) <= NOTE_LIMIT and not _CONTROL.search(value)
        ):
            raise _bad(night_name, name, value)
        values[name] = value
    if values.get("symptoms") == "no":
        if values.get("onset") is not None:
            raise _bad(night_name, "onset", values["onset"], ui("diary.errors.symptoms_no"))
        if values.get("severity") not in (None, 0):
            raise _bad(night_name, "severity", values["severity"], ui("diary.errors.symptoms_no"))
    bed, wake, out = values.get("bed"), values.get("wake"), values.get("out_of_bed")
    if bed and wake and out and after_bed(bed, out) < after_bed(bed, wake):
        raise _bad(night_name, "out_of_bed", out, ui("diary.errors.out_before_wake"))
    return Night(**values)


def _minutes(hhmm: str) -> int:
    match = _TIME.fullmatch(hhmm)
    if match is None:
        raise ValueError(hhmm)
    return int(match.group(1)) * 60 + int(match.group(2))


def on_line(hhmm: str) -> int:
    """Minutes from 06:00 of the night's date to this clock time on the night's line
    (0..1439): ``06:00`` is 0, ``21:30`` is 930, ``01:30`` (after midnight) is 1170."""
    return (_minutes(hhmm) - LINE_START) % DAY


def from_line(minutes: int) -> str:
    """The clock time ``HH:MM`` of a place on the night's line (on_line's inverse)."""
    clock = (minutes + LINE_START) % DAY
    return f"{clock // 60:02d}:{clock % 60:02d}"


def after_bed(bed: str, hhmm: str) -> int:
    """Minutes from ``bed`` to the first such clock time after it (0..1439): bed 23:00
    and wake 07:00 is 480. The same clock time as bed is 0."""
    return (_minutes(hhmm) - _minutes(bed)) % DAY


def night_for_now(now: datetime.datetime) -> datetime.date:
    """The night a person is most likely writing down: before 2 pm, last night; from
    2 pm on, tonight."""
    if now.hour < NEW_NIGHT_HOUR:
        return now.date() - datetime.timedelta(days=1)
    return now.date()


@cache
def entry_questions() -> tuple[Mapping[str, Any], ...]:
    """The entry's questions (``questions/diary.toml``'s ``[[fields]]``), in FIELDS
    order: ``id``, ``kind``, ``text``, ``hint`` (may be missing) and, for a choice, its
    ``options`` (``code`` and ``label``)."""
    return tuple(_diary_file()["fields"])


@cache
def diary_texts() -> Mapping[str, str]:
    """``questions/diary.toml``'s ``[diary]`` table: title, intro, self_reported."""
    return dict(_diary_file()["diary"])


@cache
def _diary_file() -> Mapping[str, Any]:
    from rls_screen.core.errors import BankError
    from rls_screen.core.locations import default_questions_dir

    data, problems = _read_diary_file(default_questions_dir())
    if problems:
        raise BankError(problems)
    return data


def diary_problems(directory: Any = None) -> list[str]:
    """What is wrong with a question folder's ``diary.toml`` (default: the shipped one),
    one line each (``rls-screen check-questions`` lists them)."""
    from rls_screen.core.locations import default_questions_dir

    folder = default_questions_dir() if directory is None else directory
    return _read_diary_file(folder)[1]


def _read_diary_file(directory: Any) -> tuple[Mapping[str, Any], list[str]]:
    from pathlib import Path

    from rls_screen.core.errors import BankError
    from rls_screen.core.toml_files import read_toml

    path = Path(directory) / "diary.toml"
    try:
        data = read_toml(path)
    except BankError as exc:
        return {}, list(exc.problems)
    fields = data.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        fields = []
    ids = [f.get("id") for f in fields]
    table = data.get("diary")
    if (
        ids != list(FIELDS)
        or not isinstance(table, dict)
        or not all(isinstance(table.get(k), str) for k in ("title", "intro", "self_reported"))
    ):
        return {}, [
            ui("diary.errors.bank_fields", file=show_name(str(path)), fields=", ".join(FIELDS))
        ]
    problems = []
    for item in fields:
        options = item.get("options", [])
        codes = CHOICE_FIELDS.get(item["id"], ())
        have = (
            [o.get("code") if isinstance(o, dict) else None for o in options]
            if isinstance(options, list)
            else None
        )
        labels_ok = have is not None and all(isinstance(o.get("label"), str) for o in options)
        texts_ok = isinstance(item.get("text"), str) and isinstance(item.get("hint", ""), str)
        if have != list(codes) or not labels_ok or not texts_ok:
            problems.append(
                ui(
                    "diary.errors.bank_options",
                    file=show_name(str(path)),
                    field=item["id"],
                    codes=", ".join(codes),
                )
            )
    return data, problems


# --- the figures (spec section 2) -------------------------------------------------------


class DiaryFigures(BaseModel):
    """What the diary shows over a window of nights: exactly the spec's keys. Every
    figure with nothing to stand on is None (null), never 0 or made up: the medians, and
    the two counts that need a value (``nights_latency_over_30`` when no night has a
    latency, ``nights_onset_before_medicine`` when no night has both times)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    first_night: datetime.date
    last_night: datetime.date
    days: int
    nights_recorded: int
    nights_with_symptoms: int
    symptom_nights_per_week: float
    median_onset: str | None
    earliest_onset: str | None
    onset_shift_hours: float | None
    median_severity: int | None
    median_sleep_latency: int | None
    nights_latency_over_30: int | None
    median_awakenings: int | None
    median_total_sleep: int | None
    median_sleep_efficiency: int | None
    nights_onset_before_medicine: int | None
    self_reported: Literal[True] = True


def _lower_median(values: Sequence[Any]) -> Any:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def _round(value: Fraction, places: int = 0) -> Fraction:
    """Rounded half away from zero (2.25 -> 2.3, -2.25 -> -2.3), not to even."""
    scale = 10**places
    scaled = abs(value) * scale
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole if value >= 0 else -whole, scale)


def window(
    nights: Iterable[Night],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[Night]:
    """The nights the figures read, in date order: from ``start`` to ``end`` (each
    included); by default ending at the newest entry (up to ``end``), and starting 27
    days before that end (28 days in all)."""
    chosen = sorted(
        (
            n
            for n in nights
            if (start is None or n.night >= start) and (end is None or n.night <= end)
        ),
        key=lambda n: n.night,
    )
    if not chosen:
        return []
    if start is None:
        first = chosen[-1].night - datetime.timedelta(days=WINDOW_DAYS - 1)
        chosen = [n for n in chosen if n.night >= first]
    return chosen


def figures(
    nights: Iterable[Night],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> DiaryFigures | None:
    """The figures of the spec's section 2 over the window (see :func:`window`); None
    when no night is in it. A median over an even count is the lower middle value."""
    chosen = window(nights, start=start, end=end)
    if not chosen:
        return None
    first, last = chosen[0].night, chosen[-1].night
    days = (last - first).days + 1
    yes = [n for n in chosen if n.symptoms == "yes"]
    onsets = [on_line(n.onset) for n in yes if n.onset is not None]
    severities = [n.severity for n in yes if n.severity is not None]
    latencies = [n.sleep_latency for n in chosen if n.sleep_latency is not None]
    awakenings = [n.awakenings for n in chosen if n.awakenings is not None]
    totals: list[int] = []
    efficiencies: list[Fraction] = []
    for n in chosen:
        if n.bed is None or n.wake is None or n.sleep_latency is None or n.awake_minutes is None:
            continue
        total = max(0, after_bed(n.bed, n.wake) - n.sleep_latency - n.awake_minutes)
        totals.append(total)
        in_bed = after_bed(n.bed, n.got_up or n.wake)
        if in_bed > 0:
            efficiencies.append(Fraction(total * 100, in_bed))
    both = [n for n in chosen if n.onset is not None and n.rls_medicine_time is not None]
    return DiaryFigures(
        first_night=first,
        last_night=last,
        days=days,
        nights_recorded=len(chosen),
        nights_with_symptoms=len(yes),
        symptom_nights_per_week=float(_round(Fraction(len(yes) * 7, days), 1)),
        median_onset=from_line(_lower_median(onsets)) if onsets else None,
        earliest_onset=from_line(min(onsets)) if onsets else None,
        onset_shift_hours=_onset_shift(chosen),
        median_severity=_lower_median(severities) if severities else None,
        median_sleep_latency=_lower_median(latencies) if latencies else None,
        nights_latency_over_30=sum(1 for v in latencies if v > 30) if latencies else None,
        median_awakenings=_lower_median(awakenings) if awakenings else None,
        median_total_sleep=_lower_median(totals) if totals else None,
        median_sleep_efficiency=(
            int(_round(_lower_median(efficiencies))) if efficiencies else None
        ),
        nights_onset_before_medicine=(
            sum(1 for n in both if on_line(n.onset or "") < on_line(n.rls_medicine_time or ""))
            if both
            else None
        ),
    )


def _onset_shift(chosen: Sequence[Night]) -> float | None:
    """Median onset of the later half minus that of the earlier half, in hours (one
    decimal), over the nights with an onset in date order; the middle night left out
    when the count is odd; None unless each half has at least 3 nights."""
    onsets = [on_line(n.onset) for n in chosen if n.onset is not None]
    half = len(onsets) // 2
    if half < MIN_SHIFT_HALF:
        return None
    earlier, later = onsets[:half], onsets[-half:]
    shift = Fraction(_lower_median(later) - _lower_median(earlier), 60)
    return float(_round(shift, 1))
