"""Each rule row of the instrument's rules (docs/instrument.md section 3), on both sides of
its boundary, and the shape of the result (section 5)."""

from __future__ import annotations

import itertools
import json

import pytest

from rls_screen.core import engine
from rls_screen.core.answers import check_answers
from rls_screen.core.engine import score

CLASSIC = {"urge": "yes", "rest": "yes", "movement": "full", "evening": "yes"}
LOW_IMPACT = {"sleep_impact": "mild", "daytime_impact": "none", "bother": "mild"}
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
ALL_LOOKALIKES = sorted(LOOKALIKE_ITEMS.values())
ALL_LOOKALIKES_NO = {item: "no" for item in LOOKALIKE_ITEMS}


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
        # v2: not sure how it was at the start is "unsure", never "not met".
        ({"movement": "no", "movement_past": "unsure"}, "unsure"),
        ({"movement": "no"}, "unsure"),
        ({"movement": "unsure"}, "unsure"),
        # movement_past only counts when movement = no (its enable condition).
        ({"movement": "unsure", "movement_past": "yes"}, "unsure"),
        ({"movement": "full", "movement_past": "no"}, "met"),
        ({"movement_past": "yes"}, "unanswered"),
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
        # v2: unsure or unanswered about the start is "unsure", never "not met".
        ({"evening": "all_day_now", "evening_past": "unsure"}, "unsure"),
        ({"evening": "all_day_now"}, "unsure"),
        ({"evening": "no"}, "not_met"),
        ({"evening": "no", "evening_past": "yes"}, "not_met"),
        ({"evening": "yes", "evening_past": "no"}, "met"),
        ({"evening": "unsure"}, "unsure"),
        ({"evening": "unsure", "evening_past": "yes"}, "unsure"),
        ({"evening_past": "yes"}, "unanswered"),
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
    # The features met through how it was at the start count as met.
    r = result(
        bank,
        **{**CLASSIC, "movement": "no", "evening": "all_day_now"},
        movement_past="yes",
        evening_past="yes",
    )
    assert r.pattern == "all_features"


def test_pattern_all_features_with_lookalikes(bank):
    r = result(bank, **CLASSIC, cramp="yes", numbness="yes")
    assert r.pattern == "all_features_with_lookalikes"
    assert r.lookalikes == ["cramps", "neuropathy"]


def test_lookalike_unsure_is_not_a_flag(bank):
    r = result(bank, **CLASSIC, cramp="unsure")
    assert r.pattern == "all_features"
    assert r.lookalikes == []


@pytest.mark.parametrize(("item", "flag"), LOOKALIKE_ITEMS.items())
def test_each_lookalike(bank, item, flag):
    assert result(bank, **{item: "yes"}).lookalikes == [flag]
    assert result(bank, **{item: "no"}).lookalikes == []
    assert result(bank, **{item: "unsure"}).lookalikes == []


def test_pattern_some_features(bank):
    assert result(bank, **{**CLASSIC, "evening": "no"}).pattern == "some_features"
    # One feature met is enough, whatever the others are.
    r = result(bank, urge="unsure", rest="yes", movement="no", movement_past="no", evening="no")
    assert r.pattern == "some_features"


def test_pattern_no_features(bank):
    answers = {"urge": "no", "rest": "no", "movement": "no", "movement_past": "no", "evening": "no"}
    assert result(bank, **answers).pattern == "no_features"
    # One feature unanswered, the rest not met: still no_features.
    assert result(bank, urge="no").pattern == "no_features"


@pytest.mark.parametrize(
    ("answers", "pattern"),
    [
        # v1 called these some_features or no_features; v2 says the answers were not sure.
        ({"urge": "unsure", "rest": "no", "movement": "no", "evening": "no"}, "uncertain"),
        ({"urge": "no", "rest": "no", "movement": "no", "evening": "no"}, "uncertain"),
        ({"urge": "unsure"}, "uncertain"),
        ({"evening": "all_day_now"}, "uncertain"),
        ({"urge": "no", "rest": "no", "movement": "unsure", "evening": "no"}, "uncertain"),
        # Boundaries: one met makes it some_features; no unsure makes it no_features.
        ({"urge": "unsure", "rest": "yes"}, "some_features"),
        ({"urge": "no", "rest": "no", "movement": "full", "evening": "unsure"}, "some_features"),
        ({"urge": "no", "evening": "all_day_now", "evening_past": "no"}, "no_features"),
    ],
)
def test_pattern_uncertain(bank, answers, pattern):
    assert result(bank, **answers).pattern == pattern


