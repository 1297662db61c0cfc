"""FHIR R4 in and out: the Questionnaire, QuestionnaireResponses, and the commands
`export-questionnaire` and `convert`. Resources are validated with fhir.resources (R4B,
which has R4's Questionnaire and QuestionnaireResponse), a test-only dependency."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run_cli
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import answer_sets  # random valid answers, conditions not respected

from rls_screen.core import vocab
from rls_screen.core.answers import check_answers, to_document
from rls_screen.core.bank import load_bank
from rls_screen.core.engine import effective_answers, score
from rls_screen.core.errors import InputError, show_name
from rls_screen.interop import fhir
from rls_screen.interop.inputs import read_answer_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
BANK = load_bank()
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

R4_ITEM_TYPES = {
    "group", "display", "boolean", "decimal", "integer", "date", "dateTime", "time", "string",
    "text", "url", "choice", "open-choice", "attachment", "reference", "quantity",
}  # fmt: skip


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """`rls-screen ARGS`: what score, convert and export-questionnaire print is checked in
    this process (tests/cli_runner.py); the rest (help, the plain mode) runs for real."""
    if args and args[0] in ("score", "convert", "export-questionnaire"):
        return run_cli(*args, stdin=stdin)
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", *args],
        input=stdin,
        capture_output=True,
        text=True,
    )


def example_answers(path: Path) -> dict:
    return read_answer_file(str(path), BANK)


def flatten(items: list[dict]) -> list[dict]:
    """Every item in document order, children after their parent."""
    out = []
    for item in items:
        out.append(item)
        out.extend(flatten(item.get("item", [])))
    return out


def write_json(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc))
    return path


QUESTION_TYPES = ("choice", "string")  # a choice item; a free-text item


def questions_of(q: dict) -> list[dict]:
    """The questions of a Questionnaire (not its groups or display texts), in order."""
    return [i for i in flatten(q["item"]) if i["type"] in QUESTION_TYPES]


# --- the Questionnaire -----------------------------------------------------------------


@pytest.fixture(scope="module")
def q() -> dict:
    return fhir.questionnaire(BANK)


def test_questionnaire_is_valid_r4(q):
    model = Questionnaire.model_validate(q)
    assert model.url == fhir.CANONICAL_URL and model.version == BANK.instrument.version
    assert (model.status, model.subjectType) == ("active", ["Patient"])
    assert {item["type"] for item in flatten(q["item"])} <= R4_ITEM_TYPES


def test_questionnaire_is_deterministic(q):
    assert fhir.dumps(fhir.questionnaire(BANK)) == fhir.dumps(q)


def test_link_ids_are_unique(q):
    link_ids = [item["linkId"] for item in flatten(q["item"])]
    assert len(link_ids) == len(set(link_ids))


def test_sections_and_questions_follow_the_bank(q):
    assert [(g["linkId"], g["text"], g["type"]) for g in q["item"]] == [
        (s.id, s.title, "group") for s in BANK.sections
    ]
    assert [i["linkId"] for i in questions_of(q)] == list(BANK.items)


def test_each_question_mirrors_its_item(q):
    for question in questions_of(q):
        item = BANK.items[question["linkId"]]
        assert question["text"] == item.text
        assert question.get("repeats", False) == (item.kind == "multi")
        assert question["type"] == ("string" if item.kind == "text" else "choice")
        codings = [o["valueCoding"] for o in question.get("answerOption", [])]
        assert [(c["system"], c["code"], c["display"]) for c in codings] == [
            (fhir.CODE_SYSTEM, o.code, o.label) for o in item.options
        ]
        assert question.get("maxLength") == item.max_length
        hint, help_ = question["item"]
        assert (hint["linkId"], hint["type"], hint["text"]) == (
            f"{item.id}.hint",
            "display",
            item.hint.strip(),
        )
        assert (help_["linkId"], help_["type"], help_["text"]) == (
            f"{item.id}.help",
            "display",
            item.help.strip(),
        )


def test_enable_when_mirrors_the_bank_and_points_back(q):
    seen: dict[str, set[str]] = {}  # linkId -> its codes, for questions so far
    conditional = []
    for question in flatten(q["item"]):
        for cond in question.get("enableWhen", []):
            assert cond["question"] in seen, f"{question['linkId']} depends on a later item"
            assert cond["operator"] in (
                "=",
                "!=",
            )  # v3: "!=" for the items not asked of a young child
            assert cond["answerCoding"]["system"] == fhir.CODE_SYSTEM
            assert cond["answerCoding"]["code"] in seen[cond["question"]]
        if "enableWhen" in question:
            conditional.append(question["linkId"])
            item = BANK.items[question["linkId"]]
            pairs = [
                (c["question"], c["answerCoding"]["code"], c["operator"])
                for c in question["enableWhen"]
            ]
            assert pairs == [(c.question, c.answer, c.operator) for c in item.enable_when]
            behavior = item.enable_behavior if len(item.enable_when) > 1 else None
            assert question.get("enableBehavior") == behavior
        if question["type"] == "choice":
            seen[question["linkId"]] = {o["valueCoding"]["code"] for o in question["answerOption"]}
    assert conditional == [item.id for item in BANK.conditional]


def test_v3_questionnaire_has_the_free_text_questions(q):
    assert q["version"] == BANK.instrument.version == "3.0.0"
    [own_words] = [i for i in questions_of(q) if i["linkId"] == "own_words"]
    assert own_words["type"] == "string" and own_words["maxLength"] == 500
    assert "answerOption" not in own_words and "repeats" not in own_words
    model = Questionnaire.model_validate(q)
    core = next(g for g in model.item if g.linkId == "core")
    valid = next(i for i in core.item if i.linkId == "own_words")
    assert (valid.type, valid.maxLength, valid.answerOption) == ("string", 500, None)
    # Shown when the urge is there or maybe there, as the sensations question is.
    assert [(c["question"], c["answerCoding"]["code"]) for c in own_words["enableWhen"]] == [
        ("urge", "yes"),
        ("urge", "unsure"),
    ]
    assert own_words["enableBehavior"] == "any"


def test_v2_questions_are_enabled_by_the_answers_the_spec_names(q):
    questions = {i["linkId"]: i for i in questions_of(q)}

    def conditions(link_id: str) -> list[tuple[str, str]]:
        return [
            (c["question"], c["answerCoding"]["code"]) for c in questions[link_id]["enableWhen"]
        ]

    assert conditions("safe_now") == [("mood", "yes")]
    assert conditions("rf_pregnancy") == [("pregnant", "yes")]
    assert conditions("rf_weakness_sudden") == [("rf_weakness", "yes"), ("rf_weakness", "unsure")]
    assert "enableBehavior" not in questions["safe_now"]  # one condition: none needed
    treated = [c for c in BANK.items["rls_treatment"].codes if c != "none"]
    assert conditions("frequency_untreated") == [("rls_treatment", code) for code in treated]
    assert questions["frequency_untreated"]["enableBehavior"] == "any"
    for link_id in ("dopamine_helped", *vocab.AUGMENTATION_ITEMS):
        assert conditions(link_id) == [
            ("rls_treatment", "dopamine_agonist"),
            ("rls_treatment", "levodopa"),
        ]
        assert questions[link_id]["enableBehavior"] == "any"


def test_v3_items_are_in_the_questionnaire_where_the_spec_puts_them(q):
    questions = {i["linkId"]: i for i in questions_of(q)}
    order = [i["linkId"] for i in questions_of(q)]
    assert order.index("body_parts") + 1 == order.index("sides")
    assert order.index("sides") + 1 == order.index("onset_time")
    for link_id in ("sides", "onset_time"):
        assert [
            (c["question"], c["answerCoding"]["code"]) for c in questions[link_id]["enableWhen"]
        ] == [
            ("urge", "yes"),
            ("urge", "unsure"),
        ]
    times = ["bedtime", "evening", "afternoon", "morning", "unsure"]
    for link_id in ("onset_time", "onset_time_before"):
        assert [o["valueCoding"]["code"] for o in questions[link_id]["answerOption"]] == times
    assert [c["answerCoding"]["code"] for c in questions["onset_time_before"]["enableWhen"]] == [
        "dopamine_agonist",
        "levodopa",
    ]
    sides = [o["valueCoding"]["code"] for o in questions["sides"]["answerOption"]]
    assert sides == ["both", "one_side", "varies", "unsure"]
    medicines = questions["medicine_list"]
    assert (medicines["type"], medicines["maxLength"]) == ("string", 500)
    assert "enableWhen" not in medicines and "answerOption" not in medicines


def test_v3_answers_go_through_a_response_and_back(tmp_path, q):
    answers = check_answers(
        {
            "urge": "yes",
            "sides": "one_side",
            "onset_time": "afternoon",
            "rls_treatment": ["dopamine_agonist"],
            "onset_time_before": "bedtime",
            "medicine_list": TRICKY_TEXT,
        },
        BANK,
        "test",
    )
    response = fhir.to_response(answers, BANK)
    conforms(response, q)
    entries = {e["linkId"]: e["answer"] for e in flatten(response["item"]) if "answer" in e}
    assert entries["medicine_list"] == [{"valueString": TRICKY_TEXT}]
    assert entries["onset_time_before"][0]["valueCoding"]["code"] == "bedtime"
    path = write_json(tmp_path / "response.json", response)
    proc = run("score", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["augmentation_concern"] is True


# --- QuestionnaireResponse out ---------------------------------------------------------


def conforms(response: dict, q: dict) -> None:
    """The response is valid R4 and every answer is one of its question's options."""
    QuestionnaireResponse.model_validate(response)
    questions = {i["linkId"]: i for i in questions_of(q)}
    groups = {g["linkId"]: g for g in q["item"]}
    for group in response.get("item", []):
        members = {i["linkId"] for i in groups[group["linkId"]]["item"]}
        for entry in group["item"]:
            assert entry["linkId"] in members
            question = questions[entry["linkId"]]
            if question["type"] == "string":
                [answer] = entry["answer"]
                assert list(answer) == ["valueString"]
                assert 1 <= len(answer["valueString"]) <= question["maxLength"]
                continue
            options = [o["valueCoding"] for o in question["answerOption"]]
            for answer in entry["answer"]:
                assert answer["valueCoding"] in options


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_convert_to_valid_responses(path, q):
    response = fhir.to_response(example_answers(path), BANK)
    conforms(response, q)
    assert response["questionnaire"] == f"{fhir.CANONICAL_URL}|{BANK.instrument.version}"
    assert response["status"] == "completed" and "authored" not in response


