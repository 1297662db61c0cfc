"""The clinician summary: one page for the doctor, built from the same answers and result
as the person's summary, with the answers behind each finding and then every answer.

Its wording is data (``questions/clinician.toml``); this module chooses, orders and lays
it out as text or Markdown (HTML is in ``rls_screen.reports.html``). It is a screening summary of
what the patient reported, never a diagnosis.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, ValidationError

from rls_screen.core import vocab
from rls_screen.core.answers import Answer
from rls_screen.core.bank import NOT_A_DIAGNOSIS, Bank, invalid
from rls_screen.core.decisions import augmentation_status, augmentation_with_parkinsons
from rls_screen.core.engine import (
    FACTOR_ITEMS,
    SUPPORTIVE_ITEMS,
    Result,
    akathisia_from_medicine_only,
    condition_holds,
    course_reason,
    effective_answers,
    score,
)
from rls_screen.core.errors import BankError
from rls_screen.core.locations import default_questions_dir
from rls_screen.core.texts import ui
from rls_screen.core.toml_files import read_toml

if TYPE_CHECKING:
    from rls_screen.reports.diary import Diary

FILE_NAME = "clinician.toml"

# --- the texts (questions/clinician.toml) --------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Headings(_Model):
    criteria: str
    lookalikes: str
    course: str
    significance: str
    supportive: str
    factors: str
    augmentation: str
    red_flags: str
    red_flags_unsure: str
    tests: str
    answers: str
    other_concerns: str


class Columns(_Model):
    criterion: str
    status: str
    answers: str
    question: str
    answer: str


class Labels(_Model):
    overall: str
    urgency: str
    none: str
    not_answered: str
    red_flags_unanswered: str
    no_tests: str
    unanswered: str
    respondent: str
    crisis_numbers: str
    crisis_generic: str
    on_treatment: str
    carer_adult: str
    version: str
    pregnancy_stage: str
    one_side: str
    medicine_list: str


class SignificanceText(_Model):
    yes: str
    no: str
    unknown: str


class AugmentationText(_Model):
    concern: str
    no_concern: str
    not_applicable: str
    not_answered: str
    parkinsons: str


class ClinicianTexts(_Model):
    title: str
    notice: str
    pediatric: str
    lookalikes_intro: str
    akathisia_medicine: str
    iron_note: str
    iron_thresholds: str
    lookalikes_unclear: str
    red_flags_unsure_intro: str
    headings: Headings
    columns: Columns
    labels: Labels
    respondent: dict[str, str]
    criteria: dict[str, str]
    status: dict[str, str]
    patterns: dict[str, str]
    lookalikes: dict[str, str]
    course: dict[str, str]
    course_reasons: dict[str, str]
    significance: SignificanceText
    supportive: dict[str, str]
    factors: dict[str, str]
    augmentation: AugmentationText
    red_flags: dict[str, str]
    urgency: dict[str, str]
    tests: dict[str, str]
    other_concerns: dict[str, str]


# The vocabularies each keyed table of clinician.toml must cover exactly.
CLINICIAN_KEYS: dict[str, tuple[str, ...]] = {
    "criteria": vocab.FEATURES,
    "status": vocab.FEATURE_STATUSES,
    "patterns": vocab.PATTERNS,
    "lookalikes": tuple(vocab.LOOKALIKE_ITEMS.values()),
    "course": (*vocab.COURSES, "not_applicable", "not_answered"),
    "course_reasons": vocab.COURSE_REASONS,
    "supportive": vocab.SUPPORTIVE,
    "factors": vocab.FACTORS,
    "red_flags": vocab.RED_FLAGS,
    "urgency": vocab.URGENCIES,
    "respondent": vocab.RESPONDENTS,
    "tests": vocab.TESTS,
    "other_concerns": vocab.OTHER_CONCERNS,
}


def clinician_problems(directory: Path | str | None = None) -> list[str]:
    """Every problem of ``clinician.toml`` in a question folder, one line each naming the
    file and the key (what ``check-questions`` lists)."""
    try:
        _read(_root(directory))
    except BankError as exc:
        return exc.problems
    return []


def load_clinician_texts(directory: Path | str | None = None) -> ClinicianTexts:
    """The clinician texts of a question folder (default: the shipped bank). Raises
    BankError listing every problem."""
    return _read(_root(directory))


def _root(directory: Path | str | None) -> Path:
    return Path(directory) if directory else default_questions_dir()


@lru_cache(maxsize=4)
def _read(root: Path) -> ClinicianTexts:
    path = root / FILE_NAME
    data = read_toml(path)
    try:
        texts = ClinicianTexts.model_validate(data)
    except ValidationError as exc:
        problems = [
            invalid(path, " ".join(str(part) for part in err["loc"]), err["msg"])
            for err in exc.errors()
        ]
        raise BankError(problems) from None
    problems = _check_keys(path, texts)
    if problems:
        raise BankError(problems)
    return texts


def _check_keys(path: Path, texts: ClinicianTexts) -> list[str]:
    problems = []
    for table, keys in CLINICIAN_KEYS.items():
        have = getattr(texts, table)
        problems += [
            ui("bank.clinician.no_text", file=path, table=table, key=k)
            for k in keys
            if k not in have
        ]
        problems += [
            ui("bank.clinician.not_produced", file=path, table=table, key=k)
            for k in have
            if k not in keys
        ]
    if NOT_A_DIAGNOSIS not in texts.notice:
        problems.append(ui("bank.clinician.notice", file=path, phrase=NOT_A_DIAGNOSIS))
    return problems


# --- the report ----------------------------------------------------------------------

# The items behind each essential feature (docs/instrument.md section 3; criterion 1 also
# shows how the feelings are described, in the person's own words too, and where).
CRITERION_ITEMS: dict[str, tuple[str, ...]] = {
    "urge": ("urge", "sensations", "own_words", "body_parts", "sides"),
    "rest": ("rest",),
    "movement": ("movement", "movement_past"),
    "evening": ("evening", "evening_past", "onset_time"),
}
COURSE_ITEMS = ("frequency", "frequency_untreated", "duration", "lifetime_episodes")
IMPACT_ITEMS = ("sleep_impact", "daytime_impact", "bother")
# v3: when it starts now and before the dopamine-type medicine, side by side.
AUGMENTATION_EVIDENCE = (
    "rls_treatment",
    *vocab.AUGMENTATION_ITEMS,
    "onset_time",
    "onset_time_before",
)
OTHER_CONCERN_ITEMS = {"daytime_sleepiness": ("dozing",), "impulse_control": ("impulse",)}
_LOOKALIKE_ITEM = {flag: item for item, flag in vocab.LOOKALIKE_ITEMS.items()}
# The parts the page opens with, after the urgency.
_FLAG_PARTS = ("red_flags", "red_flags_unsure")
# The answers behind each red flag (self-harm: with whether the person feels safe now).
_RED_FLAG_EVIDENCE = {
    **{flag: (item,) for item, flag in vocab.WARNING_ITEMS.items()},
    "self_harm": ("mood", vocab.SAFE_NOW_ITEM),
    "gi_bleeding": ("blood_loss",),
}


@dataclass(frozen=True)
class AnswerLine:
    item_id: str
    question: str
    answer: str
    answered: bool


@dataclass(frozen=True)
class CriterionRow:
    feature: str
    criterion: str
    status: str
    status_label: str
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class Finding:
    text: str
    answers: tuple[AnswerLine, ...] = ()


@dataclass(frozen=True)
class Part:
    key: str
    heading: str
    intro: str = ""
    findings: tuple[Finding, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class AnswerGroup:
    section_id: str
    title: str
    answers: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class ClinicianReport:
    """The page in order: the urgency (a heading line) and the specific red flags first
    (yes, unsure and not answered), then the notes, the criteria and the findings."""

    title: str
    notice: str
    urgency: str
    flags: tuple[Part, ...]
    alerts: tuple[str, ...]
    overall: str
    version: str  # which instrument the answers were given to: a plain line, no alert
    criteria_heading: str
    columns: Columns
    criteria: tuple[CriterionRow, ...]
    parts: tuple[Part, ...]
    answers_heading: str
    groups: tuple[AnswerGroup, ...]
    result: Result


class _Answers:
    """Answer lines for shown items only: an answer to a hidden item is never shown."""

    def __init__(self, bank: Bank, answers: Mapping[str, Answer], unanswered: str) -> None:
        self.bank = bank
        self.kept = effective_answers(bank, answers)
        self.unanswered = unanswered

    def line(self, item_id: str) -> AnswerLine | None:
        item = self.bank.items.get(item_id)
        if item is None or not condition_holds(item, self.kept):
            return None
        item = item.worded(self.kept.get(vocab.RESPONDENT_ITEM))
        answer = self.kept.get(item_id)
        if answer is None:
            return AnswerLine(item_id, item.text, self.unanswered, False)
        return AnswerLine(item_id, item.text, item.describe(answer, "; "), True)

    def lines(self, item_ids: Iterable[str]) -> tuple[AnswerLine, ...]:
        return tuple(line for i in item_ids if (line := self.line(i)) is not None)

    def none_answered(self, item_ids: Iterable[str]) -> bool:
        """Whether every shown item of ``item_ids`` was left unanswered: such a section
        reads "not answered", never "none reported" (docs/instrument.md section 4)."""
        lines = self.lines(item_ids)
        return bool(lines) and not any(line.answered for line in lines)


def build_clinician_report(
    bank: Bank,
    answers: Mapping[str, Answer],
    texts: ClinicianTexts | None = None,
    region: str | None = None,
    diary: Diary | None = None,
) -> ClinicianReport:
    """Choose the clinician texts and the answers behind them, in page order. ``region``
    is the one whose crisis numbers the person's summary showed (None: the generic
    wording); the page says which, when any were shown. A ``diary`` adds its part after
    the significance, and an earlier onset on a dopamine-type medicine joins the
    augmentation part (docs/diary.md)."""
    t = texts or load_clinician_texts(bank.source or None)
    result = score(bank, answers)
    a = _Answers(bank, answers, t.labels.unanswered)
    features = result.essential_features.model_dump()
    criteria = tuple(
        CriterionRow(
            f, t.criteria[f], features[f], t.status[features[f]], a.lines(CRITERION_ITEMS[f])
        )
        for f in vocab.FEATURES
    )
    alerts = []
    if result.pediatric:
        alerts.append(t.pediatric)
    respondent = a.kept.get("respondent")
    if isinstance(respondent, str) and respondent != "self":
        alerts.append(f"{t.labels.respondent}: {t.respondent[respondent]}.")
    stage = a.line("pregnancy_stage")  # shown when pregnant
    if stage is not None:
        alerts.append(f"{t.labels.pregnancy_stage}: {stage.answer}.")
    age = a.kept.get("age_group")
    if respondent == "for_person" and isinstance(age, str) and age != "under_18":
        alerts.append(t.labels.carer_adult)
    parts = _parts(t, result, a, _crisis_shown(bank, t, result, a, region))
    if diary is not None:
        parts = _with_diary(parts, diary, a.kept)
    return ClinicianReport(
        title=t.title,
        notice=t.notice,
        urgency=f"{t.labels.urgency}: {t.urgency[result.urgency]}",
        flags=tuple(p for p in parts if p.key in _FLAG_PARTS),
        alerts=tuple(alerts),
        overall=f"{t.labels.overall}: {t.patterns[result.pattern]}",
        version=f"{t.labels.version}: {vocab.INSTRUMENT_ID} {result.instrument_version}.",
        criteria_heading=t.headings.criteria,
        columns=t.columns,
        criteria=criteria,
        parts=tuple(p for p in parts if p.key not in _FLAG_PARTS),
        answers_heading=t.headings.answers,
        groups=tuple(
            AnswerGroup(s.id, s.title, lines)
            for s in bank.sections
            if (lines := a.lines(item.id for item in s.items))
        ),
        result=result,
    )


def _with_diary(
    parts: tuple[Part, ...], diary: Diary, answers: Mapping[str, Answer]
) -> tuple[Part, ...]:
    from rls_screen.reports.diary import augmentation_lines, clinician_lines

    d = clinician_lines(diary.figures)
    findings = (
        *(Finding(line) for line in d.lines),
        *(Finding(f"{f.name}: {f.text}") for f in d.figures),
    )
    part = Part("diary", d.heading, d.self_reported, findings)
    extra = tuple(Finding(line) for line in augmentation_lines(diary.figures, answers))
    out: list[Part] = []
    for p in parts:
        if p.key == "augmentation" and extra:
            p = Part(p.key, p.heading, p.intro, p.findings + extra, p.note)
        out.append(p)
        if p.key == "significance":
            out.append(part)
    return tuple(out)


def _crisis_shown(
    bank: Bank, t: ClinicianTexts, result: Result, a: _Answers, region: str | None
) -> Finding | None:
    """Which country's crisis numbers the person was shown, if any were (self-harm
    thoughts, or "prefer not to say"): a wrong locale shows another country's numbers."""
    if "self_harm" not in result.red_flags and a.kept.get("mood") != "prefer_not":
        return None
    from rls_screen.core.crisis import crisis_support

    crisis = crisis_support(region, bank.source or None)
    if crisis.region is None:
        return Finding(t.labels.crisis_generic)
    return Finding(
        t.labels.crisis_numbers.format(
            name=crisis.name,
            region=crisis.region,
            emergency=crisis.emergency,
            crisis_name=crisis.crisis_name,
            crisis_number=crisis.crisis_number,
        )
    )