# --- look-alikes ---------------------------------------------------------------------


@pytest.mark.parametrize("medicine", ["antipsychotic", "anti_nausea"])
def test_dopamine_blocker_raises_akathisia(bank, medicine):
    r = result(bank, **CLASSIC, **ALL_LOOKALIKES_NO, medications=[medicine])
    assert r.lookalikes == ["akathisia"]
    assert r.pattern == "all_features_with_lookalikes"
    # With the look-alike question also answered yes, it is listed once.
    r = result(bank, **CLASSIC, whole_body="yes", medications=["lithium", medicine])
    assert r.lookalikes == ["akathisia"]


@pytest.mark.parametrize(
    "medications", [["antihistamine", "antidepressant", "lithium"], ["none"], ["unsure"]]
)
def test_other_medicines_raise_no_akathisia(bank, medications):
    r = result(bank, **CLASSIC, **ALL_LOOKALIKES_NO, medications=medications)
    assert r.lookalikes == []
    assert r.pattern == "all_features"


@pytest.mark.parametrize(("item", "flag"), LOOKALIKE_ITEMS.items())
def test_lookalike_unclear_when_unsure_or_unanswered(bank, item, flag):
    others_no = {i: "no" for i in LOOKALIKE_ITEMS if i != item}
    assert result(bank, **CLASSIC, **others_no, **{item: "unsure"}).lookalikes_unclear == [flag]
    assert result(bank, **CLASSIC, **others_no).lookalikes_unclear == [flag]
    assert result(bank, **CLASSIC, **others_no, **{item: "no"}).lookalikes_unclear == []
    r = result(bank, **CLASSIC, **others_no, **{item: "yes"})
    assert (r.lookalikes, r.lookalikes_unclear) == ([flag], [])


def test_lookalike_unclear_all_unanswered(bank):
    # Only one feature answered: every look-alike question is still open.
    assert result(bank, urge="no").lookalikes_unclear == ALL_LOOKALIKES


def test_lookalike_unclear_minus_lookalikes(bank):
    # Akathisia is already named through the medicine: not also "left open".
    r = result(bank, **CLASSIC, **{**ALL_LOOKALIKES_NO, "whole_body": "unsure"})
    assert r.lookalikes_unclear == ["akathisia"]
    r = result(
        bank,
        **CLASSIC,
        **{**ALL_LOOKALIKES_NO, "whole_body": "unsure"},
        medications=["anti_nausea"],
    )
    assert (r.lookalikes, r.lookalikes_unclear) == (["akathisia"], [])


def test_lookalike_unclear_empty_when_incomplete(bank):
    r = result(bank, cramp="unsure", numbness="unsure")
    assert r.pattern == "incomplete"
    assert r.lookalikes_unclear == []
    # One feature answered is enough to report them.
    r = result(bank, urge="no", cramp="unsure", numbness="unsure")
    assert r.pattern == "no_features"
    assert "cramps" in r.lookalikes_unclear
    assert "neuropathy" in r.lookalikes_unclear


# --- course ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "duration", "course"),
    [
        ("2_3_per_week", "1_5_years", "chronic_persistent"),
        ("4_plus_per_week", "over_5_years", "chronic_persistent"),
        ("2_3_per_week", "3_12_months", "undetermined"),  # under a year
        ("4_plus_per_week", "under_3_months", "undetermined"),
        ("1_per_week", "1_5_years", "intermittent"),  # v3: a year of weekly is 5+ times
        ("less_than_monthly", "1_5_years", "undetermined"),  # no lifetime count
    ],
)
def test_course_chronic_boundaries(bank, frequency, duration, course):
    assert result(bank, **CLASSIC, frequency=frequency, duration=duration).course == course


def test_course_chronic_needs_duration(bank):
    assert result(bank, **CLASSIC, frequency="4_plus_per_week").course == "undetermined"


@pytest.mark.parametrize("frequency", ["less_than_monthly", "1_3_per_month", "1_per_week"])
@pytest.mark.parametrize(
    ("duration", "course"),
    [
        ("1_5_years", "intermittent"),
        ("over_5_years", "intermittent"),
        ("3_12_months", "undetermined"),
        ("under_3_months", "undetermined"),
        (None, "undetermined"),  # v1 said intermittent without a duration
    ],
)
def test_course_intermittent_needs_a_year(bank, frequency, duration, course):
    answers = dict(CLASSIC, frequency=frequency, lifetime_episodes="yes")
    if duration:
        answers["duration"] = duration
    assert result(bank, **answers).course == course


