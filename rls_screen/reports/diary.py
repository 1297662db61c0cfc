"""The symptom diary's words (docs/diary.md, spec section 2 "What the pages say"): for the
person's summary and for the clinician page, and the printable page of the nights.

The lowest layer of ``reports``: ``summary`` and ``clinician`` take these lines into
their own blocks and parts, so that text, Markdown and HTML show them alike. Every
wording is in ``questions/interface/diary.toml`` (``[page]``). Every page says
"self-reported": a diary is what the person noticed, never a measurement.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rls_screen.core import vocab
from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.core.diary import DiaryFigures, Night

SHORT_DIARY = 7  # fewer nights than this: "a short diary; two weeks tell more"
SHIFT_SHOWN = -2.0  # an onset this many hours earlier, or more, is said
SHIFT_MAX_PLANCK = -4.0  # what the Max Planck criteria call earlier onset


@dataclass(frozen=True)
class Diary:
    """A diary given to a summary: its nights and their figures (None when no night is
    in the window)."""

    nights: tuple[Night, ...]
    figures: DiaryFigures | None

    @classmethod
    def of(cls, nights: Iterable[Night]) -> Diary:
        from rls_screen.core.diary import figures

        kept = tuple(sorted(nights, key=lambda n: n.night))
        return cls(kept, figures(kept))


@dataclass(frozen=True)
class Figure:
    """One sleep figure: its name, its value with what it means."""

    name: str
    text: str


@dataclass(frozen=True)
class DiaryLines:
    """The diary's part of a page: its heading, its lines in order, the sleep figures,
    and the "self-reported" line that always goes with them."""

    heading: str
    self_reported: str
    lines: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()


def number(value: float) -> str:
    """A figure as the pages show it: 3.0 is "3", 3.5 is "3.5"."""
    return f"{value:g}"


def duration(minutes: int) -> str:
    return ui("diary.page.hours_minutes", hours=minutes // 60, minutes=minutes % 60)


def person_lines(figures: DiaryFigures | None) -> DiaryLines:
    """The diary on the person's summary."""
    heading = ui("diary.page.heading")
    reported = ui("diary.page.self_reported")
    if figures is None:
        return DiaryLines(heading, reported, (ui("diary.page.empty"),))
    f = figures
    lines = [
        ui(
            "diary.page.nights",
            recorded=f.nights_recorded,
            with_symptoms=f.nights_with_symptoms,
            per_week=number(f.symptom_nights_per_week),
        )
    ]
    if f.median_onset is not None:
        lines.append(ui("diary.page.onset", median=f.median_onset, earliest=f.earliest_onset))
    if f.onset_shift_hours is not None and f.onset_shift_hours <= SHIFT_SHOWN:
        lines.append(ui("diary.page.shift", hours=number(-f.onset_shift_hours)))
    if f.nights_recorded < SHORT_DIARY:
        lines.append(ui("diary.page.short"))
    return DiaryLines(heading, reported, tuple(lines), _figures(f, clinician=False))


def clinician_lines(figures: DiaryFigures | None) -> DiaryLines:
    """The diary on the clinician page: the same figures in the third person, with the
    nights whose symptoms began before the dose."""
    heading = ui("diary.page.clinician_heading")
    reported = ui("diary.page.clinician_self_reported")
    if figures is None:
        return DiaryLines(heading, reported, (ui("diary.page.empty"),))
    f = figures
    lines = [
        ui(
            "diary.page.clinician_nights",
            recorded=f.nights_recorded,
            days=f.days,
            first=f.first_night.isoformat(),
            last=f.last_night.isoformat(),
            with_symptoms=f.nights_with_symptoms,
            per_week=number(f.symptom_nights_per_week),
        )
    ]
    if f.median_onset is not None:
        lines.append(
            ui("diary.page.clinician_onset", median=f.median_onset, earliest=f.earliest_onset)
        )
    if f.onset_shift_hours is not None and f.onset_shift_hours <= SHIFT_SHOWN:
        lines.append(ui("diary.page.clinician_shift", hours=number(-f.onset_shift_hours)))
    if f.nights_onset_before_medicine > 0:
        lines.append(ui("diary.page.before_dose", count=f.nights_onset_before_medicine))
    if f.nights_recorded < SHORT_DIARY:
        lines.append(ui("diary.page.short"))
    return DiaryLines(heading, reported, tuple(lines), _figures(f, clinician=True))