def test_multi_answers_are_several_codings_and_authored_is_kept():
    answers = {"urge": "yes", "sensations": ("tingling", "pulling")}
    response = fhir.to_response(answers, BANK, authored="2025-03-01T09:30:00Z")
    assert response["authored"] == "2025-03-01T09:30:00Z"
    core = next(g for g in response["item"] if g["linkId"] == "core")
    sensations = next(i for i in core["item"] if i["linkId"] == "sensations")
    assert [a["valueCoding"]["code"] for a in sensations["answer"]] == ["tingling", "pulling"]
    assert sensations["answer"][0]["valueCoding"]["display"] == "Tingling or fizzing"


TRICKY_TEXT = "Like \"fizzy\" water <b>in</b> my calves;\n=cmd|' /C calc'!A0 & more"


def test_text_answer_is_one_value_string_and_reads_back():
    answers = check_answers({"urge": "yes", "own_words": TRICKY_TEXT}, BANK, "test")
    response = json.loads(fhir.dumps(fhir.to_response(answers, BANK)))
    QuestionnaireResponse.model_validate(response)
    core = next(g for g in response["item"] if g["linkId"] == "core")
    own_words = next(i for i in core["item"] if i["linkId"] == "own_words")
    assert own_words["answer"] == [{"valueString": TRICKY_TEXT}]
    assert fhir.from_response(response, BANK, "r") == {"urge": "yes", "own_words": TRICKY_TEXT}


