"""The closed vocabularies of the rules (docs/instrument.md section 3).

These codes are a public interface: they appear in JSON results, exports and tests.
The bank loader checks that every code here has its text in ``questions/summary.toml``
and that every item and answer code the rules read exists in the bank.
"""

from __future__ import annotations

from typing import Literal, get_args

# Each vocabulary is written once, here: the engine's result model, the rules and the
# pages import it. The closed ones the result JSON holds are Literal types, so that the
# model and mypy read the same list (`typing` only: this module is read without pydantic
# on the first screen, ARCHITECTURE.md "Speed").

INSTRUMENT_ID = "rls-screen"
INSTRUMENT_VERSION = "3.0.0"
# Answer files of these major versions read unchanged (2.0 and 3.0 only added items and
# codes).
READABLE_MAJORS = ("1", "2", "3")

NONE = "none"  # in a multi item, this code is exclusive
UNSURE = "unsure"  # "Not sure": always the last option of a single-choice item

FEATURES = ("urge", "rest", "movement", "evening")
FeatureStatus = Literal["met", "not_met", "unsure", "unanswered"]
FEATURE_STATUSES: tuple[FeatureStatus, ...] = get_args(FeatureStatus)

Pattern = Literal[
    "incomplete",
    "all_features",
    "all_features_with_lookalikes",
    "some_features",
    "uncertain",
    "no_features",
]
PATTERNS: tuple[Pattern, ...] = get_args(Pattern)

# Who is answering (`respondent`): the person, with a helper, or someone for them.
RESPONDENTS = ("self", "with_helper", "for_person")

# Look-alike items (IRLSSG criterion 5): a `yes` raises the flag.
LOOKALIKE_ITEMS = {
    "cramp": "cramps",
    "position_change": "positional",
    "joint_muscle_pain": "arthritis_myalgia",
    "swelling": "venous_oedema",
    "numbness": "neuropathy",
    "walking_pain": "claudication",
    "habit": "habit",
    "whole_body": "akathisia",
}

# Warning-sign items (the `rf_*` items): `yes` raises the flag, `unsure` raises it as
# unsure. Both interrupt at once.
WARNING_ITEMS = {
    "rf_one_leg": "dvt",
    "rf_breathing": "pulmonary_embolism",
    "rf_weakness": "neurological",
    "rf_weakness_sudden": "neurological_acute",
    "rf_saddle": "cauda_equina",
    "rf_cold_leg": "limb_ischaemia",
    "rf_pregnancy": "pre_eclampsia",
}
# Every item whose `yes` raises a red flag: the warning signs and `mood`.
RED_FLAG_ITEMS = {**WARNING_ITEMS, "mood": "self_harm"}
# `blood_loss` containing this code raises the red flag `gi_bleeding`.
GI_BLEEDING_CODE = "bleeding_gut"
# The items whose flag is "not answered" when they are shown and skipped
# (`red_flags_unanswered`): the warning signs, `blood_loss` and `mood`.
UNANSWERED_FLAG_ITEMS = {**RED_FLAG_ITEMS, "blood_loss": "gi_bleeding"}
# Every red flag, in the order the summary lists them (most pressing first).
RED_FLAGS = (
    "pulmonary_embolism",
    "neurological_acute",
    "cauda_equina",
    "limb_ischaemia",
    "self_harm",
    "dvt",
    "neurological",
    "pre_eclampsia",
    "gi_bleeding",
)
WARNING_FLAGS = tuple(WARNING_ITEMS.values())
EMERGENCY_FLAGS = frozenset(
    {"pulmonary_embolism", "neurological_acute", "cauda_equina", "limb_ischaemia"}
)
URGENT_FLAGS = frozenset({"dvt", "neurological", "pre_eclampsia", "gi_bleeding", "self_harm"})
# `self_harm` is an emergency unless the person said they feel safe right now.
SAFE_NOW_ITEM = "safe_now"
RESPONDENT_ITEM = "respondent"
CHILD_AGE_GROUP = "under_18"
SAFE = "safe"
Urgency = Literal["emergency", "urgent", "routine"]
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)

Course = Literal["chronic_persistent", "intermittent", "undetermined"]
COURSES: tuple[Course, ...] = get_args(Course)
FREQUENCIES = (
    "less_than_monthly",
    "1_3_per_month",
    "1_per_week",
    "2_3_per_week",
    "4_plus_per_week",
)
# Why the course is undetermined, for the summary's plain words (not in the result).
COURSE_REASONS = ("under_a_year", "no_duration", "no_frequency", "no_episodes", "few_episodes")
SUPPORTIVE = ("family_history", "limb_movements", "dopaminergic_response", "no_marked_sleepiness")