@pytest.mark.parametrize("episodes", ["no", "unsure", None])
def test_course_intermittent_needs_five_episodes(bank, episodes):
    # Only when less than monthly (v3): a year of monthly or weekly is more than five.
    answers = dict(CLASSIC, frequency="less_than_monthly", duration="over_5_years")
    if episodes:
        answers["lifetime_episodes"] = episodes
    assert result(bank, **answers).course == "undetermined"


def test_lifetime_episodes_ignored_when_frequent(bank):
    # lifetime_episodes is only asked when frequency is less than twice a week.
    r = result(bank, **CLASSIC, frequency="2_3_per_week", lifetime_episodes="yes")
    assert r.course == "undetermined"
    r = result(
        bank, **CLASSIC, frequency="2_3_per_week", duration="1_5_years", lifetime_episodes="yes"
    )
    assert r.course == "chronic_persistent"


@pytest.mark.parametrize("treatment", ["dopamine_agonist", "levodopa", "gabapentinoid", "other"])
def test_course_uses_untreated_frequency(bank, treatment):
    # Under treatment it is rare now; before any treatment it came most days.
    treated = dict(CLASSIC, frequency="less_than_monthly", duration="over_5_years")
    assert result(bank, **treated, rls_treatment=[treatment]).course == "undetermined"
    r = result(bank, **treated, rls_treatment=[treatment], frequency_untreated="4_plus_per_week")
    assert r.course == "chronic_persistent"
    # And the other way: untreated it was rare, so today's frequency does not decide.
    r = result(
        bank,
        **dict(treated, frequency="1_3_per_month"),
        lifetime_episodes="yes",
        rls_treatment=[treatment],
        frequency_untreated="1_per_week",
    )
    assert r.course == "intermittent"
    r = result(
        bank,
        **dict(treated, frequency="2_3_per_week"),
        rls_treatment=[treatment],
        frequency_untreated="1_per_week",
    )
    assert r.course == "intermittent"  # v3: a year of weekly is more than five episodes


@pytest.mark.parametrize("treatment", [["none"], None])
def test_course_ignores_hidden_untreated_frequency(bank, treatment):
    # frequency_untreated is asked only when some treatment is taken.
    answers = dict(
        CLASSIC,
        frequency="less_than_monthly",
        duration="over_5_years",
        frequency_untreated="4_plus_per_week",
    )
    if treatment:
        answers["rls_treatment"] = treatment
    assert result(bank, **answers).course == "undetermined"
    answers.update(frequency="4_plus_per_week", frequency_untreated="1_per_week")
    assert result(bank, **answers).course == "chronic_persistent"


def test_course_untreated_frequency_with_lifetime_episodes_hidden(bank):
    # Worse on treatment than before it (as with augmentation): weekly for years before
    # the medicine is intermittent (v3: a year of weekly is more than five episodes).
    r = result(
        bank,
        **CLASSIC,
        frequency="4_plus_per_week",
        duration="1_5_years",
        rls_treatment=["dopamine_agonist"],
        frequency_untreated="1_per_week",
        lifetime_episodes="yes",
    )
    assert r.course == "intermittent"


def test_course_null_unless_all_features(bank):
    r = result(bank, urge="yes", frequency="4_plus_per_week", duration="over_5_years")
    assert r.pattern == "some_features"
    assert r.course is None
    r = result(bank, **CLASSIC, cramp="yes", frequency="4_plus_per_week", duration="over_5_years")
    assert r.course == "chronic_persistent"


# --- clinical significance ----------------------------------------------------------


@pytest.mark.parametrize("item", ["sleep_impact", "daytime_impact", "bother"])
@pytest.mark.parametrize(
    ("code", "expected"), [("moderate", True), ("severe", True), ("mild", None), ("none", None)]
)
def test_significance_any_high(bank, item, code, expected):
    assert result(bank, **{item: code}).clinically_significant is expected


def test_significance_false_needs_all_three(bank):
    low = dict(LOW_IMPACT)
    assert result(bank, **low).clinically_significant is False
    del low["bother"]
    assert result(bank, **low).clinically_significant is None


# --- supportive features -------------------------------------------------------------


