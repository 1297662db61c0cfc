"""The screening rules (instrument spec, section 3) as pure functions over checked answers.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rls_screen import vocab
from rls_screen.answers import Answer, Answers
from rls_screen.bank import Bank, Item

FeatureStatus = Literal["met", "not_met", "unsure", "unanswered"]


class EssentialFeatures(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    urge: FeatureStatus
    rest: FeatureStatus
    movement: FeatureStatus
    evening: FeatureStatus


class Result(BaseModel):
    """The result object of spec section 5. Field order is the JSON key order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: Literal["rls-screen"] = "rls-screen"
    instrument_version: str
    pattern: Literal[
        "incomplete", "all_features", "all_features_with_lookalikes", "some_features", "no_features"
    ]
    essential_features: EssentialFeatures
    lookalikes: list[str]
    course: Literal["chronic_persistent", "intermittent", "undetermined"] | None
    clinically_significant: bool | None
    supportive_features: list[str]
    contributing_factors: list[str]
    augmentation_concern: bool
    red_flags: list[str]
    urgency: Literal["emergency", "urgent", "routine"]
    tests_to_discuss: list[str]
    pediatric: bool

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), indent=2) + "\n"


# --- enable conditions ---------------------------------------------------------------


def condition_holds(item: Item, answers: Mapping[str, Answer]) -> bool:
    """Whether ``item`` is shown, given the answers so far (FHIR enableWhen, operator =)."""
    if not item.enable_when:
        return True
    results = (_matches(answers.get(c.question), c.answer) for c in item.enable_when)
    return any(results) if item.enable_behavior == "any" else all(results)


def _matches(answer: Answer | None, code: str) -> bool:
    if answer is None:
        return False
    if type(answer) is str:
        return answer == code
    return code in answer


def effective_answers(bank: Bank, answers: Mapping[str, Answer]) -> Answers:
    """The answers that count: answers to items whose condition is false are dropped.
    Always a new dict, which the caller may change."""
    kept = _counting(bank, answers)
    return dict(kept) if kept is answers else kept


def _counting(bank: Bank, answers: Mapping[str, Answer]) -> Mapping[str, Answer]:
    """Like effective_answers, but ``answers`` itself when nothing is dropped (the common
    case in scoring, which only reads).

    Conditions name earlier items only (the loader checks), so one pass in instrument
    order also drops answers whose enabling answer was itself dropped.
    """
    kept = answers
    for item_id, holds in bank.enable_checks:
        if item_id in kept and not holds(kept):
            if kept is answers:
                kept = dict(answers)
            del kept[item_id]
    return kept


# --- the rules -----------------------------------------------------------------------

_YES_NO = {"yes": "met", "no": "not_met", "unsure": "unsure"}
_IMPACT_HIGH = frozenset({"moderate", "severe"})
_IMPACT_ITEMS = ("sleep_impact", "daytime_impact", "bother")
_LESS_THAN_TWICE_WEEKLY = frozenset({"less_than_monthly", "1_3_per_month", "1_per_week"})
_TWICE_WEEKLY_PLUS = frozenset({"2_3_per_week", "4_plus_per_week"})
_YEAR_PLUS = frozenset({"1_5_years", "over_5_years"})

