"""Who is answering (issue 20, instrument v3): `respondent` is asked first, then the age
of the person the answers are about; a parent answering for a child under 13 is never
asked about pregnancy, alcohol or nicotine."""

from __future__ import annotations

import pytest

from rls_screen.core.engine import effective_answers
from rls_screen.core.walk import Walkthrough
from rls_screen.interop.fhir import questionnaire
from test_tui import answer_current, current_id, start

CHILD_SKIPPED = {"pregnant", "rf_pregnancy", "pregnancy_stage", "alcohol", "nicotine"}


def asked(bank, answers: dict) -> list[str]:
    walk = Walkthrough(bank, answers)
    return [item.id for item in walk.shown_items()]


def test_respondent_is_asked_first_then_the_age(bank):
    walk = Walkthrough(bank)
    assert walk.current is not None and walk.current.id == "respondent"
    assert asked(bank, {})[:2] == ["respondent", "age_group"]
    after = asked(bank, {"respondent": "for_person", "age_group": "under_18"})
    assert after[:3] == ["respondent", "age_group", "child_age"]
    assert "child_age" not in asked(bank, {"respondent": "self", "age_group": "18_44"})


@pytest.mark.parametrize("child_age", ["under_6", "6_12"])
def test_a_child_under_13_is_not_asked_about_pregnancy_alcohol_or_nicotine(bank, child_age):
    answers = {"respondent": "for_person", "age_group": "under_18", "child_age": child_age}
    shown = set(asked(bank, answers | {"pregnant": "yes"}))
    assert not shown & CHILD_SKIPPED
    # An answer to them, in a file, counts as not shown.
    given = answers | {"pregnant": "yes", "rf_pregnancy": "yes", "alcohol": "most_evenings"}
    assert not set(effective_answers(bank, given)) & CHILD_SKIPPED


def test_a_teen_and_an_adult_are_still_asked(bank):
    teen = {"respondent": "for_person", "age_group": "under_18", "child_age": "13_17"}
    assert {"pregnant", "alcohol", "nicotine"} <= set(asked(bank, teen))
    assert {"rf_pregnancy", "pregnancy_stage"} <= set(asked(bank, teen | {"pregnant": "yes"}))
    for adult in ({"respondent": "self", "age_group": "45_64"}, {}):
        assert {"pregnant", "alcohol", "nicotine"} <= set(asked(bank, adult))


def test_the_fhir_questionnaire_says_not_for_a_young_child(bank):
    items = {
        q["linkId"]: q
        for group in questionnaire(bank)["item"]
        for q in group["item"]
        if "linkId" in q
    }
    conditions = items["alcohol"]["enableWhen"]
    assert {c["operator"] for c in conditions} == {"!="}
    assert {c["answerCoding"]["code"] for c in conditions} == {"under_6", "6_12"}
    assert items["alcohol"]["enableBehavior"] == "all"


async def test_a_parent_for_a_nine_year_old_in_the_tui_is_never_asked(bank, app_factory):
    app = app_factory()
    seen = []
    async with app.run_test() as pilot:
        await start(pilot)
        script = {"respondent": "for_person", "age_group": "under_18", "child_age": "6_12"}
        while current_id(app) != "urge":
            seen.append(current_id(app))
            await answer_current(pilot, script.get(current_id(app)))
        while current_id(app) is not None and current_id(app) != "snoring":
            seen.append(current_id(app))
            await answer_current(pilot, None)
    assert seen[:3] == ["respondent", "age_group", "child_age"]
    assert not set(seen) & CHILD_SKIPPED
