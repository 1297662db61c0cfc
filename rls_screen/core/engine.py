"""The screening rules (docs/instrument.md section 3) as pure functions over checked answers.

The rules are data here (which answer raises which flag) and code where they compare
(features, course, impact, augmentation, tests). For speed, the data and the bank's
enable conditions are compiled once per bank into look-up tables (``_Compiled``);
tests/test_compiled_rules.py holds the tables to a plain reading of the same rules.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from operator import contains
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from rls_screen.core import vocab
from rls_screen.core.answers import Answer, Answers
from rls_screen.core.bank import Bank, Item

FeatureStatus = vocab.FeatureStatus


class EssentialFeatures(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    urge: FeatureStatus
    rest: FeatureStatus
    movement: FeatureStatus
    evening: FeatureStatus


class Result(BaseModel):
    """The result object of docs/instrument.md section 5. Field order is the JSON key order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: Literal["rls-screen"] = "rls-screen"
    instrument_version: str
    pattern: vocab.Pattern
    essential_features: EssentialFeatures
    lookalikes: list[str]
    lookalikes_unclear: list[str]
    course: vocab.Course | None
    clinically_significant: bool | None
    supportive_features: list[str]
    contributing_factors: list[str]
    augmentation_concern: bool
    red_flags: list[str]
    red_flags_unsure: list[str]
    red_flags_unanswered: list[str]
    urgency: vocab.Urgency
    tests_to_discuss: list[str]
    pediatric: bool
    other_concerns: list[str]

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2) + "\n"


# --- enable conditions ---------------------------------------------------------------


def condition_holds(item: Item, answers: Mapping[str, Answer]) -> bool:
    """Whether ``item`` is shown, given the answers so far (FHIR enableWhen, operator =)."""
    if not item.enable_when:
        return True
    results = (
        _matches(answers.get(c.question), c.answer) is (c.operator == "=") for c in item.enable_when
    )
    return any(results) if item.enable_behavior == "any" else all(results)


def _matches(answer: Answer | None, code: str) -> bool:
    if answer is None:
        return False
    if type(answer) is str:
        return answer == code
    return code in answer


def effective_answers(bank: Bank, answers: Mapping[str, Answer]) -> Answers:
    """The answers that count: answers to items whose condition is false are dropped.
    Always a new dict, which the caller may change.

    Conditions name earlier items only (the loader checks), so one pass in instrument
    order also drops answers whose enabling answer was itself dropped.
    """
    kept = dict(answers)
    for item in bank.conditional:
        if item.id in kept and not condition_holds(item, kept):
            del kept[item.id]
    return kept


# --- the rules -----------------------------------------------------------------------

_YES_NO: dict[Answer | None, FeatureStatus] = {"yes": "met", "no": "not_met", "unsure": "unsure"}
_YES_UNSURE = frozenset({"yes", "unsure"})
_IMPACT_HIGH = frozenset({"moderate", "severe"})
_LESS_THAN_MONTHLY = "less_than_monthly"
_MONTHLY_OR_WEEKLY = frozenset({"1_3_per_month", "1_per_week"})
_TWICE_WEEKLY_PLUS = frozenset({"2_3_per_week", "4_plus_per_week"})
_YEAR_PLUS = frozenset({"1_5_years", "over_5_years"})
_UNDER_A_YEAR = frozenset({"under_3_months", "3_12_months"})
_IRON_FACTORS = frozenset({"iron_deficiency", "blood_loss", "pregnancy"})
_AUGMENTATION_OTHERS = ("aug_faster", "aug_spread", "aug_stronger", "aug_wearoff")

