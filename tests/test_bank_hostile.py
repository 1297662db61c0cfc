"""Hostile question banks (issue 19): every bank file is read with a bounded,
regular-file-only reader, and TOML that is too deep or holds a huge number is one line
naming the file, exit 2."""

from __future__ import annotations

import os
import resource
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run_cli
from installed_bank import installed, package_with

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"


def _bank(tmp_path: Path) -> Path:
    target = tmp_path / "bank"
    shutil.copytree(QUESTIONS, target)
    return target


def _limit_memory() -> None:
    # 1 GB of address space: a bank file read whole (4 GB) fails instead of passing.
    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


def _check(directory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", "check-questions", str(directory)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limit_memory,
    )


def _one_line_naming(result: subprocess.CompletedProcess[str], name: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if name in line]
    assert lines, result.stderr
    assert all(len(line) < 300 for line in result.stderr.splitlines())


def test_a_fifo_bank_file_is_refused_without_hanging(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    (bank / "crisis.toml").unlink()
    os.mkfifo(bank / "crisis.toml")
    _one_line_naming(_check(bank), "crisis.toml")


def test_a_folder_bank_file_names_the_file(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    (bank / "crisis.toml").unlink()
    (bank / "crisis.toml").mkdir()
    _one_line_naming(_check(bank), "crisis.toml")


def test_a_4gb_sparse_bank_file_is_not_read_whole(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    with open(bank / "crisis.toml", "r+b") as handle:
        handle.truncate(4 * 1024**3)
    _one_line_naming(_check(bank), "crisis.toml")


def test_a_device_as_instrument_toml_is_refused(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    (bank / "instrument.toml").unlink()
    (bank / "instrument.toml").symlink_to("/dev/zero")
    _one_line_naming(_check(bank), "instrument.toml")


def test_toml_nested_100000_deep_is_one_line(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    with open(bank / "instrument.toml", "a", encoding="utf-8") as handle:
        handle.write("\nzz = " + "[" * 100_000 + "]" * 100_000 + "\n")
    _one_line_naming(_check(bank), "instrument.toml")


def test_a_5000_digit_number_in_toml_is_one_line(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    with open(bank / "crisis.toml", "a", encoding="utf-8") as handle:
        handle.write("\nzz = " + "9" * 5000 + "\n")
    _one_line_naming(_check(bank), "crisis.toml")


def test_a_hostile_interface_text_file_names_the_file(tmp_path: Path) -> None:
    bank = _bank(tmp_path)
    name = sorted((bank / "interface").glob("*.toml"))[0]
    name.unlink()
    os.mkfifo(name)
    _one_line_naming(_check(bank), name.name)


def _with(bank: Path, name: str, old: str, new: str) -> None:
    path = bank / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_section_id_that_is_a_path_is_refused_before_any_file_is_opened(tmp_path):
    bank = _bank(tmp_path)
    _with(bank, "instrument.toml", '"core"', '"../../etc/passwd"')
    result = _check(bank)
    _one_line_naming(result, "instrument.toml")
    assert "should match pattern" in result.stderr


def test_a_nul_in_an_item_id_or_an_option_code_is_one_line_naming_the_file(tmp_path):
    bank = _bank(tmp_path)
    _with(bank, "core.toml", 'id = "urge"', 'id = "ur\\u0000ge"')
    _with(bank, "safety.toml", 'code = "yes"', 'code = "y/es"')
    result = _check(bank)
    _one_line_naming(result, "core.toml")
    _one_line_naming(result, "safety.toml")


def test_a_multi_item_with_48_options_is_refused_by_check_questions(tmp_path):
    bank = _bank(tmp_path)
    many = "".join(f'  {{ code = "o{n}", label = "Option {n}" }},\n' for n in range(48))
    _with(bank, "core.toml", '  { code = "legs", label = "Legs" },\n', many)
    result = _check(bank)
    _one_line_naming(result, "body_parts")
    assert "at most 12 options" in result.stderr


# --- what a bank that check-questions passes can do to the other commands --------------
# score, serve and batch read the installed bank (questions/ beside the package): these
# tests put a copy in its place for the length of one test (tests/installed_bank.py), and
# run the real entry point in this process (tests/cli_runner.py), so an exception would
# end the test.

EXAMPLE = QUESTIONS.parent / "examples" / "classic.json"


def _in_process(*args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args)


def _refused(result: subprocess.CompletedProcess[str], *names: str) -> None:
    """Exit 2 and one short line naming each of ``names`` (file, key), nothing else."""
    assert result.returncode == 2, (result.stdout[:200], result.stderr[:500])
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines[:5]
    assert all(name in lines[0] for name in names), lines[0]
    assert len(lines[0]) <= 200
    assert result.stdout == ""


def _checked_and_scored(bank: Path, *names: str) -> None:
    """check-questions refuses the bank, and so does score once it is installed."""
    _refused(_in_process("check-questions", str(bank)), *names)
    with installed(bank):
        _refused(_in_process("score", "--region", "GB", str(EXAMPLE)), *names)


def test_a_crisis_text_with_too_many_decimal_digits_is_refused_by_check_and_score(tmp_path):
    # Before: check-questions passed it, then score ended in "ValueError: Too many decimal
    # digits in format string" (a traceback) wherever the crisis words are filled in.
    bank = _bank(tmp_path)
    _with(bank, "crisis.toml", "call {emergency} now.", "call {emergency:.999999999f} now.")
    _checked_and_scored(bank, "crisis.toml", "emergency_first", "{emergency:.999999999f}")


def test_a_crisis_text_with_a_huge_pad_is_refused_by_check_and_score(tmp_path):
    # Before: score made a 100 MB line of spaces for every summary (221 MB of memory).
    bank = _bank(tmp_path)
    _with(bank, "crisis.toml", "{crisis_number}.", "{crisis_number:>99999999}.")
    _checked_and_scored(bank, "crisis.toml", "line", "{crisis_number:>99999999}")


def test_an_interface_text_with_a_huge_pad_is_refused_by_check_and_score(tmp_path):
    # Before: check-questions passed it (the field names were the shipped ones), and
    # score padded each "Ask:" line of the summary to 100 million characters.
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"Ask: {question}"', '"Ask: {question:>99999999}"')
    _checked_and_scored(bank, "reports.toml", "ask", "{question:>99999999}")


@pytest.mark.parametrize(
    "field",
    [
        "{question.__class__}",  # attribute access: the program's objects in the text
        "{question.__init__.__globals__}",
        "{question[0]}",  # index access
        "{question:{question}}",  # a nested field: a spec made from the value
        "{question!a}",  # conversions other than !r
        "{question!s}",
        "{}",  # positional fields, which the program never fills in
        "{0}",
        "{question:.999999999f}",
        "{question!r:>12}",
    ],
)
def test_what_else_str_format_can_do_is_refused_by_check_and_score(tmp_path, field):
    # Before: each kept the shipped field names, so check-questions passed it; score then
    # showed "<class 'str'>" or the module's globals, failed with a traceback, or padded.
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"Ask: {question}"', f'"Ask: {{question}} {field}"')
    _checked_and_scored(bank, "reports.toml", "ask", field[:20])


def test_batch_refuses_a_bank_with_a_bad_template_before_any_work(tmp_path):
    # Before: batch scored every record and wrote its output, then padded its last
    # line ("scored 1 of 1 record") to 100 million characters.
    bank = _bank(tmp_path)
    _with(bank, "interface/batch.toml", "{scored:,}", "{scored:>99999999}")
    with installed(bank):
        out = tmp_path / "out.csv"
        result = _in_process("batch", str(EXAMPLE), "-o", str(out))
        _refused(result, "batch.toml", "{scored:>99999999}")
        assert not out.exists()


def test_the_one_shipped_text_with_braces_of_its_own_shows_them(tmp_path):
    # commands.toml's batch help has a JSONL row in braces: written {{ and }}, as every
    # text is a template now; --help shows single braces.
    result = _in_process("batch", "--help")
    assert result.returncode == 0
    assert 'A JSONL row is {"source": ..., "line": ..., "id": ..., "result": {...}}.' in (
        result.stdout
    )


def test_a_lone_brace_in_a_text_the_program_fills_in_nothing_is_refused(tmp_path):
    # Every text is a template: a brace of its own must be written {{ or }}.
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"For me"', '"For me {"')
    _checked_and_scored(bank, "reports.toml", "audiences.patient", "brace")


def test_a_field_in_a_text_the_program_fills_in_nothing_is_refused_by_check(tmp_path):
    # Before: a text the program shows without fields was not compared.
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"For me"', '"For {name}"')
    result = _in_process("check-questions", str(bank))
    _refused(result, "reports.toml", "audiences.patient", "no field")


# --- sizes -------------------------------------------------------------------------------
# The bounds are named constants (core/bank.py, core/reading.py), well above the shipped
# bank; each bank past one is one line naming the file and the key.


def _append(bank: Path, name: str, text: str) -> None:
    with open(bank / name, "a", encoding="utf-8") as handle:
        handle.write(text)


def test_more_than_50_sections_is_one_line_and_no_section_file_is_opened(tmp_path):
    # Before: one "file is missing" line for each of the 60 sections named.
    bank = _bank(tmp_path)
    names = ", ".join(f'"s{n}"' for n in range(60))
    _with(bank, "instrument.toml", '"about", ', f'"about", {names}, ')
    _refused(_in_process("check-questions", str(bank)), "instrument.toml", "at most 50 sections")


def _items(count: int, prefix: str = "q") -> str:
    return "".join(
        f'\n[[items]]\nid = "{prefix}{n}"\nkind = "single"\ntext = "Q"\nhint = "H"\nhelp = "E"\n'
        'options = [{ code = "yes", label = "Yes" }]\n'
        'for_person = { text = "Q", hint = "H", help = "E" }\n'
        for n in range(count)
    )


def test_more_than_500_questions_in_all_is_one_line(tmp_path):
    # Before: passed; every face then drew and walked 540 questions.
    bank = _bank(tmp_path)
    _append(bank, "core.toml", _items(240, "a"))
    _append(bank, "treatment.toml", _items(240, "b"))
    _refused(_in_process("check-questions", str(bank)), "at most 500 questions")


def test_a_single_choice_question_with_51_options_is_one_line(tmp_path):
    # Before: passed.
    bank = _bank(tmp_path)
    many = "".join(f'  {{ code = "o{n}", label = "Option {n}" }},\n' for n in range(51))
    first = '  { code = "under_18", label = "Under 18" },\n'
    _with(bank, "about.toml", first, first + many)
    result = _in_process("check-questions", str(bank))
    _refused(result, "about.toml", "age_group", "at most 50 options")


def test_a_text_of_more_than_10000_characters_is_refused_by_check_and_score(tmp_path):
    # Before: passed, and every summary began with it.
    bank = _bank(tmp_path)
    _with(bank, "summary.toml", 'disclaimer = "This', f'disclaimer = "{"long " * 2001}This')
    _checked_and_scored(bank, "summary.toml", "disclaimer", "at most 10,000 characters")


def test_an_interface_text_of_more_than_10000_characters_is_one_line(tmp_path):
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"For me"', f'"{"me " * 3400}"')
    _checked_and_scored(bank, "reports.toml", "audiences.patient", "at most 10,000 characters")


def _one_about(result: subprocess.CompletedProcess[str], file: str, *names: str) -> None:
    """Exit 2 and one short line about ``file``, naming ``names``. (The other lines say
    what the rest of the bank misses once that file is refused.)"""
    assert result.returncode == 2, result.stdout
    lines = [line for line in result.stderr.splitlines() if f"{file}:" in line]
    assert len(lines) == 1, lines[:5]
    assert all(name in lines[0] for name in names), lines[0]
    assert all(len(line) <= 200 for line in result.stderr.splitlines())


def _labels(keys: list[str]) -> str:
    rows = "".join(f'{key} = "a label"\n' for key in keys)
    # The last item's for_person table is already there: its labels are added.
    return f"\n[items.for_person.labels]\n{rows}"


def test_a_table_of_more_than_500_keys_is_one_line(tmp_path):
    # Before: passed (labels by code are not compared with the item's codes).
    bank = _bank(tmp_path)
    _append(bank, "safety.toml", _labels([f"k{n}" for n in range(501)]))
    result = _in_process("check-questions", str(bank))
    _one_about(result, "safety.toml", "items['", "'].for_person.labels", "at most 500 keys")


def test_a_key_of_more_than_100_characters_is_one_line(tmp_path):
    bank = _bank(tmp_path)
    _append(bank, "safety.toml", _labels(["k" * 150]))
    result = _in_process("check-questions", str(bank))
    _one_about(result, "safety.toml", "for_person.labels", "at most 100 characters")


def test_a_list_of_more_than_500_entries_is_one_line(tmp_path):
    # Before: passed, and the welcome screen listed 501 points.
    bank = _bank(tmp_path)
    points = "".join(f'  "Point {n}",\n' for n in range(501))
    _with(bank, "instrument.toml", "points = [\n", f"points = [\n{points}")
    result = _in_process("check-questions", str(bank))
    _refused(result, "instrument.toml", "welcome.points", "at most 500 entries")


@pytest.mark.parametrize("log_line", ["%(message)999999999s", "%(user)s: %(message)s", "none"])
def test_serve_log_line_holds_message_and_no_other_percent_field(tmp_path, log_line):
    # serve's log_line is also a format of Python's logging. Before: check-questions
    # passed each, and serve padded every log line to a gigabyte, ended at its start
    # (a name logging lacks), or logged the same words for every warning.
    bank = _bank(tmp_path)
    _with(bank, "interface/serve.toml", '"rls-screen serve: %(message)s"', f'"{log_line}"')
    _refused(_in_process("check-questions", str(bank)), "serve.toml", "terminal.log_line")


@pytest.mark.parametrize("label", ["Start [/]", "Start [/b]", "[@click=app.quit]Start[/]"])
def test_markup_in_a_text_of_the_terminal_app_is_refused(tmp_path, label):
    # Before: check-questions passed "Start [/]", and the questionnaire ended at its
    # first screen with Textual's crash report (MarkupError: auto closing tag ('[/]') has
    # nothing to close); [@click=...] made the button's words run an action.
    bank = _bank(tmp_path)
    _with(bank, "interface/tui.toml", 'start = "Start"', f'start = "{label}"')
    _refused(_in_process("check-questions", str(bank)), "tui.toml", "welcome.start", "'['")
    with installed(bank):
        # No terminal here, so the questionnaire would stop anyway: it stops first on
        # its own words, in one line, before any screen is made.
        result = _in_process()
        _refused(result, "tui.toml", "welcome.start", "'['")


@pytest.mark.parametrize("help_text", ["the summary for 100% of a file", "%(prog)999999999s"])
def test_a_percent_in_the_command_lines_help_is_refused(tmp_path, help_text):
    # argparse fills in each option's help with "%". Before: check-questions passed
    # "100% of", and 'rls-screen --help' ended in "TypeError: %o format: an integer is
    # required, not dict" (a traceback).
    bank = _bank(tmp_path)
    old = '"print the summary for a saved answer file"'
    _with(bank, "interface/commands.toml", old, f'"{help_text}"')
    _refused(_in_process("check-questions", str(bank)), "commands.toml", "score.help", "'%%'")
    with installed(bank):
        _refused(_in_process("--help"), "commands.toml", "score.help", "'%%'")


def test_a_spec_for_numbers_on_a_field_the_program_fills_with_words_shows_the_words(tmp_path):
    # The specs are allowed on any field: the bank cannot know which the program fills
    # with a number. Before: score stopped at the first "Ask:" line (exit 2, "cannot fill
    # in the text (Cannot specify ',' with 's.')"); now the words are shown as they are.
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"Ask: {question}"', '"Ask: {question:,}"')
    assert _in_process("check-questions", str(bank)).returncode == 0
    with installed(bank):
        result = _in_process("score", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    shipped = _in_process("score", str(EXAMPLE))
    assert result.stdout == shipped.stdout and "Ask: " in result.stdout


def test_serve_refuses_a_bank_with_a_bad_template_before_it_listens(tmp_path):
    # Before: serve listened as if all was well, and each browser tab's questionnaire
    # ended in a crash report once the bank was read.
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"Ask: {question}"', '"Ask: {question:>99999999}"')
    where = package_with(tmp_path / "installed", bank)
    with socket.socket() as probe:  # a free port: on main, serve listened on it
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    result = subprocess.run(
        [sys.executable, "-m", "rls_screen", "serve", "--port", port],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=30,
    )
    _refused(result, "reports.toml", "ask", "{question:>99999999}")


def test_the_kiosk_refuses_a_broken_bank_at_its_start(tmp_path):
    # Before: the kiosk came up (here: stopped for want of a terminal), and a broken
    # text ended it later, in the middle of a patient's walk.
    bank = _bank(tmp_path)
    _with(bank, "interface/reports.toml", '"Ask: {question}"', '"Ask: {question!s}"')
    with installed(bank):
        result = _in_process("kiosk", "--save-dir", str(tmp_path / "records"))
    _refused(result, "reports.toml", "ask", "{question!s}")
