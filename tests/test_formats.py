"""One list of output formats (rls_screen/core/formats.py): score --format, convert --to,
batch --out and the save menus offer what it says, and a format added to it reaches
each place it names with no other edit but its words (batch's refusal of another
extension names each one, and each format saved from the summary has its label)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import run_cli

from rls_screen.batch.output import output_kind
from rls_screen.core import formats
from rls_screen.core.bank import load_bank
from rls_screen.core.errors import InputError
from rls_screen.core.formats import BATCH, CONVERT, SAVE, SCORE, OutputFormat, codes
from rls_screen.reports.exports import FORMATS, render_export

ROOT = Path(__file__).resolve().parent.parent
CLASSIC = ROOT / "examples" / "classic.json"


def choices_in_help(command: str, option: str) -> list[str]:
    """The choices ``rls-screen COMMAND --help`` shows for ``option``: ``{a,b,c}``."""
    proc = run_cli(command, "--help")
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    start = text.index(f"{option} {{") + len(option) + 2
    return text[start : text.index("}", start)].split(",")


def test_score_offers_the_score_formats_and_prints_each():
    assert choices_in_help("score", "--format") == list(codes(SCORE))
    for code in codes(SCORE):
        proc = run_cli("score", str(CLASSIC), "--format", code)
        assert proc.returncode == 0 and proc.stdout.strip(), (code, proc.stderr)


def test_convert_offers_the_convert_formats_and_writes_each():
    assert choices_in_help("convert", "--to") == list(codes(CONVERT))
    for code in codes(CONVERT):
        proc = run_cli("convert", str(CLASSIC), "--to", code)
        assert proc.returncode == 0, (code, proc.stderr)
        assert isinstance(json.loads(proc.stdout), dict)


def test_the_save_menus_offer_the_save_formats_in_order_with_a_label_each():
    # The TUI's save dialog and --plain's menu list reports.exports.FORMATS.
    assert list(FORMATS) == list(codes(SAVE))
    assert list(FORMATS) == ["markdown", "text", "answers", "html"]  # as people learnt it
    bank = load_bank()
    for f in formats.formats(SAVE):
        label, extension = FORMATS[f.code]
        assert label.strip() and extension == f.extension
        assert render_export(bank, {"urge": "yes"}, f.code).strip()


def test_batch_writes_the_batch_formats_by_their_extension(tmp_path):
    for f in formats.formats(BATCH):
        out = tmp_path / f"results{f.extension}"
        proc = run_cli("batch", str(CLASSIC), "--out", str(out))
        assert proc.returncode == 0, (f.code, proc.stderr)
        assert output_kind(str(out)) == f.code and out.read_text().strip()
    with pytest.raises(InputError) as refused:
        output_kind(str(tmp_path / "results.txt"))
    for f in formats.formats(BATCH):  # the refusal's words name every one
        assert f.extension in str(refused.value)


def test_a_format_added_to_the_list_reaches_score_convert_and_batch(monkeypatch):
    added = OutputFormat("yaml", ".yaml", frozenset({SCORE, CONVERT, BATCH}))
    monkeypatch.setattr(formats, "OUTPUT_FORMATS", (*formats.OUTPUT_FORMATS, added))
    assert choices_in_help("score", "--format")[-1] == "yaml"
    assert choices_in_help("convert", "--to")[-1] == "yaml"
    assert output_kind("results.yaml") == "yaml"
