"""Who is answering (issue 20, instrument v3): `respondent` is asked first, then the age
of the person the answers are about; a parent answering for a child under 13 is never
asked about pregnancy, alcohol or nicotine."""

from __future__ import annotations

import pytest
from test_tui import answer_current, current_id, start

from rls_screen.core.engine import effective_answers
from rls_screen.core.walk import Walkthrough
from rls_screen.interop.fhir import questionnaire

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


TEEN_PARENT = {"respondent": "for_person", "age_group": "under_18", "child_age": "13_17"}


def test_a_teens_parent_is_asked_about_pregnancy_in_the_third_person(bank):
    walk = Walkthrough(bank, TEEN_PARENT)
    walk.resume(None)
    item = walk.current
    assert item is not None and item.id == "pregnant"
    assert item.text == "Is the person you answer for pregnant right now?"
    assert "you" not in item.text.lower().replace("you answer for", "")
    assert item.label("not_applicable") == "Does not apply to them"
    walk.answer("pregnant", "yes")
    walk.advance()
    assert walk.current is not None and "their face" in walk.current.text


def test_an_adult_answering_for_themselves_sees_no_change(bank):
    walk = Walkthrough(bank, {"respondent": "self", "age_group": "45_64"})
    for item in walk.shown_items():
        assert item is bank.items[item.id]  # the bank's own wording, untouched
    assert Walkthrough(bank).current is bank.items["respondent"]


def test_the_mood_question_for_a_child_asks_what_they_said(bank):
    walk = Walkthrough(bank, TEEN_PARENT)
    mood = next(i for i in walk.shown_items() if i.id == "mood")
    assert mood.text.startswith("In the last two weeks, has the person you answer for said")


def test_the_doctors_page_shows_the_question_as_the_parent_read_it(bank):
    from rls_screen.reports.clinician import clinician_text

    page = " ".join(clinician_text(bank, TEEN_PARENT | {"pregnant": "no"}).split())
    assert "Is the person you answer for pregnant right now?" in page
    adult = " ".join(clinician_text(bank, {"respondent": "self", "pregnant": "no"}).split())
    assert "Are you pregnant right now?" in adult


def test_plain_mode_asks_the_parent_about_the_person(bank):
    from test_plain import talk

    out, _ = talk(["3", "1", "3"])  # for_person, under 18, 13 to 17; then the input ends
    flat = " ".join(out.split())
    assert "How old is the person you answer for?" in flat
    assert "Is the person you answer for pregnant right now?" in flat
    assert "Are you pregnant right now?" not in flat


def test_check_questions_refuses_an_item_without_the_second_wording(tmp_path):
    import shutil
    import subprocess
    import sys

    from rls_screen.core.locations import default_questions_dir

    folder = tmp_path / "questions"
    shutil.copytree(default_questions_dir(), folder)
    core = folder / "core.toml"
    text = core.read_text(encoding="utf-8")
    start = text.index("[items.for_person]", text.index('id = "rest"'))
    end = text.index("[[items]]", start)
    core.write_text(text[:start] + text[end:], encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "rls_screen", "check-questions", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "'rest'" in done.stderr and "for_person" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


SELF_HARM = {"mood": "yes", "safe_now": "safe"}


def test_the_childrens_line_shows_for_a_child_in_gb_and_not_for_an_adult(bank):
    from rls_screen.reports.summary import summary_text

    child = " ".join(summary_text(bank, TEEN_PARENT | SELF_HARM, region="GB").split())
    assert "Childline: call free on 0800 1111" in child
    assert "Samaritans" in child
    adult = " ".join(
        summary_text(
            bank, {"respondent": "self", "age_group": "45_64"} | SELF_HARM, region="GB"
        ).split()
    )
    assert "Childline" not in adult and "Samaritans" in adult
    # Where no young people's line of its own is verified (France: 3114 is for every
    # age), none is made up.
    france = " ".join(summary_text(bank, TEEN_PARENT | SELF_HARM, region="FR").split())
    assert "Children and young people can also talk to" not in france
    assert "3114" in france


# The children's and young people's lines, as their sources give them (crisis.toml).
YOUTH = {
    "GB": ("Childline", "0800 1111"),
    "CA": ("Kids Help Phone", "686868"),
    "AU": ("Kids Helpline", "1800 55 1800"),
    "DE": ("Nummer gegen Kummer", "116 111"),
    "IE": ("Childline", "1800 66 66 66"),
    "NZ": ("Youthline", "0800 376 633"),
    "ES": ("ANAR", "900 20 20 10"),
}


@pytest.mark.parametrize("region", sorted(YOUTH))
def test_each_countrys_young_peoples_line_reaches_a_childs_summary_once(bank, region):
    from rls_screen.reports.summary import summary_text

    name, number = YOUTH[region]
    child = " ".join(summary_text(bank, TEEN_PARENT | SELF_HARM, region=region).split())
    assert child.count(number) == 1 and name in child
    adult = {"respondent": "self", "age_group": "18_44"} | SELF_HARM
    assert number not in " ".join(summary_text(bank, adult, region=region).split())


def test_every_question_a_nine_year_olds_parent_sees_is_about_the_child(bank):
    import re

    answers = {"respondent": "for_person", "age_group": "under_18", "child_age": "6_12"}
    opened = answers | {"urge": "yes", "mood": "yes", "movement": "no", "evening": "all_day_now"}
    opened |= {"rls_treatment": ["dopamine_agonist"], "pregnant": "yes"}
    walk = Walkthrough(bank, opened)
    seen = [item for item in walk.shown_items() if item.id != "respondent"]
    assert len(seen) > 40
    for item in seen:
        text = item.text.replace("you answer for", "")
        assert not re.search(r"\byour?\b", text, re.I), (item.id, item.text)
        for option in item.options:
            if option.code != "prefer_not":  # the parent's own choice not to say
                assert not re.search(r"\b(I|me|my)\b", option.label), (item.id, option.label)