# Free text as a person types it: any character but controls (line breaks allowed).
free_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), min_size=1, max_size=500
).filter(str.strip)


@settings(max_examples=200, deadline=None)
@given(free_text)
def test_any_free_text_round_trips_as_a_valid_value_string(text):
    answers = check_answers({"urge": "unsure", "own_words": text}, BANK, "test")
    response = json.loads(fhir.dumps(fhir.to_response(answers, BANK)))
    QuestionnaireResponse.model_validate(response)
    assert fhir.from_response(response, BANK, "r")["own_words"] == text.strip()


def test_no_answers_gives_a_valid_response_without_items():
    response = fhir.to_response({}, BANK)
    QuestionnaireResponse.model_validate(response)
    assert "item" not in response


def test_answers_to_skipped_questions_are_dropped():
    answers = check_answers(
        {
            "urge": "no",
            "sensations": ["tingling"],  # only asked if urge is yes or unsure
            "movement": "full",
            "movement_past": "yes",  # only asked if movement is no
            "rls_treatment": ["iron"],
            "aug_earlier": "yes",  # only asked on dopamine-type medicines
        },
        BANK,
        "test",
    )
    response = fhir.to_response(answers, BANK)
    link_ids = {i["linkId"] for i in flatten(response["item"])}
    assert link_ids == {"core", "urge", "movement", "treatment", "rls_treatment"}
    assert fhir.from_response(response, BANK, "r") == {
        "urge": "no",
        "movement": "full",
        "rls_treatment": ("iron",),
    }


