"""Each rule row of instrument spec section 3, on both sides of its boundary."""

from __future__ import annotations

import pytest

from rls_screen.answers import check_answers
from rls_screen.engine import score

CLASSIC = {"urge": "yes", "rest": "yes", "movement": "full", "evening": "yes"}


def result(bank, **answers):
    # Through the answer checker, so a mistyped code in a test fails loudly.
    return score(bank, check_answers(answers, bank, "test"))


# --- essential features ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"), [("yes", "met"), ("no", "not_met"), ("unsure", "unsure")]
)
@pytest.mark.parametrize("feature", ["urge", "rest"])
def test_urge_and_rest(bank, feature, code, status):
    assert getattr(result(bank, **{feature: code}).essential_features, feature) == status


def test_unanswered_feature(bank):
    f = result(bank, urge="yes").essential_features
    assert (f.rest, f.movement, f.evening) == ("unanswered",) * 3


@pytest.mark.parametrize(
    ("answers", "status"),
    [
        ({"movement": "full"}, "met"),
        ({"movement": "partial"}, "met"),
        ({"movement": "no", "movement_past": "yes"}, "met"),
        ({"movement": "no", "movement_past": "no"}, "not_met"),
        ({"movement": "no", "movement_past": "unsure"}, "not_met"),
        ({"movement": "no"}, "not_met"),
        ({"movement": "unsure"}, "unsure"),
        # movement_past only counts when movement = no (its enable condition).
        ({"movement": "unsure", "movement_past": "yes"}, "unsure"),
    ],
)
def test_movement(bank, answers, status):
    assert result(bank, **answers).essential_features.movement == status


@pytest.mark.parametrize(
    ("answers", "status"),
    [
        ({"evening": "yes"}, "met"),
        ({"evening": "all_day_now", "evening_past": "yes"}, "met"),
        ({"evening": "all_day_now", "evening_past": "no"}, "not_met"),
        ({"evening": "all_day_now"}, "not_met"),
        ({"evening": "no"}, "not_met"),
        ({"evening": "no", "evening_past": "yes"}, "not_met"),
        ({"evening": "unsure"}, "unsure"),
    ],
)
def test_evening(bank, answers, status):
    assert result(bank, **answers).essential_features.evening == status


# --- pattern -----------------------------------------------------------------------


def test_pattern_incomplete(bank):
    assert result(bank).pattern == "incomplete"
    assert result(bank, age_group="18_44", cramp="yes").pattern == "incomplete"


def test_pattern_all_features(bank):
    assert result(bank, **CLASSIC).pattern == "all_features"


def test_pattern_all_features_with_lookalikes(bank):
    r = result(bank, **CLASSIC, cramp="yes", numbness="yes")
    assert r.pattern == "all_features_with_lookalikes"
    assert r.lookalikes == ["cramps", "neuropathy"]


def test_lookalike_unsure_is_not_a_flag(bank):
    assert result(bank, **CLASSIC, cramp="unsure").pattern == "all_features"


@pytest.mark.parametrize(
    ("item", "flag"),
    [
        ("cramp", "cramps"),
        ("position_change", "positional"),
        ("joint_muscle_pain", "arthritis_myalgia"),
        ("swelling", "venous_oedema"),
        ("numbness", "neuropathy"),
        ("walking_pain", "claudication"),
        ("habit", "habit"),
        ("whole_body", "akathisia"),
    ],
)
def test_each_lookalike(bank, item, flag):
    assert result(bank, **{item: "yes"}).lookalikes == [flag]
    assert result(bank, **{item: "no"}).lookalikes == []


def test_pattern_some_features(bank):
    assert result(bank, **{**CLASSIC, "evening": "no"}).pattern == "some_features"
    assert result(bank, urge="unsure", rest="no", movement="no", evening="no").pattern == (
        "some_features"
    )


def test_pattern_no_features(bank):
    answers = {"urge": "no", "rest": "no", "movement": "no", "evening": "no"}
    assert result(bank, **answers).pattern == "no_features"
    # One feature unanswered, the rest not met: still no_features.
    assert result(bank, urge="no").pattern == "no_features"


# --- course ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "duration", "course"),
    [
        ("2_3_per_week", "1_5_years", "chronic_persistent"),
        ("4_plus_per_week", "over_5_years", "chronic_persistent"),
        ("2_3_per_week", "3_12_months", "undetermined"),  # under a year
        ("1_per_week", "1_5_years", "undetermined"),  # once a week, no lifetime count
    ],
)
def test_course_chronic_boundaries(bank, frequency, duration, course):
    assert result(bank, **CLASSIC, frequency=frequency, duration=duration).course == course


