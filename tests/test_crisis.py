"""Crisis support by region: the right number for where the person is, a safe wording
where we have none, and a loud failure when the data file is broken."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import textstat

from rls_screen.core.crisis import (
    COUNTRY_CODES,
    FILE_NAME,
    CrisisSupport,
    crisis_problems,
    crisis_support,
    load_crisis,
    normalise_region,
    region_from_locale,
    resolve_region,
)
from rls_screen.core.errors import BankError, InputError
from rls_screen.core.locations import default_questions_dir
from rls_screen.core.texts import ui

REQUIRED = ("US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "ES")
# The numbers people will dial: a typo here is the worst bug this file can have.
EXPECTED = {
    "US": ("911", "988"),
    "CA": ("911", "988"),
    "GB": ("999", "116 123"),
    "IE": ("112 or 999", "116 123"),
    "AU": ("000", "13 11 14"),
    "NZ": ("111", "1737"),
    "DE": ("112", "0800 111 0 111"),
    "FR": ("112 or 15", "3114"),
    "ES": ("112", "024"),
}


def as_sentences(texts: list[str]) -> str:
    """Join texts as sentences, as tests/test_language.py does for the bank."""
    return " ".join(text if text.endswith((".", "?", "!")) else text + "." for text in texts)


def all_supports() -> list[CrisisSupport]:
    """Every region's texts (and the generic ones), as the person reads them and as a
    parent or carer answering for a child or for an adult does (v3, [for_person])."""
    persons = (None, ui("reports.person.child"), ui("reports.person.adult"))
    return [crisis_support(code, person=p) for code in (*REQUIRED, None) for p in persons]


def texts_of(support: CrisisSupport) -> list[str]:
    return [
        support.emergency_first,
        support.line,
        support.trust,
        support.gentle,
        support.if_changes,
    ]


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A copy of the question folder whose crisis.toml a test may break."""
    folder = tmp_path / "questions"
    shutil.copytree(default_questions_dir(), folder)
    return folder


def break_file(folder: Path, old: str, new: str) -> Path:
    path = folder / FILE_NAME
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- the data --------------------------------------------------------------------------


def test_all_assigned_country_codes_are_listed():
    assert len(COUNTRY_CODES) == 249
    assert {"GB", "US", "DE", "BR", "AX", "SS"} <= COUNTRY_CODES
    assert not {"UK", "EU", "XK", "XX", "ZZ"} & COUNTRY_CODES


def test_the_shipped_file_has_no_problems():
    assert crisis_problems() == []


@pytest.mark.parametrize("code", REQUIRED)
def test_every_required_region_has_a_number_and_a_source(code):
    entry = load_crisis().regions[code]
    emergency, number = EXPECTED[code]
    assert entry["emergency"] == emergency
    assert entry["crisis_number"] == number
    assert entry["source"].startswith("https://")
    assert entry["checked"] == "2026-11-23"
    support = crisis_support(code)
    assert support.region == code
    assert emergency in support.emergency_first
    assert number in support.line and number in support.gentle
    assert support.source == entry["source"]


# --- the region ------------------------------------------------------------------------


def test_a_british_locale_gives_samaritans_and_999():
    region = resolve_region(None, {"LANG": "en_GB.UTF-8"})
    assert region == "GB"
    support = crisis_support(region)
    assert "116 123" in support.line
    assert "999" in support.emergency_first


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en_GB.UTF-8", "GB"),
        ("de_DE@euro", "DE"),
        ("fr_CA", "CA"),
        ("en_us.utf8", "US"),
        ("C", None),
        ("POSIX", None),
        ("C.UTF-8", None),
        ("en", None),
        ("en_XX.UTF-8", None),
        ("en_GB\n", None),
        ("_GB", None),
        ("en_GBR", None),
    ],
)
def test_region_from_locale(value, expected):
    assert region_from_locale({"LANG": value}) == expected


def test_lc_all_beats_lc_messages_beats_lang():
    env = {"LC_ALL": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}
    assert region_from_locale(env) == "DE"
    assert region_from_locale({**env, "LC_ALL": ""}) == "FR"
    assert region_from_locale({"LC_MESSAGES": "", "LANG": "en_GB.UTF-8"}) == "GB"
    # The first one set wins, even when it names no territory.
    assert region_from_locale({"LC_ALL": "C.UTF-8", "LANG": "en_GB.UTF-8"}) is None
    assert region_from_locale({}) is None


def test_the_option_beats_the_locale():
    assert resolve_region("gb", {"LANG": "de_DE.UTF-8"}) == "GB"
    assert resolve_region(" us ", {}) == "US"
    assert resolve_region(None, {"LANG": "de_DE.UTF-8"}) == "DE"