# Contributing factors (docs/instrument.md section 3): (factor, item, codes that raise it).
_FACTOR_RULES = vocab.FACTOR_RULES
# Supportive features (docs/instrument.md section 3): (feature, item, codes that raise it).
_SUPPORTIVE_RULES = (
    ("family_history", "family_history", ("yes",)),
    ("limb_movements", "limb_movements", ("yes",)),
    ("dopaminergic_response", "dopamine_helped", ("yes",)),
    ("no_marked_sleepiness", "dozing", ("no",)),
)
# The items behind the factors and the supportive features, in the order asked.
FACTOR_ITEMS = tuple(dict.fromkeys(item for _, item, _ in _FACTOR_RULES))
SUPPORTIVE_ITEMS = tuple(item for _, item, _ in _SUPPORTIVE_RULES)
# Every flag an answer can raise, by kind: (kind, flag, item, codes). A multi-choice
# answer raises a flag when it contains one of the codes. A flag may be raised twice
# (akathisia by `whole_body` and by a medicine); ``_Compiled.flags`` keeps it once.
_LOOKALIKE, _RED_FLAG, _FACTOR, _SUPPORTIVE, _LOOKALIKE_UNSURE, _RED_FLAG_UNSURE = range(6)
_FLAG_RULES: tuple[tuple[int, str, str, tuple[str, ...]], ...] = (
    *((_LOOKALIKE, flag, item, ("yes",)) for item, flag in vocab.LOOKALIKE_ITEMS.items()),
    (_LOOKALIKE, "akathisia", "medications", vocab.DOPAMINE_BLOCKERS),
    *((_RED_FLAG, flag, item, ("yes",)) for item, flag in vocab.RED_FLAG_ITEMS.items()),
    (_RED_FLAG, "gi_bleeding", "blood_loss", (vocab.GI_BLEEDING_CODE,)),
    *((_FACTOR, factor, item, codes) for factor, item, codes in _FACTOR_RULES),
    *((_SUPPORTIVE, feature, item, codes) for feature, item, codes in _SUPPORTIVE_RULES),
    *((_LOOKALIKE_UNSURE, flag, item, ("unsure",)) for item, flag in vocab.LOOKALIKE_ITEMS.items()),
    *((_RED_FLAG_UNSURE, flag, item, ("unsure",)) for item, flag in vocab.WARNING_ITEMS.items()),
)
_DOPAMINERGIC = frozenset(vocab.DOPAMINERGIC)
_DOPAMINE_BLOCKERS = frozenset(vocab.DOPAMINE_BLOCKERS)
_IRON_TREATMENTS = frozenset(vocab.IRON_TREATMENTS)
# The flags one answer raises: ((kind, flag), ...).
_Flags = tuple[tuple[int, str], ...]
_LOOKALIKE_FLAGS = tuple(vocab.LOOKALIKE_ITEMS.items())


