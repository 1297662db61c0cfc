"""The question bank: pydantic models for ``questions/`` and a loader that reports every
problem of a broken bank at once.

Headless: imports neither textual nor rich (see tests/test_import_hygiene.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Container, Mapping
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from rls_screen.core import vocab
from rls_screen.core.errors import BankError
from rls_screen.core.locations import default_questions_dir
from rls_screen.core.texts import (
    fill_second_wording,
    second_wording_problems,
    text_problems,
    ui,
)
from rls_screen.core.toml_files import read_toml


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


_M = TypeVar("_M", bound=Model)


# Ids and codes become keys of answer files, FHIR codes, batch columns and (a section's
# id) file names: lower-case letters, digits and "_" only, so never a NUL, "/" or "..".
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]{0,63}$")]
# A multi-choice item's answers are checked against every allowed set of its options
# (2**n of them): more than this would exhaust memory.
MAX_MULTI_OPTIONS = 12
# Bounds of the bank as a whole (the shipped bank, 2026-12-03: 7 sections, 60 questions,
# at most 5 options to a single-choice question), well above it and below what would make
# a face slow to draw. core/reading.py bounds each file's texts, tables and lists.
MAX_SECTIONS = 50
MAX_ITEMS = 500
MAX_SINGLE_OPTIONS = 50


class Option(Model):
    code: Code
    label: str


class ForPerson(Model):
    """An item's wording when a parent or carer answers for someone else (``respondent``
    = ``for_person``): the question, hint and help about "your child" or "the person you
    answer for", and the option labels that change (by code; the others stay)."""

    text: str
    hint: str
    help: str
    labels: dict[str, str] = {}


class Condition(Model):
    """FHIR ``enableWhen`` with operator ``=``: the answer to ``question`` is (or, for a
    multi item, contains) ``answer``; with ``!=``, it is not (or does not contain it),
    which holds too when ``question`` has no answer (v3: the items not asked of a young
    child)."""

    question: str
    answer: str
    operator: Literal["=", "!="] = "="


class Item(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    id: Code
    kind: Literal["single", "multi", "text"]
    text: str
    hint: str
    help: str
    # A choice item's options; a free-text item ("text") has none, and a length cap.
    options: tuple[Option, ...] = ()
    max_length: int | None = None
    enable_when: tuple[Condition, ...] = ()
    enable_behavior: Literal["any", "all"] = "any"
    # Instrument v3: the wording used when a parent or carer answers for the person.
    for_person: ForPerson | None = None

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)

    def worded(self, respondent: object) -> Item:
        """The item as the person answering reads it: its ``for_person`` wording when a
        parent or carer answers for someone else, else itself."""
        if respondent != vocab.FOR_PERSON or self.for_person is None:
            return self
        return self._third_person

    @cached_property
    def _third_person(self) -> Item:
        person = self.for_person
        assert person is not None
        options = tuple(
            Option(code=o.code, label=person.labels.get(o.code, o.label)) for o in self.options
        )
        return self.model_copy(
            update={
                "text": person.text,
                "hint": person.hint,
                "help": person.help,
                "options": options,
                "for_person": None,
            }
        )

    @cached_property
    def code_set(self) -> frozenset[str]:
        return frozenset(self.codes)

    def label(self, code: str) -> str:
        for option in self.options:
            if option.code == code:
                return option.label
        return code

    def describe(self, answer: str | tuple[str, ...], joiner: str = ", ") -> str:
        """An answer as a person reads it, the same in every face: the own words quoted
        as typed, or the labels of the chosen options joined by ``joiner``."""
        if self.kind == "text":
            return f"\u201c{answer}\u201d"
        codes = (answer,) if isinstance(answer, str) else answer
        return joiner.join(self.label(code) for code in codes)


class SectionWording(Model):
    """A section's title and intro for a parent or carer answering for someone else
    (v3), where the first ones speak to "you" about the person."""

    title: str
    intro: str


class SectionInfo(Model):
    id: Code
    title: str
    intro: str
    for_person: SectionWording | None = None


