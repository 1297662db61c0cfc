"""Instrument v3's new items (issue 20): when in the day it starts (now and before a
dopamine-type medicine), on which side, and the medicine list; version 3.0.0 and its
examples, read as a clinician would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run_cli

from rls_screen.core.engine import condition_holds, effective_answers, evaluate
from rls_screen.reports.clinician import clinician_text, load_clinician_texts

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ON_AGONIST = {"urge": "yes", "rls_treatment": ["dopamine_agonist"]}
ONE_SIDE_NOTE = "Symptoms always on the same one side: consider a nerve root or local cause."
MEDICINES_LABEL = "Medicines and supplements as listed by the patient (verbatim, not checked):"
TRICKY = 'Ropinirole <b>0.5</b> & "iron";\n=SUM(A1)'


def flat(text: str) -> str:
    return " ".join(text.split())


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())["answers"]


def shown(bank, item_id: str, answers: dict) -> bool:
    return condition_holds(bank.items[item_id], effective_answers(bank, answers))


def order(bank) -> list[str]:
    return [item.id for section in bank.sections for item in section.items]


# --- where the items are asked ---------------------------------------------------------


def test_sides_and_onset_time_follow_body_parts_when_the_urge_is_there(bank):
    ids = order(bank)
    assert ids[ids.index("body_parts") + 1 : ids.index("body_parts") + 3] == ["sides", "onset_time"]
    for urge, asked in (("yes", True), ("unsure", True), ("no", False), (None, False)):
        answers = {"urge": urge} if urge else {}
        assert shown(bank, "sides", answers) is asked
        assert shown(bank, "onset_time", answers) is asked
    assert bank.items["sides"].codes == ("both", "one_side", "varies", "unsure")
    times = ("bedtime", "evening", "afternoon", "morning", "unsure")
    assert bank.items["onset_time"].codes == bank.items["onset_time_before"].codes == times


@pytest.mark.parametrize(
    ("treatment", "asked"),
    [(["dopamine_agonist"], True), (["levodopa"], True), (["gabapentinoid"], False), (None, False)],
)
def test_onset_time_before_is_asked_only_on_a_dopamine_type_medicine(bank, treatment, asked):
    answers = {"rls_treatment": treatment} if treatment else {}
    assert shown(bank, "onset_time_before", answers) is asked
    assert bank.section_of["onset_time_before"].id == "treatment"


def test_the_medicine_list_is_optional_free_text_asked_of_everyone(bank):
    item = bank.items["medicine_list"]
    assert (item.kind, item.max_length, item.enable_when) == ("text", 500, ())
    assert bank.section_of["medicine_list"].id == "contributing"
    assert order(bank)[-1] != "medicine_list"  # the treatment section comes after it


# --- earlier onset counts for augmentation ---------------------------------------------


@pytest.mark.parametrize(
    ("before", "now", "concern"),
    [
        ("bedtime", "afternoon", True),  # two steps: about 4 hours or more
        ("bedtime", "morning", True),
        ("evening", "morning", True),
        ("bedtime", "evening", False),  # one step only
        ("evening", "afternoon", False),
        ("afternoon", "afternoon", False),
        ("afternoon", "bedtime", False),  # later now, not earlier
        ("unsure", "morning", False),
        ("bedtime", "unsure", False),
        (None, "morning", False),
        ("bedtime", None, False),
    ],
)
def test_two_steps_earlier_onset_is_earlier_onset_for_augmentation(bank, before, now, concern):
    answers = dict(ON_AGONIST)
    if before:
        answers["onset_time_before"] = before
    if now:
        answers["onset_time"] = now
    assert evaluate(bank, answers)["augmentation_concern"] is concern


def test_earlier_onset_counts_only_on_a_dopamine_type_medicine(bank):
    answers = {"urge": "yes", "onset_time": "morning", "onset_time_before": "bedtime"}
    for treatment in (["gabapentinoid"], ["none"], None):
        case = answers | ({"rls_treatment": treatment} if treatment else {})
        assert evaluate(bank, case)["augmentation_concern"] is False
    assert evaluate(bank, answers | {"rls_treatment": ["levodopa"]})["augmentation_concern"]


def test_the_clinician_page_puts_both_onset_times_beside_the_augmentation_signs(bank):
    answers = ON_AGONIST | {"onset_time": "afternoon", "onset_time_before": "bedtime"}
    text = clinician_text(bank, answers)
    augmentation = flat(text[text.index("\nAugmentation\n") : text.index("\nTests to consider")])
    assert "Possible augmentation" in augmentation
    now = bank.items["onset_time"]
    before = bank.items["onset_time_before"]
    assert f"{flat(now.text)} [{now.label('afternoon')}]" in augmentation
    assert f"{flat(before.text)} [{before.label('bedtime')}]" in augmentation
    # Criterion 4 shows when it starts now.
    criteria = flat(text[text.index("4. Worse in the evening") : text.index("Criterion 5")])
    assert now.label("afternoon") in criteria


# --- one side ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sides", "note"), [("one_side", True), ("both", False), ("varies", False), ("unsure", False)]
)
def test_one_side_only_asks_the_clinician_to_consider_a_nerve_root_or_local_cause(
    bank, sides, note
):
    text = flat(clinician_text(bank, {"urge": "yes", "sides": sides}))
    assert (ONE_SIDE_NOTE in text) is note
    assert bank.items["sides"].label(sides) in text  # with criterion 1, whatever it is


def test_one_side_changes_nothing_in_the_result(bank):
    base = evaluate(bank, {"urge": "yes", "rest": "yes"})
    assert evaluate(bank, {"urge": "yes", "rest": "yes", "sides": "one_side"}) == base


# --- the medicine list --------------------------------------------------------------------


def test_the_medicine_list_is_never_scored(bank):
    classic = example("classic.json")
    with_list = classic | {"medicine_list": "Sertraline; iron pills; an antihistamine for sleep"}
    assert evaluate(bank, with_list) == evaluate(bank, classic)


def test_the_medicine_list_is_shown_verbatim_and_escaped_on_the_clinician_page(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"medicine_list": TRICKY}}))
    text = run_cli("score", str(path), "--audience", "clinician").stdout
    assert MEDICINES_LABEL in text
    assert flat(TRICKY) in flat(text)
    html = run_cli("score", str(path), "--audience", "clinician", "--format", "html").stdout
    assert "Ropinirole &lt;b&gt;0.5&lt;/b&gt; &amp; &quot;iron&quot;;" in html
    assert "<b>0.5</b>" not in html
    markdown = run_cli("score", str(path), "--audience", "clinician", "--format", "markdown").stdout
    assert r"Ropinirole \<b\>0.5\</b\>" in markdown


def test_no_medicine_list_no_line(bank):
    assert MEDICINES_LABEL not in clinician_text(bank, example("classic.json"))


@pytest.mark.parametrize("value", ["", "   ", "x" * 501, "iron\x07", 3, ["iron"]])
def test_a_bad_medicine_list_is_one_line_and_status_2(tmp_path, value):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"answers": {"medicine_list": value}}))
    proc = run_cli("score", str(path))
    assert proc.returncode == 2
    assert proc.stdout == "" and proc.stderr.count("\n") == 1
    assert "medicine_list" in proc.stderr


# --- the v3 examples, as a clinician reads them -----------------------------------------


def test_the_augmentation_example_reads_as_augmentation_from_the_onset_times(bank):
    answers = example("v3-augmentation.json")
    result = evaluate(bank, answers)
    assert result["instrument_version"] == "3.0.0"
    assert (result["pattern"], result["course"], result["urgency"]) == (
        "all_features",
        "chronic_persistent",
        "routine",
    )
    # Only one other sign (spread) and "earlier" not sure: the onset times decide it.
    assert result["augmentation_concern"] is True
    assert (
        evaluate(bank, answers | {"onset_time_before": "evening"})["augmentation_concern"] is False
    )
    assert result["other_concerns"] == ["impulse_control"]
    assert {"ferritin", "transferrin_saturation"} <= set(result["tests_to_discuss"])
    text = flat(clinician_text(bank, answers))
    assert "Instrument: rls-screen 3.0.0." in text
    assert "Pramipexole at 7 pm (for 4 years) Amlodipine in the morning" in text
    assert flat(load_clinician_texts().other_concerns["impulse_control"]) in text
    assert ONE_SIDE_NOTE not in text


def test_the_pregnancy_example_reads_with_its_stage_one_side_and_vitamins(bank):
    answers = example("v3-pregnancy.json")
    result = evaluate(bank, answers)
    assert result["contributing_factors"] == ["pregnancy"]
    assert result["course"] == "undetermined"  # under a year
    assert result["urgency"] == "routine" and result["lookalikes_unclear"] == ["venous_oedema"]
    text = flat(clinician_text(bank, answers))
    assert "Pregnant; stage: 28 weeks or more." in text
    assert ONE_SIDE_NOTE in text
    assert "Prenatal vitamins <with folic acid> & iron, once a day" in text


# --- the terminal app --------------------------------------------------------------------


async def test_the_app_asks_the_new_items_in_order_and_keeps_their_answers(bank, app_factory):
    from test_tui import answer_current, current_id, start, wait_for

    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.walk.answer("urge", "yes")
        app.walk.go_to("body_parts")
        app.screen.show_current()
        await wait_for(pilot, lambda: current_id(app) == "body_parts")
        await answer_current(pilot, ("legs",))
        assert current_id(app) == "sides"
        await answer_current(pilot, "one_side")
        assert current_id(app) == "onset_time"
        await answer_current(pilot, "afternoon")
        assert current_id(app) == "rest"
        app.walk.go_to("medicine_list")
        app.screen.show_current()
        await wait_for(pilot, lambda: current_id(app) == "medicine_list")
        await answer_current(pilot, "Iron pills & <b>ropinirole</b>")
        answers = app.walk.answers
    assert (answers["sides"], answers["onset_time"]) == ("one_side", "afternoon")
    assert answers["medicine_list"] == "Iron pills & <b>ropinirole</b>"
