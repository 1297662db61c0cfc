"""One problem, one piece of advice in the warning dialog (issue 20): the urgency line
is not shown above a sign whose own text already says what to do ("See a doctor today"
above "Call your maternity unit..."), and sudden weakness not sure replaces weakness not
sure. Every warning sign, yes and not sure, pregnant and not, kiosk and not."""

from __future__ import annotations

import re

import pytest

from rls_screen.core import vocab
from rls_screen.core.walk import Walkthrough
from rls_screen.reports.clinic import in_the_clinic
from rls_screen.reports.summary import Report, alert_for

CASES = [
    (item, value, pregnant)
    for item in vocab.WARNING_ITEMS
    for value in ("yes", "unsure")
    for pregnant in (False, True)
    if item != "rf_pregnancy" or pregnant
]


def _alert(bank, item: str, value: str, pregnant: bool, kiosk: bool) -> Report:
    answers = {item: value}
    if item == "rf_weakness_sudden":
        answers["rf_weakness"] = "yes"
    if pregnant:
        answers["pregnant"] = "yes"
    alert = alert_for(Walkthrough(bank, answers), item)
    assert alert is not None
    return in_the_clinic(alert, bank.summary.urgency.urgent) if kiosk else alert


def _sentences(alert: Report) -> list[str]:
    texts = [t for b in alert.blocks for t in (*b.paragraphs, *(e.text for e in b.entries))]
    flat = " ".join(" ".join(texts).split())
    return [s for s in re.split(r"(?<=[.!?])\s+", flat) if s]


@pytest.mark.parametrize("kiosk", [False, True], ids=["own", "kiosk"])
@pytest.mark.parametrize(("item", "value", "pregnant"), CASES)
def test_the_dialog_gives_one_piece_of_advice(bank, item, value, pregnant, kiosk):
    alert = _alert(bank, item, value, pregnant, kiosk)
    urgency = bank.summary.urgency
    shown = [" ".join(p.split()) for b in alert.blocks for p in b.paragraphs]
    # One sign: its own text says what to do; no urgency line above it.
    assert urgency.urgent not in shown and urgency.emergency not in shown
    sentences = _sentences(alert)
    assert len(sentences) == len(set(sentences)), sentences
    # Each sign still says what to do now and when it is an emergency.
    assert any("emergency number" in s for s in sentences)


@pytest.mark.parametrize("pregnant", [False, True])
def test_weakness_not_sure_is_one_sign_with_the_emergency_safety_net(bank, pregnant):
    alert = _alert(bank, "rf_weakness", "unsure", pregnant, False)
    entries = [e for b in alert.blocks for e in b.entries]
    assert len(entries) == 1
    assert "face droops" in entries[0].text and "emergency number" in entries[0].text


def test_a_clot_in_pregnancy_is_the_maternity_units_alone(bank):
    text = " ".join(_sentences(_alert(bank, "rf_one_leg", "yes", True, False)))
    assert "See a doctor today, or call your local urgent advice line." not in text
    assert "Call your maternity unit or midwife today" in text


def test_two_signs_at_once_still_get_the_urgency_line_first(bank):
    # A sign answered "yes" after another: each dialog is about its own answer, but the
    # summary of both leads with what to do first.
    from rls_screen.reports.summary import build_report

    report = build_report(bank, {"rf_one_leg": "yes", "rf_saddle": "yes"})
    block = next(b for b in report.blocks if b.key == "red_flags")
    assert block.paragraphs[0] == bank.summary.urgency.emergency