def test_course_intermittent(bank):
    r = result(bank, **CLASSIC, frequency="1_per_week", lifetime_episodes="yes")
    assert r.course == "intermittent"
    r = result(bank, **CLASSIC, frequency="1_per_week", lifetime_episodes="no")
    assert r.course == "undetermined"


def test_lifetime_episodes_ignored_when_frequent(bank):
    # lifetime_episodes is only asked when frequency is less than twice a week.
    r = result(bank, **CLASSIC, frequency="2_3_per_week", lifetime_episodes="yes")
    assert r.course == "undetermined"


def test_course_null_unless_all_features(bank):
    r = result(bank, urge="yes", frequency="4_plus_per_week", duration="over_5_years")
    assert r.pattern == "some_features"
    assert r.course is None
    r = result(bank, **CLASSIC, cramp="yes", frequency="4_plus_per_week", duration="over_5_years")
    assert r.course == "chronic_persistent"


# --- clinical significance ----------------------------------------------------------


@pytest.mark.parametrize("item", ["sleep_impact", "daytime_impact", "bother"])
@pytest.mark.parametrize(
    ("code", "expected"), [("moderate", True), ("severe", True), ("mild", None)]
)
def test_significance_any_high(bank, item, code, expected):
    assert result(bank, **{item: code}).clinically_significant is expected


def test_significance_false_needs_all_three(bank):
    low = {"sleep_impact": "mild", "daytime_impact": "none", "bother": "mild"}
    assert result(bank, **low).clinically_significant is False
    del low["bother"]
    assert result(bank, **low).clinically_significant is None


# --- supportive features -------------------------------------------------------------


def test_supportive_features(bank):
    r = result(
        bank,
        urge="yes",
        body_parts=["legs", "arms"],
        family_history="yes",
        limb_movements="yes",
        onset_age="20_44",
    )
    assert r.supportive_features == ["arms", "early_onset", "family_history", "limb_movements"]


@pytest.mark.parametrize(
    ("onset", "early"), [("under_20", True), ("20_44", True), ("45_plus", False), ("unsure", False)]
)
def test_early_onset_boundary(bank, onset, early):
    assert ("early_onset" in result(bank, onset_age=onset).supportive_features) is early


def test_arms_ignored_when_body_parts_not_shown(bank):
    assert result(bank, urge="no", body_parts=["arms"]).supportive_features == []
    assert result(bank, urge="unsure", body_parts=["arms"]).supportive_features == ["arms"]


def test_supportive_no_and_sleeps_alone(bank):
    r = result(bank, family_history="no", limb_movements="sleeps_alone")
    assert r.supportive_features == []


# --- contributing factors ------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "factor"),
    [
        ({"iron_low": "yes"}, "iron_deficiency"),
        ({"blood_loss": ["heavy_periods"]}, "blood_loss"),
        ({"blood_loss": ["frequent_blood_donation"]}, "blood_loss"),
        ({"blood_loss": ["bleeding_gut"]}, "blood_loss"),
        ({"pregnant": "yes"}, "pregnancy"),
        ({"kidney": "kidney_disease"}, "kidney_disease"),
        ({"kidney": "dialysis"}, "kidney_disease"),
        ({"diabetes": "yes"}, "diabetes"),
        ({"neuropathy_dx": "yes"}, "neuropathy"),
        ({"thyroid": "yes"}, "thyroid"),
        ({"neuro_conditions": ["parkinsons"]}, "parkinsons"),
        ({"neuro_conditions": ["multiple_sclerosis"]}, "multiple_sclerosis"),
        ({"neuro_conditions": ["spinal_cord"]}, "spinal_cord"),
        ({"medications": ["antihistamine"]}, "med_antihistamine"),
        ({"medications": ["antidepressant"]}, "med_antidepressant"),
        ({"medications": ["antipsychotic"]}, "med_antipsychotic"),
        ({"medications": ["anti_nausea"]}, "med_anti_nausea"),
        ({"medications": ["lithium"]}, "med_lithium"),
        ({"caffeine": "3_plus_per_day"}, "caffeine"),
        ({"alcohol": "most_evenings"}, "alcohol"),
        ({"nicotine": "yes"}, "nicotine"),
        ({"snoring": "yes"}, "sleep_apnea"),
        ({"short_sleep": "yes"}, "short_sleep"),
    ],
)
def test_each_factor(bank, answers, factor):
    assert result(bank, **answers).contributing_factors == [factor]