class _Compiled:
    """The rules and enable conditions compiled against one bank into look-up tables,
    so that scoring a record is mostly look-ups run in C (batch scoring does it a
    million times). Built from the same rule data as everything else; answers must be
    in canonical form (``evaluate`` sees to it)."""

    def __init__(self, bank: Bank) -> None:
        # Every value a multi-choice item can hold (None: unanswered), to spot answers
        # that are not in canonical form.
        choices = dict(bank.multi_choices)
        values = {item: {None, *table.values()} for item, table in choices.items()}
        self.multi_items = tuple(values)
        self.multi_values = tuple(frozenset(v) for v in values.values())

        def values_with(item: str, codes: Iterable[str]) -> frozenset[Answer]:
            """The answers to ``item`` that are, or for a multi item contain, a code."""
            codes = frozenset(codes)
            if item in choices:
                return frozenset(v for v in choices[item].values() if not codes.isdisjoint(v))
            return codes

        # item -> {answer that raises flags: ((kind, flag), ...)}; flags() looks up an
        # unanswered item as None.
        tables: dict[str, dict[Answer | None, _Flags]] = {}
        for kind, flag, flag_item, flag_codes in _FLAG_RULES:
            table = tables.setdefault(flag_item, {})
            for value in values_with(flag_item, flag_codes):
                table[value] = (*table.get(value, ()), (kind, flag))
        self.flag_items = tuple(tables)
        self.flag_tables = tuple(tables.values())

        # Conditions of the common shape, "any" over one question, become a set of the
        # answers that make them hold; "any" over two questions, a set for each; others
        # keep their general test.
        self.conditions: list[tuple[str, str, frozenset[Answer]]] = []
        self.any_of: list[tuple[str, str, frozenset[Answer], str, frozenset[Answer]]] = []
        self.general: list[tuple[str, Callable[[Mapping[str, Answer]], bool]]] = []
        # v3, "not this one, nor that one" over one question (a child's age): the answers
        # that hide the item.
        self.none_of: list[tuple[str, str, frozenset[Answer]]] = []
        shown_for: dict[str, tuple[str, frozenset[Answer]]] = {}
        for item in bank.conditional:
            questions = dict.fromkeys(c.question for c in item.enable_when)
            whens = item.enable_when
            if (
                len(questions) == 1
                and all(c.operator == "!=" for c in whens)
                and (item.enable_behavior == "all" or len(whens) == 1)
            ):
                q = whens[0].question
                self.none_of.append((item.id, q, values_with(q, [c.answer for c in whens])))
            elif item.enable_behavior == "any" and all(c.operator == "=" for c in whens):
                sets = tuple(
                    (q, values_with(q, [c.answer for c in item.enable_when if c.question == q]))
                    for q in questions
                )
                if len(sets) == 1:
                    self.conditions.append((item.id, *sets[0]))
                    shown_for[item.id] = sets[0]
                elif len(sets) == 2:
                    self.any_of.append((item.id, *sets[0], *sets[1]))
                else:
                    self.general.append((item.id, partial(condition_holds, item)))
            else:
                self.general.append((item.id, partial(condition_holds, item)))
        # A second look, after an answer was dropped, is needed only for items whose
        # condition names a conditional item (lifetime_episodes: frequency_untreated).
        conditional = {item.id for item in bank.conditional}

        # v3: a "!=" condition holds when its question is hidden, so dropping one answer
        # can show an item again: such a bank is read in instrument order, one item at a
        # time, as effective_answers does.
        def fast_holds(item: Item) -> Callable[[Mapping[str, Answer]], bool]:
            """The item's condition as a set look-up where it has a common shape (one
            question; or "any" over "=" conditions), else its general test."""
            whens = item.enable_when
            questions = dict.fromkeys(c.question for c in whens)
            if (
                len(questions) == 1
                and all(c.operator == "!=" for c in whens)
                and (item.enable_behavior == "all" or len(whens) == 1)
            ):  # "not this one, nor that one" (a child's age)
                q = whens[0].question
                unlike = values_with(q, [c.answer for c in whens])
                return lambda a: a.get(q) not in unlike
            if all(c.operator == "=" for c in whens) and (
                item.enable_behavior == "any" or len(questions) == 1 == len(whens)
            ):
                sets = tuple(
                    (q, values_with(q, [c.answer for c in whens if c.question == q]))
                    for q in questions
                )
                if len(sets) == 1:
                    q, like = sets[0]
                    return lambda a: a.get(q) in like
                return lambda a: any(a.get(q) in like for q, like in sets)
            return partial(condition_holds, item)

        self.chained = tuple(
            (item.id, fast_holds(item))
            for item in bank.conditional
            if any(c.question in conditional for c in item.enable_when)
        )
        self.ordered = (
            tuple((item.id, fast_holds(item)) for item in bank.conditional)
            if any(c.operator != "=" for item in bank.conditional for c in item.enable_when)
            else ()
        )
        # The questions of "!=" conditions: when one of their answers is dropped, the
        # answers are read again in instrument order (an item may show again).
        self.unlike_named = frozenset(
            c.question for item in bank.conditional for c in item.enable_when if c.operator != "="
        )
        # Whether such a question can be hidden other than by a condition on answers that
        # are never dropped themselves (then counting reads it in instrument order): never
        # in the shipped bank, whose child_age is shown by age_group alone.
        simple_unlike = {item_id for item_id, _q, _u in self.none_of}
        self.unlike_deep = any(
            item.id not in simple_unlike and any(c.operator != "=" for c in item.enable_when)
            for item in bank.conditional
        ) or any(
            c.question in conditional
            for item in bank.conditional
            if item.id in self.unlike_named
            for c in item.enable_when
        )
        self.named = frozenset(
            c.question for item in bank.conditional for c in item.enable_when
        ).intersection(conditional)
        # The warning-sign items, for the flags of those shown and left unanswered: each
        # item's flag, and the answers that show a conditional one (a set, or a general
        # test for a condition of another shape; none in the shipped bank).
        warning = {i: f for i, f in vocab.UNANSWERED_FLAG_ITEMS.items() if i in bank.items}
        self.warning_items = frozenset(warning)
        self.warning_flag = warning
        self.warning_shown: dict[str, Callable[[Mapping[str, Answer]], bool]] = {}
        for warning_id in warning:
            if bank.items[warning_id].enable_when:
                simple = shown_for.get(warning_id)
                self.warning_shown[warning_id] = (
                    partial(_holds_for, *simple)
                    if simple
                    else partial(condition_holds, bank.items[warning_id])
                )

    def counting(self, answers: Mapping[str, Answer]) -> Mapping[str, Answer]:
        """The answers that count: ``answers`` itself when nothing is dropped (the common
        case), else a copy without the answers to hidden items."""
        get = answers.get
        drops = [
            item
            for item, question, holds_for in self.conditions
            if item in answers and get(question) not in holds_for
        ]
        if self.any_of:
            drops += [
                item
                for item, q1, holds_for_1, q2, holds_for_2 in self.any_of
                if item in answers and get(q1) not in holds_for_1 and get(q2) not in holds_for_2
            ]
        if self.general:
            drops += [
                item for item, holds in self.general if item in answers and not holds(answers)
            ]
        if self.none_of:
            # "Not under 6 nor 6-12" holds when the child's age is itself hidden.
            hidden = set(drops)
            drops += [
                item
                for item, question, unlike in self.none_of
                if item in answers and question not in hidden and get(question) in unlike
            ]
        if not drops:
            return answers
        if self.unlike_deep and not self.unlike_named.isdisjoint(drops):
            return self.in_order(answers)  # a "!=" question hidden: an item may show again
        copy = dict(answers)
        while drops:
            for item in drops:
                del copy[item]
            if self.named.isdisjoint(drops):
                break
            # Dropping an answer hid an item that another condition names: look again.
            drops = [item for item, holds in self.chained if item in copy and not holds(copy)]
        return copy

    def in_order(self, answers: Mapping[str, Answer]) -> Mapping[str, Answer]:
        """The answers that count, read one item at a time in instrument order, as
        effective_answers does: ``answers`` itself when nothing is dropped."""
        kept: Mapping[str, Answer] = answers
        copy: dict[str, Answer] | None = None  # made at the first answer dropped
        for item_id, holds in self.ordered:
            if item_id in kept and not holds(kept):
                if copy is None:
                    kept = copy = dict(answers)
                del copy[item_id]
        return kept

    def flags(self, a: Mapping[str, Answer]) -> tuple[list[str], ...]:
        """The look-alikes, red flags, contributing factors and supportive features these
        answers raise, each sorted."""
        found: tuple[list[str], ...] = ([], [], [], [], [], [])
        # One look-up per item that can raise a flag, run in C; an unanswered item looks
        # up None, which raises nothing.
        for raised in filter(None, map(dict.get, self.flag_tables, map(a.get, self.flag_items))):
            for kind, flag in raised:
                found[kind].append(flag)
        lookalikes, red_flags, factors, supportive, lookalikes_unsure, red_unsure = found
        # An unanswered look-alike question leaves that look-alike open too.
        lookalikes_unsure += [flag for item, flag in _LOOKALIKE_FLAGS if item not in a]
        return (
            sorted(set(lookalikes)),
            sorted(red_flags),
            sorted(factors),
            sorted(supportive),
            sorted(set(lookalikes_unsure).difference(lookalikes)),
            sorted(set(red_unsure).difference(red_flags)),
        )

    def unanswered(self, a: Mapping[str, Answer], *raised: list[str]) -> list[str]:
        """The flags of warning-sign items shown and left unanswered, minus those raised
        (docs/instrument.md section 3): skipped is never "none"."""
        missing = self.warning_items.difference(a)  # in C: most records skip a few
        if not missing:
            return []
        shown = self.warning_shown
        flag = self.warning_flag
        found = {flag[i] for i in missing if i not in shown or shown[i](a)}
        found.difference_update(*raised)
        return sorted(found)


