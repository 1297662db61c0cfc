"""The clinician summary (`score --audience clinician`, and "For my doctor" when saving):
the criteria with the answers behind them, the findings, then every answer, in text,
Markdown and HTML."""

from __future__ import annotations

import json
import re
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from test_html import EXAMPLES, parse, score, visible_text
from test_language import FORBIDDEN
from test_tui import complete_answers, open_summary, wait_for, wait_screen

from rls_screen.core import engine, vocab
from rls_screen.core.answers import dumps_document
from rls_screen.reports.clinician import load_clinician_texts
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.save import SaveDialog
from rls_screen.tui.screens.summary import SummaryScreen

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("text", "markdown", "html")

# One answer file that gives each feature a different status, with answers to items that
# are hidden (urge = no hides sensations and body_parts; evening = yes hides evening_past).
MIXED = {
    "urge": "no",
    "sensations": ["tingling"],
    "body_parts": ["arms"],
    "movement": "no",
    "movement_past": "no",
    "evening": "yes",
    "evening_past": "no",
    "frequency": "4_plus_per_week",
    "lifetime_episodes": "yes",
    "iron_low": "yes",
}
HIDDEN = ("sensations", "body_parts", "evening_past", "lifetime_episodes")


@pytest.fixture(scope="module")
def texts():
    return load_clinician_texts()


@pytest.fixture
def mixed(tmp_path) -> Path:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps({"answers": MIXED}))
    return path


def all_inputs(tmp_path: Path) -> list[Path]:
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps({"answers": MIXED}))
    return [*EXAMPLES, path]


def clinician(path: Path, fmt: str = "text") -> str:
    return score(path, "--audience", "clinician", "--format", fmt)


def answers_of(path: Path) -> dict:
    return json.loads(path.read_text())["answers"]


def asked(bank, item_id: str, answers: dict):
    """The item as the person answering read it (a parent's wording for a child)."""
    return bank.items[item_id].worded(answers.get("respondent"))


def label(bank, item_id: str, answer, answers: dict | None = None) -> str:
    item = asked(bank, item_id, answers or {})
    if item.kind == "text":  # the person's own words, quoted (tables keep one line)
        return f"\u201c{' '.join(answer.split())}\u201d"
    codes = [answer] if isinstance(answer, str) else answer
    return "; ".join(item.label(c) for c in item.codes if c in codes)


def md_unescape(cell: str) -> str:
    return re.sub(r"\\(.)", r"\1", cell.strip())


# --- reading the three formats back ----------------------------------------------------


def text_tables(text: str) -> list[tuple[list[tuple[int, int]], list[str]]]:
    """Each aligned table of a text page: its column spans and its lines (header first)."""
    lines = text.splitlines()
    tables = []
    for i, line in enumerate(lines):
        if re.fullmatch(r"-+( {2}-+)+", line):
            spans = [m.span() for m in re.finditer(r"-+", line)]
            body = [lines[i - 1]]
            for row in lines[i + 1 :]:
                if not row.strip():
                    break
                body.append(row)
            tables.append((spans, body))
    return tables


def column(spans, lines, index: int) -> str:
    start = spans[index][0]
    end = spans[index + 1][0] if index + 1 < len(spans) else None
    return " ".join(" ".join(line[start:end] for line in lines).split())


def criteria_statuses(page: str, fmt: str, texts) -> dict[str, str]:
    """feature -> the status label shown in the criteria table."""
    out = {}
    if fmt == "text":
        spans, lines = text_tables(page)[0]
        for line in lines[1:]:
            for feature in vocab.FEATURES:
                if line.startswith(texts.criteria[feature][:20]):
                    out[feature] = line[spans[1][0] : spans[2][0]].strip()
    elif fmt == "markdown":
        for line in page.splitlines():
            cells = line.strip("|").split(" | ")
            for feature in vocab.FEATURES:
                if len(cells) == 3 and md_unescape(cells[0]) == texts.criteria[feature]:
                    out[feature] = md_unescape(cells[1]).strip("*")
    else:
        for feature in vocab.FEATURES:
            row = parse(page).find("tr", f"criterion-{feature}")
            out[feature] = row.find("td", "status").text()
    return out


