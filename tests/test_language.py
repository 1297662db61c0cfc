"""Plain, kind, safe words: readability and wording rules over every text in the bank."""

from __future__ import annotations

import re

import textstat
from test_texts import interface_texts

from rls_screen.core import vocab
from rls_screen.core.texts import ui


def as_sentences(texts) -> str:
    """Join texts as sentences: a label or heading without a full stop still ends one."""
    parts = []
    for text in texts:
        text = " ".join(text.split())
        parts.append(text if text.endswith((".", "?", "!", ":")) else text + ".")
    return " ".join(parts)


def question_texts(bank):
    welcome = bank.instrument.welcome
    yield welcome.lead
    yield from welcome.points
    for section in bank.sections:
        yield section.title
        yield section.section.intro
        worded = section.worded("for_person")  # v3: for a parent or carer
        yield from (worded.title, worded.section.intro)
        for item in section.items:
            yield item.text
            yield item.hint
            yield item.help
            for option in item.options:
                yield option.label
            person = item.worded("for_person")  # v3: the wording for a parent or carer
            yield from (person.text, person.hint, person.help)
            yield from (option.label for option in person.options)


def summary_texts(bank):
    def walk(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                yield from walk(value)

    yield from walk(bank.summary.model_dump())
    # v3: the summary a parent or carer reads, about a child and about an adult.
    for person in (ui("reports.person.child"), ui("reports.person.adult")):
        yield from walk(bank.summary_about(person).model_dump())
    yield ui("reports.routine.no_features_for_person", person=ui("reports.person.child"))


def test_question_texts_reading_grade_at_most_8(bank):
    grade = textstat.flesch_kincaid_grade(as_sentences(question_texts(bank)))
    assert grade <= 8, grade


def test_summary_texts_reading_grade_at_most_8(bank):
    grade = textstat.flesch_kincaid_grade(as_sentences(summary_texts(bank)))
    assert grade <= 8, grade


def test_the_grade_check_can_fail():
    hard = (
        "Polysomnographic characterisation demonstrates periodic limb movements "
        "notwithstanding pharmacological intervention with dopaminergic agonists."
    )
    assert textstat.flesch_kincaid_grade(hard) > 8


FORBIDDEN = re.compile(
    r"you have|you do not have|you don't have|diagnosed|\bcures?\b|magnesium|\bgaba\b|"
    r"passion ?flower|quinine|\bmg\b|\birls\b",
    re.I,
)


def test_no_forbidden_words_anywhere(bank):
    for text in [*question_texts(bank), *summary_texts(bank)]:
        assert not FORBIDDEN.search(text), text
        lowered = text.lower()
        assert lowered.count("diagnosis") == lowered.count("this is not a diagnosis"), text


def test_medicine_texts_say_do_not_change_on_your_own(bank):
    medicine_texts = [bank.summary.factors[f] for f in vocab.FACTORS if f.startswith("med_")]
    for text in medicine_texts:
        whole = f"{text.why} {text.ask}".lower()
        assert "on your own" in whole, text
    assert "on your own" in bank.summary.augmentation.text.lower() or (
        "yourself" in bank.summary.augmentation.text.lower()
    )


def test_every_ask_is_a_question(bank):
    for table in (bank.summary.lookalikes, bank.summary.factors, bank.summary.supportive):
        for code, text in table.items():
            assert text.ask.rstrip().endswith("?"), code


def test_crisis_and_urgency_name_no_country_number(bank):
    for text in (bank.summary.crisis, bank.summary.urgency.emergency, bank.summary.urgency.urgent):
        assert not re.search(r"\b(911|999|112|000|988|111)\b", text), text


def diary_texts():
    """The diary's words on the pages (questions/interface/
    diary.toml [page]; the entry's questions are questions/diary.toml's)."""
    for key, text in interface_texts().items():
        if key.startswith("diary.page."):
            yield text


def test_diary_page_texts_reading_grade_at_most_8():
    texts = list(diary_texts())
    assert len(texts) > 40
    grade = textstat.flesch_kincaid_grade(as_sentences(re.sub(r"\{[^}]*\}", "5", t) for t in texts))
    assert grade <= 8, grade


def test_diary_texts_name_no_published_scale_and_make_no_diagnosis():
    for text in diary_texts():
        assert not FORBIDDEN.search(text), text
        assert not re.search(r"\birls\b|rls-6|jhrlss|\basrs\b", text, re.I), text
        lowered = text.lower()
        assert lowered.count("diagnosis") == lowered.count("this is not a diagnosis"), text