def _holds_for(question: str, holds_for: frozenset[Answer], a: Mapping[str, Answer]) -> bool:
    return a.get(question) in holds_for


_COMPILED: dict[int, tuple[Bank, _Compiled]] = {}


def _compiled(bank: Bank) -> _Compiled:
    entry = _COMPILED.get(id(bank))
    if entry is None or entry[0] is not bank:
        if len(_COMPILED) >= 8:
            _COMPILED.clear()
        entry = _COMPILED[id(bank)] = (bank, _Compiled(bank))
    return entry[1]


def canonical_answers(bank: Bank, answers: Mapping[str, Answer]) -> Answers:
    """Answers with every multi-choice answer as a tuple in option order."""
    out = dict(answers)
    for item_id, value in answers.items():
        if not isinstance(value, str):
            chosen = set(value)
            out[item_id] = tuple(c for c in bank.items[item_id].codes if c in chosen)
    return out


def _past(answer: Answer | None) -> FeatureStatus:
    """A feature that no longer fits as it did, judged by how it was when it began:
    unsure or unanswered is unsure, never not met."""
    return "met" if answer == "yes" else "not_met" if answer == "no" else "unsure"


def _urge_status(a: Mapping[str, Answer]) -> FeatureStatus:
    """IRLSSG criterion 1 is an urge to move the legs: an urge felt only outside the legs
    is unsure, not met (docs/instrument.md section 3)."""
    status = _YES_NO.get(a.get("urge"), "unanswered")
    parts = a.get("body_parts")
    if status == "met" and parts is not None and "legs" not in parts:
        return "unsure"
    return status