def text_answer_tables(page: str) -> dict[str, tuple[str, str]]:
    """section title -> (its questions, its answers), each column read top to bottom, from
    the "every answer" tables of a text page (the title heads the question column)."""
    tail = page[page.index("Every answer\n====") :]
    return {
        column(spans, lines[:1], 0): (column(spans, lines[1:], 0), column(spans, lines[1:], 1))
        for spans, lines in text_tables(tail)
    }


def answer_rows(page: str, fmt: str) -> list[tuple[str, str]]:
    """(question, answer) rows of the "every answer" tables."""
    if fmt == "markdown":
        tail = page[page.index("## Every answer") :]
        rows = []
        for line in tail.splitlines():
            cells = line.strip("|").split(" | ")
            if line.startswith("| ") and len(cells) == 2 and cells[0].strip() != "---":
                rows.append((md_unescape(cells[0]), md_unescape(cells[1]).strip("*")))
        return [r for r in rows if r != ("Question", "Answer")]
    section = parse(page).find("section", "answers")
    return [
        (tr.find_all("td")[0].text(), tr.find_all("td")[1].text())
        for tr in section.find_all("tr")
        if tr.find_all("td")
    ]


# --- the criteria table ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_criteria_table_shows_the_status_of_each_feature(tmp_path, fmt, texts):
    seen = set()
    for path in all_inputs(tmp_path):
        result = json.loads(score(path, "--format", "json"))
        expected = {f: texts.status[s] for f, s in result["essential_features"].items()}
        assert criteria_statuses(clinician(path, fmt), fmt, texts) == expected, path.name
        seen.update(result["essential_features"].values())
    assert seen == set(vocab.FEATURE_STATUSES)  # every status was shown at least once


def test_criteria_table_shows_the_answers_behind_each_feature(bank, mixed):
    row_of = {
        tr.attrs["class"].removeprefix("criterion-"): tr
        for tr in parse(clinician(mixed, "html")).find_all("tr")
        if "criterion-" in (tr.attrs.get("class") or "")
    }
    evidence = {f: row.find_all("td")[1].text() for f, row in row_of.items()}
    movement = bank.items["movement"]
    assert f"{movement.text} {movement.label('no')}" in evidence["movement"]
    past = bank.items["movement_past"]
    assert f"{past.text} {past.label('no')}" in evidence["movement"]
    assert bank.items["urge"].text in evidence["urge"]
    # Hidden items are not evidence: urge = no hides sensations; evening = yes hides
    # evening_past.
    assert bank.items["sensations"].text not in evidence["urge"]
    assert bank.items["evening_past"].text not in evidence["evening"]
    assert "Not answered" in evidence["rest"]


def test_json_is_the_result_object_whatever_the_audience_and_the_pages_are_not(bank, mixed):
    # As `score --help` says of json: the result object, so --audience is ignored there;
    # for the pages it chooses the doctor's page.
    result = {**engine.score(bank, MIXED).model_dump(mode="json"), "diary": None}
    for audience in ("patient", "clinician"):
        assert json.loads(score(mixed, "-f", "json", "-a", audience)) == result
    for fmt in FORMATS:
        assert clinician(mixed, fmt) != score(mixed, "-f", fmt), fmt