def _parts(
    t: ClinicianTexts, result: Result, a: _Answers, crisis: Finding | None = None
) -> tuple[Part, ...]:
    h = t.headings
    none = (Finding(t.labels.none),)
    not_answered = (Finding(t.labels.not_answered),)

    def none_or_not_answered(items: Iterable[str]) -> tuple[Finding, ...]:
        return not_answered if a.none_answered(items) else none

    order = tuple(_LOOKALIKE_ITEM)  # the order they are asked in
    names = dict(t.lookalikes)
    if akathisia_from_medicine_only(a.kept):
        names["akathisia"] = t.akathisia_medicine
    lookalikes = tuple(
        Finding(names[flag], a.lines(_lookalike_evidence(flag)))
        for flag in order
        if flag in result.lookalikes
    )
    lookalike_items = (*vocab.LOOKALIKE_ITEMS, "medications")
    if result.lookalikes_unclear and not a.none_answered(lookalike_items):
        lookalikes += (Finding(t.lookalikes_unclear),)
        lookalikes += tuple(
            Finding(t.lookalikes[flag], a.lines((_LOOKALIKE_ITEM[flag],)))
            for flag in order
            if flag in result.lookalikes_unclear
        )
    if result.pattern == "incomplete":
        course = t.course["not_answered"]
    else:
        course = t.course[result.course or "not_applicable"]
    if result.course == "undetermined":
        course = f"{course} {t.course_reasons[course_reason(a.kept)]}"
    significance = {
        True: t.significance.yes,
        False: t.significance.no,
        None: t.significance.unknown,
    }
    augmentation = getattr(t.augmentation, augmentation_status(a.bank, a.kept, result))
    if augmentation_with_parkinsons(result):
        augmentation = f"{augmentation} {t.augmentation.parkinsons}"
    red_flags = tuple(
        Finding(t.red_flags[flag], a.lines(_RED_FLAG_EVIDENCE[flag]))
        for flag in vocab.RED_FLAGS
        if flag in result.red_flags
    )
    unsure = tuple(
        Finding(t.red_flags[flag], a.lines(_RED_FLAG_EVIDENCE[flag]))
        for flag in vocab.RED_FLAGS
        if flag in result.red_flags_unsure
    )
    if not red_flags and not a.none_answered(vocab.UNANSWERED_FLAG_ITEMS):
        red_flags = none
    if crisis is not None:
        red_flags += (crisis,)
    if result.red_flags_unanswered:
        # Skipped is never "none": the signs not answered, with their questions.
        skipped = result.red_flags_unanswered
        items = [i for i, f in vocab.UNANSWERED_FLAG_ITEMS.items() if f in skipped]
        red_flags += (Finding(t.labels.red_flags_unanswered, a.lines(items)),)
    tests = _named(t.tests, vocab.TESTS, result.tests_to_discuss)
    iron = bool(vocab.IRON_TESTS.intersection(result.tests_to_discuss))
    tests_note = f"{t.iron_note} {t.iron_thresholds}" if iron else t.iron_thresholds
    return (
        Part(
            "lookalikes",
            h.lookalikes,
            t.lookalikes_intro if result.lookalikes else "",
            (lookalikes or none_or_not_answered(lookalike_items)) + _one_side(t, a),
        ),
        Part("course", h.course, findings=(Finding(course, a.lines(COURSE_ITEMS)),)),
        Part(
            "significance",
            h.significance,
            findings=(Finding(significance[result.clinically_significant], a.lines(IMPACT_ITEMS)),)
            + _on_treatment(t, a),
        ),
        Part(
            "supportive",
            h.supportive,
            findings=_named(t.supportive, vocab.SUPPORTIVE, result.supportive_features)
            or none_or_not_answered(SUPPORTIVE_ITEMS),
        ),
        Part(
            "factors",
            h.factors,
            findings=(
                _named(t.factors, vocab.FACTORS, result.contributing_factors)
                or none_or_not_answered(FACTOR_ITEMS)
            )
            + _medicine_list(t, a),
        ),
        *(
            (
                Part(
                    "other_concerns",
                    h.other_concerns,
                    findings=tuple(
                        Finding(t.other_concerns[c], a.lines(OTHER_CONCERN_ITEMS[c]))
                        for c in vocab.OTHER_CONCERNS
                        if c in result.other_concerns
                    ),
                ),
            )
            if result.other_concerns
            else ()
        ),
        Part(
            "augmentation",
            h.augmentation,
            findings=(Finding(augmentation, a.lines(AUGMENTATION_EVIDENCE)),),
        ),
        Part("red_flags", h.red_flags, findings=red_flags),
        Part(
            "red_flags_unsure",
            h.red_flags_unsure,
            t.red_flags_unsure_intro if result.red_flags_unsure else "",
            unsure or none_or_not_answered(vocab.UNANSWERED_FLAG_ITEMS),
        ),
        Part(
            "tests",
            h.tests,
            findings=tests or (Finding(t.labels.no_tests),),
            note=tests_note,
        ),
    )