# Contributing factors (docs/instrument.md section 3), in the order the pages list them:
# (factor, item, answer codes that raise it; a multi-choice answer raises it when it
# holds one of them).
FACTOR_RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("iron_deficiency", "iron_low", ("yes",)),
    ("blood_loss", "blood_loss", ("heavy_periods", "frequent_blood_donation", "bleeding_gut")),
    ("pregnancy", "pregnant", ("yes",)),
    ("kidney_disease", "kidney", ("kidney_disease",)),
    ("dialysis", "kidney", ("dialysis",)),
    ("diabetes", "diabetes", ("yes",)),
    ("neuropathy", "neuropathy_dx", ("yes",)),
    ("thyroid", "thyroid", ("yes",)),
    ("parkinsons", "neuro_conditions", ("parkinsons",)),
    ("multiple_sclerosis", "neuro_conditions", ("multiple_sclerosis",)),
    ("spinal_cord", "neuro_conditions", ("spinal_cord",)),
    ("med_antihistamine", "medications", ("antihistamine",)),
    ("med_antidepressant", "medications", ("antidepressant",)),
    ("med_antipsychotic", "medications", ("antipsychotic",)),
    ("med_anti_nausea", "medications", ("anti_nausea",)),
    ("med_lithium", "medications", ("lithium",)),
    ("caffeine", "caffeine", ("3_plus_per_day",)),
    ("alcohol", "alcohol", ("most_evenings",)),
    ("nicotine", "nicotine", ("yes",)),
    ("sleep_apnea", "snoring", ("yes",)),
    ("short_sleep", "short_sleep", ("yes",)),
)
FACTORS = tuple(factor for factor, _, _ in FACTOR_RULES)

TESTS = (
    "ferritin",
    "transferrin_saturation",
    "full_blood_count",
    "kidney_function",
    "glucose_hba1c",
    "thyroid_function",
    "b12_folate",
)
IRON_TESTS = frozenset({"ferritin", "transferrin_saturation"})

# When in the day the feelings first start (`onset_time`, and `onset_time_before` a
# dopamine-type medicine), from latest to earliest: two steps earlier counts as earlier
# onset for augmentation (v3).
ONSET_TIMES = ("bedtime", "evening", "afternoon", "morning")
ONSET_STEPS_EARLIER = 2
AUGMENTATION_ITEMS = ("aug_earlier", "aug_faster", "aug_spread", "aug_stronger", "aug_wearoff")
DOPAMINERGIC = ("dopamine_agonist", "levodopa")
# Medicines that block dopamine: they can cause akathisia, which feels alike.
DOPAMINE_BLOCKERS = ("antipsychotic", "anti_nausea")
# Treatments for RLS whose follow-up includes iron studies (v3).
IRON_TREATMENTS = ("dopamine_agonist", "levodopa", "gabapentinoid", "opioid")
# Other things worth telling the doctor (`other_concerns`).
OTHER_CONCERNS = ("daytime_sleepiness", "impulse_control")
# The respondent code of a parent or carer answering for someone else (v3: the items
# are then worded about "your child" or "the person you answer for").
FOR_PERSON = "for_person"
TEXT_MAX = 500  # characters of a free-text answer, after trimming

# Every item the rules read, with the answer codes they compare against. The loader
# refuses a bank that lacks one of them, so a typo in the data cannot silently turn a
# rule off.
RULE_ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age_group": ("single", ("under_18",)),
    "respondent": ("single", RESPONDENTS),
    "child_age": ("single", ("under_6", "6_12", "13_17")),
    "own_words": ("text", ()),
    "medicine_list": ("text", ()),
    "sides": ("single", ("both", "one_side", "varies", "unsure")),
    "onset_time": ("single", ONSET_TIMES),
    "onset_time_before": ("single", ONSET_TIMES),
    "pregnant": ("single", ("yes",)),
    "urge": ("single", ("yes", "no", "unsure")),
    "rest": ("single", ("yes", "no", "unsure")),
    "movement": ("single", ("full", "partial", "no", "unsure")),
    "movement_past": ("single", ("yes", "no", "unsure")),
    "evening": ("single", ("yes", "no", "all_day_now", "unsure")),
    "evening_past": ("single", ("yes", "no", "unsure")),
    **{item: ("single", ("yes", "unsure")) for item in LOOKALIKE_ITEMS},
    "frequency": ("single", FREQUENCIES),
    "duration": ("single", ("1_5_years", "over_5_years")),
    "lifetime_episodes": ("single", ("yes", "no")),
    "family_history": ("single", ("yes",)),
    "limb_movements": ("single", ("yes",)),
    "dozing": ("single", ("yes", "no")),
    "impulse": ("single", ("yes", "unsure")),
    "sleep_impact": ("single", ("none", "mild", "moderate", "severe")),
    "daytime_impact": ("single", ("none", "mild", "moderate", "severe")),
    "bother": ("single", ("none", "mild", "moderate", "severe")),
    "iron_low": ("single", ("yes",)),
    "blood_loss": ("multi", ("heavy_periods", "frequent_blood_donation", "bleeding_gut")),
    "kidney": ("single", ("kidney_disease", "dialysis")),
    "diabetes": ("single", ("yes",)),
    "neuropathy_dx": ("single", ("yes",)),
    "thyroid": ("single", ("yes",)),
    "neuro_conditions": ("multi", ("parkinsons", "multiple_sclerosis", "spinal_cord")),
    "medications": (
        "multi",
        ("antihistamine", "antidepressant", "antipsychotic", "anti_nausea", "lithium"),
    ),
    "caffeine": ("single", ("3_plus_per_day",)),
    "alcohol": ("single", ("most_evenings",)),
    "nicotine": ("single", ("yes",)),
    "snoring": ("single", ("yes",)),
    "short_sleep": ("single", ("yes",)),
    "rls_treatment": ("multi", (*IRON_TREATMENTS, "none")),
    "frequency_untreated": ("single", FREQUENCIES),
    "dopamine_helped": ("single", ("yes",)),
    **{item: ("single", ("yes",)) for item in AUGMENTATION_ITEMS},
    **{item: ("single", ("yes", "unsure")) for item in WARNING_ITEMS},
    "mood": ("single", ("yes", "no", "prefer_not")),
    "safe_now": ("single", ("safe", "not_safe", "unsure")),
}