@SETTINGS
@given(answer_sets())
def test_round_trip_is_lossless(answers):
    kept = effective_answers(BANK, answers)
    response = json.loads(fhir.dumps(fhir.to_response(kept, BANK)))
    assert fhir.from_response(response, BANK, "r") == kept


@settings(max_examples=60, deadline=None)
@given(answer_sets())
def test_every_response_is_valid_r4(answers):
    conforms(fhir.to_response(answers, BANK), fhir.questionnaire(BANK))


# --- QuestionnaireResponse in ----------------------------------------------------------


def response_with(*entries: dict, **header: object) -> dict:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": fhir.canonical(BANK),
        "status": "completed",
        **header,
        "item": list(entries),
    }


def coding(code: object, system: object = fhir.CODE_SYSTEM) -> dict:
    return {"valueCoding": {"system": system, "code": code}}


def test_flat_items_and_bare_codes_are_read():
    response = response_with(
        {"linkId": "urge", "answer": [{"valueCoding": {"code": "yes"}}]},
        {"linkId": "sensations", "answer": [coding("pulling"), coding("tingling")]},
        {"linkId": "rest"},  # present but unanswered
    )
    assert fhir.from_response(response, BANK, "r") == {
        "urge": "yes",
        "sensations": ("tingling", "pulling"),  # canonical order: the bank's
    }


def test_response_without_questionnaire_or_status_is_read():
    response = {"resourceType": "QuestionnaireResponse", "item": [{"linkId": "rest"}]}
    assert fhir.from_response(response, BANK, "r") == {}


BAD_RESPONSES = [
    # (the response, the linkId and what the one error line must say)
    (response_with({"linkId": "urgee", "answer": [coding("yes")]}), "urgee", "unknown linkId"),
    (response_with({"linkId": "urge", "answer": [coding("maybe")]}), "urge", "allowed: yes, no"),
    (
        response_with({"linkId": "urge", "answer": [coding("yes", "http://loinc.org")]}),
        "urge",
        "system",
    ),
    (response_with({"linkId": "urge", "answer": [{"valueString": "yes"}]}), "urge", "valueString"),
    (
        response_with({"linkId": "sensations", "answer": [{"valueString": "tingling"}]}),
        "sensations",
        "not valueString",
    ),
    (response_with({"linkId": "own_words", "answer": [coding("yes")]}), "own_words", "valueCoding"),
    (
        response_with(
            {"linkId": "own_words", "answer": [{"valueString": "a"}, {"valueString": "b"}]}
        ),
        "own_words",
        "one answer",
    ),
    (
        response_with({"linkId": "own_words", "answer": [{"valueString": "x" * 501}]}),
        "own_words",
        "at most 500",
    ),
    (
        response_with({"linkId": "own_words", "answer": [{"valueString": "red\x1b[31m"}]}),
        "own_words",
        "control character",
    ),
    (
        response_with({"linkId": "own_words", "answer": [{"valueString": " \n "}]}),
        "own_words",
        "empty",
    ),
    (response_with({"linkId": "own_words", "answer": [{"valueString": 42}]}), "own_words", "text"),
    (
        response_with({"linkId": "urge", "answer": [coding("yes"), coding("no")]}),
        "urge",
        "one answer",
    ),
    (response_with({"linkId": "urge", "answer": []}), "urge", "non-empty list"),
    (response_with({"linkId": "urge", "answer": [coding(["yes"])]}), "urge", "allowed: yes, no"),
    (
        response_with(
            {"linkId": "urge", "answer": [coding("yes")]},
            {"linkId": "core", "item": [{"linkId": "urge", "answer": [coding("no")]}]},
        ),
        "urge",
        "answered twice",
    ),
    (
        response_with({"linkId": "sensations", "answer": [coding("none"), coding("tingling")]}),
        "sensations",
        "'none' cannot be combined",
    ),
    (response_with({"linkId": "core", "answer": [coding("yes")]}), "core", "section group"),
    (
        response_with({"linkId": "urge", "answer": [coding("yes")], "item": [{"linkId": "x"}]}),
        "urge",
        "nested items",
    ),
    (response_with({"linkId": "urge.help"}), "urge.help", "unknown linkId"),
]