def test_lookalikes_course_and_tests_from_the_result(bank, texts):
    path = ROOT / "examples" / "lookalike.json"
    result = json.loads(score(path, "--format", "json"))
    page = parse(clinician(path, "html"))
    mimics = page.find("section", "part-lookalikes").text()
    for flag in result["lookalikes"]:
        assert texts.lookalikes[flag] in mimics
        item = next(i for i, f in vocab.LOOKALIKE_ITEMS.items() if f == flag)
        assert f"{bank.items[item].text} Yes" in mimics
    assert result["course"] == "undetermined"
    assert texts.course["undetermined"] in page.find("section", "part-course").text()
    shown_tests = [li.children[0] for li in page.find("section", "part-tests").find_all("li")]
    assert sorted(shown_tests) == sorted(texts.tests[t] for t in result["tests_to_discuss"])
    augmentation = page.find("section", "part-augmentation").text()
    assert result["augmentation_concern"] and texts.augmentation.concern in augmentation


# --- every answer ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "html"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_answer_is_shown_with_its_question(bank, example, fmt):
    rows = answer_rows(clinician(example, fmt), fmt)
    answers = answers_of(example)
    for item_id, answer in answers.items():
        shown = (asked(bank, item_id, answers).text, label(bank, item_id, answer, answers))
        assert shown in rows, item_id


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_answer_in_text_sits_in_its_section_table(bank, example):
    tables = text_answer_tables(clinician(example))
    given = answers_of(example)
    for item_id, answer in given.items():
        questions, answers = tables[bank.section_of[item_id].title]
        assert asked(bank, item_id, given).text in questions, item_id
        assert label(bank, item_id, answer, given) in answers, item_id


@pytest.mark.parametrize("fmt", FORMATS)
def test_hidden_answers_are_not_shown_and_unanswered_ones_say_so(bank, mixed, fmt, texts):
    page = clinician(mixed, fmt)
    if fmt == "html":
        shown = " ".join(visible_text(parse(page)))
    else:  # read wrapped table cells column by column too
        columns = [column(s, lines, i) for s, lines in text_tables(page) for i in range(len(s))]
        shown = " ".join([" ".join(page.split()), *columns])
    for item_id in HIDDEN:
        assert md_unescape(bank.items[item_id].text) not in shown.replace("\\", ""), item_id
    assert "Tingling or fizzing" not in shown
    if fmt != "text":
        rows = dict(answer_rows(page, fmt))
        assert rows[bank.items["rest"].text] == texts.labels.unanswered
        assert rows[bank.items["movement_past"].text] == bank.items["movement_past"].label("no")


# --- text layout and language ----------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_text_fits_100_columns_and_tables_line_up(example):
    page = clinician(example)
    assert max(len(line) for line in page.splitlines()) <= 100
    tables = text_tables(page)
    assert len(tables) >= 2
    for spans, lines in tables:
        gaps = [end for _start, end in spans[:-1]]
        for line in lines:
            for gap in gaps:  # the two spaces between columns are never written over
                assert line[gap : gap + 2].strip() == "", line


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_safe_language(example, fmt):
    page = clinician(example, fmt)
    texts = visible_text(parse(page)) if fmt == "html" else page.splitlines()
    whole = " ".join(texts)
    assert "This is not a diagnosis" in whole
    for text in texts:
        assert not FORBIDDEN.search(text), text
        lowered = text.lower()
        assert lowered.count("diagnosis") == lowered.count("this is not a diagnosis"), text