class Section(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    section: SectionInfo
    items: tuple[Item, ...]

    def worded(self, respondent: object) -> Section:
        """The section as the person answering reads it: its title and intro about the
        person answered for when a parent or carer answers (`Item.worded`)."""
        if respondent != vocab.FOR_PERSON or self.section.for_person is None:
            return self
        return self._third_person

    @cached_property
    def _third_person(self) -> Section:
        person = self.section.for_person
        assert person is not None
        info = self.section.model_copy(
            update={"title": person.title, "intro": person.intro, "for_person": None}
        )
        return self.model_copy(update={"section": info})

    @property
    def id(self) -> str:
        return self.section.id

    @property
    def title(self) -> str:
        return self.section.title


class Welcome(Model):
    lead: str
    points: tuple[str, ...]


class Instrument(Model):
    id: str
    version: str
    title: str
    sections: tuple[Code, ...]
    welcome: Welcome


# --- summary texts -----------------------------------------------------------------


class Named(Model):
    name: str


class Explained(Model):
    name: str
    why: str
    ask: str


class RedFlagText(Model):
    name: str
    now: str
    in_pregnancy: str = ""  # replaces `now` when the person is pregnant (a clot)


class SafetyNet(Model):
    name: str
    safety_net: str
    in_pregnancy: str = ""  # replaces `safety_net` when the person is pregnant


class TestText(Model):
    name: str
    note: str


class Headings(Model):
    red_flags: str
    red_flags_unsure: str
    red_flags_unanswered: str
    lookalikes_unclear: str
    support: str
    pattern: str
    pediatric: str
    lookalikes: str
    course: str
    supportive: str
    factors: str
    augmentation: str
    tests: str
    bring: str
    other_concerns: str


class Intros(Model):
    red_flags_unsure: str
    red_flags_unanswered: str
    lookalikes_unclear: str
    lookalikes: str
    supportive: str
    factors: str
    tests: str
    bring: str


class UrgencyText(Model):
    emergency: str
    urgent: str


class SignificanceText(Model):
    yes: str
    no: str
    unknown: str


class AugmentationText(Model):
    text: str
    parkinsons: str  # with Parkinson's disease: never "advised against" for its treatment


class Bring(Model):
    items: tuple[str, ...]


class SummaryTexts(Model):
    title: str
    disclaimer: str
    crisis: str
    crisis_finish: str  # only while the questions are not finished
    iron_note: str
    pediatric: str
    pediatric_self: str  # under 18 and answering for themselves: "your doctor"
    akathisia_medicine: Explained  # akathisia found from a medicine alone
    headings: Headings
    intros: Intros
    urgency: UrgencyText
    red_flags: dict[str, RedFlagText]
    red_flags_unsure: dict[str, SafetyNet]
    red_flags_unanswered: dict[str, str]
    patterns: dict[str, str]
    features: dict[str, Named]
    feature_status: dict[str, str]
    lookalikes: dict[str, Explained]
    course: dict[str, str]
    course_reasons: dict[str, str]
    course_treated: dict[str, str]
    frequency_now: dict[str, str]
    significance: SignificanceText
    supportive: dict[str, Explained]
    factors: dict[str, Explained]
    other_concerns: dict[str, Explained]
    augmentation: AugmentationText
    tests: dict[str, TestText]
    bring: Bring


# What the disclaimer of summary.toml (and the notice of clinician.toml) must say, in
# these words: a check of the data, named in its message.
NOT_A_DIAGNOSIS = "This is not a diagnosis"

# The vocabularies each keyed table of summary.toml must cover exactly.
SUMMARY_KEYS: dict[str, tuple[str, ...]] = {
    "red_flags": vocab.RED_FLAGS,
    "red_flags_unsure": vocab.WARNING_FLAGS,
    "red_flags_unanswered": vocab.RED_FLAGS,
    "patterns": vocab.PATTERNS,
    "features": vocab.FEATURES,
    "feature_status": vocab.FEATURE_STATUSES,
    "lookalikes": tuple(vocab.LOOKALIKE_ITEMS.values()),
    "course": vocab.COURSES,
    "course_reasons": vocab.COURSE_REASONS,
    "course_treated": vocab.COURSES,
    "frequency_now": vocab.FREQUENCIES,
    "other_concerns": vocab.OTHER_CONCERNS,
    "supportive": vocab.SUPPORTIVE,
    "factors": vocab.FACTORS,
    "tests": vocab.TESTS,
}


class Bank(Model):
    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    instrument: Instrument
    sections: tuple[Section, ...]
    summary: SummaryTexts
    # v3: summary.toml's [for_person], the texts that speak about the person answered
    # for ("{person}"), checked against the first wording; see `summary_about`.
    summary_for_person: dict[str, Any] = {}
    source: str = ""

    def summary_about(self, person: str | None) -> SummaryTexts:
        """The person's summary texts as a parent or carer reads them, about ``person``
        ("your child", "the person you answer for"); the first wording for None."""
        if person is None or not self.summary_for_person:
            return self.summary
        worded = self._summaries_about
        if person not in worded:
            worded[person] = _summary_about(self.summary, self.summary_for_person, person)
        return worded[person]

    @cached_property
    def _summaries_about(self) -> dict[str, SummaryTexts]:
        return {}

    @cached_property
    def items(self) -> dict[str, Item]:
        """Every item by id, in instrument order."""
        return {item.id: item for section in self.sections for item in section.items}

    @cached_property
    def section_of(self) -> dict[str, Section]:
        return {item.id: section for section in self.sections for item in section.items}

    @cached_property
    def conditional(self) -> tuple[Item, ...]:
        """Items with an enable condition, in instrument order."""
        return tuple(item for item in self.items.values() if item.enable_when)

    @cached_property
    def text_items(self) -> tuple[str, ...]:
        """The ids of free-text items, in instrument order."""
        return tuple(item.id for item in self.items.values() if item.kind == "text")

    @cached_property
    def answer_rules(self) -> dict[str, tuple[bool, frozenset[str], tuple[str, ...]]]:
        """item id -> (single choice?, allowed codes, codes in order): what checking an
        answer needs, without attribute look-ups in the hot loop of batch scoring."""
        return {
            item.id: (item.kind == "single", item.code_set, item.codes)
            for item in self.items.values()
        }

    @cached_property
    def single_codes(self) -> dict[str, frozenset[str]]:
        """single-choice item id -> allowed codes (the hot path of checking answers)."""
        return {item.id: item.code_set for item in self.items.values() if item.kind == "single"}

    @cached_property
    def multi_choices(self) -> tuple[tuple[str, dict[frozenset[str], tuple[str, ...]]], ...]:
        """(multi-choice item id, every allowed set of codes -> those codes in option
        order). At most a few hundred sets per item: checking and ordering an answer is
        then one look-up."""
        choices = []
        for item in self.items.values():
            if item.kind != "multi":
                continue
            codes = [code for code in item.codes if code != vocab.NONE]
            table = {
                frozenset(combo): combo
                for size in range(1, len(codes) + 1)
                for combo in itertools.combinations(codes, size)
            }
            if vocab.NONE in item.codes:
                table[frozenset((vocab.NONE,))] = (vocab.NONE,)
            choices.append((item.id, table))
        return tuple(choices)

    @cached_property
    def allowed_codes(self) -> dict[str, Container[object]]:
        """item id -> something that contains every answer allowed on a first look: the
        codes of a single-choice item; for a multi-choice item, any list (its codes are
        checked one by one after)."""
        kinds = {"single": None, "multi": _ANY_LIST, "text": _ANY_STR}
        return {item.id: kinds[item.kind] or item.code_set for item in self.items.values()}


class _AnyList:
    def __contains__(self, value: object) -> bool:
        return value.__class__ is list


class _AnyStr:
    def __contains__(self, value: object) -> bool:
        return value.__class__ is str


_ANY_LIST = _AnyList()
_ANY_STR = _AnyStr()


# --- loading -----------------------------------------------------------------------


@lru_cache(maxsize=4)
def load_bank(directory: Path | str | None = None) -> Bank:
    """Load and check a question bank. Raises BankError listing every problem."""
    root = Path(directory) if directory is not None else default_questions_dir()
    problems: list[str] = []
    if not root.is_dir():
        raise BankError([ui("bank.questions.not_a_folder", folder=root)])

    def read(name: str) -> dict[str, Any] | None:
        try:
            return read_toml(root / name)
        except BankError as exc:
            problems.extend(exc.problems)
        return None

    def build(model: type[_M], data: dict[str, Any], where: str) -> _M | None:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                location = _describe_location(data, err["loc"])
                problems.append(invalid(where, location, err["msg"]))
        return None

    instrument = None
    raw = read("instrument.toml")
    if raw is not None:
        instrument = build(Instrument, raw, str(root / "instrument.toml"))
    sections: list[Section] = []
    if instrument is not None and len(instrument.sections) > MAX_SECTIONS:
        where = root / "instrument.toml"
        count = len(instrument.sections)
        problems.append(
            ui("bank.questions.too_many_sections", file=where, most=MAX_SECTIONS, count=count)
        )
        instrument = None  # no section file is opened
    if instrument is not None:
        for section_id in instrument.sections:
            name = f"{section_id}.toml"
            raw = read(name)
            if raw is None:
                continue
            section = build(Section, raw, str(root / name))
            if section is None:
                continue
            if section.id != section_id:
                problems.append(
                    ui(
                        "bank.questions.section_id",
                        file=root / name,
                        found=section.id,
                        wanted=section_id,
                    )
                )
            sections.append(section)
    summary = None
    for_person: dict[str, Any] = {}
    raw = read("summary.toml")
    if raw is not None:
        for_person, person_problems = _summary_for_person(root / "summary.toml", raw)
        problems += person_problems
        summary = build(SummaryTexts, raw, str(root / "summary.toml"))

    if instrument is not None:
        problems.extend(_check_instrument(root, instrument, sections))
    if summary is not None:
        problems.extend(_check_summary(root / "summary.toml", summary))
        if for_person and not problems:
            for person in (ui("reports.person.child"), ui("reports.person.adult")):
                worded = _summary_about(summary, for_person, person)
                problems.extend(_check_summary(root / "summary.toml", worded))
    # The interface texts every command fills in (the installed ones: ui() reads no
    # other), each file read once and kept: a template that could crash or exhaust a
    # command stops it here, before any work, not when its message is first shown.
    problems.extend(text_problems())
    if problems:
        raise BankError(list(dict.fromkeys(problems)))
    assert instrument is not None and summary is not None
    return Bank(
        instrument=instrument,
        sections=tuple(sections),
        summary=summary,
        summary_for_person=for_person,
        source=str(root),
    )


def _summary_for_person(path: Path, raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """summary.toml's [for_person], taken out of ``raw``, and its problems: only texts
    that exist in the first wording, of the same kind, with no placeholder but
    {person} and {Person} (`texts.second_wording_problems`)."""
    second = raw.pop("for_person", {})
    if not isinstance(second, dict):
        return {}, [ui("bank.for_person.not_a_table", file=path, table="for_person")]
    problems = second_wording_problems(path, raw, second, "for_person")
    return (second if not problems else {}), problems


def _summary_about(summary: SummaryTexts, second: dict[str, Any], person: str) -> SummaryTexts:
    filled = fill_second_wording(summary.model_dump(), second, person)
    return SummaryTexts.model_validate(filled)


def invalid(file: object, where: str, reason: str) -> str:
    """A value of a bank file that its model refuses: the file, where in it (if anywhere
    more than the whole file) and pydantic's reason (bank.py, and clinician.toml's)."""
    if where:
        return ui("bank.questions.invalid_at", file=file, where=where, reason=reason)
    return ui("bank.questions.invalid", file=file, reason=reason)


def _describe_location(data: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Where in ``data`` a problem is (``item 'urge' options [2] code``), or ""
    for the file as a whole: an item by its id rather than its list index where we can."""
    parts: list[str] = []
    node: object = data
    for key in loc:
        if isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                parts[-1:] = [ui("bank.questions.where_item", item=node["id"])]
                continue
            parts.append(f"[{key + 1}]")
            continue
        parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) else None
    return " ".join(parts)


def _check_instrument(root: Path, instrument: Instrument, sections: list[Section]) -> list[str]:
    problems: list[str] = []
    if instrument.id != vocab.INSTRUMENT_ID:
        problems.append(
            ui(
                "bank.questions.instrument_id",
                file=root / "instrument.toml",
                id=vocab.INSTRUMENT_ID,
            )
        )
    if len(set(instrument.sections)) != len(instrument.sections):
        problems.append(ui("bank.questions.section_twice", file=root / "instrument.toml"))
    items = seen_items(sections)
    count = sum(len(section.items) for section in sections)
    if count > MAX_ITEMS:
        problems.append(
            ui("bank.questions.too_many_items", folder=root, most=MAX_ITEMS, count=count)
        )
    seen: dict[str, str] = {}
    for section in sections:
        where = root / f"{section.id}.toml"
        for item in section.items:
            at = {"file": where, "item": item.id}  # the fields of each message below
            if item.id in seen:
                problems.append(ui("bank.questions.duplicate_id", **at, other=seen[item.id]))
            if item.kind == "text":
                if item.options:
                    problems.append(ui("bank.questions.text_with_options", **at))
                if not item.max_length or not 1 <= item.max_length <= vocab.TEXT_MAX:
                    problems.append(ui("bank.questions.max_length", **at, limit=vocab.TEXT_MAX))
            elif not item.options:
                problems.append(ui("bank.questions.no_options", **at))
            elif item.kind == "multi" and len(item.options) > MAX_MULTI_OPTIONS:
                problems.append(ui("bank.questions.multi_too_many", **at, most=MAX_MULTI_OPTIONS))
            elif item.kind == "single" and len(item.options) > MAX_SINGLE_OPTIONS:
                problems.append(ui("bank.questions.single_too_many", **at, most=MAX_SINGLE_OPTIONS))
            elif (
                item.kind == "single"
                and vocab.UNSURE in item.code_set
                and item.codes[-1] != vocab.UNSURE
            ):
                problems.append(ui("bank.questions.unsure_last", **at))
            problems += _for_person_problems(item, at)
            if len(item.code_set) != len(item.codes):
                problems.append(ui("bank.questions.code_twice", **at))
            for cond in item.enable_when:
                target = items.get(cond.question)
                if target is None:
                    problems.append(ui("bank.questions.when_unknown", **at, question=cond.question))
                elif target.kind == "text":
                    problems.append(ui("bank.questions.when_text", **at, question=cond.question))
                elif cond.question not in seen:
                    problems.append(ui("bank.questions.when_later", **at, question=cond.question))
                elif cond.answer not in target.code_set:
                    problems.append(
                        ui(
                            "bank.questions.when_answer",
                            **at,
                            answer=cond.answer,
                            question=cond.question,
                            allowed=", ".join(target.codes),
                        )
                    )
            seen[item.id] = where.name
    for item_id, (kind, codes) in vocab.RULE_ITEMS.items():
        rule_item = items.get(item_id)
        if rule_item is None:
            problems.append(ui("bank.questions.rule_item_missing", folder=root, item=item_id))
            continue
        if rule_item.kind != kind:
            problems.append(
                ui("bank.questions.rule_item_kind", folder=root, item=item_id, kind=_kind(kind))
            )
        missing = [c for c in codes if c not in rule_item.code_set]
        if missing:
            problems.append(
                ui(
                    "bank.questions.rule_codes_missing",
                    folder=root,
                    item=item_id,
                    codes=", ".join(missing),
                )
            )
    return problems


def _for_person_problems(item: Item, at: Mapping[str, object]) -> list[str]:
    """v3: every item has its wording for a parent or carer, whose labels name the
    item's own codes."""
    if item.for_person is None:
        return [ui("bank.questions.no_for_person", **at)]
    return [
        ui("bank.questions.for_person_code", **at, code=code)
        for code in item.for_person.labels
        if code not in item.code_set
    ]


def _kind(kind: str) -> str:
    """An item's kind in words ("single choice")."""
    if kind == "text":
        return ui("bank.questions.text")
    if kind == "multi":
        return ui("bank.questions.multi")
    return ui("bank.questions.single")


def seen_items(sections: list[Section]) -> dict[str, Item]:
    return {item.id: item for section in sections for item in section.items}


def _check_summary(path: Path, summary: SummaryTexts) -> list[str]:
    problems: list[str] = []
    for table, keys in SUMMARY_KEYS.items():
        have = getattr(summary, table)
        for key in keys:
            if key not in have:
                problems.append(ui("bank.questions.no_text", file=path, table=table, key=key))
        for key in have:
            if key not in keys:
                problems.append(ui("bank.questions.not_produced", file=path, table=table, key=key))
    if NOT_A_DIAGNOSIS not in summary.disclaimer:
        problems.append(ui("bank.questions.disclaimer", file=path, phrase=NOT_A_DIAGNOSIS))
    return problems