def _on_treatment(t: ClinicianTexts, a: _Answers) -> tuple[Finding, ...]:
    """On treatment, the impact is as reported on it: say so, with the untreated
    frequency beside it."""
    line = a.line("frequency_untreated")
    if line is None:  # not on treatment
        return ()
    return (Finding(f"{t.labels.on_treatment} {line.answer}."),)


def _one_side(t: ClinicianTexts, a: _Answers) -> tuple[Finding, ...]:
    """Felt always on the same one side: a nerve root or a local cause is worth
    considering (v3)."""
    if a.kept.get("sides") != "one_side":
        return ()
    return (Finding(t.labels.one_side, a.lines(("sides",))),)


def _medicine_list(t: ClinicianTexts, a: _Answers) -> tuple[Finding, ...]:
    """The medicines the patient listed, as typed (never read by the rules; v3)."""
    lines = tuple(line for line in a.lines(("medicine_list",)) if line.answered)
    return (Finding(t.labels.medicine_list, lines),) if lines else ()


def _lookalike_evidence(flag: str) -> tuple[str, ...]:
    # Akathisia can also come from a dopamine-blocking medicine (docs/instrument.md section 3).
    if flag == "akathisia":
        return (_LOOKALIKE_ITEM[flag], "medications")
    return (_LOOKALIKE_ITEM[flag],)


