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
from html import escape
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
    if f.nights_onset_before_medicine:  # None or 0: not said
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


# --- the nights as a table and a chart -------------------------------------------------


def option_labels() -> dict[str, dict[str, str]]:
    """The words of each choice field's codes, as the entry shows them
    (``questions/diary.toml``)."""
    from rls_screen.core.diary import entry_questions

    return {
        q["id"]: {o["code"]: o["label"] for o in q["options"]}
        for q in entry_questions()
        if q.get("options")
    }


def column_headings() -> dict[str, str]:
    return {
        "night": ui("diary.page.columns.night"),
        "symptoms": ui("diary.page.columns.symptoms"),
        "onset": ui("diary.page.columns.onset"),
        "severity": ui("diary.page.columns.severity"),
        "bed": ui("diary.page.columns.bed"),
        "sleep_latency": ui("diary.page.columns.sleep_latency"),
        "awakenings": ui("diary.page.columns.awakenings"),
        "awake_minutes": ui("diary.page.columns.awake_minutes"),
        "wake": ui("diary.page.columns.wake"),
        "out_of_bed": ui("diary.page.columns.out_of_bed"),
        "quality": ui("diary.page.columns.quality"),
        "rls_medicine_time": ui("diary.page.columns.rls_medicine_time"),
        "caffeine_late": ui("diary.page.columns.caffeine_late"),
        "alcohol": ui("diary.page.columns.alcohol"),
        "note": ui("diary.page.columns.note"),
    }


def cells(night: Night, labels: Mapping[str, Mapping[str, str]], missing: str) -> list[str]:
    """A night's row as words, in the diary's field order (the note as written)."""
    from rls_screen.core.diary import FIELDS

    out = []
    for column in FIELDS:
        value = getattr(night, column)
        if value is None:
            out.append(missing)
        elif column == "night":
            out.append(value.isoformat())
        elif column in labels:
            out.append(labels[column][value])
        else:
            out.append(str(value))
    return out


def _lines(figures: DiaryFigures | None) -> list[str]:
    d = clinician_lines(figures)
    return [d.self_reported, *d.lines, *(f"{f.name}: {f.text}" for f in d.figures)]


def _md(text: str) -> str:
    text = " ".join(text.split())
    for ch in ("\\", "*", "_", "`", "#", "<", ">", "[", "]", "|"):
        text = text.replace(ch, "\\" + ch)
    return text


def diary_markdown(nights: Iterable[Night], figures: DiaryFigures | None) -> str:
    """The diary on its own as Markdown (``diary export --format markdown``): the
    figures in words, then the nights as a table (notes escaped, shown literally)."""
    from rls_screen.core.diary import FIELDS

    kept = sorted(nights, key=lambda n: n.night)
    labels = option_labels()
    missing = ui("diary.page.sheet.missing")
    lines = [
        f"# {_md(ui('diary.page.sheet.title'))}",
        "",
        f"*{_md(ui('diary.page.sheet.notice'))}*",
    ]
    lines += ["", f"## {_md(ui('diary.page.sheet.figures_heading'))}", ""]
    lines += [f"- {_md(line)}" for line in _lines(figures)]
    lines += ["", f"## {_md(ui('diary.page.sheet.nights_heading'))}", ""]
    headings = column_headings()
    lines.append("| " + " | ".join(_md(headings[c]) for c in FIELDS) + " |")
    lines.append("|" + "---|" * len(FIELDS))
    for night in kept:
        lines.append("| " + " | ".join(_md(c) for c in cells(night, labels, missing)) + " |")
    return "\n".join(lines) + "\n"


# The chart's geometry, in SVG user units (the SVG scales to the page's width).
_WIDTH = 720
_LEFT = 78  # the night's date
_RIGHT = 34  # the severity
_TOP = 20  # the hours
_ROW = 16
_DAY = 1440
_EVENING = 12 * 60  # 18:00 on the night's line (minutes from 06:00)
_NOON = _DAY + 6 * 60  # 12:00 the next day


def _positions(night: Night) -> dict[str, int]:
    """Where a night's times lie, in minutes from 06:00 of its date (the next day's
    times after 06:00 are past 1440)."""
    from rls_screen.core.diary import after_bed, on_line

    at: dict[str, int] = {}
    if night.onset is not None:
        at["onset"] = on_line(night.onset)
    if night.rls_medicine_time is not None:
        at["medicine"] = on_line(night.rls_medicine_time)
    if night.bed is not None:
        bed = on_line(night.bed)
        at["bed"] = bed
        if night.wake is not None:
            at["wake"] = bed + after_bed(night.bed, night.wake)
            if night.sleep_latency is not None:
                at["asleep"] = min(bed + night.sleep_latency, at["wake"])
        up = night.out_of_bed or night.wake
        if up is not None:
            at["up"] = bed + after_bed(night.bed, up)
    return at