def test_supportive_features(bank):
    r = result(
        bank,
        urge="yes",
        family_history="yes",
        limb_movements="yes",
        rls_treatment=["levodopa"],
        dopamine_helped="yes",
        dozing="no",
    )
    assert r.supportive_features == [
        "dopaminergic_response",
        "family_history",
        "limb_movements",
        "no_marked_sleepiness",
    ]


@pytest.mark.parametrize(
    ("answers", "feature"),
    [
        ({"family_history": "yes"}, "family_history"),
        ({"limb_movements": "yes"}, "limb_movements"),
        (
            {"rls_treatment": ["dopamine_agonist"], "dopamine_helped": "yes"},
            "dopaminergic_response",
        ),
        (
            {"rls_treatment": ["levodopa", "iron"], "dopamine_helped": "yes"},
            "dopaminergic_response",
        ),
        ({"dozing": "no"}, "no_marked_sleepiness"),
    ],
)
def test_each_supportive_feature(bank, answers, feature):
    assert result(bank, **answers).supportive_features == [feature]


@pytest.mark.parametrize(
    "answers",
    [
        {"family_history": "no"},
        {"family_history": "unsure"},
        {"limb_movements": "no"},
        {"limb_movements": "sleeps_alone"},
        {"limb_movements": "unsure"},
        {"rls_treatment": ["dopamine_agonist"], "dopamine_helped": "no"},
        {"rls_treatment": ["dopamine_agonist"], "dopamine_helped": "unsure"},
        # dopamine_helped is asked only with a dopamine-type medicine.
        {"rls_treatment": ["gabapentinoid"], "dopamine_helped": "yes"},
        {"rls_treatment": ["none"], "dopamine_helped": "yes"},
        {"dopamine_helped": "yes"},
        {"dozing": "yes"},
        {"dozing": "unsure"},
    ],
)
def test_no_supportive_feature(bank, answers):
    assert result(bank, **answers).supportive_features == []


@pytest.mark.parametrize("onset", ["under_20", "20_44", "45_plus", "unsure"])
def test_v1_supportive_features_are_gone(bank, onset):
    # v1 counted an early onset and feelings in the arms; IRLSSG 2012 does not.
    r = result(bank, urge="yes", body_parts=["legs", "arms"], onset_age=onset)
    assert r.supportive_features == []


