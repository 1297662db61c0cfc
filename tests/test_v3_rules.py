"""Instrument v3 rules and wording as a person and a clinician read them (issue 20):
skipped is never "none", every warning sign says what makes it an emergency now, the
course from the untreated frequency, and the clinician page's order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rls_screen.core.engine import evaluate
from rls_screen.reports.clinician import clinician_text
from rls_screen.reports.summary import summary_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CLASSIC = json.loads((EXAMPLES / "classic.json").read_text())["answers"]
# Every warning sign answered no (the safety section, blood loss and mood).
SAFE_ANSWERS = {
    "rf_one_leg": "no",
    "rf_breathing": "no",
    "rf_weakness": "no",
    "rf_saddle": "no",
    "rf_cold_leg": "no",
    "mood": "no",
    "blood_loss": ["none"],
}
SAFETY_ITEMS = ("rf_one_leg", "rf_breathing", "rf_weakness", "rf_saddle", "rf_cold_leg")
DEFAULT_SKIPPED = [
    "cauda_equina",
    "dvt",
    "gi_bleeding",
    "limb_ischaemia",
    "neurological",
    "pulmonary_embolism",
    "self_harm",
]
SKIPPED_HEADING = "Warning signs you did not answer"


def flat(text: str) -> str:
    return " ".join(text.split())


def section(text: str, heading: str) -> str:
    """The lines of a clinician page section, from its heading to the next heading."""
    lines = text.splitlines()
    start = lines.index(heading)
    end = next(
        (
            i
            for i in range(start + 2, len(lines) - 1)
            if lines[i + 1] and set(lines[i + 1]) <= {"-", "="}
        ),
        len(lines),
    )
    return flat("\n".join(lines[start + 2 : end]))


# --- 1. skipped is never "none" -----------------------------------------------------------


def test_an_empty_answer_file_lists_every_warning_sign_shown_as_not_answered(bank):
    result = evaluate(bank, {})
    keys = list(result)
    assert keys[keys.index("red_flags_unsure") + 1] == "red_flags_unanswered"
    assert result["red_flags_unanswered"] == DEFAULT_SKIPPED
    assert result["urgency"] == "routine"  # skipping is allowed, not alarming


def test_answered_signs_are_not_listed_as_not_answered(bank):
    assert evaluate(bank, SAFE_ANSWERS)["red_flags_unanswered"] == []
    result = evaluate(bank, {**SAFE_ANSWERS, "rf_weakness": "yes", "rf_one_leg": "unsure"})
    # The weakness with its tempo skipped is possibly acute (unsure), never "not answered".
    assert result["red_flags_unanswered"] == []
    assert result["red_flags_unsure"] == ["dvt", "neurological_acute"]


@pytest.mark.parametrize(("pregnant", "skipped"), [("yes", ["pre_eclampsia"]), ("no", [])])
def test_the_pregnancy_sign_is_not_answered_only_when_it_was_shown(bank, pregnant, skipped):
    result = evaluate(bank, {**SAFE_ANSWERS, "pregnant": pregnant})
    assert result["red_flags_unanswered"] == skipped


@pytest.mark.parametrize(
    ("answers", "shown"),
    [({}, True), ({"pregnant": "yes", **SAFE_ANSWERS}, True), (SAFE_ANSWERS, False)],
)
def test_the_summary_says_what_needs_emergency_care_when_a_sign_was_skipped(bank, answers, shown):
    text = flat(summary_text(bank, answers))
    assert (SKIPPED_HEADING in text) == shown
    if shown:
        after = text[text.index(SKIPPED_HEADING) :]
        assert "call your local emergency number" in after


def test_the_summary_names_the_pregnancy_emergency_when_that_sign_was_skipped(bank):
    text = flat(summary_text(bank, {**SAFE_ANSWERS, "pregnant": "yes"}))
    after = text[text.index(SKIPPED_HEADING) :]
    assert "In pregnancy: a fit (seizure)" in after
    assert "chest pain" not in after  # only what was skipped


def test_everything_skipped_reads_not_answered_on_the_clinician_page(bank):
    text = clinician_text(bank, {})
    for heading in (
        "Red flags",
        "Red flags answered unsure",
        "Criterion 5: possible mimics",
        "Possible contributing factors",
        "Supportive features",
    ):
        assert "None reported" not in section(text, heading), heading
        assert "Not answered" in section(text, heading), heading
    assert "No dopaminergic agent reported" not in text
    assert "Treatment not answered" in section(text, "Augmentation")
    assert "criteria 1-4 not all met" not in text


def test_answered_sections_still_read_none_reported(bank):
    text = clinician_text(bank, CLASSIC)
    assert section(text, "Red flags") == "- None reported."
    assert section(text, "Criterion 5: possible mimics") == "- None reported."
    assert "No dopaminergic agent reported" in section(text, "Augmentation")


def test_the_safety_section_skipped_is_listed_as_not_answered(bank):
    answers = {k: v for k, v in CLASSIC.items() if k not in SAFETY_ITEMS}
    red_flags = section(clinician_text(bank, answers), "Red flags")
    assert "None reported" in red_flags  # mood and blood loss were answered no
    assert "Not answered" in red_flags
    assert "Is one of your legs newly swollen" in red_flags
    assert "thoughts that you would be better off dead" not in red_flags


def test_the_pregnancy_sign_skipped_is_on_the_clinician_page(bank):
    red_flags = section(clinician_text(bank, {**SAFE_ANSWERS, "pregnant": "yes"}), "Red flags")
    assert "Not answered" in red_flags and "swelling of your face or hands" in red_flags