def _named(texts: dict[str, str], order: tuple[str, ...], codes: list[str]) -> tuple[Finding, ...]:
    """Findings in the vocabulary's order, which groups related codes (iron tests first)."""
    return tuple(Finding(texts[c]) for c in order if c in codes)


# --- text ----------------------------------------------------------------------------

WIDTH = 100
_GAP = "  "


def _wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _wrap_qa(line: AnswerLine, width: int, first: str = "", rest: str = "") -> list[str]:
    """A question and its answer; a short answer is kept on one line."""
    answer = line.answer.replace(" ", "\0") if len(line.answer) <= 24 else line.answer
    text = f"{' '.join(line.question.split())} [{answer}]"
    return [out.replace("\0", " ") for out in _wrap(text, width, first, rest)]


Cell = list[str] | list[AnswerLine]


def text_table(
    headers: list[str],
    rows: list[list[Cell]],
    widths: list[int],
    hang: tuple[int, ...] = (),
) -> list[str]:
    """An aligned table. A cell is one text (wrapped, with ``hang`` spaces before its
    following lines) or a list of answers (a dashed list)."""

    def cell_lines(cell: Cell, width: int, indent: int) -> list[str]:
        if not cell:
            return [""]
        if isinstance(cell[0], AnswerLine):
            return [out for x in cell for out in _wrap_qa(x, width, "- ", "  ")]
        return _wrap(" ".join(cell), width, "", " " * indent)

    def join(cells: list[list[str]]) -> list[str]:
        out = []
        for i in range(max(len(c) for c in cells)):
            parts = [
                (c[i] if i < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)
            ]
            out.append(_GAP.join(parts).rstrip())
        return out

    hang = hang or (0,) * len(widths)
    lines = join([[h] for h in headers])
    lines.append(_GAP.join("-" * w for w in widths))
    for row in rows:
        lines += join(
            [cell_lines(cell, w, i) for cell, w, i in zip(row, widths, hang, strict=True)]
        )
    return lines