# --- contributing factors ------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "factor"),
    [
        ({"iron_low": "yes"}, "iron_deficiency"),
        ({"blood_loss": ["heavy_periods"]}, "blood_loss"),
        ({"blood_loss": ["frequent_blood_donation"]}, "blood_loss"),
        ({"blood_loss": ["bleeding_gut"]}, "blood_loss"),
        ({"blood_loss": ["heavy_periods", "frequent_blood_donation"]}, "blood_loss"),
        ({"pregnant": "yes"}, "pregnancy"),
        ({"kidney": "kidney_disease"}, "kidney_disease"),
        ({"kidney": "dialysis"}, "dialysis"),
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
        {"iron_low": "no"},
        {"blood_loss": ["none"]},
        {"pregnant": "not_applicable"},
        {"pregnant": "no"},
        {"kidney": "unsure"},
        {"kidney": "none"},
        {"diabetes": "unsure"},
        {"neuropathy_dx": "unsure"},
        {"thyroid": "unsure"},
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


def test_kidney_disease_and_dialysis_are_separate(bank):
    assert "dialysis" not in result(bank, kidney="kidney_disease").contributing_factors
    assert "kidney_disease" not in result(bank, kidney="dialysis").contributing_factors


def test_factors_sorted(bank):
    r = result(bank, thyroid="yes", iron_low="yes", medications=["lithium", "antihistamine"])
    assert r.contributing_factors == [
        "iron_deficiency",
        "med_antihistamine",
        "med_lithium",
        "thyroid",
    ]


# --- augmentation ------------------------------------------------------------------

AUG_OTHERS = ["aug_faster", "aug_spread", "aug_stronger", "aug_wearoff"]


@pytest.mark.parametrize("drug", ["dopamine_agonist", "levodopa"])
def test_augmentation_earlier_alone(bank, drug):
    assert result(bank, rls_treatment=[drug], aug_earlier="yes").augmentation_concern is True
    for code in ("no", "unsure"):
        r = result(bank, rls_treatment=[drug], aug_earlier=code)
        assert r.augmentation_concern is False


@pytest.mark.parametrize("drug", ["dopamine_agonist", "levodopa"])
@pytest.mark.parametrize("item", AUG_OTHERS)
def test_augmentation_one_other_sign_is_not_enough(bank, drug, item):
    # v1 raised the concern on any one sign; the Max Planck criteria need two.
    r = result(bank, rls_treatment=[drug], aug_earlier="no", **{item: "yes"})
    assert r.augmentation_concern is False
    # An unsure second sign does not count as yes.
    others = {other: "unsure" for other in AUG_OTHERS if other != item}
    r = result(bank, rls_treatment=[drug], **{item: "yes"}, **others)
    assert r.augmentation_concern is False


@pytest.mark.parametrize("pair", list(itertools.combinations(AUG_OTHERS, 2)))
def test_augmentation_two_other_signs(bank, pair):
    answers = {item: "yes" for item in pair}
    r = result(bank, rls_treatment=["dopamine_agonist"], aug_earlier="no", **answers)
    assert r.augmentation_concern is True


def test_augmentation_needs_dopamine_medicine(bank):
    # aug_* answers count only when a dopamine-type medicine is taken.
    signs = {item: "yes" for item in ["aug_earlier", *AUG_OTHERS]}
    for treatment in (["gabapentinoid"], ["iron", "opioid", "other"], ["none"]):
        assert result(bank, rls_treatment=treatment, **signs).augmentation_concern is False
    assert result(bank, **signs).augmentation_concern is False
    r = result(bank, rls_treatment=["gabapentinoid", "levodopa"], **signs)
    assert r.augmentation_concern is True


# --- red flags and urgency -----------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "flags", "urgency"),
    [
        ({"rf_one_leg": "yes"}, ["dvt"], "urgent"),
        ({"rf_weakness": "yes"}, ["neurological"], "urgent"),
        ({"rf_breathing": "yes"}, ["pulmonary_embolism"], "emergency"),
        ({"rf_saddle": "yes"}, ["cauda_equina"], "emergency"),
        ({"rf_cold_leg": "yes"}, ["limb_ischaemia"], "emergency"),
        ({"mood": "yes"}, ["self_harm"], "emergency"),
        (
            {"rf_weakness": "yes", "rf_weakness_sudden": "yes"},
            ["neurological", "neurological_acute"],
            "emergency",
        ),
        (
            {"rf_weakness": "unsure", "rf_weakness_sudden": "yes"},
            ["neurological_acute"],
            "emergency",
        ),
        ({"rf_weakness": "yes", "rf_weakness_sudden": "no"}, ["neurological"], "urgent"),
        ({"pregnant": "yes", "rf_pregnancy": "yes"}, ["pre_eclampsia"], "urgent"),
        ({"blood_loss": ["bleeding_gut"]}, ["gi_bleeding"], "urgent"),
        ({"blood_loss": ["heavy_periods", "bleeding_gut"]}, ["gi_bleeding"], "urgent"),
    ],
)
def test_red_flags(bank, answers, flags, urgency):
    r = result(bank, **answers)
    assert (r.red_flags, r.urgency) == (flags, urgency)


@pytest.mark.parametrize(
    "answers",
    [
        {"rf_one_leg": "no"},
        {"rf_weakness": "no"},
        {"rf_breathing": "no"},
        {"rf_saddle": "no"},
        {"rf_cold_leg": "no"},
        {"mood": "no"},
        {"mood": "prefer_not"},
        {"rf_weakness": "no", "rf_weakness_sudden": "no"},
        {"pregnant": "yes", "rf_pregnancy": "no"},
        {"blood_loss": ["heavy_periods", "frequent_blood_donation"]},
        {"blood_loss": ["none"]},
        # Hidden items raise nothing: sudden weakness is asked only after weakness yes or
        # unsure, the pregnancy signs only in pregnancy, safe_now only after mood yes.
        {"rf_weakness": "no", "rf_weakness_sudden": "yes"},
        {"rf_weakness_sudden": "yes"},
        {"pregnant": "no", "rf_pregnancy": "yes"},
        {"pregnant": "not_applicable", "rf_pregnancy": "unsure"},
        {"rf_pregnancy": "yes"},
        {"mood": "no", "safe_now": "not_safe"},
    ],
)
def test_no_red_flag(bank, answers):
    r = result(bank, **answers)
    assert (r.red_flags, r.red_flags_unsure, r.urgency) == ([], [], "routine")


def test_mood_prefer_not_is_no_flag(bank):
    assert result(bank, mood="prefer_not").red_flags == []


