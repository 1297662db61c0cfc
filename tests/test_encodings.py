"""Issue 19: output in an encoding that cannot hold a character degrades, never fails.

Every command that prints is run as a real process under ``PYTHONIOENCODING=ascii`` and
under a Latin-1 locale: it exits as it would on a UTF-8 terminal, with no traceback, and
what it prints is in the terminal's encoding. Files the tool writes stay UTF-8.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CHILD = str(EXAMPLES / "child.json")

ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1", "LANG": "de_DE.ISO-8859-1", "LC_ALL": "C"},
}


def run(env_extra: dict[str, str], *args: str, cwd: Path | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIOENC"))}
    env.update(env_extra)
    env.pop("PYTHONUTF8", None)
    return subprocess.run(
        [sys.executable, "-X", "utf8=0", "-m", "rls_screen", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def assert_degrades(proc, encoding: str, status: int = 0) -> str:
    err = proc.stderr.decode(encoding)
    assert "Traceback" not in err, err
    assert proc.returncode == status, err
    return proc.stdout.decode(encoding)  # raises if a byte is not of the terminal's encoding


COMMANDS = {
    "score-clinician-text": ["score", "--audience", "clinician", CHILD],
    "score-clinician-markdown": ["score", "-a", "clinician", "-f", "markdown", CHILD],
    "score-clinician-html": ["score", "-a", "clinician", "-f", "html", CHILD],
    "score-patient-text": ["score", CHILD],
    "score-patient-markdown": ["score", "-f", "markdown", CHILD],
    "score-json": ["score", "-f", "json", CHILD],
    "convert-fhir": ["convert", "--to", "fhir", CHILD],
    "convert-answers": ["convert", "--to", "answers", CHILD],
    "check-questions": ["check-questions"],
    "help": ["--help"],
    "score-help": ["score", "--help"],
    "batch": ["batch", "-o", "-", str(EXAMPLES)],
    "export-questionnaire": ["export-questionnaire"],
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_printing_command_degrades_in_a_narrow_encoding(command, encoding):
    out = assert_degrades(run(ENCODINGS[encoding], *COMMANDS[command]), encoding)
    assert out.strip()


def test_the_clinician_summary_in_ascii_keeps_its_words_and_marks_the_rest():
    utf8 = run({"PYTHONIOENCODING": "utf-8"}, "score", "-a", "clinician", CHILD)
    assert utf8.returncode == 0
    full = utf8.stdout.decode("utf-8")
    assert any(ord(ch) > 127 for ch in full)  # the case of the issue: curly quotes
    out = assert_degrades(run(ENCODINGS["ascii"], "score", "-a", "clinician", CHILD), "ascii")
    assert len(out.splitlines()) == len(full.splitlines())
    assert "not a diagnosis" in out
    assert "?" in out


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_errors_are_one_line_in_a_narrow_encoding(tmp_path, encoding):
    missing = tmp_path / "Müller – “Akte”.json"
    proc = run(ENCODINGS[encoding], "score", "-a", "clinician", str(missing))
    assert_degrades(proc, encoding, status=2)
    assert len(proc.stderr.splitlines()) == 1
    usage = run(ENCODINGS[encoding], "score", "--format", "wörd", CHILD)
    assert_degrades(usage, encoding, status=2)
    assert len(usage.stderr.splitlines()) == 1


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_non_ascii_source_name_in_batch_output(tmp_path, encoding):
    shutil.copy(CHILD, tmp_path / "Zoë “Kind”.json")
    out = assert_degrades(run(ENCODINGS[encoding], "batch", "-o", "-", str(tmp_path)), encoding)
    assert len(out.splitlines()) == 1


def test_files_written_stay_utf8(tmp_path):
    target = tmp_path / "summary.txt"
    proc = run(ENCODINGS["ascii"], "score", "-a", "clinician", CHILD, "-o", str(target))
    assert_degrades(proc, "ascii")
    utf8 = run({"PYTHONIOENCODING": "utf-8"}, "score", "-a", "clinician", CHILD)
    assert target.read_bytes() == utf8.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