def render_text(report: ClinicianReport, width: int = WIDTH) -> str:
    lines = [report.title, "=" * min(len(report.title), width), ""]
    lines += _wrap(report.notice, width)

    def heading(text: str, rule: str = "-") -> None:
        lines.extend(["", text, rule * min(len(text), width)])

    def part_lines(part: Part) -> None:
        heading(part.heading)
        if part.intro:
            lines.extend(_wrap(part.intro, width))
        for finding in part.findings:
            lines.extend(_wrap(finding.text, width, "- ", "  "))
            for answer in finding.answers:
                lines.extend(_wrap_qa(answer, width, "    ", "      "))
        if part.note:
            lines.extend(_wrap(part.note, width))

    # The urgency and the specific red flags open the page.
    heading(report.urgency, "=")
    for part in report.flags:
        part_lines(part)
    for alert in report.alerts:
        lines += ["", *_wrap(alert, width, "!! ", "   ")]
    lines += ["", *_wrap(report.overall, width), *_wrap(report.version, width)]

    heading(report.criteria_heading)
    c = report.columns
    status_width = max(len(c.status), *(len(row.status_label) for row in report.criteria))
    widths = [30, status_width]
    widths.append(width - sum(widths) - len(_GAP) * len(widths))
    lines += text_table(
        [c.criterion, c.status, c.answers],
        [[[row.criterion], [row.status_label], list(row.answers)] for row in report.criteria],
        widths,
        hang=(3, 0, 0),
    )

    for part in report.parts:
        part_lines(part)

    heading(report.answers_heading, "=")
    answers = [x.answer for g in report.groups for x in g.answers]
    answer_width = min(40, max(len(c.answer), *map(len, answers)))
    answer_widths = [width - answer_width - len(_GAP), answer_width]
    for group in report.groups:
        lines.append("")
        lines += text_table(
            [group.title, c.answer],
            [[[x.question], [x.answer]] for x in group.answers],
            answer_widths,
        )
    lines += ["", *_wrap(report.notice, width)]
    return "\n".join(lines) + "\n"