# Contributing factors (spec section 3): (factor, item, codes that raise it), sorted by
# factor so that the result list comes out sorted without a sort.
_FACTOR_RULES = tuple(
    sorted(
        [
            ("alcohol", "alcohol", frozenset({"most_evenings"})),
            (
                "blood_loss",
                "blood_loss",
                frozenset({"heavy_periods", "frequent_blood_donation", "bleeding_gut"}),
            ),
            ("caffeine", "caffeine", frozenset({"3_plus_per_day"})),
            ("diabetes", "diabetes", frozenset({"yes"})),
            ("iron_deficiency", "iron_low", frozenset({"yes"})),
            ("kidney_disease", "kidney", frozenset({"kidney_disease", "dialysis"})),
            ("med_anti_nausea", "medications", frozenset({"anti_nausea"})),
            ("med_antidepressant", "medications", frozenset({"antidepressant"})),
            ("med_antihistamine", "medications", frozenset({"antihistamine"})),
            ("med_antipsychotic", "medications", frozenset({"antipsychotic"})),
            ("med_lithium", "medications", frozenset({"lithium"})),
            ("multiple_sclerosis", "neuro_conditions", frozenset({"multiple_sclerosis"})),
            ("neuropathy", "neuropathy_dx", frozenset({"yes"})),
            ("nicotine", "nicotine", frozenset({"yes"})),
            ("parkinsons", "neuro_conditions", frozenset({"parkinsons"})),
            ("pregnancy", "pregnant", frozenset({"yes"})),
            ("short_sleep", "short_sleep", frozenset({"yes"})),
            ("sleep_apnea", "snoring", frozenset({"yes"})),
            ("spinal_cord", "neuro_conditions", frozenset({"spinal_cord"})),
            ("thyroid", "thyroid", frozenset({"yes"})),
        ]
    )
)
_MULTI_FACTOR_ITEMS = frozenset({"blood_loss", "medications", "neuro_conditions"})
# Every single-choice answer that raises a flag: (item, code) -> (kind, flag). One set
# operation finds them all (see raised_flags).
_LOOKALIKE, _RED_FLAG, _FACTOR, _SUPPORTIVE = range(4)
_RAISES = {
    **{(item, "yes"): (_LOOKALIKE, flag) for item, flag in vocab.LOOKALIKE_ITEMS.items()},
    **{(item, "yes"): (_RED_FLAG, flag) for item, flag in vocab.RED_FLAG_ITEMS.items()},
    **{
        (item, code): (_FACTOR, factor)
        for factor, item, codes in _FACTOR_RULES
        if item not in _MULTI_FACTOR_ITEMS
        for code in codes
    },
    ("onset_age", "under_20"): (_SUPPORTIVE, "early_onset"),
    ("onset_age", "20_44"): (_SUPPORTIVE, "early_onset"),
    ("family_history", "yes"): (_SUPPORTIVE, "family_history"),
    ("limb_movements", "yes"): (_SUPPORTIVE, "limb_movements"),
}
_RAISING_ANSWERS = set(_RAISES)  # a set, not a frozenset: CPython intersects it faster
# Multi-choice items that raise factors: item -> {code: factor}.
_MULTI_FACTOR_CODES = {
    item: {code: factor for factor, i, codes in _FACTOR_RULES if i == item for code in codes}
    for item in sorted(_MULTI_FACTOR_ITEMS)
}


def raised_flags(a: Mapping[str, Answer]) -> tuple[list[str], list[str], list[str], list[str]]:
    """The look-alikes, red flags, contributing factors and supportive features these
    answers raise, each sorted."""
    found: tuple[list[str], list[str], list[str], list[str]] = ([], [], [], [])
    # A dict's items view against a set of (item, code) pairs: the look-ups run in C,
    # one per pair, and never touch the answers that raise nothing.
    for pair in a.items() & _RAISING_ANSWERS:
        kind, flag = _RAISES[pair]
        found[kind].append(flag)
    factors = found[_FACTOR]
    for item, by_code in _MULTI_FACTOR_CODES.items():
        answer = a.get(item)
        if answer is not None:
            factors.extend({by_code[code] for code in answer if code in by_code})
    if "arms" in a.get("body_parts", ()):
        found[_SUPPORTIVE].append("arms")
    for flags in found:
        flags.sort()
    return found