@pytest.mark.parametrize(
    "answers",
    [
        {"iron_low": "unsure"},
        {"blood_loss": ["none"]},
        {"pregnant": "not_applicable"},
        {"kidney": "unsure"},
        {"kidney": "none"},
        {"medications": ["unsure"]},
        {"medications": ["none"]},
        {"neuro_conditions": ["none"]},
        {"caffeine": "1_2_per_day"},
        {"alcohol": "some_days"},
        {"nicotine": "no"},
        {"snoring": "unsure"},
        {"short_sleep": "no"},
    ],
)
def test_no_factor_below_threshold(bank, answers):
    assert result(bank, **answers).contributing_factors == []


def test_factors_sorted(bank):
    r = result(bank, thyroid="yes", iron_low="yes", medications=["lithium", "antihistamine"])
    assert r.contributing_factors == [
        "iron_deficiency",
        "med_antihistamine",
        "med_lithium",
        "thyroid",
    ]


# --- augmentation ------------------------------------------------------------------


@pytest.mark.parametrize("drug", ["dopamine_agonist", "levodopa"])
@pytest.mark.parametrize(
    "item", ["aug_earlier", "aug_faster", "aug_spread", "aug_stronger", "aug_wearoff"]
)
def test_augmentation(bank, drug, item):
    assert result(bank, rls_treatment=[drug], **{item: "yes"}).augmentation_concern is True
    assert result(bank, rls_treatment=[drug], **{item: "unsure"}).augmentation_concern is False


def test_augmentation_needs_dopamine_medicine(bank):
    # aug_* answers count only when a dopamine-type medicine is taken.
    assert (
        result(bank, rls_treatment=["gabapentinoid"], aug_earlier="yes").augmentation_concern
        is False
    )
    assert result(bank, aug_earlier="yes").augmentation_concern is False


# --- red flags and urgency -----------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "flag", "urgency"),
    [
        ("rf_one_leg", "dvt", "urgent"),
        ("rf_weakness", "neurological", "urgent"),
        ("rf_breathing", "pulmonary_embolism", "emergency"),
        ("rf_saddle", "cauda_equina", "emergency"),
        ("rf_cold_leg", "limb_ischaemia", "emergency"),
        ("mood", "self_harm", "emergency"),
    ],
)
def test_red_flags(bank, item, flag, urgency):
    r = result(bank, **{item: "yes"})
    assert (r.red_flags, r.urgency) == ([flag], urgency)
    r = result(bank, **{item: "no"})
    assert (r.red_flags, r.urgency) == ([], "routine")


def test_mood_prefer_not_is_no_flag(bank):
    assert result(bank, mood="prefer_not").red_flags == []


def test_emergency_outranks_urgent(bank):
    r = result(bank, rf_one_leg="yes", rf_breathing="yes")
    assert (r.red_flags, r.urgency) == (["dvt", "pulmonary_embolism"], "emergency")


# --- tests to discuss ------------------------------------------------------------------

IRON = ["ferritin", "full_blood_count", "transferrin_saturation"]


@pytest.mark.parametrize(
    ("answers", "tests"),
    [
        (CLASSIC, IRON),
        ({**CLASSIC, "cramp": "yes"}, IRON),
        ({"urge": "unsure"}, IRON),
        ({"urge": "no"}, []),
        ({}, []),
    ],
)
def test_iron_tests_follow_pattern(bank, answers, tests):
    assert result(bank, **answers).tests_to_discuss == tests


@pytest.mark.parametrize(
    ("answers", "tests"),
    [
        ({"kidney": "dialysis"}, ["kidney_function"]),
        ({"diabetes": "yes"}, ["glucose_hba1c"]),
        ({"neuropathy_dx": "yes"}, ["b12_folate", "glucose_hba1c"]),
        ({"numbness": "yes"}, ["b12_folate", "glucose_hba1c"]),
        ({"thyroid": "yes"}, ["thyroid_function"]),
        ({"diabetes": "unsure", "thyroid": "no"}, []),
    ],
)
def test_condition_tests(bank, answers, tests):
    assert result(bank, **answers).tests_to_discuss == tests


# --- pediatric ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "pediatric"), [("under_18", True), ("18_44", False), (None, False)]
)
def test_pediatric(bank, age, pediatric):
    answers = {"age_group": age} if age else {}
    assert result(bank, **answers).pediatric is pediatric
