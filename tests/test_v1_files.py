"""Every answer file that 1.x or 2.x could write still scores (docs/instrument.md
sections 0 and 5): their items and codes are all still there and mean the same, and the
examples of every version go through the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import SETTINGS

from rls_screen import cli
from rls_screen.core.answers import parse_document
from rls_screen.core.bank import load_bank
from rls_screen.core.engine import Result, score

BANK = load_bank()
ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))

# The items of instrument 1.x, in 1.x order. Their codes are those of the current
# question files, which kept every 1.x code.
V1_ITEMS = (
    "age_group",
    "pregnant",
    "rf_one_leg",
    "rf_breathing",
    "rf_weakness",
    "rf_saddle",
    "rf_cold_leg",
    "urge",
    "sensations",
    "body_parts",
    "rest",
    "movement",
    "movement_past",
    "evening",
    "evening_past",
    "cramp",
    "position_change",
    "joint_muscle_pain",
    "swelling",
    "numbness",
    "walking_pain",
    "habit",
    "whole_body",
    "frequency",
    "duration",
    "lifetime_episodes",
    "onset_age",
    "family_history",
    "limb_movements",
    "sleep_impact",
    "daytime_impact",
    "bother",
    "mood",
    "iron_low",
    "blood_loss",
    "kidney",
    "diabetes",
    "neuropathy_dx",
    "thyroid",
    "neuro_conditions",
    "medications",
    "caffeine",
    "alcohol",
    "nicotine",
    "snoring",
    "short_sleep",
    "rls_treatment",
    "aug_earlier",
    "aug_faster",
    "aug_spread",
    "aug_stronger",
    "aug_wearoff",
)
# Codes that 1.x already had, where a v2 item kept them (spot checks of section 0).
V1_CODES = {
    "limb_movements": {"yes", "no", "unsure", "sleeps_alone"},
    "mood": {"yes", "no", "prefer_not"},
    "kidney": {"none", "kidney_disease", "dialysis", "unsure"},
    "evening": {"yes", "no", "all_day_now", "unsure"},
    "movement": {"full", "partial", "no", "unsure"},
}
# What only v2 items can raise: a 1.x file never shows it.
V2_ONLY_SUPPORTIVE = {"dopaminergic_response", "no_marked_sleepiness"}
V2_ONLY_FLAGS = {"neurological_acute", "pre_eclampsia"}


def test_every_v1_item_and_code_still_exists():
    assert len(V1_ITEMS) == len(set(V1_ITEMS)) == 52
    for item_id in V1_ITEMS:
        assert item_id in BANK.items, item_id
        assert BANK.items[item_id].kind in ("single", "multi"), item_id
    for item_id, codes in V1_CODES.items():
        assert codes <= set(BANK.items[item_id].codes), item_id


def v1_answer(item_id):
    item = BANK.items[item_id]
    if item.kind == "single":
        return st.sampled_from(item.codes)
    others = [c for c in item.codes if c != "none"]
    # In any order: 1.x wrote multi answers in the order the person ticked them.
    some = st.lists(st.sampled_from(others), min_size=1, unique=True)
    return st.one_of(some, st.just(["none"])) if "none" in item.codes else some


@st.composite
def v1_files(draw):
    """An answer file as 1.x wrote it: any of its items, version 1.0.0 (or no version,
    as hand-made files often have), maybe the instrument name and a meta object."""
    chosen = draw(st.lists(st.sampled_from(V1_ITEMS), unique=True))
    doc = {}
    if draw(st.booleans()):
        doc["instrument"] = "rls-screen"
    version = draw(st.sampled_from(["1.0.0", "1.0.0", "1.1.0", None]))
    if version:
        doc["instrument_version"] = version
    doc["answers"] = {item_id: draw(v1_answer(item_id)) for item_id in chosen}
    if draw(st.booleans()):
        doc["meta"] = {"saved": "2025-03-01T20:15:00Z", "app": "rls-screen 1.4.2"}
    return doc


@SETTINGS
@given(v1_files())
def test_every_v1_file_still_scores(doc):
    answers = parse_document(json.loads(json.dumps(doc)), BANK, "old.json")
    # Read unchanged: the same items, the same codes (multi codes in option order).
    assert set(answers) == set(doc["answers"])
    for item_id, value in doc["answers"].items():
        got = answers[item_id]
        assert (set(got) == set(value)) if isinstance(value, list) else (got == value)
    r = score(BANK, answers)
    Result.model_validate_json(r.to_json())
    assert r.instrument_version == "3.0.0"
    assert not set(r.supportive_features) & V2_ONLY_SUPPORTIVE
    assert not set(r.red_flags) & V2_ONLY_FLAGS
    # v3: a weakness whose tempo was never asked (v1 had no follow-up) is possibly acute.
    assert not set(r.red_flags_unsure) & (V2_ONLY_FLAGS - {"neurological_acute"})


# The items of instrument 2.x: every item of 3.0 but those it added.
V3_ITEMS = {"pregnancy_stage", "impulse", "sides", "onset_time", "onset_time_before"}
V3_ITEMS |= {"medicine_list", "child_age"}
V2_ITEMS = tuple(item_id for item_id in BANK.items if item_id not in V3_ITEMS)


def test_every_v2_item_and_code_still_exists():
    assert set(V1_ITEMS) < set(V2_ITEMS)
    assert len(V2_ITEMS) == 60
    # Spot checks of codes 2.x had (section 0b), still there and meaning the same.
    assert set(BANK.items["safe_now"].codes) == {"safe", "not_safe", "unsure"}
    assert set(BANK.items["respondent"].codes) == {"self", "with_helper", "for_person"}
    assert BANK.items["own_words"].kind == "text"


def v2_answer(item_id):
    if BANK.items[item_id].kind == "text":
        return st.just("like fizzy water in my calves")
    return v1_answer(item_id)


@st.composite
def v2_files(draw):
    """An answer file as 2.x wrote it: any of its items, a 2.x version (or none)."""
    chosen = draw(st.lists(st.sampled_from(V2_ITEMS), unique=True))
    doc = {"instrument": "rls-screen"} if draw(st.booleans()) else {}
    version = draw(st.sampled_from(["2.0.0", "2.0.0", "2.3.1", None]))
    if version:
        doc["instrument_version"] = version
    doc["answers"] = {item_id: draw(v2_answer(item_id)) for item_id in chosen}
    if draw(st.booleans()):
        doc["meta"] = {"saved": "2026-11-20T09:30:00Z"}
    return doc


@SETTINGS
@given(v2_files())
def test_every_v2_file_still_scores(doc):
    answers = parse_document(json.loads(json.dumps(doc)), BANK, "old.json")
    assert set(answers) == set(doc["answers"])
    for item_id, value in doc["answers"].items():
        got = answers[item_id]
        assert (set(got) == set(value)) if isinstance(value, list) else (got == value)
    r = score(BANK, answers)
    Result.model_validate_json(r.to_json())
    assert r.instrument_version == "3.0.0"
    # What only v3 items raise: impulse-control problems, and augmentation from the
    # onset times alone.
    assert "impulse_control" not in r.other_concerns
    on_dopamine = {"dopamine_agonist", "levodopa"} & set(answers.get("rls_treatment", ()))
    others = ("aug_faster", "aug_spread", "aug_stronger", "aug_wearoff")
    v2_concern = bool(on_dopamine) and (
        answers.get("aug_earlier") == "yes" or sum(answers.get(i) == "yes" for i in others) >= 2
    )
    assert r.augmentation_concern == v2_concern


def run_cli(capsys, *argv):
    code = cli.main(["score", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_examples_of_every_version_are_shipped():
    versions = {json.loads(p.read_text())["instrument_version"] for p in EXAMPLES}
    assert {"1.0.0", "2.0.0", "3.0.0"} <= versions


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_each_example_scores_through_the_cli(capsys, path):
    code, out, err = run_cli(capsys, path, "--format", "json")
    assert (code, err) == (0, "")
    printed = json.loads(out)
    assert printed.pop("diary") is None  # score's own key (docs/diary.md), no --diary
    result = Result.model_validate(printed)
    assert result.instrument_version == "3.0.0"


def test_v1_examples_mean_what_they_meant(capsys):
    # classic.json (1.0.0): the classic pattern, chronic, iron low.
    code, out, _ = run_cli(capsys, ROOT / "examples" / "classic.json", "--format", "json")
    r = json.loads(out)
    assert code == 0
    assert (r["pattern"], r["course"], r["urgency"]) == (
        "all_features",
        "chronic_persistent",
        "routine",
    )
    assert "iron_deficiency" in r["contributing_factors"]
    # red-flag.json (1.0.0): a swollen leg in pregnancy is a same-day warning sign.
    code, out, _ = run_cli(capsys, ROOT / "examples" / "red-flag.json", "--format", "json")
    r = json.loads(out)
    assert code == 0
    assert (r["red_flags"], r["urgency"]) == (["dvt"], "urgent")


def test_a_version_4_file_is_refused(capsys, tmp_path):
    path = tmp_path / "future.json"
    path.write_text(
        json.dumps(
            {"instrument": "rls-screen", "instrument_version": "4.0.0", "answers": {"urge": "yes"}}
        )
    )
    out_file = tmp_path / "result.json"
    code, out, err = run_cli(capsys, path, "--format", "json", "-o", out_file)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "4.0.0" in err and "1.x, 2.x and 3.x" in err
    assert not out_file.exists()  # nothing is written on error
    # The same file as version 3, 2 or 1 is read.
    for version in ("3.0.0", "3.1.0", "2.0.0", "1.0.0"):
        path.write_text(json.dumps({"instrument_version": version, "answers": {"urge": "yes"}}))
        assert run_cli(capsys, path, "--format", "json")[0] == 0