def essential_features(a: Mapping[str, Answer]) -> dict[str, FeatureStatus]:
    movement = a.get("movement")
    if movement in ("full", "partial"):
        movement_status: FeatureStatus = "met"
    elif movement == "no":
        movement_status = _past(a.get("movement_past"))
    elif movement == "unsure":
        movement_status = "unsure"
    else:
        movement_status = "unanswered"
    evening = a.get("evening")
    if evening == "yes":
        evening_status: FeatureStatus = "met"
    elif evening == "all_day_now":
        evening_status = _past(a.get("evening_past"))
    elif evening == "no":
        evening_status = "not_met"
    elif evening == "unsure":
        evening_status = "unsure"
    else:
        evening_status = "unanswered"
    return {
        "urge": _urge_status(a),
        "rest": _YES_NO.get(a.get("rest"), "unanswered"),
        "movement": movement_status,
        "evening": evening_status,
    }


def pattern_of(features: Mapping[str, str], lookalikes: list[str]) -> str:
    statuses = set(features.values())
    if statuses == {"unanswered"}:
        return "incomplete"
    if statuses == {"met"}:
        return "all_features_with_lookalikes" if lookalikes else "all_features"
    if "met" in statuses:
        return "some_features"
    if "unsure" in statuses:
        return "uncertain"
    return "no_features"


def course_frequency(a: Mapping[str, Answer]) -> Answer | None:
    """How often it comes, for the course: before any treatment when that was asked and
    answered (IRLSSG 2012 judges the course untreated), else now."""
    return a.get("frequency_untreated") or a.get("frequency")


def course_of(a: Mapping[str, Answer], pattern: str) -> str | None:
    """IRLSSG 2012 course specifier, from the untreated frequency all the way through: a
    year of monthly or weekly symptoms is more than five episodes, so only "less than
    monthly" needs `lifetime_episodes` (docs/instrument.md section 3)."""
    if not pattern.startswith("all_features"):
        return None
    frequency = course_frequency(a)
    if a.get("duration") not in _YEAR_PLUS:
        return "undetermined"
    if frequency in _TWICE_WEEKLY_PLUS:
        return "chronic_persistent"
    if frequency in _MONTHLY_OR_WEEKLY:
        return "intermittent"
    if frequency == _LESS_THAN_MONTHLY and a.get("lifetime_episodes") == "yes":
        return "intermittent"
    return "undetermined"