@pytest.mark.parametrize(("response", "link_id", "message"), BAD_RESPONSES)
def test_bad_response_is_one_line_naming_file_and_link_id(tmp_path, response, link_id, message):
    path = write_json(tmp_path / "response.json", response)
    proc = run("score", str(path))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert show_name(str(path)) in proc.stderr and message in proc.stderr
    assert repr(link_id) in proc.stderr


BAD_HEADERS = [
    ({"resourceType": "Bundle"}, "resourceType is 'Bundle'"),
    ({"resourceType": "Questionnaire"}, "expected 'QuestionnaireResponse'"),
    (response_with(questionnaire="http://example.org/Questionnaire/phq-9"), "phq-9"),
    (response_with(questionnaire=f"{fhir.CANONICAL_URL}|4.0.0"), "version '4.0.0'"),
    (response_with(questionnaire=f"{fhir.CANONICAL_URL}|0.9"), "versions 1.x, 2.x and 3.x"),
    (response_with(status="done"), "status 'done'"),
    (response_with(status="entered-in-error"), "entered-in-error"),
    ({"resourceType": "QuestionnaireResponse", "item": {"linkId": "urge"}}, "'item' must be"),
]


@pytest.mark.parametrize(("response", "message"), BAD_HEADERS)
def test_bad_response_header_is_one_line_naming_file(tmp_path, response, message):
    path = write_json(tmp_path / "response.json", response)
    proc = run("convert", str(path), "--to", "answers")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert show_name(str(path)) in proc.stderr and message in proc.stderr


# Answers of items that 1.x already had (2.0 only added items and codes).
V1_ANSWERS = {
    "age_group": "45_64",
    "urge": "yes",
    "sensations": ["pulling", "tingling"],
    "rest": "yes",
    "movement": "full",
    "evening": "yes",
    "cramp": "no",
    "frequency": "4_plus_per_week",
    "duration": "over_5_years",
    "family_history": "yes",
    "iron_low": "yes",
}