def test_clinician_texts_give_no_medicine_advice(texts):
    advice = re.compile(
        r"\b(stop|start|increase|reduce|decrease|switch|taper|discontinue|prescribe|"
        r"avoid|dose|dosing)\b",
        re.I,
    )

    def walk(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from walk(value)

    for text in walk(texts.model_dump()):
        assert not advice.search(text), text
        assert not FORBIDDEN.search(text), text


# --- check-questions -------------------------------------------------------------------


def check(tmp_path: Path, edit) -> subprocess.CompletedProcess:
    copy = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", copy)
    edit(copy / "clinician.toml")
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", "check-questions", str(copy)],
        capture_output=True,
        text=True,
    )


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_check_questions_names_file_and_key_of_a_broken_clinician_toml(tmp_path):
    def edit(path: Path) -> None:
        replace(path, 'criteria = "Essential', 'criterias = "Essential')
        replace(path, "caffeine = ", "coffee = ")

    proc = check(tmp_path, edit)
    assert proc.returncode == 2
    assert "clinician.toml: headings criteria: Field required" in proc.stderr
    assert "clinician.toml: headings criterias: Extra inputs are not permitted" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_questions_lists_missing_and_unknown_clinician_keys(tmp_path):
    def edit(path: Path) -> None:
        replace(path, "caffeine = ", "coffee = ")
        replace(path, "This is not a diagnosis.", "")

    proc = check(tmp_path, edit)
    assert proc.returncode == 2
    err = proc.stderr
    assert "clinician.toml: [factors] has no text for 'caffeine'" in err
    assert "clinician.toml: [factors] has 'coffee', which the rules never produce" in err
    assert 'clinician.toml: notice must say "This is not a diagnosis"' in err


def test_check_questions_reports_bad_clinician_toml_with_other_problems(tmp_path):
    def edit(path: Path) -> None:
        path.write_text("title = [")
        replace(path.parent / "summary.toml", "[factors.caffeine]", "[factors.coffee]")

    proc = check(tmp_path, edit)
    assert proc.returncode == 2
    assert "clinician.toml: not valid TOML" in proc.stderr
    assert "summary.toml: [factors] has no text for 'caffeine'" in proc.stderr


def test_check_questions_reports_a_missing_clinician_toml(tmp_path):
    proc = check(tmp_path, lambda path: path.unlink())
    assert proc.returncode == 2 and "clinician.toml: file is missing" in proc.stderr


# --- saving from the app ---------------------------------------------------------------


async def test_save_clinician_page_from_the_dialog_with_keys_only(bank, tmp_path, texts):
    answers = complete_answers(bank)
    app = make_app(answers=answers, autosave=False, draft_dir=tmp_path / "d", save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, answers)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        dialog = app.screen
        path_input = dialog.query_one("#path")
        await wait_for(pilot, lambda: dialog.query_one("#choices").has_focus, "the list")
        await pilot.press("down", "down")  # the page to print, for my doctor
        await wait_for(pilot, lambda: path_input.value.endswith(".html"), "html name")
        expected = f"rls-screen-clinician-summary-{date.today().isoformat()}.html"
        assert dialog.chosen_path() == tmp_path / expected
        # Everything, the Save button too, is on the 80x24 screen.
        for widget in dialog.query("OptionList, Input, Button"):
            assert widget.region.bottom <= 24 and widget.region.right <= 80
        await pilot.press("enter")  # save, from the list
        await wait_screen(pilot, SummaryScreen)
    written = tmp_path / expected
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    page = written.read_text()
    statuses = criteria_statuses(page, "html", texts)
    assert statuses == dict.fromkeys(vocab.FEATURES, texts.status["met"])
    path = tmp_path / "answers.json"
    path.write_text(dumps_document(answers, bank))
    # The same page the command line makes, under a header of its own (when, which file).
    assert page.index(f"File: {expected}") < page.index("<h1>")
    cli = clinician(path, "html")
    assert page.split("<h1>", 1)[1] == cli.split("<h1>", 1)[1]


async def test_answer_file_has_no_audience(bank, tmp_path):
    app = make_app(
        answers=complete_answers(bank),
        autosave=False,
        draft_dir=tmp_path / "d",
        save_folder=tmp_path,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        dialog = app.screen
        # One line for the answer file: who it is for does not apply.
        choices = dialog.query_one("#choices")
        prompts = [str(choices.get_option_at_index(i).prompt) for i in range(7)]
        assert len([p for p in prompts if ".json" in p]) == 1
        dialog.choose("answers", "clinician")
        await pilot.pause()
        assert (dialog.fmt, dialog.audience) == ("answers", "patient")
        name = f"rls-screen-answers-{date.today().isoformat()}.json"
        assert app.screen.query_one("#path").value.endswith(name)