def test_resolve_region_reads_the_environment_by_default(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_NZ.UTF-8")
    assert resolve_region(None) == "NZ"


@pytest.mark.parametrize(
    "value", ["XX", "", "G\nB", "gı", "GBR", "\x1b[31mGB", "G" * 500, "gb\r\n--region US"]
)
def test_a_bad_region_is_one_short_safe_line(value):
    with pytest.raises(InputError) as caught:
        normalise_region(value)
    message = str(caught.value)
    assert message.startswith("--region ")
    assert "not a country code" in message and "US, GB or DE" in message
    assert "\n" not in message and "\r" not in message and "\x1b" not in message
    assert len(message) < 200


def test_uk_means_gb_and_is_trimmed():
    assert normalise_region(" uk ") == "GB"
    assert normalise_region("UK") == "GB"


def test_a_letter_that_upper_cases_to_ascii_is_not_a_country_on_the_command_line():
    # "gı" (a dotless i) upper-cases to "GI", Gibraltar: it was taken for a country.
    from cli_runner import run_cli

    done = run_cli("score", "--region", "gı", "examples/classic.json")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "not a country code" in done.stderr
    assert done.stdout == ""


def test_a_long_bad_region_is_cut():
    with pytest.raises(InputError, match="…"):
        normalise_region("A" * 50)


# --- the wording -----------------------------------------------------------------------


@pytest.mark.parametrize("region", ["BR", None, "", "zz"])
def test_a_region_without_an_entry_gets_generic_wording_without_numbers(region):
    support = crisis_support(region)
    assert support.region is None
    assert support.emergency == "your local emergency number"
    assert "your local emergency number" in support.emergency_first
    assert "helpline" in support.line
    for text in texts_of(support):
        assert not re.search(r"\d", text), text
        assert "{" not in text and "}" not in text, text


def test_every_text_is_a_finished_sentence():
    for support in all_supports():
        for text in texts_of(support):
            assert "{" not in text and "}" not in text, text
            assert text[0].isupper() and text.endswith("."), text
            assert "  " not in text and " ." not in text and ",," not in text, text


def test_crisis_texts_reading_grade_at_most_8():
    texts = [text for support in all_supports() for text in texts_of(support)]
    grade = textstat.flesch_kincaid_grade(as_sentences(texts))
    assert grade <= 8, grade


FORBIDDEN = re.compile(
    r"diagnos|you have|you do not have|you don't have|medicin|medicat|\bpills?\b|tablets?|"
    r"\bdoses?\b|\bmg\b|\bdrugs?\b",
    re.I,
)


def test_no_diagnosis_or_medicine_advice():
    for support in all_supports():
        for text in texts_of(support):
            assert not FORBIDDEN.search(text), text


# --- a broken file ---------------------------------------------------------------------


def test_a_missing_field_names_the_file_table_and_key(bank_copy):
    path = break_file(bank_copy, 'crisis_number = "116 123"\n', "")
    with pytest.raises(BankError) as caught:
        load_crisis(bank_copy)
    assert caught.value.problems == [f"{path}: [GB] crisis_number is missing"]


def test_an_unassigned_region_is_named(bank_copy):
    path = break_file(bank_copy, "[ES]", "[ZZ]")
    problems = crisis_problems(bank_copy)
    assert len(problems) == 1
    assert str(path) in problems[0] and "[ZZ]" in problems[0]


def test_an_unknown_placeholder_is_named(bank_copy):
    path = break_file(bank_copy, "call {emergency} now", "call {doctor} now")
    problems = crisis_problems(bank_copy)
    assert problems == [f"{path}: [texts] emergency_first uses unknown placeholder {{doctor}}"]


def test_a_generic_template_cannot_use_a_number(bank_copy):
    break_file(bank_copy, "You can {crisis_how} {crisis_name}.", "Call {crisis_number}.")
    problems = crisis_problems(bank_copy)
    assert len(problems) == 1 and "generic_line" in problems[0] and "crisis_number" in problems[0]


def test_a_number_in_the_generic_wording_is_a_problem(bank_copy):
    break_file(bank_copy, 'emergency = "your local emergency number"', 'emergency = "112"')
    problems = crisis_problems(bank_copy)
    assert len(problems) == 1 and "[generic] emergency" in problems[0]


def test_every_problem_is_listed_at_once(bank_copy):
    break_file(bank_copy, 'crisis_number = "116 123"\n', "")
    break_file(bank_copy, "[ES]", "[ZZ]")
    break_file(bank_copy, "{emergency} now", "{doctor} now")
    break_file(bank_copy, 'checked = "2026-11-23"', 'checked = "soon"')
    assert len(crisis_problems(bank_copy)) == 4


@pytest.mark.parametrize("table", ["[generic]", "[texts]"])
def test_a_missing_table_is_named(bank_copy, table):
    path = break_file(bank_copy, f"\n{table}\n", "\n[unused]\n")
    problems = crisis_problems(bank_copy)
    assert f"{path}: {table} table is missing" in problems


def test_a_missing_or_broken_file_is_a_bank_error(bank_copy):
    path = bank_copy / FILE_NAME
    path.write_text("[GB\n", encoding="utf-8")
    assert crisis_problems(bank_copy)[0].startswith(f"{path}: not valid TOML")
    path.unlink()
    other = bank_copy.parent / "other"
    shutil.copytree(bank_copy, other)
    assert crisis_problems(other) == [f"{other / FILE_NAME}: file is missing"]


def test_loading_is_cached():
    assert load_crisis() is load_crisis()


@pytest.mark.parametrize("region", ["US", "CA"])
@pytest.mark.parametrize(
    "answers",
    [
        {"mood": "yes", "safe_now": "safe"},
        {"mood": "yes", "safe_now": "not_safe"},
        {"mood": "yes", "safe_now": "unsure"},
        {"mood": "yes"},
        {"mood": "prefer_not"},
    ],
)
def test_988_is_read_wherever_the_us_and_canadian_lines_are_shown(region, answers):
    # The lines' names lost "988" (so that it is not said twice); the number must still
    # be on every page a person or a clinician reads, next to the line.
    from rls_screen.core.bank import load_bank
    from rls_screen.reports.clinician import clinician_text
    from rls_screen.reports.summary import summary_text

    bank = load_bank()
    summary = " ".join(summary_text(bank, answers, region).split())
    assert re.search(r"(Lifeline|Helpline)\b[^.]*\b988\b", summary), summary
    clinician = " ".join(clinician_text(bank, answers, region=region).split())
    assert "988" in clinician
