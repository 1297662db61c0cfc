"""Who is answering, on the person's summary (issue 20, instrument v3): a parent or carer
answering for someone else reads a summary about "your child" or "the person you answer
for", never one that speaks to them as the person with the leg feelings; a person who
answers for themselves, alone or helped, reads the summary as before."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from cli_runner import run_cli

from rls_screen.core.locations import default_questions_dir
from rls_screen.reports.summary import summary_markdown, summary_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

FEATURES = {"urge": "yes", "rest": "yes", "movement": "full", "evening": "yes"}
WARNING_SIGNS_UNSURE = {
    item: "unsure" for item in ("rf_one_leg", "rf_breathing", "rf_weakness", "rf_saddle")
}
SELF_HARM = {"mood": "yes", "safe_now": "unsure"}
CHILD = {"respondent": "for_person", "age_group": "under_18", "child_age": "6_12"}
NINE_YEAR_OLD = CHILD | FEATURES | WARNING_SIGNS_UNSURE | SELF_HARM

# (what the person reads about themselves, what a parent reads about their child): each
# first phrase is on the person's own summary for the same answers, and never on the
# parent's.
CHANGED = [
    ("Your restless legs summary", "Restless legs summary for your child"),
    ("It shows how your answers fit", "It shows how the answers about your child fit"),
    ("Your answers match all four features", "The answers about your child match all four"),
    ("It starts or gets worse when you rest", "It starts or gets worse at rest"),
    ("You were not sure about the signs below", "It was not clear if your child has the signs"),
    ("painful (you were not sure)", "painful (not sure)"),
    ("if you also get short of breath", "if your child also gets short of breath"),
    ("if you cannot catch your breath", "if your child cannot catch their breath"),
    ("your face droops, your speech is slurred", "there is a drooping face, slurred speech"),
    ("if you cannot pass urine", "if your child cannot pass urine"),
    ("If you might act on these thoughts", "If your child might act on these thoughts"),
    ("You can talk to Samaritans", "You and your child can talk to Samaritans"),
    ("You deserve support right now", "Your child deserves support right now"),
    ("Tell someone you trust how you feel", "Help your child tell someone they trust"),
    ("of hurting yourself", "of hurting themselves"),
]
# Words that speak to the reader as the person with the feelings: none is on the page a
# parent reads ("I" and "my" are the questions the person would ask the doctor).
SECOND_PERSON = re.compile(
    r"your legs|your answers|you were not sure|if you might act|your sleep|your body|"
    r"your face|how you feel|you deserve|yourself|\bI\b|\bmy\b|\bme\b",
    re.I,
)


def flat(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def pages(bank, answers: dict, region: str | None = "GB") -> list[str]:
    """The summary as text and as Markdown, each on one line."""
    return [
        flat(summary_text(bank, answers, region)),
        flat(summary_markdown(bank, answers, region)),
    ]


@pytest.mark.parametrize(("first", "second"), CHANGED)
def test_a_parent_for_a_nine_year_old_reads_about_their_child(bank, first, second):
    own = NINE_YEAR_OLD | {"respondent": "self"}
    for page in pages(bank, own):
        assert first.lower() in page.lower()  # the text the parent must not read
        assert second.lower() not in page.lower()
    for page in pages(bank, NINE_YEAR_OLD):
        assert second.lower() in page.lower(), second
        assert first.lower() not in page.lower(), first


def test_nothing_on_a_parents_summary_speaks_to_them_as_the_person(bank):
    for answers in (NINE_YEAR_OLD, CHILD):  # all answered, and all skipped
        for page in pages(bank, answers) + pages(bank, answers, None):
            assert not SECOND_PERSON.search(page), SECOND_PERSON.search(page)
    # All skipped: what makes each skipped sign an emergency, about the child.
    skipped = flat(summary_text(bank, CHILD, "GB"))
    assert "Thoughts of ending their life that your child might act on" in skipped


def test_a_parent_still_gets_every_number_and_the_childrens_line(bank):
    text = flat(summary_text(bank, NINE_YEAR_OLD, "GB"))
    assert "call 999 now" in text
    assert "116 123" in text and "Childline: call free on 0800 1111" in text
    assert "These numbers are for the United Kingdom" in text


def test_a_carer_for_an_adult_reads_the_person_you_answer_for(bank):
    adult = NINE_YEAR_OLD | {"age_group": "65_plus"}
    del adult["child_age"]
    for page in pages(bank, adult):
        assert page.lstrip("# ").startswith("Restless legs summary for the person you answer for")
        assert "The answers about the person you answer for match all four" in page
        assert "If the person you answer for might act on these thoughts" in page
        assert "your child" not in page.lower()
        assert not SECOND_PERSON.search(page), SECOND_PERSON.search(page)
    # No age given is an adult too.
    no_age = {k: v for k, v in adult.items() if k != "age_group"}
    assert "summary for the person you answer for" in flat(summary_text(bank, no_age))


def test_a_carer_whose_answers_match_nothing_is_told_about_the_person(bank):
    none = {"respondent": "for_person", "age_group": "45_64", "mood": "no"}
    none |= {"urge": "no", "rest": "no", "movement": "no", "movement_past": "no", "evening": "no"}
    none |= {item: "no" for item in bank.items if item.startswith("rf_")}
    own = flat(summary_text(bank, none | {"respondent": "self"}))
    assert "This is not urgent. If something still bothers you, book an" in own
    text = flat(summary_text(bank, none))
    assert "This is not urgent. If something still bothers the person you answer for" in text
    assert "bothers you" not in text


def test_the_alert_during_the_walk_speaks_about_the_child_too(bank):
    from rls_screen.core.walk import Walkthrough
    from rls_screen.reports.summary import alert_for, render_text

    walk = Walkthrough(bank, NINE_YEAR_OLD)
    alert = alert_for(walk, "safe_now", "GB")
    assert alert is not None
    shown = flat(render_text(alert))
    assert "If your child might act on these thoughts" in shown
    assert "If you might act" not in shown


# --- the person answering for themselves: as before --------------------------------

# The summaries of the examples, text and Markdown, with and without a region, as they
# read before the parent's wording came (sha256 of both, GB first; `_digest` below).
# Alone or with a helper, the same summary.
BEFORE = {
    "child": "4799a92b789b2ce0",
    "classic": "39ed67c38d460593",
    "lookalike": "4a40c68e2483b13e",
    "red-flag": "df632ee2e5ea9d0d",
    "unsure": "3d754027547883d3",
    "v3-augmentation": "20cc6cd776519b1a",
    "v3-pregnancy": "7e1f0fb061e75137",
}


def _digest(bank, answers: dict) -> str:
    texts = [
        render(bank, answers, region)
        for region in ("GB", None)
        for render in (summary_text, summary_markdown)
    ]
    return hashlib.sha256("".join(texts).encode("utf-8")).hexdigest()[:16]


def _example(name: str, respondent: str) -> dict:
    answers = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))["answers"]
    return answers | {"respondent": respondent}


@pytest.mark.parametrize("respondent", ["self", "with_helper"])
@pytest.mark.parametrize("name", sorted(BEFORE))
def test_a_person_answering_for_themselves_reads_what_they_read_before(bank, name, respondent):
    answers = _example(name, respondent)
    assert _digest(bank, answers) == BEFORE[name]
    assert not any("answer for" in page for page in pages(bank, answers))


# --- check-questions ------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "questions"
    shutil.copytree(default_questions_dir(), copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(folder: Path) -> list[str]:
    done = run_cli("check-questions", str(folder))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    return done.stderr.strip().splitlines()


def test_check_questions_refuses_a_for_person_text_the_first_wording_lacks(folder):
    path = folder / "summary.toml"
    edit(path, "[for_person.patterns]\n", '[for_person.patterns]\nsome_signs = "Hello {person}."\n')
    assert check(folder) == [
        f"{path}: [for_person.patterns] some_signs: there is no such text in the first"
        " wording to replace"
    ]


def test_check_questions_refuses_a_placeholder_the_first_wording_lacks(folder):
    path = folder / "summary.toml"
    edit(path, 'title = "Restless legs summary for {person}"', 'title = "Summary for {name}"')
    assert check(folder) == [
        f"{path}: [for_person] title uses {{name}}, which the first wording does not"
    ]


def test_check_questions_refuses_a_crisis_sentence_that_loses_its_number(folder):
    path = folder / "crisis.toml"
    edit(
        path,
        "You and {person} can talk to {crisis_name}, day or night: {crisis_how} {crisis_number}.",
        "You and {person} can talk to {crisis_name}, day or night.",
    )
    assert check(folder) == [
        f"{path}: [for_person] line lacks {{crisis_how}}, which the first wording has",
        f"{path}: [for_person] line lacks {{crisis_number}}, which the first wording has",
    ]


def test_check_questions_refuses_a_crisis_key_not_in_texts(folder):
    path = folder / "crisis.toml"
    edit(path, "[for_person]\n", '[for_person]\nhello = "Hello {person}."\n')
    assert check(folder) == [
        f"{path}: [for_person] hello: there is no such text in the first wording to replace"
    ]


# --- every face shows that one summary ----------------------------------------------


def test_plain_mode_ends_with_the_parents_summary():
    from test_plain import talk, to_the_end

    answers = {"respondent": "for_person", "age_group": "under_18", "child_age": "6_12"}
    out, _ = talk(["3", "1", "2", *to_the_end(answers)])
    end = flat(out[out.index("Restless legs summary for your child") :])
    assert "Thoughts of ending their life that your child might act on" in end
    assert "It shows how the answers about your child fit" in end
    assert "Your restless legs summary" not in out


async def test_the_tui_summary_and_review_follow_the_parent(bank, app_factory):
    from test_tui import complete_answers, open_summary, wait_screen
    from textual.widgets import Markdown

    from rls_screen.core.walk import Walkthrough
    from rls_screen.tui.screens.review import ReviewScreen

    answers = complete_answers(bank) | {"respondent": "for_person", "age_group": "65_plus"}
    assert all(i.id in answers for i in Walkthrough(bank, answers).shown_items())
    app = app_factory(answers=answers)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot, answers)
        source = app.screen.query_one("#summary-text", Markdown).source
        assert source.startswith("# Restless legs summary for the person you answer for")
        await pilot.press("e")
        await wait_screen(pilot, ReviewScreen)
        options = app.screen.query_one("#answers").options
        titles = [str(o.prompt) for o in options if o.disabled]
        assert titles[0] == "About the person you answer for"
        assert "About you" not in titles