def course_reason(a: Mapping[str, Answer]) -> str:
    """Why the course is undetermined, in the pages' terms (not part of the result): not
    yet a year, or which answer is missing."""
    duration = a.get("duration")
    if duration in _UNDER_A_YEAR:
        return "under_a_year"
    if duration is None:
        return "no_duration"
    if course_frequency(a) is None:
        return "no_frequency"
    if a.get("lifetime_episodes") == "no":
        return "few_episodes"
    return "no_episodes"


def clinically_significant(a: Mapping[str, Answer]) -> bool | None:
    values = (a.get("sleep_impact"), a.get("daytime_impact"), a.get("bother"))
    if not _IMPACT_HIGH.isdisjoint(values):
        return True
    if None in values:
        return None
    return False


def augmentation_concern(a: Mapping[str, Answer]) -> bool:
    """Max Planck criteria as a screening question: on a dopamine-type medicine, and
    symptoms start earlier in the day, or at least two of the other four signs."""
    treatment = a.get("rls_treatment")
    if not treatment or _DOPAMINERGIC.isdisjoint(treatment):
        return False
    if a.get("aug_earlier") == "yes" or earlier_onset(a):
        return True
    return sum(a.get(item) == "yes" for item in _AUGMENTATION_OTHERS) >= 2


_ONSET_STEP = {code: step for step, code in enumerate(vocab.ONSET_TIMES)}


def _onset_step(answer: Answer | None) -> int | None:
    return _ONSET_STEP.get(answer) if isinstance(answer, str) else None


def earlier_onset(a: Mapping[str, Answer]) -> bool:
    """Whether the feelings now start at least two steps earlier in the day than before
    the dopamine-type medicine (bedtime, evening, afternoon, morning: bedtime to
    afternoon is at least about 4 hours, as the Max Planck criteria ask). Not sure or
    unanswered on either side decides nothing (docs/instrument.md section 3)."""
    now, before = _onset_step(a.get("onset_time")), _onset_step(a.get("onset_time_before"))
    if now is None or before is None:
        return False
    return now - before >= vocab.ONSET_STEPS_EARLIER


def _with_unknown_tempo(a: Mapping[str, Answer], flags: list[str], unsure: list[str]) -> list[str]:
    """A new weakness whose tempo is unknown (the "did it come on suddenly?" follow-up
    not sure or skipped) is treated as possibly acute: ``neurological_acute`` joins the
    unsure flags (docs/instrument.md section 3)."""
    if (
        a.get("rf_weakness") in _YES_UNSURE
        and a.get("rf_weakness_sudden") in (None, "unsure")
        and "neurological_acute" not in flags
        and "neurological_acute" not in unsure
    ):
        return sorted([*unsure, "neurological_acute"])
    return unsure


def urgency_of(flags: list[str], unsure: list[str], safe_now: Answer | None = None) -> str:
    if not vocab.EMERGENCY_FLAGS.isdisjoint(flags):
        return "emergency"
    if "self_harm" in flags and safe_now != vocab.SAFE:
        return "emergency"
    if not vocab.URGENT_FLAGS.isdisjoint(flags) or unsure:
        return "urgent"
    return "routine"


def tests_to_discuss(
    pattern: str,
    significant: bool | None,
    factors: list[str],
    lookalikes: list[str],
    features: Mapping[str, str] | None = None,
    treatment: Answer | None = None,
) -> list[str]:
    tests: set[str] = set()
    if (
        (pattern.startswith("all_features") and significant is not False)
        or not _IRON_FACTORS.isdisjoint(factors)
        # v3: iron status is part of the follow-up of treated RLS (low iron drives
        # augmentation), and the possible pattern (urge met, no feature not met) when
        # clinically significant.
        or (treatment and not _IRON_TREATMENTS.isdisjoint(treatment))
        or (significant and features and _possible_pattern(features))
    ):
        tests.update(("ferritin", "transferrin_saturation", "full_blood_count"))
    neuropathy = "neuropathy" in factors or "neuropathy" in lookalikes
    if "kidney_disease" in factors:
        tests.add("kidney_function")
    if neuropathy and "diabetes" not in factors:
        tests.add("glucose_hba1c")
    if "thyroid" in factors:
        tests.add("thyroid_function")
    if neuropathy:
        tests.add("b12_folate")
    return sorted(tests)


