"""Issue 19: a lone surrogate (a valid JSON escape such as "\\ud800") and other text that
is not valid Unicode is bad input in every reader: one line naming the file and the item,
exit status 2, no temp file left. A draft holding one is set aside like any unreadable
draft; the TUI's save says it cannot write, and goes on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_tui import complete_answers, open_summary, wait_for, wait_screen

from rls_screen.core.answers import dumps_document
from rls_screen.interop import fhir
from rls_screen.interop.drafts import Drafts
from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.save import SaveDialog

ROOT = Path(__file__).resolve().parent.parent
CHILD = ROOT / "examples" / "child.json"


def cli(*args: str, cwd: Path):
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


def child() -> dict:
    return json.loads(CHILD.read_text())


def with_own_words(words: str) -> dict:
    doc = child()
    doc["answers"]["own_words"] = words
    return doc


def write(folder: Path, name: str, doc: dict) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc))  # ensure_ascii: the surrogate is a "\ud800" escape
    assert "\\ud800" in path.read_text() or "\\udc00" in path.read_text()
    return path


def assert_one_line(proc, *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    for word in words:
        assert word in proc.stderr


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


COMMANDS = {
    "score-clinician": ["score", "--audience", "clinician"],
    "score-patient-html": ["score", "-f", "html"],
    "score-json": ["score", "-f", "json"],
    "convert-fhir": ["convert", "--to", "fhir"],
    "convert-answers": ["convert", "--to", "answers"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_lone_surrogate_in_own_words_is_one_line_and_no_temp_file(tmp_path, command):
    source = write(tmp_path, "in.json", with_own_words("bugs \ud800 inside"))
    out = tmp_path / "out.txt"
    proc = cli(*COMMANDS[command], str(source), "-o", str(out), cwd=tmp_path)
    assert_one_line(proc, "in.json", "answers.own_words", "Unicode")
    assert not out.exists()
    assert leftovers(tmp_path) == []
    to_stdout = cli(*COMMANDS[command], str(source), cwd=tmp_path)
    assert_one_line(to_stdout, "in.json", "answers.own_words")
    assert to_stdout.stdout == ""


def test_convert_to_answers_never_writes_a_file_that_score_refuses(tmp_path):
    source = write(tmp_path, "in.json", with_own_words("\udc00"))
    out = tmp_path / "copy.json"
    assert_one_line(cli("convert", "--to", "answers", str(source), "-o", str(out), cwd=tmp_path))
    assert not out.exists()


def test_a_surrogate_in_a_key_is_named(tmp_path):
    doc = child()
    doc["answers"]["urge\ud800"] = "yes"
    source = write(tmp_path, "key.json", doc)
    proc = cli("score", str(source), cwd=tmp_path)
    assert_one_line(proc, "key.json", "\\ud800", "answers")
    doc = child()
    doc["meta"] = {"note": ["fine", "\ud800"]}
    proc = cli("score", str(write(tmp_path, "meta.json", doc)), cwd=tmp_path)
    assert_one_line(proc, "meta.json", "meta.note[1]")


def test_a_real_character_from_a_surrogate_pair_is_fine(tmp_path):
    source = tmp_path / "pair.json"
    source.write_text(json.dumps(with_own_words("bugs \U0001f41b inside")))
    assert "\\ud83d\\udc1b" in source.read_text()
    proc = cli("score", "-a", "clinician", str(source), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "\U0001f41b" in proc.stdout


def test_a_surrogate_in_a_fhir_response_is_one_line(bank, tmp_path):
    answers = {**complete_answers(bank), "own_words": "my legs"}
    text = fhir.dumps(fhir.to_response(answers, bank)).replace("my legs", "my \\ud800 legs")
    source = tmp_path / "response.json"
    source.write_text(text)
    for args in (
        ["score", "-a", "clinician"],
        ["convert", "--to", "fhir"],
        ["convert", "--to", "answers"],
    ):
        proc = cli(*args, str(source), "-o", str(tmp_path / "out"), cwd=tmp_path)
        assert_one_line(proc, "response.json", "valueString", "Unicode")
    assert leftovers(tmp_path) == [] and not (tmp_path / "out").exists()


def test_a_surrogate_on_stdin_is_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "rls_screen", "score", "-"],
        input=json.dumps(with_own_words("\ud800")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert_one_line(proc, "<stdin>", "answers.own_words")


def test_a_draft_with_a_surrogate_is_set_aside(bank, tmp_path):
    drafts = Drafts(bank, tmp_path)
    text = dumps_document({"urge": "yes", "own_words": "x"}, bank).replace('"x"', '"\\ud800"')
    drafts.path.write_text(text)
    assert drafts.load() is None
    assert drafts.moved_aside == tmp_path / "draft.json.bad"
    assert drafts.moved_aside.read_text() == text  # kept as it was, for staff to see
    drafts.save({"urge": "yes"})
    assert drafts.load()[0] == {"urge": "yes"}


async def test_the_tui_save_of_a_surrogate_says_so_and_goes_on(bank, tmp_path):
    answers = {**complete_answers(bank), "own_words": "bugs \ud800 inside"}
    app = make_app(answers=answers, autosave=False, draft_dir=tmp_path / "d", save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, answers)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        dialog = app.screen
        dialog.choose("answers")  # the answers, own words included
        await wait_for(pilot, lambda: dialog.query_one("#path").value.endswith(".json"), "name")
        dialog.query_one("#path").focus()
        await pilot.press("enter")
        error = dialog.query_one("#save-error")
        await wait_for(pilot, lambda: "Unicode" in str(error.render()) or not dialog.is_attached)
        assert app.screen is dialog  # still there: the person can go on
        assert error.display
    assert [p for p in os.listdir(tmp_path) if p != "d"] == []
