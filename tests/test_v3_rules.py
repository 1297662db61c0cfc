"""Instrument v3 rules and wording as a person and a clinician read them (issue 20):
skipped is never "none", every warning sign says what makes it an emergency now, the
course from the untreated frequency, and the clinician page's order."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from rls_screen.core import vocab
from rls_screen.core.engine import evaluate
from rls_screen.reports.clinician import clinician_text
from rls_screen.reports.summary import summary_text

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CLASSIC = json.loads((EXAMPLES / "classic.json").read_text())["answers"]
# Every warning sign answered no (the safety section, blood loss and mood).
SAFE_ANSWERS = {
    "rf_one_leg": "no",
    "rf_breathing": "no",
    "rf_weakness": "no",
    "rf_saddle": "no",
    "rf_cold_leg": "no",
    "mood": "no",
    "blood_loss": ["none"],
}
SAFETY_ITEMS = ("rf_one_leg", "rf_breathing", "rf_weakness", "rf_saddle", "rf_cold_leg")
DEFAULT_SKIPPED = [
    "cauda_equina",
    "dvt",
    "gi_bleeding",
    "limb_ischaemia",
    "neurological",
    "pulmonary_embolism",
    "self_harm",
]
SKIPPED_HEADING = "Warning signs you did not answer"


def flat(text: str) -> str:
    return " ".join(text.split())


def section(text: str, heading: str) -> str:
    """The lines of a clinician page section, from its heading to the next heading."""
    lines = text.splitlines()
    start = lines.index(heading)
    end = next(
        (
            i
            for i in range(start + 2, len(lines) - 1)
            if lines[i + 1] and set(lines[i + 1]) <= {"-", "="}
        ),
        len(lines),
    )
    return flat("\n".join(lines[start + 2 : end]))


# --- 1. skipped is never "none" -----------------------------------------------------------


def test_an_empty_answer_file_lists_every_warning_sign_shown_as_not_answered(bank):
    result = evaluate(bank, {})
    keys = list(result)
    assert keys[keys.index("red_flags_unsure") + 1] == "red_flags_unanswered"
    assert result["red_flags_unanswered"] == DEFAULT_SKIPPED
    assert result["urgency"] == "routine"  # skipping is allowed, not alarming


def test_answered_signs_are_not_listed_as_not_answered(bank):
    assert evaluate(bank, SAFE_ANSWERS)["red_flags_unanswered"] == []
    result = evaluate(bank, {**SAFE_ANSWERS, "rf_weakness": "yes", "rf_one_leg": "unsure"})
    # The weakness with its tempo skipped is possibly acute (unsure), never "not answered".
    assert result["red_flags_unanswered"] == []
    assert result["red_flags_unsure"] == ["dvt", "neurological_acute"]


@pytest.mark.parametrize(("pregnant", "skipped"), [("yes", ["pre_eclampsia"]), ("no", [])])
def test_the_pregnancy_sign_is_not_answered_only_when_it_was_shown(bank, pregnant, skipped):
    result = evaluate(bank, {**SAFE_ANSWERS, "pregnant": pregnant})
    assert result["red_flags_unanswered"] == skipped


@pytest.mark.parametrize(
    ("answers", "shown"),
    [({}, True), ({"pregnant": "yes", **SAFE_ANSWERS}, True), (SAFE_ANSWERS, False)],
)
def test_the_summary_says_what_needs_emergency_care_when_a_sign_was_skipped(bank, answers, shown):
    text = flat(summary_text(bank, answers))
    assert (SKIPPED_HEADING in text) == shown
    if shown:
        after = text[text.index(SKIPPED_HEADING) :]
        assert "call your local emergency number" in after


def test_the_summary_names_the_pregnancy_emergency_when_that_sign_was_skipped(bank):
    text = flat(summary_text(bank, {**SAFE_ANSWERS, "pregnant": "yes"}))
    after = text[text.index(SKIPPED_HEADING) :]
    assert "In pregnancy: a fit (seizure)" in after
    assert "chest pain" not in after  # only what was skipped


def test_everything_skipped_reads_not_answered_on_the_clinician_page(bank):
    text = clinician_text(bank, {})
    for heading in (
        "Red flags",
        "Red flags answered unsure",
        "Criterion 5: possible mimics",
        "Possible contributing factors",
        "Supportive features",
    ):
        assert "None reported" not in section(text, heading), heading
        assert "Not answered" in section(text, heading), heading
    assert "No dopaminergic agent reported" not in text
    assert "Treatment not answered" in section(text, "Augmentation")
    assert "criteria 1-4 not all met" not in text


def test_answered_sections_still_read_none_reported(bank):
    text = clinician_text(bank, CLASSIC)
    assert section(text, "Red flags") == "- None reported."
    assert section(text, "Criterion 5: possible mimics") == "- None reported."
    assert "No dopaminergic agent reported" in section(text, "Augmentation")


def test_the_safety_section_skipped_is_listed_as_not_answered(bank):
    answers = {k: v for k, v in CLASSIC.items() if k not in SAFETY_ITEMS}
    red_flags = section(clinician_text(bank, answers), "Red flags")
    assert "None reported" in red_flags  # mood and blood loss were answered no
    assert "Not answered" in red_flags
    assert "Is one of your legs newly swollen" in red_flags
    assert "thoughts that you would be better off dead" not in red_flags


def test_the_pregnancy_sign_skipped_is_on_the_clinician_page(bank):
    red_flags = section(clinician_text(bank, {**SAFE_ANSWERS, "pregnant": "yes"}), "Red flags")
    assert "Not answered" in red_flags and "swelling of your face or hands" in red_flags


# --- 2. every warning sign ends with what makes it an emergency now ----------------------

# flag -> (the answers that raise it as yes, as unsure, and what its last sentence names)
ESCALATION = {
    "dvt": ("rf_one_leg", ("short of breath or chest pain",)),
    "pulmonary_embolism": ("rf_breathing", ()),
    "neurological": ("rf_weakness", ("face droops", "speech is slurred", "arm is weak")),
    "cauda_equina": ("rf_saddle", ("cannot pass urine", "spread")),
    "limb_ischaemia": ("rf_cold_leg", ("cold, pale",)),
}
PRE_ECLAMPSIA = ("fit (seizure)", "below the ribs", "suddenly cannot see")


def last_sentence(text: str) -> str:
    return text.rstrip(".").rsplit(". ", 1)[-1]


def entry_text(bank, answers: dict, key: str, region=None) -> list[str]:
    from rls_screen.reports.summary import build_report

    blocks = {b.key: b for b in build_report(bank, answers, region).blocks}
    assert key in blocks, key
    block = blocks[key]
    return [entry.text for entry in block.entries]


@pytest.mark.parametrize("code", ["yes", "unsure"])
@pytest.mark.parametrize("flag", sorted(ESCALATION))
def test_every_warning_sign_ends_with_what_makes_it_an_emergency(bank, flag, code):
    item, named = ESCALATION[flag]
    answers = {**SAFE_ANSWERS, item: code}
    if item == "rf_weakness":
        answers["rf_weakness_sudden"] = "no"
    key = "red_flags" if code == "yes" else "red_flags_unsure"
    (text,) = entry_text(bank, answers, key)
    last = last_sentence(text)
    assert "emergency number" in last, text
    if code == "yes" and flag in vocab.EMERGENCY_FLAGS:
        return  # the sign itself is the emergency: "call ... now" is its last sentence
    for words in named:
        assert words in last, (words, text)


@pytest.mark.parametrize("code", ["yes", "unsure"])
def test_weakness_of_unknown_tempo_ends_with_the_stroke_signs(bank, code):
    answers = {**SAFE_ANSWERS, "rf_weakness": code, "rf_weakness_sudden": "unsure"}
    for text in entry_text(bank, answers, "red_flags_unsure"):
        last = last_sentence(text)
        assert "emergency number" in last
        assert "face droops" in last and "arm is weak" in last


def test_gut_bleeding_ends_with_heavy_bleeding_vomiting_blood_and_fainting(bank):
    answers = {**SAFE_ANSWERS, "blood_loss": ["bleeding_gut"]}
    (text,) = entry_text(bank, answers, "red_flags")
    last = last_sentence(text)
    assert "emergency number" in last
    assert "a lot of blood" in last and "throw up blood" in last and "faint" in last


@pytest.mark.parametrize(("code", "key"), [("yes", "red_flags"), ("unsure", "red_flags_unsure")])
def test_pre_eclampsia_ends_with_a_fit_pain_below_the_ribs_and_loss_of_sight(bank, code, key):
    answers = {**SAFE_ANSWERS, "pregnant": "yes", "rf_pregnancy": code}
    (text,) = entry_text(bank, answers, key)
    last = last_sentence(text)
    assert "emergency number" in last
    for words in PRE_ECLAMPSIA:
        assert words in last, words
    assert "maternity unit or midwife" in text or "maternity unit, midwife" in text


@pytest.mark.parametrize(("code", "key"), [("yes", "red_flags"), ("unsure", "red_flags_unsure")])
@pytest.mark.parametrize("pregnant", ["yes", "no"])
def test_a_clot_in_pregnancy_goes_to_the_maternity_unit_or_midwife(bank, code, key, pregnant):
    answers = {**SAFE_ANSWERS, "pregnant": pregnant, "rf_one_leg": code}
    (text,) = entry_text(bank, answers, key)
    assert ("maternity unit or midwife" in text) == (pregnant == "yes")
    assert "short of breath or chest pain" in last_sentence(text)


def test_the_interrupting_alert_knows_the_person_is_pregnant(bank):
    from rls_screen.reports.summary import alert_report, render_text

    answers = {"pregnant": "yes", "rf_one_leg": "yes"}
    report = alert_report(bank, answers, "rf_one_leg")
    assert report is not None
    assert "maternity unit or midwife" in flat(render_text(report))


@pytest.mark.parametrize(
    ("region", "shown"),
    [
        ("GB", "those for the United Kingdom (GB): emergency 999; Samaritans 116 123"),
        ("FR", "those for France (FR)"),
        (None, "generic wording with no numbers"),
    ],
)
@pytest.mark.parametrize("mood", ["yes", "prefer_not"])
def test_the_clinician_page_says_which_crisis_numbers_were_shown(bank, region, shown, mood):
    text = flat(clinician_text(bank, {"mood": mood, "safe_now": "safe"}, region))
    assert shown in text


def test_no_crisis_numbers_named_when_none_were_shown(bank):
    assert "Crisis" not in clinician_text(bank, {"mood": "no"}, "GB")


# --- 3. the course from the untreated frequency all the way through ---------------------

ALL_FOUR = {**CLASSIC, "duration": "over_5_years"}
NOT_ENOUGH = "do not say"


def shown(bank, item_id: str, answers: dict) -> bool:
    from rls_screen.core.engine import condition_holds, effective_answers

    return condition_holds(bank.items[item_id], effective_answers(bank, answers))


def test_weekly_for_years_before_an_agonist_and_daily_now_is_intermittent(bank):
    answers = {
        **ALL_FOUR,
        "frequency": "4_plus_per_week",
        "rls_treatment": ["dopamine_agonist"],
        "frequency_untreated": "1_per_week",
    }
    assert evaluate(bank, answers)["course"] == "intermittent"
    text = flat(summary_text(bank, answers))
    assert NOT_ENOUGH not in text


@pytest.mark.parametrize(
    ("frequency", "episodes", "course"),
    [
        ("1_3_per_month", None, "intermittent"),  # a year of monthly: more than 5 times
        ("1_per_week", None, "intermittent"),
        ("less_than_monthly", None, "undetermined"),
        ("less_than_monthly", "unsure", "undetermined"),
        ("less_than_monthly", "no", "undetermined"),
        ("less_than_monthly", "yes", "intermittent"),
    ],
)
def test_only_less_than_monthly_needs_five_episodes(bank, frequency, episodes, course):
    answers = {**ALL_FOUR, "frequency": frequency, "rls_treatment": ["none"]}
    if episodes:
        answers["lifetime_episodes"] = episodes
    assert evaluate(bank, answers)["course"] == course


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"frequency": "less_than_monthly"}, "do not say if it has come at least 5 times"),
        ({"frequency": "less_than_monthly", "lifetime_episodes": "no"}, "fewer than 5 times"),
        ({"duration": None}, "how long it has lasted"),
        ({"frequency": None}, "how often it comes"),
        ({"duration": "3_12_months"}, "not lasted a year yet"),
    ],
)
def test_the_summary_says_why_the_course_is_not_clear(bank, answers, reason):
    given = {**ALL_FOUR, "frequency": "4_plus_per_week", **answers}
    given = {k: v for k, v in given.items() if v is not None}
    assert evaluate(bank, given)["course"] == "undetermined"
    text = flat(summary_text(bank, given))
    assert reason in text


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"frequency": "less_than_monthly"}, "at least 5 lifetime episodes not answered"),
        ({"duration": "3_12_months"}, "duration under a year"),
    ],
)
def test_the_clinician_page_says_why_the_course_is_undetermined(bank, answers, reason):
    text = section(clinician_text(bank, {**ALL_FOUR, **answers}), "Course specifier")
    assert reason in text


def test_lifetime_episodes_is_asked_after_both_frequency_questions(bank):
    order = list(bank.items)
    episodes = order.index("lifetime_episodes")
    assert episodes > order.index("frequency_untreated") > order.index("frequency")


@pytest.mark.parametrize(
    ("answers", "asked"),
    [
        ({"frequency": "less_than_monthly", "rls_treatment": ["none"]}, True),
        ({"frequency": "1_3_per_month", "rls_treatment": ["none"]}, False),
        ({"frequency": "1_per_week"}, False),
        (
            {
                "frequency": "4_plus_per_week",
                "rls_treatment": ["gabapentinoid"],
                "frequency_untreated": "less_than_monthly",
            },
            True,
        ),
        (
            {
                "frequency": "4_plus_per_week",
                "rls_treatment": ["gabapentinoid"],
                "frequency_untreated": "1_per_week",
            },
            False,
        ),
    ],
)
def test_lifetime_episodes_is_asked_only_when_the_course_needs_it(bank, answers, asked):
    assert shown(bank, "lifetime_episodes", answers) == asked


def test_an_episode_count_given_after_a_rare_untreated_frequency_counts(bank):
    answers = {
        **ALL_FOUR,
        "frequency": "4_plus_per_week",
        "rls_treatment": ["gabapentinoid"],
        "frequency_untreated": "less_than_monthly",
        "lifetime_episodes": "yes",
    }
    assert evaluate(bank, answers)["course"] == "intermittent"


# --- 4. what the pages say follows the answers --------------------------------------------

IRON = ["ferritin", "full_blood_count", "transferrin_saturation"]
# The four features alone (classic.json also reports low iron).
FOUR = {"urge": "yes", "body_parts": ["legs"], "rest": "yes", "movement": "full", "evening": "yes"}
CALM = {"sleep_impact": "mild", "daytime_impact": "mild", "bother": "mild"}
# Well controlled on pregabalin: it came most days before, and rarely now.
PREGABALIN = {
    **FOUR,
    "duration": "over_5_years",
    **CALM,
    "frequency": "less_than_monthly",
    "rls_treatment": ["gabapentinoid"],
    "frequency_untreated": "4_plus_per_week",
}


@pytest.mark.parametrize(
    ("treatment", "tests"),
    [
        (["gabapentinoid"], IRON),
        (["dopamine_agonist"], IRON),
        (["levodopa"], IRON),
        (["opioid"], IRON),
        (["iron"], []),
        (["other"], []),
        (["none"], []),
    ],
)
def test_iron_studies_are_suggested_on_rls_medicine(bank, treatment, tests):
    answers = {**FOUR, **CALM, "rls_treatment": treatment}  # not significant now
    assert evaluate(bank, answers)["tests_to_discuss"] == tests


def test_well_controlled_on_pregabalin_is_told_about_iron_tests(bank):
    text = flat(summary_text(bank, PREGABALIN))
    assert "Ferritin" in text
    assert "None suggested" not in clinician_text(bank, PREGABALIN)


@pytest.mark.parametrize(
    ("features", "impact", "tests"),
    [
        ({"evening": "unsure"}, {"bother": "severe"}, IRON),  # the possible pattern
        ({"rest": "unsure", "evening": None}, {"bother": "moderate"}, IRON),
        ({"evening": "unsure"}, CALM, []),  # not clinically significant
        ({"evening": "no"}, {"bother": "severe"}, []),  # a feature not met
        ({"urge": "unsure"}, {"bother": "severe"}, []),  # the urge not met
    ],
)
def test_iron_studies_for_the_possible_pattern_when_significant(bank, features, impact, tests):
    answers = {**FOUR, **features, **impact}
    answers = {k: v for k, v in answers.items() if v is not None}
    assert evaluate(bank, answers)["tests_to_discuss"] == tests


def test_the_frequency_wording_follows_the_answers(bank):
    text = flat(summary_text(bank, PREGABALIN))
    assert "Before any treatment, the feelings came at least twice a week" in text
    assert "Now they come less than once a month." in text
    assert "come often" not in text
    untreated = flat(summary_text(bank, {**ALL_FOUR, "frequency": "4_plus_per_week"}))
    assert "The feelings come at least twice a week" in untreated
    assert "Before any treatment" not in untreated and "Now they come" not in untreated


@pytest.mark.parametrize(("whole_body", "alone"), [("no", True), (None, True), ("yes", False)])
def test_akathisia_from_the_medicine_alone_is_worded_as_such(bank, whole_body, alone):
    answers = {**CLASSIC, "medications": ["antipsychotic"]}
    if whole_body:
        answers["whole_body"] = whole_body
    text = flat(summary_text(bank, answers))
    assert ("A medicine you take can cause an inner restlessness" in text) == alone
    assert ("after a new medicine" in text) == (not alone)
    page = flat(clinician_text(bank, answers))
    assert ("whole-body restlessness not reported" in page) == alone
    assert ("Akathisia after a new medicine" in page) == (not alone)


@pytest.mark.parametrize(
    ("answers", "shown"),
    [
        ({"urge": "no", "cramp": "yes"}, False),  # cramps alone
        ({"position_change": "yes"}, False),  # urge not answered
        ({"urge": "unsure"}, True),
        (CLASSIC, True),
    ],
)
def test_supportive_features_only_when_the_urge_is_met_or_unsure(bank, answers, shown):
    text = flat(summary_text(bank, {**answers, "dozing": "no", "family_history": "yes"}))
    assert ("You do not often doze off in the day" in text) == shown
    assert ("Family members with restless legs" in text) == shown


@pytest.mark.parametrize(("dozing", "shown"), [("yes", True), ("no", False), ("unsure", False)])
def test_dozing_off_in_the_day_is_shown(bank, dozing, shown):
    answers = {**CLASSIC, "dozing": dozing}
    assert evaluate(bank, answers)["other_concerns"] == (["daytime_sleepiness"] if shown else [])
    text = flat(summary_text(bank, answers))
    assert ("Dozing off in the day without meaning to" in text) == shown
    assert ("take care with driving" in text) == shown
    page = flat(clinician_text(bank, answers))
    assert ("Daytime sleepiness: often dozes off" in page) == shown


FINISH = "You can still finish the questions"


def test_you_can_still_finish_only_while_the_questions_are_not_finished(bank):
    from rls_screen.reports.summary import alert_report, render_text

    answers = {"mood": "yes", "safe_now": "safe"}
    assert FINISH not in flat(summary_text(bank, answers, "GB"))
    report = alert_report(bank, answers, "safe_now", "GB")
    assert report is not None
    assert FINISH in flat(render_text(report))


@pytest.mark.parametrize(
    ("respondent", "childs"),
    [("self", False), ("with_helper", False), ("for_person", True), (None, True)],
)
def test_a_teen_answering_alone_is_not_told_the_childs_doctor(bank, respondent, childs):
    answers = {"age_group": "under_18"} | ({"respondent": respondent} if respondent else {})
    text = flat(summary_text(bank, answers))
    assert ("the child's doctor" in text) == childs
    assert ("Take this summary to your doctor" in text) == (not childs)


# --- 5. one spelling of English throughout --------------------------------------------------

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"
# The project writes British English (anaemia, oedema, ischaemia, paediatric, behaviour,
# apnoea): these American spellings are not used in any text a person reads.
AMERICAN = re.compile(
    r"\b(apneas?|anemi\w*|edemas?|ischemi\w*|pediatric\w*|hemo\w*|hema\w*|colors?|"
    r"behaviors?|centers?|favors?|gray|labor|recogniz\w*|organiz\w*|realiz\w*|"
    r"minimiz\w*|analyz\w*|apologiz\w*|fetus\w*|estrogen|esophag\w*|diarrhea|"
    r"leukemia|tumors?|humors?|catalog|dialyz\w*)\b",
    re.IGNORECASE,
)
IDENTIFIER = re.compile(r"[a-z0-9_]+|https?://\S+")
# Result fields and codes are a public interface, never renamed: a text that names one
# (the batch help lists the columns) keeps its spelling.
CODE_NAMES = re.compile(r"\b(pediatric|sleep_apnea)\b")


def texts_in(value, where: str):
    """Every string value of a TOML document (not its keys), with where it is."""
    if isinstance(value, str):
        if not IDENTIFIER.fullmatch(value):  # codes, ids and links are not texts
            yield where, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from texts_in(inner, f"{where}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from texts_in(inner, f"{where}[{index}]")


def all_texts():
    for path in sorted(QUESTIONS.glob("**/*.toml")):
        yield from texts_in(tomllib.loads(path.read_text(encoding="utf-8")), path.name)


def test_every_text_in_questions_uses_one_spelling_of_english():
    found = [
        f"{where}: {match.group(0)}"
        for where, text in all_texts()
        for match in AMERICAN.finditer(CODE_NAMES.sub("", text))
    ]
    assert found == []


def test_the_spelling_check_reads_every_question_file():
    files = {where.split(".toml")[0] for where, _ in all_texts()}
    assert {"summary", "clinician", "contributing", "crisis", "tui"} <= files
    # It would catch the spelling the issue found ("sleep apnea" beside "anaemia").
    assert AMERICAN.search("This can be sleep apnea.")
    assert not AMERICAN.search("This can be sleep apnoea, or anaemia.")


# --- 6. the clinician page opens with the urgency and the specific red flags -------------

URGENT_CASE = {**CLASSIC, "rf_one_leg": "yes", "rf_breathing": "unsure", "rf_saddle": None}
URGENT_CASE = {k: v for k, v in URGENT_CASE.items() if v is not None}


def test_the_clinician_text_opens_with_the_urgency_and_the_red_flags(bank):
    text = clinician_text(bank, URGENT_CASE)
    lines = text.splitlines()
    urgency = lines.index("Urgency: Urgent (same-day review)")
    assert set(lines[urgency + 1]) == {"="}  # a heading line, not a bullet
    assert "- Urgency:" not in text
    criteria = text.index("Essential criteria 1-4")
    red_flags = text.index("\nRed flags\n")
    unsure = text.index("\nRed flags answered unsure\n")
    skipped = text.index("Not answered (the patient was shown")
    assert text.index("Urgency: Urgent") < red_flags < skipped < unsure < criteria
    assert text.index("Possible DVT") < criteria and text.index("Possible PE") < criteria
    assert "cauda equina" not in text[unsure:criteria]  # skipped, not unsure
    assert text.count("\nRed flags\n") == 1


@pytest.mark.parametrize(
    ("answers", "urgency"),
    [({}, "Urgency: Routine"), ({"rf_cold_leg": "yes"}, "Urgency: Emergency (act now)")],
)
def test_the_urgency_is_always_the_first_heading(bank, answers, urgency):
    text = clinician_text(bank, answers)
    assert text.index(urgency) < text.index("\nRed flags\n") < text.index("Essential criteria")


def test_the_clinician_markdown_and_html_open_with_the_urgency_and_the_red_flags(bank):
    from rls_screen.reports.clinician import clinician_markdown
    from rls_screen.reports.html import render_html

    markdown = clinician_markdown(bank, URGENT_CASE)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings[:3] == [
        "## Urgency: Urgent (same-day review)",
        "## Red flags",
        "## Red flags answered unsure",
    ]
    page = render_html(bank, URGENT_CASE, "clinician")
    h2 = re.findall(r"<h2>([^<]*)</h2>", page)
    assert h2[:3] == ["Urgency: Urgent (same-day review)", "Red flags", "Red flags answered unsure"]
    assert page.index('role="alert"') < page.index("Urgency: Urgent")


# --- the clinician page: Parkinson's, a carer for an adult, treatment, the version ----------

ON_AGONIST = {
    **FOUR,
    "rls_treatment": ["dopamine_agonist"],
    "frequency_untreated": "1_per_week",
    "aug_earlier": "yes",
    "bother": "severe",
}


@pytest.mark.parametrize("parkinsons", [True, False])
def test_augmentation_with_parkinsons_disease(bank, parkinsons):
    answers = {**ON_AGONIST, "neuro_conditions": ["parkinsons"] if parkinsons else ["none"]}
    text = flat(summary_text(bank, answers))
    assert ("advises against their standard use" in text) == (not parkinsons)
    assert "Do not stop this medicine suddenly" in text
    page = section(clinician_text(bank, answers), "Augmentation")
    assert ("wearing-off and motor fluctuations overlap" in page) == parkinsons


@pytest.mark.parametrize(("age", "noted"), [("65_plus", True), ("under_18", False), (None, False)])
def test_an_adult_answered_for_by_a_carer_is_noted(bank, age, noted):
    answers = {"respondent": "for_person"} | ({"age_group": age} if age else {})
    assert ("judged on observed behaviour" in flat(clinician_text(bank, answers))) == noted


@pytest.mark.parametrize(("treated", "shown"), [(ON_AGONIST, True), (FOUR, False)])
def test_significance_on_treatment_names_the_untreated_frequency(bank, treated, shown):
    page = section(clinician_text(bank, treated), "Clinical significance")
    line = "Significance as reported on treatment; untreated frequency: Once a week."
    assert (line in page) == shown


def test_the_clinician_page_shows_the_instrument_version(bank):
    line = f"Instrument: rls-screen {bank.instrument.version}."
    text = clinician_text(bank, {})
    assert line in flat(text)
    assert f"!! {line}" not in text  # a plain line, not marked as a warning
    from rls_screen.reports.html import render_html

    page = render_html(bank, {}, "clinician")
    assert f'<p class="version">{line}</p>' in page


@pytest.mark.parametrize(("pregnant", "asked"), [("yes", True), ("no", False), (None, False)])
def test_the_pregnancy_stage_is_asked_only_in_pregnancy(bank, pregnant, asked):
    answers = {"pregnant": pregnant} if pregnant else {}
    assert shown(bank, "pregnancy_stage", answers) == asked
    order = list(bank.items)
    assert order.index("pregnant") < order.index("rf_pregnancy") < order.index("pregnancy_stage")


@pytest.mark.parametrize(
    ("stage", "line"),
    [("second", "Pregnant; stage: 14 to 27 weeks."), (None, "Pregnant; stage: Not answered.")],
)
def test_the_clinician_page_shows_the_pregnancy_stage(bank, stage, line):
    answers = {"pregnant": "yes"} | ({"pregnancy_stage": stage} if stage else {})
    assert line in flat(clinician_text(bank, answers))
    assert "Pregnant; stage" not in clinician_text(bank, {"pregnant": "no"})


# --- impulse-control problems on a dopamine-type medicine -----------------------------------


@pytest.mark.parametrize(
    ("treatment", "asked"),
    [(["dopamine_agonist"], True), (["levodopa"], True), (["gabapentinoid"], False)],
)
def test_impulse_is_asked_only_on_a_dopamine_type_medicine(bank, treatment, asked):
    assert shown(bank, "impulse", {"rls_treatment": treatment}) == asked
    codes = bank.items["impulse"].codes
    assert codes[-1] == "unsure" and "prefer_not" in codes


@pytest.mark.parametrize(
    ("impulse", "raised"), [("yes", True), ("unsure", True), ("no", False), ("prefer_not", False)]
)
def test_impulse_control_is_a_concern_told_to_the_prescriber(bank, impulse, raised):
    answers = {**FOUR, "rls_treatment": ["dopamine_agonist"], "impulse": impulse}
    assert ("impulse_control" in evaluate(bank, answers)["other_concerns"]) == raised
    text = flat(summary_text(bank, answers))
    assert ("Tell the doctor who prescribes it soon" in text) == raised
    page = flat(clinician_text(bank, answers))
    assert ("Possible impulse-control problems" in page) == raised


def test_an_impulse_answer_off_a_dopamine_type_medicine_is_ignored(bank):
    answers = {**FOUR, "rls_treatment": ["gabapentinoid"], "impulse": "yes"}
    assert evaluate(bank, answers)["other_concerns"] == []
