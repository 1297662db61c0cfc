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

    Conditions name earlier items only (the loader checks), so one pass in instrument
    order also drops answers whose enabling answer was itself dropped.
    """
    kept = dict(answers)
    for item in bank.conditional:
        if item.id in kept and not condition_holds(item, kept):
            del kept[item.id]
    return kept


# --- the rules -----------------------------------------------------------------------

_YES_NO = {"yes": "met", "no": "not_met", "unsure": "unsure"}
_IMPACT_HIGH = frozenset({"moderate", "severe"})
_IMPACT_ITEMS = ("sleep_impact", "daytime_impact", "bother")
_LESS_THAN_TWICE_WEEKLY = frozenset({"less_than_monthly", "1_3_per_month", "1_per_week"})
_TWICE_WEEKLY_PLUS = frozenset({"2_3_per_week", "4_plus_per_week"})
_YEAR_PLUS = frozenset({"1_5_years", "over_5_years"})

_FACTOR_WHEN_YES = (
    ("iron_low", "iron_deficiency"),
    ("pregnant", "pregnancy"),
    ("diabetes", "diabetes"),
    ("neuropathy_dx", "neuropathy"),
    ("thyroid", "thyroid"),
    ("nicotine", "nicotine"),
    ("snoring", "sleep_apnea"),
    ("short_sleep", "short_sleep"),
)
_FACTOR_WHEN_CODE = (
    ("caffeine", "3_plus_per_day", "caffeine"),
    ("alcohol", "most_evenings", "alcohol"),
)
_FACTOR_WHEN_HAS = (
    ("neuro_conditions", {"parkinsons": "parkinsons", "multiple_sclerosis": "multiple_sclerosis",
                          "spinal_cord": "spinal_cord"}),
    ("medications", {"antihistamine": "med_antihistamine", "antidepressant": "med_antidepressant",
                     "antipsychotic": "med_antipsychotic", "anti_nausea": "med_anti_nausea",
                     "lithium": "med_lithium"}),
)
_BLOOD_LOSS = frozenset({"heavy_periods", "frequent_blood_donation", "bleeding_gut"})


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
    statuses = features.values()
    if all(s == "unanswered" for s in statuses):
        return "incomplete"
    if all(s == "met" for s in statuses):
        return "all_features_with_lookalikes" if lookalikes else "all_features"
    if any(s in ("met", "unsure") for s in statuses):
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


def supportive_features(a: Mapping[str, Answer]) -> list[str]:
    found = []
    if "arms" in a.get("body_parts", ()):
        found.append("arms")
    if a.get("onset_age") in ("under_20", "20_44"):
        found.append("early_onset")
    if a.get("family_history") == "yes":
        found.append("family_history")
    if a.get("limb_movements") == "yes":
        found.append("limb_movements")
    return found  # already sorted


def contributing_factors(a: Mapping[str, Answer]) -> list[str]:
    found = [factor for item, factor in _FACTOR_WHEN_YES if a.get(item) == "yes"]
    found += [factor for item, code, factor in _FACTOR_WHEN_CODE if a.get(item) == code]
    for item, mapping in _FACTOR_WHEN_HAS:
        found += [mapping[code] for code in a.get(item, ()) if code in mapping]
    if not _BLOOD_LOSS.isdisjoint(a.get("blood_loss", ())):
        found.append("blood_loss")
    if a.get("kidney") in ("kidney_disease", "dialysis"):
        found.append("kidney_disease")
    found.sort()
    return found


def augmentation_concern(a: Mapping[str, Answer]) -> bool:
    treatment = a.get("rls_treatment", ())
    if not any(code in treatment for code in vocab.DOPAMINERGIC):
        return False
    return any(a.get(item) == "yes" for item in vocab.AUGMENTATION_ITEMS)


def red_flags(a: Mapping[str, Answer]) -> list[str]:
    return sorted(flag for item, flag in vocab.RED_FLAG_ITEMS.items() if a.get(item) == "yes")


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


def score(bank: Bank, answers: Mapping[str, Answer]) -> Result:
    """Score checked answers. Answers to items whose condition is false are ignored."""
    a = effective_answers(bank, answers)
    features = essential_features(a)
    lookalikes = sorted(flag for item, flag in vocab.LOOKALIKE_ITEMS.items() if a.get(item) == "yes")
    pattern = pattern_of(features, lookalikes)
    factors = contributing_factors(a)
    flags = red_flags(a)
    # Built without re-validation: every value above comes from a closed vocabulary.
    # tests/test_engine_properties.py validates results against the model.
    return Result.model_construct(
        instrument=vocab.INSTRUMENT_ID,
        instrument_version=bank.instrument.version,
        pattern=pattern,
        essential_features=EssentialFeatures.model_construct(**features),
        lookalikes=lookalikes,
        course=course_of(a, pattern),
        clinically_significant=clinically_significant(a),
        supportive_features=supportive_features(a),
        contributing_factors=factors,
        augmentation_concern=augmentation_concern(a),
        red_flags=flags,
        urgency=urgency_of(flags),
        tests_to_discuss=tests_to_discuss(pattern, factors, lookalikes),
        pediatric=a.get("age_group") == "under_18",
    )