@pytest.mark.parametrize("version", ["1.0.0", "1.3", "2.0.0", "2.4.1", "3.0.0", "3.2"])
def test_responses_to_questionnaire_versions_1_to_3_are_read_and_scored(tmp_path, version):
    answers = check_answers(V1_ANSWERS, BANK, "test")
    response = fhir.to_response(answers, BANK)
    response["questionnaire"] = f"{fhir.CANONICAL_URL}|{version}"
    path = write_json(tmp_path / "response.json", response)
    proc = run("score", str(path), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result == {**score(BANK, answers).model_dump(mode="json"), "diary": None}
    assert (
        result["pattern"] == "all_features" and "iron_deficiency" in result["contributing_factors"]
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
link_ids = st.sampled_from([*BANK.items, *(s.id for s in BANK.sections), "urge.help"])
codes = st.sampled_from(sorted({c for item in BANK.items.values() for c in item.codes}))
codings = st.fixed_dictionaries(
    {"code": codes}, optional={"system": st.just(fhir.CODE_SYSTEM), "display": st.text()}
)
values = st.fixed_dictionaries({"valueCoding": codings}) | st.fixed_dictionaries(
    {"valueString": st.text(max_size=8)}
)
questions = st.fixed_dictionaries(
    {"linkId": link_ids}, optional={"answer": st.lists(values, max_size=3)}
)
groups = st.fixed_dictionaries(
    {"linkId": st.sampled_from([s.id for s in BANK.sections]), "item": st.lists(questions)}
)
# Plausible responses with random linkIds and codes: mostly wrong in some detail.
responses = st.fixed_dictionaries(
    {
        "resourceType": st.just("QuestionnaireResponse"),
        "questionnaire": st.just(fhir.canonical(BANK)),
        "status": st.just("completed"),
        "item": st.lists(questions | groups, max_size=6),
    }
)


def containers(node: object) -> list[tuple[dict | list, str | int]]:
    """Every (container, key) inside a JSON document."""
    pairs = []
    children = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in children:
        pairs.append((node, key))
        if isinstance(child, dict | list):
            pairs.extend(containers(child))
    return pairs


@st.composite
def damaged_responses(draw):
    """A valid response with one value anywhere replaced by any JSON value."""
    response = json.loads(fhir.dumps(fhir.to_response(draw(answer_sets()), BANK)))
    container, key = draw(st.sampled_from(containers(response)))
    container[key] = draw(json_values | link_ids | codes)
    return response


@settings(max_examples=1000, deadline=None)
@given(damaged_responses() | responses | json_values)
def test_any_json_is_read_or_refused_in_one_line(resource):
    try:
        answers = fhir.from_response(resource, BANK, "fuzz.json")
    except InputError as exc:
        assert str(exc).startswith("fuzz.json: ") and "\n" not in str(exc)
    else:
        assert check_answers(to_document(answers, BANK)["answers"], BANK, "again") == answers


# --- Bundle ----------------------------------------------------------------------------


def test_bundle_yields_numbered_resources_and_each_is_read_on_its_own():
    good = fhir.to_response({"urge": "yes"}, BANK)
    bad = response_with({"linkId": "urge", "answer": [coding("maybe")]})
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": good}]}
    bundle["entry"].append({"resource": bad})
    found = list(fhir.bundle_responses(bundle, "b.json"))
    assert [number for number, _ in found] == [1, 2]
    assert fhir.from_response(found[0][1], BANK, "b.json entry 1") == {"urge": "yes"}
    with pytest.raises(InputError, match="b.json entry 2: linkId 'urge'"):
        fhir.from_response(found[1][1], BANK, "b.json entry 2")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (fhir.to_response({}, BANK), "expected a FHIR Bundle"),
        ([], "expected a FHIR Bundle"),
        ({"resourceType": "Bundle", "entry": {}}, "'entry' must be a list"),
    ],
)
def test_bad_bundle_is_refused_before_any_entry(doc, message):
    with pytest.raises(InputError, match=message):
        fhir.bundle_responses(doc, "b.json")


def test_bundle_entry_without_a_resource_is_its_own_error_and_the_rest_still_count():
    good = fhir.to_response({"urge": "yes"}, BANK)
    doc = {"resourceType": "Bundle", "entry": [{"fullUrl": "x"}, {"resource": good}, "?"]}
    found = fhir.bundle_responses(doc, "b.json")
    assert [number for number, _ in found] == [1, 2, 3]
    assert isinstance(found[0][1], InputError) and isinstance(found[2][1], InputError)
    assert "no 'resource' object" in str(found[0][1])
    assert found[1][1] is good


def test_empty_bundle_has_no_entries():
    assert list(fhir.bundle_responses({"resourceType": "Bundle"}, "b.json")) == []


# --- commands ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_score_of_fhir_file_equals_score_of_answer_file(tmp_path, path, fmt):
    converted = run("convert", str(path), "--to", "fhir")
    assert converted.returncode == 0, converted.stderr
    response = tmp_path / "response.json"
    response.write_text(converted.stdout)
    from_fhir = run("score", str(response), "--format", fmt)
    from_answers = run("score", str(path), "--format", fmt)
    assert from_fhir.returncode == 0, from_fhir.stderr
    assert from_fhir.stdout == from_answers.stdout


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_convert_there_and_back_through_stdin(path):
    to_fhir = run("convert", str(path), "--to", "fhir")
    assert to_fhir.stdout == fhir.dumps(fhir.to_response(example_answers(path), BANK))
    back = run("convert", "-", "--to", "answers", stdin=to_fhir.stdout)
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout) == to_document(example_answers(path), BANK)