@pytest.mark.parametrize(
    ("safe_now", "urgency"),
    [("safe", "urgent"), ("not_safe", "emergency"), ("unsure", "emergency"), (None, "emergency")],
)
def test_self_harm_urgency_follows_safe_now(bank, safe_now, urgency):
    answers = {"mood": "yes"}
    if safe_now:
        answers["safe_now"] = safe_now
    r = result(bank, **answers)
    assert (r.red_flags, r.red_flags_unsure, r.urgency) == (["self_harm"], [], urgency)


def test_feeling_safe_does_not_lower_another_emergency(bank):
    r = result(bank, mood="yes", safe_now="safe", rf_cold_leg="yes")
    assert r.urgency == "emergency"


def test_emergency_outranks_urgent(bank):
    r = result(bank, rf_one_leg="yes", rf_breathing="yes")
    assert (r.red_flags, r.urgency) == (["dvt", "pulmonary_embolism"], "emergency")


@pytest.mark.parametrize(
    ("answers", "flag"),
    [
        ({"rf_one_leg": "unsure"}, "dvt"),
        ({"rf_breathing": "unsure"}, "pulmonary_embolism"),
        ({"rf_weakness": "unsure"}, "neurological"),
        ({"rf_saddle": "unsure"}, "cauda_equina"),
        ({"rf_cold_leg": "unsure"}, "limb_ischaemia"),
        ({"rf_weakness": "unsure", "rf_weakness_sudden": "unsure"}, "neurological_acute"),
        ({"pregnant": "yes", "rf_pregnancy": "unsure"}, "pre_eclampsia"),
    ],
)
def test_an_unsure_warning_sign_alone_is_urgent(bank, answers, flag):
    # v1 treated "not sure" on a warning sign as silence (routine).
    r = result(bank, **answers)
    assert r.red_flags == []
    assert flag in r.red_flags_unsure
    assert r.urgency == "urgent"


def test_every_unsure_warning_sign_is_listed(bank):
    r = result(
        bank,
        rf_one_leg="unsure",
        rf_breathing="unsure",
        rf_weakness="unsure",
        rf_weakness_sudden="unsure",
        rf_saddle="unsure",
        rf_cold_leg="unsure",
        pregnant="yes",
        rf_pregnancy="unsure",
    )
    assert r.red_flags_unsure == [
        "cauda_equina",
        "dvt",
        "limb_ischaemia",
        "neurological",
        "neurological_acute",
        "pre_eclampsia",
        "pulmonary_embolism",
    ]
    assert r.urgency == "urgent"


def test_unsure_and_sure_warning_signs_together(bank):
    # The instrument's rules' own example: weakness yes, sudden onset not sure.
    r = result(bank, rf_weakness="yes", rf_weakness_sudden="unsure")
    assert (r.red_flags, r.red_flags_unsure) == (["neurological"], ["neurological_acute"])
    assert r.urgency == "urgent"
    # A definite emergency outranks an unsure sign.
    r = result(bank, rf_breathing="yes", rf_one_leg="unsure")
    assert (r.red_flags, r.red_flags_unsure) == (["pulmonary_embolism"], ["dvt"])
    assert r.urgency == "emergency"


@pytest.mark.parametrize(
    "answers",
    [
        {"mood": "prefer_not"},
        {"mood": "yes", "safe_now": "unsure"},
        {"medications": ["unsure"]},
        {"cramp": "unsure"},
        {"iron_low": "unsure"},
    ],
)
def test_only_warning_items_are_unsure_warning_signs(bank, answers):
    # Not sure about mood, safety right now or anything but an rf_* item is no unsure
    # warning sign (self-harm has its own rule).
    assert result(bank, **answers).red_flags_unsure == []


def test_a_flag_already_raised_is_not_repeated_as_unsure(bank, monkeypatch):
    # No two warning items of the shipped bank raise the same flag, so the rule "minus
    # any in red_flags" is checked on rules where sudden weakness also raises
    # `neurological` while weakness itself was answered "not sure".
    monkeypatch.setattr(
        engine,
        "_FLAG_RULES",
        (*engine._FLAG_RULES, (engine._RED_FLAG, "neurological", "rf_weakness_sudden", ("yes",))),
    )
    monkeypatch.setattr(engine, "_COMPILED", {})
    r = result(bank, rf_weakness="unsure", rf_weakness_sudden="yes")
    assert r.red_flags == ["neurological", "neurological_acute"]
    assert r.red_flags_unsure == []
    r = result(bank, rf_weakness="unsure", rf_weakness_sudden="no")
    assert (r.red_flags, r.red_flags_unsure) == ([], ["neurological"])