def _figures(f: DiaryFigures, clinician: bool) -> tuple[Figure, ...]:
    """The severity and sleep figures that have a value, each with what it means: the
    person's wording, or the clinician's."""

    out = []
    if f.median_severity is not None:
        out.append(
            Figure(
                ui("diary.page.severity"),
                (
                    ui("diary.page.clinician_severity_value", value=f.median_severity)
                    if clinician
                    else ui("diary.page.severity_value", value=f.median_severity)
                ),
            )
        )
    if f.median_sleep_latency is not None:
        out.append(
            Figure(
                ui("diary.page.sleep.latency"),
                (
                    ui(
                        "diary.page.sleep.clinician_latency_value",
                        minutes=f.median_sleep_latency,
                        over=f.nights_latency_over_30,
                    )
                    if clinician
                    else ui(
                        "diary.page.sleep.latency_value",
                        minutes=f.median_sleep_latency,
                        over=f.nights_latency_over_30,
                    )
                ),
            )
        )
    if f.median_awakenings is not None:
        out.append(
            Figure(
                ui("diary.page.sleep.awakenings"),
                (
                    ui("diary.page.sleep.clinician_awakenings_value", count=f.median_awakenings)
                    if clinician
                    else ui("diary.page.sleep.awakenings_value", count=f.median_awakenings)
                ),
            )
        )
    if f.median_total_sleep is not None:
        sleep = duration(f.median_total_sleep)
        out.append(
            Figure(
                ui("diary.page.sleep.total"),
                (
                    ui("diary.page.sleep.clinician_total_value", duration=sleep)
                    if clinician
                    else ui("diary.page.sleep.total_value", duration=sleep)
                ),
            )
        )
    if f.median_sleep_efficiency is not None:
        out.append(
            Figure(
                ui("diary.page.sleep.efficiency"),
                (
                    ui(
                        "diary.page.sleep.clinician_efficiency_value",
                        percent=f.median_sleep_efficiency,
                    )
                    if clinician
                    else ui("diary.page.sleep.efficiency_value", percent=f.median_sleep_efficiency)
                ),
            )
        )
    return tuple(out)


def on_dopamine_medicine(answers: Mapping[str, object] | None) -> bool:
    """Whether the screen's answers name a dopamine-type medicine for RLS."""
    if not answers:
        return False
    treatment = answers.get("rls_treatment", ())
    if not isinstance(treatment, list | tuple):
        return False
    return any(code in treatment for code in vocab.DOPAMINERGIC)


def augmentation_lines(
    figures: DiaryFigures | None, answers: Mapping[str, object] | None
) -> tuple[str, ...]:
    """What the diary adds to the clinician page's augmentation part: an onset about 2
    hours earlier or more, on a dopamine-type medicine (from the screen's answers); at 4
    hours or more, that this is the Max Planck criteria's earlier onset. It never sets
    ``augmentation_concern``, which the instrument defines from the answers alone
    (docs/instrument.md section 3)."""
    if figures is None or figures.onset_shift_hours is None:
        return ()
    shift = figures.onset_shift_hours
    if shift > SHIFT_SHOWN or not on_dopamine_medicine(answers):
        return ()
    lines = [ui("diary.page.augmentation", hours=number(-shift))]
    if shift <= SHIFT_MAX_PLANCK:
        lines.append(ui("diary.page.augmentation_max_planck"))
    return tuple(lines)
