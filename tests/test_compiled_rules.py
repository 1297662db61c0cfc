"""Scoring runs on look-up tables compiled from the rules (engine._Compiled), for speed.
These tests hold it to a plain reading of the same rules, over random answers, and over
banks whose conditions take the shapes the shipped bank does not use."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_properties import BANK, SETTINGS, answer_sets

from rls_screen import engine
from rls_screen.bank import load_bank
from rls_screen.engine import effective_answers, evaluate, score

ROOT = Path(__file__).resolve().parents[1]


def plain_flags(answers):
    """Each flag rule read one at a time, over the answers that count."""
    kept = effective_answers(BANK, answers)
    found = ([], [], [], [])
    for kind, flag, item, codes in engine._FLAG_RULES:
        answer = kept.get(item)
        if answer is None:
            continue
        if answer in codes if isinstance(answer, str) else set(answer) & set(codes):
            found[kind].append(flag)
    return tuple(sorted(flags) for flags in found)


@SETTINGS
@given(answer_sets())
def test_flags_match_a_plain_reading_of_the_rules(answers):
    lookalikes, red_flags, factors, supportive = plain_flags(answers)
    result = evaluate(BANK, answers)
    assert result["lookalikes"] == lookalikes
    assert result["red_flags"] == red_flags
    assert result["contributing_factors"] == factors
    assert result["supportive_features"] == supportive


@SETTINGS
@given(answer_sets(), st.randoms(use_true_random=False))
def test_multi_answers_in_any_order_or_as_lists_score_the_same(answers, rnd):
    shuffled = {}
    for item_id, value in answers.items():
        if isinstance(value, tuple):
            value = list(value)
            rnd.shuffle(value)
            value = value if rnd.random() < 0.5 else tuple(value)
        shuffled[item_id] = value
    assert evaluate(BANK, shuffled) == evaluate(BANK, answers)


def test_hidden_answer_raises_nothing():
    # 'arms' in body_parts is a supportive feature, but body_parts is asked only after
    # urge = yes or unsure.
    answers = {"urge": "no", "body_parts": ("legs", "arms")}
    assert evaluate(BANK, answers)["supportive_features"] == []
    answers["urge"] = "unsure"
    assert evaluate(BANK, answers)["supportive_features"] == ["arms"]


def edited_bank(tmp_path: Path, old: str, new: str):
    copy = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", copy)
    core = copy / "core.toml"
    text = core.read_text()
    assert old in text
    core.write_text(text.replace(old, new, 1))
    return load_bank(copy)


def test_a_condition_on_a_hidden_item_hides_its_item_too(tmp_path):
    # evening_past asked only after movement_past = yes, itself asked after movement = no
    bank = edited_bank(
        tmp_path,
        '{ question = "evening", answer = "all_day_now" }',
        '{ question = "movement_past", answer = "yes" }',
    )
    answers = {
        "movement": "full",  # movement_past is hidden, so evening_past is too
        "movement_past": "yes",
        "evening": "all_day_now",
        "evening_past": "yes",
    }
    r = score(bank, answers)
    assert r.essential_features.evening == "not_met"  # evening_past did not count
    assert effective_answers(bank, answers) == {"movement": "full", "evening": "all_day_now"}
    shown = dict(answers, movement="no")
    assert score(bank, shown).essential_features.evening == "met"


def test_an_all_condition_needs_every_part(tmp_path):
    # movement_past asked only when movement = no and rest = yes
    bank = edited_bank(
        tmp_path,
        'enable_behavior = "any"\nenable_when = [\n  { question = "movement", answer = "no" },',
        'enable_behavior = "all"\nenable_when = [\n  { question = "movement", answer = "no" },\n'
        '  { question = "rest", answer = "yes" },',
    )
    answers = {"urge": "yes", "movement": "no", "movement_past": "yes"}
    assert evaluate(bank, dict(answers, rest="no"))["essential_features"]["movement"] == "not_met"
    assert evaluate(bank, dict(answers, rest="yes"))["essential_features"]["movement"] == "met"


def test_compiled_tables_follow_the_bank_they_were_built_for(tmp_path):
    other = edited_bank(
        tmp_path,
        '{ question = "evening", answer = "all_day_now" }',
        '{ question = "movement_past", answer = "yes" }',
    )
    answers = {
        "movement": "full",
        "movement_past": "yes",
        "evening": "all_day_now",
        "evening_past": "yes",
    }
    assert score(BANK, answers).essential_features.evening == "met"
    assert score(other, answers).essential_features.evening == "not_met"
    assert score(BANK, answers).essential_features.evening == "met"
