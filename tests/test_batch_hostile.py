"""batch against hostile or unlucky inputs (issue 19)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

from test_batch import batch, document, jsonl, rows_of, shown

from rls_screen.batch import reading
from rls_screen.batch import run as batch_module


def test_closed_stdin_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    # 0<&- closes standard input for real (DEVNULL would be an open, empty file).
    cmd = f'"{sys.executable}" -m rls_screen batch - -o "{out}" 0<&-'
    done = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "closed" in lines[0]
    assert done.returncode == 2
    assert not out.exists()


# What a terminal acts on instead of showing (C0, DEL, C1, separators, bidi overrides).
ACTED_ON = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def test_controls_in_ids_and_sources_are_escaped_in_csv(tmp_path, capsys):
    ids = ["\x1b[2J\x1b]0;owned\x07", "a\x00b", "\u202eevil", "=\x1b[31mred", "\x9b31m"]
    source = jsonl(tmp_path / "in\x1b[1m.jsonl", [document({}, rid) for rid in ids])
    out = tmp_path / "results.csv"
    status, _, _ = batch(capsys, str(source), "--out", str(out))
    assert status == 0
    text = out.read_text(encoding="utf-8")
    assert not ACTED_ON.search(text), repr(text)  # `cat results.csv` runs nothing
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == [
        "\\x1b[2J\\x1b]0;owned\\x07",
        "a\\x00b",
        "\\u202eevil",
        "'=\\x1b[31mred",
        "\\x9b31m",
    ]
    assert rows[0]["source"].endswith("in\\x1b[1m.jsonl")
    # JSONL is data for programs: the ids are kept exactly, as JSON escapes.
    out = tmp_path / "results.jsonl"
    batch(capsys, str(source), "--out", str(out))
    assert [r["id"] for r in rows_of(out)] == ids
    assert "\x1b" not in out.read_text(encoding="utf-8")


def test_controls_in_ids_and_sources_are_escaped_in_jsonl(tmp_path, capsys):
    # ensure_ascii JSON: C0 (NUL, BEL, ESC), DEL, C1, U+2028/9 and bidi controls are all
    # \u escapes, in the id and in the source; a program reading the JSON gets them back.
    ids = ["\x1b[2J\x07", "a\x00b", "\x7f\x9b31m\x85", "\u2028\u2029", "\u202e\u2066x\u2069"]
    source = jsonl(tmp_path / "in\x1b[1m\x07\x9b.jsonl", [document({}, rid) for rid in ids])
    out = tmp_path / "results.jsonl"
    status, _, _ = batch(capsys, str(source), "--out", str(out))
    assert status == 0
    text = out.read_text(encoding="utf-8")
    assert not ACTED_ON.search(text), repr(text)  # `cat results.jsonl` runs nothing
    rows = rows_of(out)
    assert [r["id"] for r in rows] == ids
    assert all(r["source"] == str(source) for r in rows)


def test_csv_row_with_a_nul_is_skipped_and_the_exit_status_is_1(tmp_path, capsys):
    # The case of issue 19: a NUL and a formula in an id was scored, exit status 0.
    path = tmp_path / "sheet.csv"
    path.write_bytes(b'id,urge\n"=1+1\x00",yes\ns2,yes\ns3,no\x00\n')
    out = tmp_path / "results.csv"
    status, _, err = batch(capsys, str(path), "--out", str(out))
    assert status == 1
    assert len(err) == 3, err  # two skipped rows, then the summary
    assert err[0].startswith(f"{shown(path)}:2: ") and "NUL" in err[0]
    assert err[1].startswith(f"{shown(path)}:4: ") and "NUL" in err[1]
    assert "2 skipped" in err[2]
    with out.open(newline="", encoding="utf-8") as handle:
        assert [r["id"] for r in csv.DictReader(handle)] == ["s2"]


def test_csv_header_of_100000_columns_is_one_line(tmp_path, capsys):
    # 100,000 repeated columns hung (every column counted against the whole header).
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["urge"] * 100_000) + "\n" + ",".join(["yes"] * 100_000) + "\n")
    out = tmp_path / "results.csv"
    status, _, err = batch(capsys, str(path), "--out", str(out))
    assert status == 2
    assert len(err) == 2, err  # the file's line, then the summary
    assert err[0].startswith(f"{shown(path)}: ") and "100,000 columns" in err[0]
    assert "10,000" in err[0]
    assert not out.exists()


def test_csv_row_of_100000_cells_is_one_skipped_record(tmp_path, capsys):
    path = tmp_path / "sheet.csv"
    path.write_text("id,urge\na,yes\n" + ",".join(["yes"] * 100_000) + "\nb,no\n")
    out = tmp_path / "results.csv"
    status, _, err = batch(capsys, str(path), "--out", str(out))
    assert status == 1
    assert len(err) == 2, err
    assert err[0].startswith(f"{shown(path)}:3: ") and "100,000 cells" in err[0]
    with out.open(newline="", encoding="utf-8") as handle:
        assert [r["id"] for r in csv.DictReader(handle)] == ["a", "b"]


def test_csv_header_at_the_bound_with_a_column_twice_is_one_line(tmp_path, capsys):
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["urge"] * reading.MAX_CSV_COLUMNS) + "\n")
    status, _, err = batch(capsys, str(path), "--out", str(tmp_path / "results.csv"))
    assert status == 2
    assert err[0] == f"{shown(path)}: column 'urge' appears more than once in the header"


def test_lone_surrogates_and_bad_utf8_are_one_skipped_record_naming_the_item(tmp_path, capsys):
    lines = [
        b'{"answers":{"urge":"yes"},"meta":{"id":"a\\ud800"}}',
        b'{"answers":{"urge":"yes","own_words":"x\\udc00"}}',
        b'{"answers":{"urge":"yes"},"meta":{"id":"fine"}}',
        b'{"answers":{"urge":"yes","own_words":"bad \xff byte"}}',
        b'{"answers":{"urge":"yes","own_words":"a pair \\ud83d\\ude00, a \\\\ud800"}}',
    ]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    single = tmp_path / "one.json"
    single.write_text('{"answers": {"urge": "yes", "own_words": "\\uDBFF"}}')
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(b"id,urge,own_words\nc1,yes,fine\nc2,yes,bad \xff\n")
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(source), str(single), str(sheet), "--out", str(out))
    assert status == 1
    assert len(err) == 6, err  # four skipped records, one file not read, the summary
    bad = " is not valid Unicode text (a lone surrogate such as \\ud800); expected UTF-8 text"
    assert err[0] == f"{shown(source)}:1: meta.id{bad}"
    assert err[2] == f"{shown(source)}:4: not UTF-8 text in 'answers.own_words'"
    # A line of a .jsonl file and a whole .json file say it in the same words.
    assert err[1] == f"{shown(source)}:2: answers.own_words{bad}"
    assert err[3] == f"{shown(single)}: answers.own_words{bad}"
    assert err[4].startswith(f"{shown(sheet)}:3: not UTF-8 text in column 'own_words'")
    assert "4 skipped; 1 input not read" in err[5]  # one.json is a whole file
    rows = rows_of(out)
    assert [(r["source"], r["line"]) for r in rows] == [
        (str(source), 3),
        (str(source), 5),
        (str(sheet), 2),
    ]


def test_inputs_are_expanded_lazily_one_at_a_time(tmp_path, capsys, monkeypatch):
    # The first input is scored before the folder after it is even listed.
    first = jsonl(tmp_path / "first.jsonl", [document({}, "a")])
    folder = tmp_path / "folder"
    folder.mkdir()
    jsonl(folder / "b.jsonl", [document({}, "b")])
    events: list[str] = []
    listing, scoring = reading._folder, batch_module.Batch.score_jsonl

    def listed(*args):
        events.append("list folder")
        yield from listing(*args)

    def scored(self, item, *args, **kwargs):
        events.append(f"score {Path(item.source).name}")
        return scoring(self, item, *args, **kwargs)

    monkeypatch.setattr(reading, "_folder", listed)
    monkeypatch.setattr(batch_module.Batch, "score_jsonl", scored)
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(first), str(folder), "--out", str(out))
    assert status == 0, err
    assert events == ["score first.jsonl", "list folder", "score b.jsonl"]
    assert [r["id"] for r in rows_of(out)] == ["a", "b"]


def test_a_folder_holds_only_its_names_in_memory(tmp_path):
    # A folder of 100,000 files took 183 MB: an Input (and a Path) per file, all at once.
    folder = tmp_path / "many"
    folder.mkdir()
    count = 3000
    for number in range(count):
        (folder / f"p{number:07d}.json").touch()
    tracemalloc.start()
    try:
        inputs = iter(reading.expand([str(folder)], None))
        firsts = [next(inputs).source for _ in range(2)]
        held, _ = tracemalloc.get_traced_memory()
        rest = sum(1 for _ in inputs)
    finally:
        tracemalloc.stop()
    assert firsts == [f"{folder}/p0000000.json", f"{folder}/p0000001.json"]
    assert rest == count - 2
    assert held < count * 250, held  # the sorted names, about 70 bytes a file
