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