def _hhmm(minutes: int) -> str:
    clock = (minutes + 6 * 60) % _DAY
    return f"{clock // 60:02d}:{clock % 60:02d}"


def _chart(kept: list[Night]) -> tuple[str, list[str]]:
    """The chart as inline SVG (black and white: shapes, never colour alone) and one
    line of words per night, for the text beside it."""
    placed = [_positions(n) for n in kept]
    every = [m for at in placed for m in at.values()]
    start = min([_EVENING, *every]) // 60 * 60
    end = -(-max([_NOON, *every]) // 60) * 60
    span = end - start
    plot = _WIDTH - _LEFT - _RIGHT

    def x(minutes: int) -> float:
        return round(_LEFT + (minutes - start) * plot / span, 1)

    legend_y = _TOP + _ROW * len(kept) + 14
    height = legend_y + 16
    title_id = "diary-chart-title"
    out = [
        f'<svg class="diary-chart" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'aria-labelledby="{title_id}" aria-describedby="diary-chart-text" '
        'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="10">',
        f'<title id="{title_id}">{escape(ui("diary.page.sheet.chart_title"))}</title>',
    ]
    for hour in range(start, end + 1, 180 if span > 18 * 60 else 120):
        out.append(
            f'<line x1="{x(hour)}" y1="{_TOP - 4}" x2="{x(hour)}" '
            f'y2="{_TOP + _ROW * len(kept)}" stroke="#999" stroke-dasharray="2 2"/>'
        )
        out.append(f'<text x="{x(hour)}" y="{_TOP - 7}" text-anchor="middle">{_hhmm(hour)}</text>')
    labels: list[str] = []
    for row, (night, at) in enumerate(zip(kept, placed, strict=True)):
        y = _TOP + row * _ROW
        mid = y + _ROW / 2
        out.append(f'<text x="2" y="{mid + 3.5}">{night.night.isoformat()}</text>')
        parts = []
        if "bed" in at and "up" in at:
            out.append(
                f'<rect x="{x(at["bed"])}" y="{y + 3}" width="{x(at["up"]) - x(at["bed"])}" '
                f'height="{_ROW - 6}" fill="#fff" stroke="#000"/>'
            )
            parts.append(
                ui("diary.page.sheet.chart_bed", start=_hhmm(at["bed"]), end=_hhmm(at["up"]))
            )
        if "asleep" in at:
            out.append(
                f'<rect x="{x(at["asleep"])}" y="{y + 6}" '
                f'width="{x(at["wake"]) - x(at["asleep"])}" height="{_ROW - 12}" fill="#000"/>'
            )
            parts.append(
                ui(
                    "diary.page.sheet.chart_asleep",
                    start=_hhmm(at["asleep"]),
                    end=_hhmm(at["wake"]),
                )
            )
        if "medicine" in at:
            cx = x(at["medicine"])
            out.append(
                f'<circle cx="{cx}" cy="{mid}" r="3.5" fill="#fff" stroke="#000" '
                'stroke-width="1.5"/>'
            )
            parts.append(ui("diary.page.sheet.chart_medicine", time=_hhmm(at["medicine"])))
        if "onset" in at:
            cx = x(at["onset"])
            out.append(
                f'<path d="M{cx} {mid - 6}L{cx + 5} {mid}L{cx} {mid + 6}L{cx - 5} {mid}Z" '
                'fill="#000" stroke="#fff" stroke-width="0.8"/>'
            )
            parts.insert(0, ui("diary.page.sheet.chart_onset", time=_hhmm(at["onset"])))
        if night.severity is not None:
            out.append(
                f'<text x="{_WIDTH - 4}" y="{mid + 3.5}" text-anchor="end" '
                f'font-weight="bold">{night.severity}</text>'
            )
            parts.append(ui("diary.page.sheet.chart_severity", value=night.severity))
        words = ", ".join(parts) or ui("diary.page.sheet.chart_none")
        labels.append(ui("diary.page.sheet.chart_row", night=night.night.isoformat(), parts=words))
    out += _legend(legend_y)
    out.append("</svg>")
    return "\n".join(out), labels


def _legend(y: int) -> list[str]:
    mid = y + 5
    items = [
        (
            f'<path d="M6 {mid - 6}L11 {mid}L6 {mid + 6}L1 {mid}Z" fill="#000"/>',
            ui("diary.page.sheet.legend_onset"),
        ),
        (
            f'<rect x="0" y="{mid - 5}" width="22" height="10" fill="#fff" stroke="#000"/>',
            ui("diary.page.sheet.legend_bed"),
        ),
        (
            f'<rect x="0" y="{mid - 2}" width="22" height="4" fill="#000"/>',
            ui("diary.page.sheet.legend_asleep"),
        ),
        (
            f'<circle cx="5" cy="{mid}" r="3.5" fill="#fff" stroke="#000" stroke-width="1.5"/>',
            ui("diary.page.sheet.legend_medicine"),
        ),
    ]
    out = []
    left = _LEFT
    for shape, words in items:
        out.append(f'<g transform="translate({left} 0)">{shape}')
        out.append(f'<text x="28" y="{mid + 3.5}">{escape(words)}</text></g>')
        left += 40 + 6 * len(words)
    out.append(
        f'<text x="{left}" y="{mid + 3.5}">{escape(ui("diary.page.sheet.legend_severity"))}</text>'
    )
    return out


# On paper the chart's words are left out: the table holds the same nights in words.
STYLE = """
:root { color-scheme: light; }
body { margin: 1.5rem auto; padding: 0 1rem; max-width: 60rem; color: #000; background: #fff;
  font: 11pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
h1 { font-size: 1.5rem; margin: 0 0 .3rem; }
h2 { font-size: 1.1rem; margin: 1rem 0 .3rem; border-bottom: 1px solid #000; }
.notice { border: 2px solid #000; padding: .3rem .6rem; font-weight: 600; margin: .3rem 0; }
ul { margin: .2rem 0; padding-left: 1.2rem; }
li { margin: .05rem 0; }
figure { margin: .5rem 0; }
svg.diary-chart { width: 100%; height: auto; display: block; }
.chart-text { font-size: .9em; }
table { border-collapse: collapse; width: 100%; font-size: .85em; }
th, td { border: 1px solid #000; padding: .1rem .25rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #000; }
td, tbody th { white-space: nowrap; }
tr.note td { white-space: pre-wrap; overflow-wrap: anywhere; border-top: 0; }
@page { size: A4; margin: 12mm; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 8.5pt; }
  * { background: transparent !important; box-shadow: none !important; color: #000 !important; }
  h1 { font-size: 13pt; }
  h2 { font-size: 10pt; margin-top: 6pt; }
  .chart-text { display: none; }
  ul.figures { columns: 2; column-gap: 1.2rem; }
  ul.figures li { break-inside: avoid; }
  table { font-size: 7pt; }
  th, td { padding: 0 .2rem; }
  tr, figure { break-inside: avoid; }
}
""".strip()


def diary_page_html(nights: Iterable[Night], figures: DiaryFigures | None) -> str:
    """The printable page (``diary export --format html``): the figures in words, the
    chart as inline SVG with its words beside it, and the nights as a table. One A4
    page for two weeks, black and white, "self-reported, not a measurement". Every text
    is escaped; nothing is fetched."""
    from rls_screen.core.diary import FIELDS

    kept = sorted(nights, key=lambda n: n.night)
    title = ui("diary.page.sheet.title")
    body = [
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="notice">{escape(ui("diary.page.sheet.notice"))}</p>',
        "</header>",
        f"<h2>{escape(ui('diary.page.sheet.figures_heading'))}</h2>",
        '<ul class="figures">',
        *(f"<li>{escape(line)}</li>" for line in _lines(figures)),
        "</ul>",
    ]
    if kept:
        svg, words = _chart(kept)
        body += [
            "<figure>",
            svg,
            '<figcaption class="chart-text" id="diary-chart-text">',
            f"<strong>{escape(ui('diary.page.sheet.chart_summary'))}</strong>",
            "<ul>",
            *(f"<li>{escape(line)}</li>" for line in words),
            "</ul>",
            "</figcaption>",
            "</figure>",
        ]
        headings = column_headings()
        labels = option_labels()
        missing = ui("diary.page.sheet.missing")
        body += [
            f"<h2>{escape(ui('diary.page.sheet.nights_heading'))}</h2>",
            '<table class="nights">',
            "<thead><tr>"
            + "".join(f'<th scope="col">{escape(headings[c])}</th>' for c in FIELDS[:-1])
            + "</tr></thead>",
            "<tbody>",
        ]
        for night in kept:
            row = cells(night, labels, missing)
            body.append(
                f'<tr><th scope="row">{escape(row[0])}</th>'
                + "".join(f"<td>{escape(c)}</td>" for c in row[1:-1])
                + "</tr>"
            )
            if night.note is not None:
                # The note on a row of its own, across the table: its words as written.
                body.append(
                    f'<tr class="note"><td colspan="{len(FIELDS) - 1}">'
                    f"<strong>{escape(headings['note'])}:</strong> {escape(night.note)}</td></tr>"
                )
        body += ["</tbody>", "</table>"]
    body.append(f'<footer><p class="notice">{escape(ui("diary.page.sheet.notice"))}</p></footer>')
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(ui("reports.language"))}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        '<body class="diary">',
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
