"""Hostile question banks (issue 19): every bank file is read with a bounded,
regular-file-only reader, and TOML that is too deep or holds a huge number is one line
naming the file, exit 2."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

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
