"""Property tests over random valid answer sets, partial ones included."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rls_screen import vocab
from rls_screen.answers import check_answers, to_document
from rls_screen.bank import load_bank
from rls_screen.engine import Result, effective_answers, score
from rls_screen.report import summary_markdown, summary_text

BANK = load_bank()


def item_answer(item):
    if item.kind == "single":
        return st.sampled_from(item.codes)
    others = [c for c in item.codes if c != vocab.NONE]
    some = st.lists(st.sampled_from(others), min_size=1, unique=True)
    return st.one_of(some, st.just([vocab.NONE])) if vocab.NONE in item.codes else some


@st.composite
def answer_sets(draw):
    """Any subset of items with any valid answer (conditions not respected: answers to
    hidden items must simply be ignored)."""
    chosen = draw(st.lists(st.sampled_from(list(BANK.items)), unique=True))
    raw = {item_id: draw(item_answer(BANK.items[item_id])) for item_id in chosen}
    return check_answers(raw, BANK, "generated")


SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(answer_sets())
def test_result_is_consistent(answers):
    r = score(BANK, answers)
    Result.model_validate(r.model_dump())  # every value is of the model's vocabulary
    features = r.essential_features.model_dump()
    all_met = all(v == "met" for v in features.values())
    assert r.pattern.startswith("all_features") == all_met
    assert (r.pattern == "all_features_with_lookalikes") == (all_met and bool(r.lookalikes))
    assert (r.course is None) == (not r.pattern.startswith("all_features"))
    emergency = set(r.red_flags) & vocab.EMERGENCY_FLAGS
    urgent = set(r.red_flags) & vocab.URGENT_FLAGS
    assert r.urgency == ("emergency" if emergency else "urgent" if urgent else "routine")
    for field in (
        "lookalikes",
        "supportive_features",
        "contributing_factors",
        "red_flags",
        "tests_to_discuss",
    ):
        value = getattr(r, field)
        assert value == sorted(set(value))


@SETTINGS
@given(answer_sets())
def test_hidden_answers_never_count(answers):
    assert score(BANK, answers) == score(BANK, effective_answers(BANK, answers))


@SETTINGS
@given(answer_sets())
def test_answer_file_round_trip(answers):
    doc = to_document(answers, BANK)
    assert check_answers(doc["answers"], BANK, "again") == answers


DOSE = re.compile(r"\b\d+(\.\d+)?\s*(mg|mcg|µg|g|ml|units?|iu|tablets?|pills?)\b", re.I)
FORBIDDEN = re.compile(r"you have|diagnosed|\bcures?\b|\bcured\b", re.I)


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_summary_language_is_safe(answers):
    r = score(BANK, answers)
    for text in (summary_text(BANK, r), summary_markdown(BANK, r)):
        assert not FORBIDDEN.search(text), FORBIDDEN.search(text).group(0)
        assert not DOSE.search(text)
        assert "This is not a diagnosis" in text.replace("\\", "")
        # "diagnosis" only ever in "this is not a diagnosis"
        assert text.lower().count("diagnosis") == text.lower().count("not a diagnosis")