def essential_features(a: Mapping[str, Answer]) -> dict[str, FeatureStatus]:
    movement = a.get("movement")
    if movement in ("full", "partial"):
        movement_status = "met"
    elif movement == "no":
        movement_status = "met" if a.get("movement_past") == "yes" else "not_met"
    elif movement == "unsure":
        movement_status = "unsure"
    else:
        movement_status = "unanswered"
    evening = a.get("evening")
    if evening == "yes":
        evening_status = "met"
    elif evening == "all_day_now":
        evening_status = "met" if a.get("evening_past") == "yes" else "not_met"
    elif evening == "no":
        evening_status = "not_met"
    elif evening == "unsure":
        evening_status = "unsure"
    else:
        evening_status = "unanswered"
    return {
        "urge": _YES_NO.get(a.get("urge"), "unanswered"),
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
    if "met" in statuses or "unsure" in statuses:
        return "some_features"
    return "no_features"


def course_of(a: Mapping[str, Answer], pattern: str) -> str | None:
    if not pattern.startswith("all_features"):
        return None
    frequency = a.get("frequency")
    if frequency in _TWICE_WEEKLY_PLUS and a.get("duration") in _YEAR_PLUS:
        return "chronic_persistent"
    if frequency in _LESS_THAN_TWICE_WEEKLY and a.get("lifetime_episodes") == "yes":
        return "intermittent"
    return "undetermined"


def clinically_significant(a: Mapping[str, Answer]) -> bool | None:
    values = [a.get(item) for item in _IMPACT_ITEMS]
    if any(v in _IMPACT_HIGH for v in values):
        return True
    if all(v is not None for v in values):
        return False
    return None


def augmentation_concern(a: Mapping[str, Answer]) -> bool:
    treatment = a.get("rls_treatment", ())
    if not any(code in treatment for code in vocab.DOPAMINERGIC):
        return False
    return any(a.get(item) == "yes" for item in vocab.AUGMENTATION_ITEMS)


def urgency_of(flags: list[str]) -> str:
    if not vocab.EMERGENCY_FLAGS.isdisjoint(flags):
        return "emergency"
    if not vocab.URGENT_FLAGS.isdisjoint(flags):
        return "urgent"
    return "routine"


def tests_to_discuss(pattern: str, factors: list[str], lookalikes: list[str]) -> list[str]:
    tests = set()
    if pattern in ("all_features", "all_features_with_lookalikes", "some_features"):
        tests.update(("ferritin", "transferrin_saturation", "full_blood_count"))
    neuropathy = "neuropathy" in factors or "neuropathy" in lookalikes
    if "kidney_disease" in factors:
        tests.add("kidney_function")
    if "diabetes" in factors or neuropathy:
        tests.add("glucose_hba1c")
    if "thyroid" in factors:
        tests.add("thyroid_function")
    if neuropathy:
        tests.add("b12_folate")
    return sorted(tests)


def evaluate(bank: Bank, answers: Mapping[str, Answer]) -> dict:
    """Score checked answers into the result object of spec section 5, as a plain dict in
    key order (what batch scoring writes). Answers to hidden items are ignored."""
    a = _counting(bank, answers)
    features = essential_features(a)
    lookalikes, flags, factors, supportive = raised_flags(a)
    pattern = pattern_of(features, lookalikes)
    return {
        "instrument": vocab.INSTRUMENT_ID,
        "instrument_version": bank.instrument.version,
        "pattern": pattern,
        "essential_features": features,
        "lookalikes": lookalikes,
        "course": course_of(a, pattern),
        "clinically_significant": clinically_significant(a),
        "supportive_features": supportive,
        "contributing_factors": factors,
        "augmentation_concern": augmentation_concern(a),
        "red_flags": flags,
        "urgency": urgency_of(flags),
        "tests_to_discuss": tests_to_discuss(pattern, factors, lookalikes),
        "pediatric": a.get("age_group") == "under_18",
    }


def score(bank: Bank, answers: Mapping[str, Answer]) -> Result:
    """Score checked answers. Answers to items whose condition is false are ignored."""
    fields = evaluate(bank, answers)
    # Built without re-validation: every value comes from a closed vocabulary, and
    # tests/test_properties.py validates results against the model.
    fields["essential_features"] = EssentialFeatures.model_construct(**fields["essential_features"])
    return Result.model_construct(**fields)