# --- Markdown ------------------------------------------------------------------------


def md_escape(text: str) -> str:
    text = " ".join(text.split())
    for ch in ("\\", "*", "_", "`", "#", "<", ">", "[", "]", "|"):
        text = text.replace(ch, "\\" + ch)
    return text


def _md_qa(line: AnswerLine) -> str:
    return f"{md_escape(line.question)} **{md_escape(line.answer)}**"


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render_markdown(report: ClinicianReport) -> str:
    e = md_escape
    c = report.columns
    lines = [f"# {e(report.title)}", "", f"*{e(report.notice)}*"]

    def part_lines(part: Part) -> None:
        lines.extend(["", f"## {e(part.heading)}", ""])
        if part.intro:
            lines.extend([e(part.intro), ""])
        for finding in part.findings:
            lines.append(f"- {e(finding.text)}")
            lines.extend(f"  - {_md_qa(x)}" for x in finding.answers)
        if part.note:
            lines.extend(["", e(part.note)])

    # The urgency and the specific red flags open the page.
    lines += ["", f"## {e(report.urgency)}"]
    for part in report.flags:
        part_lines(part)
    for alert in report.alerts:
        lines += ["", f"> **{e(alert)}**"]
    lines += ["", e(report.overall), "", e(report.version)]
    lines += ["", f"## {e(report.criteria_heading)}", ""]
    lines.append(_md_row([e(c.criterion), e(c.status), e(c.answers)]))
    lines.append(_md_row(["---", "---", "---"]))
    for row in report.criteria:
        evidence = "<br>".join(_md_qa(x) for x in row.answers)
        lines.append(_md_row([e(row.criterion), f"**{e(row.status_label)}**", evidence]))
    for part in report.parts:
        part_lines(part)
    lines += ["", f"## {e(report.answers_heading)}"]
    for group in report.groups:
        lines += ["", f"### {e(group.title)}", ""]
        lines.append(_md_row([e(c.question), e(c.answer)]))
        lines.append(_md_row(["---", "---"]))
        for x in group.answers:
            answer = e(x.answer) if x.answered else f"*{e(x.answer)}*"
            lines.append(_md_row([e(x.question), answer]))
    lines += ["", "---", "", e(report.notice)]
    return "\n".join(lines) + "\n"


# --- shortcuts -----------------------------------------------------------------------


def clinician_text(
    bank: Bank,
    answers: Mapping[str, Answer],
    region: str | None = None,
    diary: Diary | None = None,
) -> str:
    return render_text(build_clinician_report(bank, answers, region=region, diary=diary))


def clinician_markdown(
    bank: Bank,
    answers: Mapping[str, Answer],
    region: str | None = None,
    diary: Diary | None = None,
) -> str:
    return render_markdown(build_clinician_report(bank, answers, region=region, diary=diary))