def test_convert_round_trip_keeps_free_text_literally(tmp_path):
    doc = {
        "instrument": "rls-screen",
        "instrument_version": "2.0.0",
        "answers": {"urge": "yes", "own_words": TRICKY_TEXT, "rest": "yes"},
    }
    path = write_json(tmp_path / "answers.json", doc)
    to_fhir = run("convert", str(path), "--to", "fhir")
    assert to_fhir.returncode == 0 and to_fhir.stderr == ""
    entries = flatten(json.loads(to_fhir.stdout)["item"])
    assert [e["answer"] for e in entries if e["linkId"] == "own_words"] == [
        [{"valueString": TRICKY_TEXT}]
    ]
    back = run("convert", "-", "--to", "answers", stdin=to_fhir.stdout)
    assert back.returncode == 0, back.stderr
    assert json.loads(back.stdout) == to_document(read_answer_file(str(path), BANK), BANK)
    assert json.loads(back.stdout)["answers"]["own_words"] == TRICKY_TEXT


def test_convert_answers_to_answers_and_fhir_to_fhir_are_accepted():
    classic = EXAMPLES[0]
    same = run("convert", str(classic), "--to", "answers")
    assert json.loads(same.stdout) == to_document(example_answers(classic), BANK)
    to_fhir = run("convert", str(classic), "--to", "fhir").stdout
    assert run("convert", "-", "--to", "fhir", stdin=to_fhir).stdout == to_fhir


def test_convert_names_the_answers_it_leaves_out():
    doc = {"answers": {"urge": "no", "sensations": ["tingling"], "rest": "yes"}}
    proc = run("convert", "-", "--to", "fhir", stdin=json.dumps(doc))
    assert proc.returncode == 0
    assert "sensations" not in proc.stdout and '"rest"' in proc.stdout
    assert proc.stderr.count("\n") == 1 and "sensations" in proc.stderr


def test_convert_output_file_is_private(tmp_path):
    out = tmp_path / "response.json"
    proc = run("convert", str(EXAMPLES[0]), "--to", "fhir", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert out.stat().st_mode & 0o777 == 0o600
    QuestionnaireResponse.model_validate_json(out.read_text())


def test_convert_bad_input_writes_nothing(tmp_path):
    out = tmp_path / "answers.json"
    bad = json.dumps(response_with({"linkId": "urge", "answer": [coding("maybe")]}))
    proc = run("convert", "-", "--to", "answers", "-o", str(out), stdin=bad)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "<stdin>: linkId 'urge'" in proc.stderr and proc.stderr.count("\n") == 1
    assert not out.exists()


def test_convert_needs_a_target():
    proc = run("convert", str(EXAMPLES[0]))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "--to" in proc.stderr and proc.stderr.count("\n") == 1


def test_export_questionnaire_prints_and_writes_privately(tmp_path):
    proc = run("export-questionnaire")
    assert proc.returncode == 0 and proc.stdout == fhir.dumps(fhir.questionnaire(BANK))
    assert proc.stdout.startswith('{\n  "resourceType": "Questionnaire"')
    out = tmp_path / "q.json"
    proc = run("export-questionnaire", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert out.stat().st_mode & 0o777 == 0o600
    Questionnaire.model_validate_json(out.read_text())


def test_help_lists_and_explains_the_commands():
    top = run("--help").stdout
    assert "export-questionnaire" in top and "convert" in top
    help_ = run("convert", "--help").stdout
    assert "usage: rls-screen convert" in help_ and "--to {fhir,answers}" in help_
    assert "rls-screen convert response.json --to answers" in help_


def test_resume_from_a_fhir_response(tmp_path):
    response = tmp_path / "response.json"
    response.write_text(run("convert", str(EXAMPLES[0]), "--to", "fhir").stdout)
    count = len(example_answers(EXAMPLES[0]))
    proc = run("--plain", "--no-autosave", "--resume", str(response), stdin="")
    going_on = f"Going on from {show_name(str(response))} ({count} answers)"
    # --plain wraps its lines to the terminal, and cuts a file name longer than a line.
    assert "".join(going_on.split()) in "".join(proc.stdout.split())


def test_fhir_module_needs_no_fhir_library():
    code = (
        "import rls_screen.interop.fhir, sys; "
        "print(sorted(m for m in sys.modules if m.startswith('fhir')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
