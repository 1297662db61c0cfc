"""Instrument v3 safety nets as the person reads them: a weakness whose tempo is
unknown gets the emergency safety net, and one problem gets one piece of advice."""

from __future__ import annotations

import pytest

from rls_screen.reports.summary import summary_text

EMERGENCY = "call your local emergency number"
TODAY = "See a doctor today"
STROKE = "face droops"


@pytest.mark.parametrize(
    "answers",
    [{"rf_weakness": "yes"}, {"rf_weakness": "yes", "rf_weakness_sudden": "unsure"}],
)
def test_weakness_with_the_tempo_unknown_says_when_to_call_the_emergency_number(bank, answers):
    text = summary_text(bank, answers, None)
    sudden = text.index("may have come on suddenly")
    assert EMERGENCY in text[sudden:]
    assert STROKE in text[sudden:]


def test_weakness_known_not_sudden_still_says_what_makes_it_an_emergency(bank):
    text = summary_text(bank, {"rf_weakness": "yes", "rf_weakness_sudden": "no"}, None)
    assert "may have come on suddenly" not in text
    assert STROKE in text and EMERGENCY in text


def test_sudden_weakness_gets_one_piece_of_advice(bank):
    text = summary_text(bank, {"rf_weakness": "yes", "rf_weakness_sudden": "yes"}, None)
    assert "Call your local emergency number now." in text
    assert TODAY not in text


def _warning_lines(text: str) -> list[str]:
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n")]
    return [p for p in paragraphs if "emergency" in p or any(c.isdigit() for c in p)]


@pytest.mark.parametrize("region", [None, "GB", "FR", "ES", "US", "BR"])
@pytest.mark.parametrize("safe_now", ["safe", "not_safe", "unsure", None])
def test_no_crisis_line_is_doubled_and_each_number_is_named_once(bank, region, safe_now):
    answers = {"mood": "yes"} | ({"safe_now": safe_now} if safe_now else {})
    text = summary_text(bank, answers, region)
    flat = " ".join(text.split())
    assert flat.lower().count("call your local emergency number now") <= 1
    lines = _warning_lines(text)
    assert len(lines) == len(set(lines))
    for number in ("3114", "024", "116 123", "988"):
        assert flat.count(number) <= 1, number


@pytest.mark.parametrize(("region", "name"), [("GB", "the United Kingdom"), ("FR", "France")])
def test_the_country_is_named_next_to_its_numbers(bank, region, name):
    text = " ".join(summary_text(bank, {"mood": "yes", "safe_now": "safe"}, region).split())
    assert f"These numbers are for {name}." in text


def test_no_country_named_without_numbers(bank):
    text = summary_text(bank, {"mood": "yes", "safe_now": "safe"}, None)
    assert "These numbers are for" not in text


def test_not_safe_calls_the_emergency_number_with_no_condition(bank):
    text = " ".join(summary_text(bank, {"mood": "yes", "safe_now": "not_safe"}, "GB").split())
    assert "Call 999 now." in text
    assert text.index("Call 999 now.") < text.index("116 123")


@pytest.mark.parametrize(("safe_now", "shown"), [("safe", True), ("not_safe", False)])
def test_safe_is_told_what_to_do_if_that_changes(bank, safe_now, shown):
    text = " ".join(summary_text(bank, {"mood": "yes", "safe_now": safe_now}, "FR").split())
    assert ("If that changes" in text and "call 112 or 15 now" in text) == shown
    assert "3114" in text


def test_unsure_weakness_that_came_on_suddenly_is_one_emergency(bank):
    # Weakness not sure, but sudden: only the acute sign is raised (found by hypothesis).
    text = summary_text(bank, {"rf_weakness": "unsure", "rf_weakness_sudden": "yes"}, None)
    assert "Call your local emergency number now." in text


@pytest.mark.parametrize("sudden", [None, "unsure"])
def test_weakness_with_the_tempo_unknown_gets_one_piece_of_advice(bank, sudden):
    answers = {"rf_weakness": "yes"} | ({"rf_weakness_sudden": sudden} if sudden else {})
    text = " ".join(summary_text(bank, answers, None).split())
    # The possibly-acute sign's text, which says to get checked today, and not a second
    # "see a doctor today" line for the same weakness.
    assert TODAY not in text
    assert text.count("get checked today") == 1
