"""The closed vocabularies of the rules (instrument spec, section 3).

These codes are a public interface: they appear in JSON results, exports and tests.
The bank loader checks that every code here has its text in ``questions/summary.toml``
and that every item and answer code the rules read exists in the bank.
"""

from __future__ import annotations

INSTRUMENT_ID = "rls-screen"
INSTRUMENT_VERSION = "1.0.0"

NONE = "none"  # in a multi item, this code is exclusive

FEATURES = ("urge", "rest", "movement", "evening")
FEATURE_STATUSES = ("met", "not_met", "unsure", "unanswered")

PATTERNS = (
    "incomplete",
    "all_features",
    "all_features_with_lookalikes",
    "some_features",
    "no_features",
)

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

# Safety items: a `yes` raises the flag.
RED_FLAG_ITEMS = {
    "rf_one_leg": "dvt",
    "rf_breathing": "pulmonary_embolism",
    "rf_weakness": "neurological",
    "rf_saddle": "cauda_equina",
    "rf_cold_leg": "limb_ischaemia",
    "mood": "self_harm",
}
EMERGENCY_FLAGS = frozenset({"pulmonary_embolism", "cauda_equina", "limb_ischaemia", "self_harm"})
URGENT_FLAGS = frozenset({"dvt", "neurological"})
URGENCIES = ("emergency", "urgent", "routine")

COURSES = ("chronic_persistent", "intermittent", "undetermined")
SUPPORTIVE = ("family_history", "limb_movements", "early_onset", "arms")

FACTORS = (
    "iron_deficiency",
    "blood_loss",
    "pregnancy",
    "kidney_disease",
    "diabetes",
    "neuropathy",
    "thyroid",
    "parkinsons",
    "multiple_sclerosis",
    "spinal_cord",
    "med_antihistamine",
    "med_antidepressant",
    "med_antipsychotic",
    "med_anti_nausea",
    "med_lithium",
    "caffeine",
    "alcohol",
    "nicotine",
    "sleep_apnea",
    "short_sleep",
)

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

AUGMENTATION_ITEMS = ("aug_earlier", "aug_faster", "aug_spread", "aug_stronger", "aug_wearoff")
DOPAMINERGIC = ("dopamine_agonist", "levodopa")

# Every item the rules read, with the answer codes they compare against. The loader
# refuses a bank that lacks one of them, so a typo in the data cannot silently turn a
# rule off.
RULE_ITEMS: dict[str, tuple[str, tuple[str, ...]]] = {
    "age_group": ("single", ("under_18",)),
    "pregnant": ("single", ("yes",)),
    "urge": ("single", ("yes", "no", "unsure")),
    "body_parts": ("multi", ("arms",)),
    "rest": ("single", ("yes", "no", "unsure")),
    "movement": ("single", ("full", "partial", "no", "unsure")),
    "movement_past": ("single", ("yes",)),
    "evening": ("single", ("yes", "no", "all_day_now", "unsure")),
    "evening_past": ("single", ("yes",)),
    **{item: ("single", ("yes",)) for item in LOOKALIKE_ITEMS},
    "frequency": (
        "single",
        ("less_than_monthly", "1_3_per_month", "1_per_week", "2_3_per_week", "4_plus_per_week"),
    ),
    "duration": ("single", ("1_5_years", "over_5_years")),
    "lifetime_episodes": ("single", ("yes",)),
    "onset_age": ("single", ("under_20", "20_44")),
    "family_history": ("single", ("yes",)),
    "limb_movements": ("single", ("yes",)),
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
    "rls_treatment": ("multi", DOPAMINERGIC),
    **{item: ("single", ("yes",)) for item in AUGMENTATION_ITEMS},
    **{item: ("single", ("yes",)) for item in RED_FLAG_ITEMS},
}
