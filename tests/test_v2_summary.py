"""What a person reads in v2 summaries: crisis numbers only where the crisis data put
them, the person's own words shown literally, and "not sure" never reported as none."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rls_screen.core.crisis import crisis_support, load_crisis
from rls_screen.reports.exports import render_export
from rls_screen.reports.summary import summary_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CRISIS = load_crisis()
REGIONS = [None, *sorted(CRISIS.regions)]
NUMBERS = {code: {t["emergency"], t["crisis_number"]} for code, t in CRISIS.regions.items()}
SELF_HARM = {"mood": "yes", "safe_now": "not_safe"}


def phone_numbers(text: str) -> set[str]:
    """Every crisis or emergency number of any region that the text contains (longest
    first, so that 111 inside 0800 111 0 111 is not counted twice)."""
    parts = {p for numbers in NUMBERS.values() for n in numbers for p in n.split(" or ")}
    found = set()
    for part in sorted(parts, key=len, reverse=True):
        pattern = rf"(?<![\d-]){re.escape(part)}(?![\d-])"
        if re.search(pattern, text):
            found.add(part)
            text = re.sub(pattern, "#", text)
    return found


def own_numbers(region: str | None) -> set[str]:
    if region is None:  # every emergency number, each with its country; no crisis line
        return {p for t in CRISIS.regions.values() for p in t["emergency"].split(" or ")}
    return {p for n in NUMBERS[region] for p in n.split(" or ")}


def test_with_no_country_known_the_emergency_numbers_come_with_their_countries(bank):
    """LANG=C.UTF-8, no --region: the person is shown the emergency numbers the data
    knows, each beside its country, and how to choose theirs."""
    text = " ".join(summary_text(bank, SELF_HARM, None).split())
    for table in CRISIS.regions.values():
        assert table["name"] in text
        assert table["emergency"] in text
        assert table["crisis_number"] not in text  # a line is for its own country only
    assert "--region" in text


@pytest.mark.parametrize("region", REGIONS)
def test_crisis_numbers_appear_only_for_the_persons_region(bank, region):
    text = summary_text(bank, SELF_HARM, region)
    found = phone_numbers(text)
    assert found <= own_numbers(region), found - own_numbers(region)
    if region is not None:
        assert CRISIS.regions[region]["crisis_number"] in text
        # Not safe right now: the emergency number comes before the crisis line.
        emergency = text.lower().index(f"call {CRISIS.regions[region]['emergency']} now")
        assert emergency < text.index(CRISIS.regions[region]["crisis_number"])


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
@pytest.mark.parametrize("region", ["GB", "US", None])
def test_no_phone_number_without_a_reason(bank, example, region):
    answers = json.loads(example.read_text())["answers"]
    assert answers.get("mood") != "yes"
    text = summary_text(
        bank, {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}, region
    )
    if answers.get("mood") == "prefer_not":  # a gentle support line, with its number
        assert phone_numbers(text) <= own_numbers(region)
    else:
        assert phone_numbers(text) == set()


def test_safe_right_now_gets_the_line_without_the_emergency_first(bank):
    gb = crisis_support("GB")
    safe = summary_text(bank, {"mood": "yes", "safe_now": "safe"}, "GB")
    assert "116 123" in safe and gb.emergency_first not in " ".join(safe.split())
    unsure = " ".join(summary_text(bank, {"mood": "yes", "safe_now": "unsure"}, "GB").split())
    assert gb.emergency_first in unsure


def test_prefer_not_gets_a_gentle_line_and_no_alarm(bank):
    text = summary_text(bank, {"mood": "prefer_not"}, "AU")
    assert crisis_support("AU").gentle in " ".join(text.split())
    assert "PLEASE ACT NOW" not in text


def test_unsure_warning_signs_are_never_reported_as_none(bank):
    answers = {"rf_breathing": "unsure", "rf_saddle": "unsure"}
    patient = summary_text(bank, answers)
    assert "Warning signs to check today" in patient
    clinician = render_export(bank, answers, "text", "clinician")
    part = clinician.split("Red flags answered unsure", 1)[1].split("\n\n", 1)[0]
    assert "None reported" not in part
    assert "Possible PE" in part and "cauda equina" in part
    assert "Urgency: Urgent (same-day review)" in clinician


def test_clot_keeps_the_vein_lookalike_out_of_the_explanations(bank):
    answers = {"rf_one_leg": "yes", "swelling": "yes", "urge": "yes"}
    text = summary_text(bank, answers)
    assert "Swollen or heavy legs" not in text
    assert "call your local emergency number at once" in " ".join(text.split())
    without_clot = summary_text(bank, {**answers, "rf_one_leg": "no"})
    assert "Swollen or heavy legs" in without_clot


HOSTILE = '=1+1 <script>alert(1)</script> **bold** | [link](x) "quoted"'


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_own_words_shown_literally_on_the_clinician_page(bank, fmt):
    answers = {"urge": "yes", "own_words": HOSTILE}
    page = render_export(bank, answers, fmt, "clinician")
    if fmt == "html":
        assert "<script>" not in page
        assert "=1+1 &lt;script&gt;alert(1)&lt;/script&gt; **bold** | [link](x)" in page
    elif fmt == "markdown":
        unescaped = re.sub(r"\\(.)", r"\1", page)
        assert f"\u201c{HOSTILE}\u201d" in unescaped
        assert "<script>" not in page  # escaped, so a Markdown viewer shows it as text
    else:
        assert f"\u201c{HOSTILE}\u201d" in " ".join(page.split())


def test_child_summary_speaks_of_the_childs_own_words(bank):
    answers = json.loads((EXAMPLES / "child.json").read_text())["answers"]
    answers = {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}
    text = " ".join(summary_text(bank, answers).split())
    assert "child's own words" in text
    clinician = render_export(bank, answers, "text", "clinician")
    assert "A parent or carer, for the patient" in clinician
    assert "wiggles inside" in clinician
    assert "Children: ferritin < 50" in " ".join(clinician.split())
