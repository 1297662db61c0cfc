"""Every decision about what a result means lives in the core (issue 20): what
interrupts the walk, what an alert reads, one problem one piece of advice, the look-alike
a clot hides, the clinician page's augmentation line and the kiosk's alerts. The
functions decide; the pages only choose the words (their own tests say they still do)."""

from __future__ import annotations

import pytest

from rls_screen.core import decisions, vocab
from rls_screen.core.engine import effective_answers, score

ON_AGONIST = {"rls_treatment": ["dopamine_agonist"]}


@pytest.mark.parametrize(
    ("item_id", "value", "expected"),
    [
        *((item, "yes", True) for item in vocab.WARNING_ITEMS),
        *((item, "unsure", True) for item in vocab.WARNING_ITEMS),
        *((item, "no", False) for item in vocab.WARNING_ITEMS),
        ("blood_loss", ("bleeding_gut",), True),
        ("blood_loss", ("heavy_periods",), False),
        ("safe_now", "safe", True),
        ("safe_now", None, True),
        ("mood", "yes", False),  # asks safe_now first
        ("urge", "yes", False),
    ],
)
def test_the_core_decides_what_interrupts_the_walk(item_id, value, expected):
    assert decisions.interrupts(item_id, value) is expected


def test_safe_now_shows_the_alert_of_mood_and_mood_reads_safe_now():
    assert decisions.alert_item("safe_now") == "mood"
    assert decisions.alert_item("rf_one_leg") == "rf_one_leg"
    assert "safe_now" in decisions.alert_reads("mood")
    # A clot in pregnancy is the maternity unit's to see: every alert reads `pregnant`.
    assert "pregnant" in decisions.alert_reads("rf_one_leg")
    assert "pregnant" in decisions.alert_reads("mood")


@pytest.mark.parametrize(
    ("answers", "hidden"),
    [
        ({"swelling": "yes", "rf_one_leg": "yes"}, {"venous_oedema"}),
        ({"swelling": "yes", "rf_one_leg": "unsure"}, {"venous_oedema"}),
        ({"swelling": "yes", "rf_one_leg": "no"}, set()),
        ({"swelling": "yes"}, set()),
    ],
)
def test_a_possible_clot_hides_the_vein_lookalike(bank, answers, hidden):
    assert decisions.hidden_lookalikes(score(bank, answers)) == hidden


def test_sudden_weakness_replaces_the_today_advice():
    flags, unsure = decisions.advice_flags(["neurological", "neurological_acute"], [])
    assert flags == ["neurological_acute"] and unsure == []
    assert decisions.advice_flags(["dvt"], ["neurological"]) == (["dvt"], ["neurological"])


@pytest.mark.parametrize(
    ("answers", "status"),
    [
        ({**ON_AGONIST, "aug_earlier": "yes"}, "concern"),
        (ON_AGONIST, "no_concern"),
        ({"rls_treatment": ["gabapentinoid"]}, "not_applicable"),
        ({"rls_treatment": ["none"]}, "not_applicable"),
        ({}, "not_answered"),  # the treatment question is shown to everyone
    ],
)
def test_the_core_decides_the_augmentation_line(bank, answers, status):
    kept = effective_answers(bank, answers)
    assert decisions.augmentation_status(bank, kept, score(bank, kept)) == status


def test_augmentation_with_parkinsons_is_noted(bank):
    answers = {**ON_AGONIST, "aug_earlier": "yes"}
    assert not decisions.augmentation_with_parkinsons(score(bank, answers))
    answers["neuro_conditions"] = ["parkinsons"]
    assert decisions.augmentation_with_parkinsons(score(bank, answers))
    # No concern, no note, Parkinson's or not.
    answers = {**ON_AGONIST, "neuro_conditions": ["parkinsons"]}
    assert not decisions.augmentation_with_parkinsons(score(bank, answers))


def test_the_kiosk_alerts_add_up_and_never_go_down(bank):
    first = decisions.merge_alerts(None, score(bank, {"rf_one_leg": "unsure"}))
    assert first == ([], ["dvt"], "urgent")
    # The clot answered yes now, and the saddle sign: raised, not unsure; an emergency.
    second = decisions.merge_alerts(first, score(bank, {"rf_one_leg": "yes", "rf_saddle": "yes"}))
    assert second == (["cauda_equina", "dvt"], [], "emergency")
    # The saddle answer changed to no later: staff were told, and stay told.
    third = decisions.merge_alerts(second, score(bank, {"rf_one_leg": "yes"}))
    assert third == (["cauda_equina", "dvt"], [], "emergency")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("routine", "urgent", "urgent"),
        ("emergency", "urgent", "emergency"),
        ("urgent", "urgent", "urgent"),
    ],
)
def test_more_urgent(a, b, expected):
    assert decisions.more_urgent(a, b) == expected


def test_sudden_weakness_not_sure_replaces_weakness_not_sure():
    assert decisions.advice_flags([], ["neurological", "neurological_acute"]) == (
        [],
        ["neurological_acute"],
    )
    # A weakness answered yes with a tempo not known: the possibly-acute sign's advice
    # alone (spec section 4: neurological_acute, yes or unsure, replaces it).
    assert decisions.advice_flags(["neurological"], ["neurological_acute"]) == (
        [],
        ["neurological_acute"],
    )


@pytest.mark.parametrize(
    ("respondent", "alone"),
    [("self", True), ("with_helper", True), ("for_person", False), (None, False)],
)
def test_the_core_decides_who_the_summary_speaks_to(respondent, alone):
    answers = {"respondent": respondent} if respondent else {}
    assert decisions.answered_by_the_person(answers) is alone