# --- tests to discuss ------------------------------------------------------------------

IRON = ["ferritin", "full_blood_count", "transferrin_saturation"]


@pytest.mark.parametrize(
    ("answers", "tests"),
    [
        (CLASSIC, IRON),
        ({**CLASSIC, "cramp": "yes"}, IRON),
        ({**CLASSIC, **LOW_IMPACT, "bother": "moderate"}, IRON),
        ({**CLASSIC, "sleep_impact": "mild"}, IRON),  # significance null: not false
        ({**CLASSIC, **LOW_IMPACT}, []),  # all answered, none moderate: not significant
        ({**CLASSIC, **LOW_IMPACT, "cramp": "yes"}, []),
        # v1 listed iron tests for some features too; v2 only for all four.
        ({"urge": "unsure"}, []),
        ({**CLASSIC, "evening": "no", "bother": "severe"}, []),
        # v3: the possible pattern (urge met, none not met) when significant.
        ({**CLASSIC, "evening": "unsure", "bother": "severe"}, IRON),
        ({**CLASSIC, "evening": "unsure", **LOW_IMPACT}, []),
        ({"urge": "unsure", "bother": "severe"}, []),
        ({"urge": "no"}, []),
        ({}, []),
    ],
)
def test_iron_tests_follow_pattern_and_significance(bank, answers, tests):
    assert result(bank, **answers).tests_to_discuss == tests


@pytest.mark.parametrize(
    "factor",
    [
        {"iron_low": "yes"},
        {"blood_loss": ["heavy_periods"]},
        {"blood_loss": ["frequent_blood_donation"]},
        {"blood_loss": ["bleeding_gut"]},
        {"pregnant": "yes"},
    ],
)
@pytest.mark.parametrize(
    "base",
    [{}, {"urge": "no"}, {**CLASSIC, "evening": "no"}, {**CLASSIC, **LOW_IMPACT}],
)
def test_iron_tests_for_iron_factors_regardless_of_pattern(bank, factor, base):
    assert result(bank, **base, **factor).tests_to_discuss == IRON


@pytest.mark.parametrize(
    "answers",
    [
        {"iron_low": "unsure"},
        {"iron_low": "no"},
        {"blood_loss": ["none"]},
        {"pregnant": "no"},
        {"pregnant": "not_applicable"},
    ],
)
def test_no_iron_tests_without_an_iron_factor(bank, answers):
    assert result(bank, **answers).tests_to_discuss == []


@pytest.mark.parametrize(
    ("answers", "tests"),
    [
        ({"kidney": "kidney_disease"}, ["kidney_function"]),
        ({"kidney": "dialysis"}, []),  # already followed closely
        ({"kidney": "unsure"}, []),
        ({"diabetes": "yes"}, []),  # v1 listed glucose for diabetes; it is already known
        ({"neuropathy_dx": "yes"}, ["b12_folate", "glucose_hba1c"]),
        ({"numbness": "yes"}, ["b12_folate", "glucose_hba1c"]),
        ({"neuropathy_dx": "yes", "diabetes": "yes"}, ["b12_folate"]),
        ({"numbness": "yes", "diabetes": "yes"}, ["b12_folate"]),
        ({"neuropathy_dx": "yes", "diabetes": "unsure"}, ["b12_folate", "glucose_hba1c"]),
        ({"neuropathy_dx": "yes", "diabetes": "no"}, ["b12_folate", "glucose_hba1c"]),
        ({"numbness": "unsure"}, []),
        ({"neuropathy_dx": "unsure"}, []),
        ({"thyroid": "yes"}, ["thyroid_function"]),
        ({"thyroid": "unsure"}, []),
        ({"diabetes": "unsure", "thyroid": "no"}, []),
    ],
)
def test_condition_tests(bank, answers, tests):
    assert result(bank, **answers).tests_to_discuss == tests


# --- pediatric ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "pediatric"),
    [("under_18", True), ("18_44", False), ("45_64", False), ("65_plus", False), (None, False)],
)
def test_pediatric(bank, age, pediatric):
    answers = {"age_group": age} if age else {}
    assert result(bank, **answers).pediatric is pediatric


