"""`rls-screen score` and `check-questions` through the command line's own entry point,
in this process (tests/cli_runner.py: a new interpreter per call would add only its
start-up); the bare command and one scoring run go through a real process."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import run_cli

from rls_screen.core.errors import show_name

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return run_cli(*args, stdin=stdin)


# --- score -----------------------------------------------------------------------------


def test_score_text_summary_of_classic_example():
    proc = run("score", str(EXAMPLES / "classic.json"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("Your restless legs summary")
    assert "match all four features" in proc.stdout
    assert "This is not a diagnosis" in proc.stdout


def test_score_in_a_real_process_prints_the_same():
    real = subprocess.run(
        [sys.executable, "-m", "rls_screen", "score", str(EXAMPLES / "classic.json")],
        capture_output=True,
        text=True,
    )
    proc = run("score", str(EXAMPLES / "classic.json"))
    assert real.returncode == 0, real.stderr
    assert real.stdout == proc.stdout and real.stderr == ""


def test_score_json_is_the_spec_object_and_byte_stable():
    proc = run("score", str(EXAMPLES / "classic.json"), "--format", "json")
    assert proc.returncode == 0
    result = json.loads(proc.stdout)
    assert list(result) == [
        "instrument",
        "instrument_version",
        "pattern",
        "essential_features",
        "lookalikes",
        "lookalikes_unclear",
        "course",
        "clinically_significant",
        "supportive_features",
        "contributing_factors",
        "augmentation_concern",
        "red_flags",
        "red_flags_unsure",
        "red_flags_unanswered",
        "urgency",
        "tests_to_discuss",
        "pediatric",
        "other_concerns",
        "diary",  # score's own key (docs/diary.md): null without --diary
    ]
    assert result == {
        "instrument": "rls-screen",
        "instrument_version": "3.0.0",
        "pattern": "all_features",
        "essential_features": {"urge": "met", "rest": "met", "movement": "met", "evening": "met"},
        "lookalikes": [],
        "lookalikes_unclear": [],
        "course": "chronic_persistent",
        "clinically_significant": True,
        "supportive_features": ["family_history"],
        "contributing_factors": ["iron_deficiency"],
        "augmentation_concern": False,
        "red_flags": [],
        "red_flags_unsure": [],
        "red_flags_unanswered": [],
        "urgency": "routine",
        "tests_to_discuss": ["ferritin", "full_blood_count", "transferrin_saturation"],
        "pediatric": False,
        "other_concerns": [],
        "diary": None,
    }
    assert run("score", str(EXAMPLES / "classic.json"), "--format", "json").stdout == proc.stdout


def test_lookalike_and_red_flag_examples():
    look = json.loads(run("score", str(EXAMPLES / "lookalike.json"), "-f", "json").stdout)
    assert look["pattern"] == "all_features_with_lookalikes"
    assert look["lookalikes"] == ["cramps", "neuropathy"]
    assert look["augmentation_concern"] is True
    flag = run("score", str(EXAMPLES / "red-flag.json"))
    assert flag.returncode == 0
    # Red flags come first, above everything else.
    assert flag.stdout.index("PLEASE ACT") < flag.stdout.index("What your answers show")


def test_score_markdown():
    proc = run("score", str(EXAMPLES / "lookalike.json"), "--format", "markdown")
    assert proc.stdout.startswith("# ")
    assert "\n## " in proc.stdout and "\n- **" in proc.stdout


def test_score_reads_stdin():
    text = (EXAMPLES / "classic.json").read_text()
    assert (
        run("score", "-", stdin=text).stdout == run("score", str(EXAMPLES / "classic.json")).stdout
    )


def test_score_output_file_is_private(tmp_path):
    out = tmp_path / "summary.md"
    proc = run("score", str(EXAMPLES / "classic.json"), "-f", "markdown", "-o", str(out))
    assert proc.returncode == 0 and proc.stdout == ""
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_text().startswith("# ")


def test_pediatric_note():
    proc = run("score", "-", stdin='{"answers": {"age_group": "under_18", "urge": "yes"}}')
    from rls_screen.core.bank import load_bank

    note = " ".join(load_bank().summary.pediatric.split())
    assert note[:50] in " ".join(proc.stdout.split())


# --- bad input: one line, exit 2, nothing on stdout -------------------------------------


BAD = [
    ("{", "not valid JSON"),
    ("", "empty"),
    ("[]", "JSON object"),
    ('{"answers": []}', "'answers' must be"),
    ("{}", "'answers' object is missing"),
    ('{"answers": {}, "extra": 1}', "unknown top-level key 'extra'"),
    ('{"instrument": "phq-9", "answers": {}}', "'instrument' is 'phq-9'"),
    ('{"instrument_version": "4.0.0", "answers": {}}', "instrument_version"),
    ('{"meta": 3, "answers": {}}', "'meta' must be"),
    ('{"answers": {"urgee": "yes"}}', "unknown item 'urgee'"),
    ('{"answers": {"urge": "maybe"}}', "allowed: yes, no, unsure"),
    ('{"answers": {"urge": ["yes"]}}', "item 'urge' takes one code"),
    ('{"answers": {"urge": 1}}', "item 'urge' takes one code"),
    ('{"answers": {"urge": null}}', "item 'urge' takes one code"),
    ('{"answers": {"sensations": "tingling"}}', "item 'sensations' takes a list"),
    ('{"answers": {"sensations": ["tingling", "tingling"]}}', "listed twice"),
    ('{"answers": {"sensations": ["none", "tingling"]}}', "'none' cannot be combined"),
    ('{"answers": {"sensations": ["zzz"]}}', "allowed: creeping_crawling"),
    ('{"answers": {"sensations": []}}', "the list is empty"),
]


@pytest.mark.parametrize(("content", "message"), BAD)
def test_bad_input_one_line_exit_2(tmp_path, content, message):
    path = tmp_path / "answers.json"
    path.write_text(content)
    proc = run("score", str(path))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1, proc.stderr
    assert show_name(str(path)) in proc.stderr  # long names are shortened
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


def test_binary_file(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    proc = run("score", str(path))
    assert (proc.returncode, proc.stdout) == (2, "")
    assert "not a text file" in proc.stderr and proc.stderr.count("\n") == 1


def test_not_utf8(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"answers": {"urge": "\xff"}}')
    proc = run("score", str(path))
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr


def test_missing_file_and_folder(tmp_path):
    proc = run("score", str(tmp_path / "nope.json"))
    assert proc.returncode == 2 and "no such file" in proc.stderr
    proc = run("score", str(tmp_path))
    assert proc.returncode == 2 and "is a folder" in proc.stderr


def test_unknown_option_is_one_line():
    proc = run("score", "--format", "pdf", str(EXAMPLES / "classic.json"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "pdf" in proc.stderr


def test_unwritable_output_writes_nothing(tmp_path):
    proc = run("score", str(EXAMPLES / "classic.json"), "-o", str(tmp_path / "none" / "x.txt"))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert not (tmp_path / "none").exists()


# --- help and version ----------------------------------------------------------------


def test_version_and_help():
    from rls_screen import __version__

    assert run("--version").stdout.strip() == f"rls-screen {__version__}"
    top = run("--help").stdout
    assert "This is not a diagnosis" in top and "score" in top and "check-questions" in top
    for command in ("score", "check-questions"):
        proc = run(command, "--help")
        assert proc.returncode == 0 and "usage: rls-screen " + command in proc.stdout


def test_bare_command_on_a_pipe_points_to_plain_mode():
    proc = subprocess.run(
        [sys.executable, "-m", "rls_screen"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and "--plain" in proc.stderr


# --- check-questions ------------------------------------------------------------------


def test_check_questions_ok():
    proc = run("check-questions", str(ROOT / "questions"))
    assert proc.returncode == 0 and "OK" in proc.stdout


def broken_bank(tmp_path: Path, edit) -> Path:
    copy = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", copy)
    edit(copy)
    return copy


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_check_questions_lists_every_problem(tmp_path):
    def edit(q: Path) -> None:
        replace(q / "core.toml", 'id = "rest"', 'id = "urge"')  # duplicate id
        replace(
            q / "core.toml",
            '{ question = "movement", answer = "no" }',
            '{ question = "movment", answer = "no" }',
        )  # unknown item
        replace(
            q / "core.toml",
            '{ question = "evening", answer = "all_day_now" }',
            '{ question = "evening", answer = "always" }',
        )  # unknown code
        replace(q / "summary.toml", "[factors.caffeine]", "[factors.coffee]")  # text missing

    proc = run("check-questions", str(broken_bank(tmp_path, edit)))
    assert proc.returncode == 2
    err = proc.stderr
    assert "core.toml: item 'urge': duplicate id" in err
    assert "unknown item 'movment'" in err
    assert "'always' is not a code of 'evening'" in err
    assert "[factors] has no text for 'caffeine'" in err
    assert "[factors] has 'coffee', which the rules never produce" in err
    assert "item 'rest' is missing (the rules read it)" in err
    assert "Traceback" not in err


def test_check_questions_reports_bad_toml_and_fields(tmp_path):
    def edit(q: Path) -> None:
        (q / "lookalikes.toml").write_text("[section\nid=")
        replace(q / "about.toml", 'kind = "single"', 'kind = "several"')

    proc = run("check-questions", str(broken_bank(tmp_path, edit)))
    assert proc.returncode == 2
    assert "lookalikes.toml: not valid TOML" in proc.stderr
    assert "about.toml: item 'respondent' kind:" in proc.stderr


def test_check_questions_condition_must_point_back(tmp_path):
    def edit(q: Path) -> None:
        # Ask the treatment section first, and make one of its items depend on a later one.
        replace(
            q / "instrument.toml",
            '"about", "safety", "core"',
            '"about", "treatment", "safety", "core"',
        )
        replace(q / "instrument.toml", '"contributing", "treatment"]', '"contributing"]')
        replace(
            q / "treatment.toml",
            '{ question = "rls_treatment", answer = "levodopa" }',
            '{ question = "movement", answer = "full" }',
        )

    proc = run("check-questions", str(broken_bank(tmp_path, edit)))
    assert proc.returncode == 2
    assert "enable_when names 'movement', which must come earlier" in proc.stderr


def test_check_questions_missing_folder(tmp_path):
    proc = run("check-questions", str(tmp_path / "nope"))
    assert proc.returncode == 2 and "not a folder" in proc.stderr


def test_a_bare_start_parses_as_the_full_parser_would():
    from rls_screen.cli import build_parser, parse_args

    assert parse_args([]) == build_parser().parse_args([])
    assert parse_args(["--no-autosave"]) == build_parser().parse_args(["--no-autosave"])


def test_a_command_line_that_names_a_command_parses_as_the_full_parser_would(tmp_path):
    from rls_screen.cli import build_parser, parse_args

    for argv in (
        ["diary"],
        ["diary", "--db", str(tmp_path / "d.sqlite3"), "--night", "2026-11-20"],
        ["diary", "add", "--night", "2026-11-20", "symptoms=yes"],
        ["check-questions", str(tmp_path)],
        ["score", "answers.json", "--format", "json"],
    ):
        assert parse_args(argv) == build_parser().parse_args(argv), argv


def test_a_command_mistyped_is_refused_as_by_the_full_parser(capsys):
    from rls_screen.cli import parse_args

    for argv in (["check_questions"], ["dairy"]):
        with pytest.raises(SystemExit) as exited:
            parse_args(argv)
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert "invalid choice" in err and "'diary'" in err and "'score'" in err, argv


def test_check_questions_checks_the_interface_texts(tmp_path):
    def edit(q: Path) -> None:
        (q / "interface" / "serve.toml").write_text("[page\ntitle=")  # not TOML
        replace(q / "interface" / "tui.toml", "{count}", "{number}")  # a field renamed
        with (q / "interface" / "plain.toml").open("a") as f:
            f.write('\nmade_up = "Hello"\n')  # a text no code shows

    proc = run("check-questions", str(broken_bank(tmp_path, edit)))
    assert proc.returncode == 2
    err = proc.stderr
    assert "serve.toml: not valid TOML" in err
    assert "tui.toml" in err and "the program fills in" in err and "{count}" in err
    assert "made_up' is not a text the program shows" in err
    assert "Traceback" not in err
    assert all(len(line) <= 220 for line in err.splitlines())


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["--region", "gı", "score", "examples/classic.json"], "--region"),
        (["--reg=DE", "score", "examples/classic.json"], "--region"),
        (["--plain", "batch", "examples/classic.json", "-o", "x.csv"], "--plain"),
        (["--no-autosave", "check-questions"], "--no-autosave"),
    ],
)
def test_a_questionnaire_option_before_a_command_is_one_line_not_ignored(argv, option):
    """argparse let the command's own default replace it: `--region gı score` scored with
    no word about the bad code, or about the option being dropped."""
    from cli_runner import run_cli

    proc = run_cli(*argv)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"rls-screen: {option} is an option of the questionnaire")