def _possible_pattern(features: Mapping[str, str]) -> bool:
    return features["urge"] == "met" and "not_met" not in features.values()


def akathisia_from_medicine_only(a: Mapping[str, Answer]) -> bool:
    """Akathisia found only from a dopamine-blocking medicine, with no whole-body
    restlessness reported: worded as such, never "after a new medicine"."""
    medicines = a.get("medications")
    if a.get("whole_body") == "yes" or medicines is None or isinstance(medicines, str):
        return False
    return not _DOPAMINE_BLOCKERS.isdisjoint(medicines)


def shows_supportive(features: Mapping[str, str]) -> bool:
    """Supportive features are shown to the person only when the urge is met or unsure
    (not for cramps or positional discomfort alone)."""
    return features["urge"] in ("met", "unsure")


def on_treatment_course(a: Mapping[str, Answer]) -> bool:
    """Whether the course was judged on the untreated frequency (on treatment)."""
    return bool(a.get("frequency_untreated"))


def other_concerns(a: Mapping[str, Answer]) -> list[str]:
    """Other things worth telling the doctor (docs/instrument.md section 3), sorted."""
    concerns = ["daytime_sleepiness"] if a.get("dozing") == "yes" else []
    if a.get("impulse") in _YES_UNSURE:  # impulse control, on a dopamine-type medicine
        concerns.append("impulse_control")
    return concerns


def evaluate(bank: Bank, answers: Mapping[str, Answer]) -> dict[str, Any]:
    """Score checked answers into the result object of docs/instrument.md section 5, as a
    plain dict in key order (what batch scoring writes). Answers to hidden items are
    ignored."""
    rules = _compiled(bank)
    try:
        canonical = all(map(contains, rules.multi_values, map(answers.get, rules.multi_items)))
    except TypeError:  # a list
        canonical = False
    if not canonical:  # a list, or codes out of order
        answers = canonical_answers(bank, answers)
    a = rules.counting(answers)
    features = essential_features(a)
    lookalikes, flags, factors, supportive, unclear, flags_unsure = rules.flags(a)
    pattern = pattern_of(features, lookalikes)
    significant = clinically_significant(a)
    flags_unsure = _with_unknown_tempo(a, flags, flags_unsure)
    return {
        "instrument": vocab.INSTRUMENT_ID,
        "instrument_version": bank.instrument.version,
        "pattern": pattern,
        "essential_features": features,
        "lookalikes": lookalikes,
        "lookalikes_unclear": [] if pattern == "incomplete" else unclear,
        "course": course_of(a, pattern),
        "clinically_significant": significant,
        "supportive_features": supportive,
        "contributing_factors": factors,
        "augmentation_concern": augmentation_concern(a),
        "red_flags": flags,
        "red_flags_unsure": flags_unsure,
        "red_flags_unanswered": rules.unanswered(a, flags, flags_unsure),
        "urgency": urgency_of(flags, flags_unsure, a.get(vocab.SAFE_NOW_ITEM)),
        "tests_to_discuss": tests_to_discuss(
            pattern, significant, factors, lookalikes, features, a.get("rls_treatment")
        ),
        "pediatric": a.get("age_group") == "under_18",
        "other_concerns": other_concerns(a),
    }


def score(bank: Bank, answers: Mapping[str, Answer]) -> Result:
    """Score checked answers. Answers to items whose condition is false are ignored."""
    fields = evaluate(bank, answers)
    # Built without re-validation: every value comes from a closed vocabulary, and
    # tests/test_properties.py validates results against the model.
    fields["essential_features"] = EssentialFeatures.model_construct(**fields["essential_features"])
    return Result.model_construct(**fields)