# --- the result object (docs/instrument.md section 5) ---------------------------------

RESULT_KEYS = [
    "instrument",
    "instrument_version",
    "pattern",
    "essential_features",
    "lookalikes",
    "lookalikes_unclear",
    "course",
    "clinically_significant",
    "supportive_features",
    "contributing_factors",
    "augmentation_concern",
    "red_flags",
    "red_flags_unsure",
    "red_flags_unanswered",
    "urgency",
    "tests_to_discuss",
    "pediatric",
    "other_concerns",
]
LISTS = [
    "lookalikes",
    "lookalikes_unclear",
    "supportive_features",
    "contributing_factors",
    "red_flags",
    "red_flags_unsure",
    "red_flags_unanswered",
    "tests_to_discuss",
]
# Every list holds several entries, given in reverse order where the item allows it.
BUSY = {
    **CLASSIC,
    "whole_body": "yes",
    "cramp": "yes",
    "numbness": "yes",
    "habit": "unsure",
    "swelling": "unsure",
    "family_history": "yes",
    "dozing": "no",
    "limb_movements": "yes",
    "thyroid": "yes",
    "kidney": "kidney_disease",
    "iron_low": "yes",
    "medications": ["lithium", "antipsychotic", "antihistamine"],
    "blood_loss": ["bleeding_gut", "heavy_periods"],
    "rf_weakness": "yes",
    "rf_weakness_sudden": "unsure",
    "rf_one_leg": "yes",
    "rf_cold_leg": "unsure",
    "rf_breathing": "unsure",
    "mood": "yes",
    "safe_now": "safe",
    "pregnant": "yes",  # rf_pregnancy and rf_saddle are left unanswered
}


def test_result_json_has_the_keys_in_order(bank):
    for answers in ({}, CLASSIC, BUSY):
        doc = json.loads(result(bank, **answers).to_json())
        assert list(doc) == RESULT_KEYS
        assert list(doc["essential_features"]) == ["urge", "rest", "movement", "evening"]
        assert doc["instrument"] == "rls-screen"
        assert doc["instrument_version"] == "3.0.0"


def test_result_lists_are_sorted(bank):
    doc = json.loads(result(bank, **BUSY).to_json())
    for key in LISTS:
        assert len(doc[key]) >= 2, key  # the check below could fail
        assert doc[key] == sorted(doc[key]), key
    assert doc["red_flags"] == ["dvt", "gi_bleeding", "neurological", "self_harm"]
    assert doc["red_flags_unsure"] == ["limb_ischaemia", "neurological_acute", "pulmonary_embolism"]
    assert doc["red_flags_unanswered"] == ["cauda_equina", "pre_eclampsia"]
    assert doc["urgency"] == "urgent"  # unsure signs only, and the person feels safe


# --- v3: a weakness whose tempo is unknown is possibly acute ---------------------------


@pytest.mark.parametrize(
    ("answers", "unsure"),
    [
        # The follow-up skipped or not sure: possibly acute.
        ({"rf_weakness": "yes"}, ["neurological_acute"]),
        ({"rf_weakness": "unsure"}, ["neurological", "neurological_acute"]),
        ({"rf_weakness": "yes", "rf_weakness_sudden": "unsure"}, ["neurological_acute"]),
        # The other side of the boundary: the tempo is known.
        ({"rf_weakness": "yes", "rf_weakness_sudden": "no"}, []),
        ({"rf_weakness": "unsure", "rf_weakness_sudden": "no"}, ["neurological"]),
        ({"rf_weakness": "yes", "rf_weakness_sudden": "yes"}, []),
        ({"rf_weakness": "no"}, []),
        ({}, []),
    ],
)
def test_weakness_with_its_tempo_unknown_is_possibly_acute(bank, answers, unsure):
    r = result(bank, **answers)
    assert r.red_flags_unsure == unsure


@pytest.mark.parametrize(
    ("parts", "status"),
    [
        (["arms"], "unsure"),
        (["arms", "other"], "unsure"),
        (["other"], "unsure"),
        (["legs"], "met"),
        (["legs", "arms"], "met"),
        (None, "met"),
    ],
)
def test_an_urge_felt_only_outside_the_legs_is_unsure(bank, parts, status):
    answers = dict(CLASSIC) | ({"body_parts": parts} if parts else {})
    r = result(bank, **answers)
    assert r.essential_features.urge == status
    assert (r.pattern == "all_features") == (status == "met")
