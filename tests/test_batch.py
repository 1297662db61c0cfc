"""`rls-screen batch` through the real command line: every input format, good and bad
records, both output formats, the output file, exit statuses and the terminal progress.

Expected results come from the one-record path (`engine.score`, which `rls-screen score
--format json` prints), never from literals."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel

from rls_screen.batch import columns, reading
from rls_screen.batch import run as batch_module
from rls_screen.cli import main
from rls_screen.core import engine, vocab
from rls_screen.core.answers import check_answers, to_document
from rls_screen.core.bank import load_bank
from rls_screen.core.engine import evaluate, score
from rls_screen.core.errors import one_line, show_name
from rls_screen.interop import fhir
from rls_screen.interop.inputs import read_answer_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
BANK = load_bank()

CSV_COLUMNS = [
    "source",
    "line",
    "id",
    "instrument",
    "instrument_version",
    "pattern",
    "essential_features.urge",
    "essential_features.rest",
    "essential_features.movement",
    "essential_features.evening",
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
]


# --- helpers ---------------------------------------------------------------------------


def run(*args: str, stdin: str | None = None, cwd: Path | None = None):
    """The real command line in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", "batch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def batch(capsys, *args: str) -> tuple[int, str, list[str]]:
    """The real command line in this process: (status, stdout, stderr lines)."""
    status = main(["batch", *args])
    out, err = capsys.readouterr()
    return status, out, err.splitlines()


def shown(path) -> str:
    """A file name as messages show it (escaped, a long one shortened)."""
    return show_name(str(path))


def expected(answers: dict) -> dict:
    """The result `rls-screen score --format json` gives for these answers."""
    return score(BANK, answers).model_dump(mode="json")


def example(name: str) -> dict:
    return read_answer_file(str(ROOT / "examples" / f"{name}.json"), BANK)


def document(answers: dict, record_id=None) -> dict:
    return to_document(answers, BANK, {"id": record_id} if record_id is not None else None)


def jsonl(path: Path, lines: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    return path


def rows_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


TEXTS = ("like fizzy water", "bugs in my legs;\nat night", '=cmd "quoted" <b>')


def random_answers(rng: random.Random) -> dict:
    """Valid raw answers to a random subset of items (as bench_score generates them)."""
    raw = {}
    for item in BANK.items.values():
        if rng.random() < 0.2:
            continue
        if item.kind == "text":
            raw[item.id] = rng.choice(TEXTS)
        elif item.kind == "single":
            raw[item.id] = rng.choice(item.codes)
        elif vocab.NONE in item.codes and rng.random() < 0.3:
            raw[item.id] = [vocab.NONE]
        else:
            others = [c for c in item.codes if c != vocab.NONE]
            raw[item.id] = rng.sample(others, rng.randint(1, min(3, len(others))))
    return raw


def read_answers(raw: dict) -> dict:
    return check_answers(raw, BANK, "test")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- JSONL -----------------------------------------------------------------------------


def test_jsonl_mixed_good_and_bad_records(tmp_path, capsys):
    classic, lookalike = example("classic"), example("lookalike")
    response = fhir.to_response(lookalike, BANK)
    response["id"] = "qr-9"
    source = jsonl(
        tmp_path / "intake.jsonl",
        [
            document(classic, "p-1"),  # 1
            "",  # 2: blank, skipped without a word
            {"answers": {"urge": "maybe"}},  # 3: bad code
            '{"answers": {"urge": "yes"',  # 4: broken JSON
            document(lookalike, 7),  # 5: a number id comes out as text
            response,  # 6: a FHIR QuestionnaireResponse on a line
            {"answers": {"urgee": "yes"}},  # 7: unknown item
        ],
    )
    out = tmp_path / "results.jsonl"
    status, stdout, err = batch(capsys, str(source), "--out", str(out))

    assert status == 1
    assert stdout == ""
    rows = rows_of(out)
    assert [(r["source"], r["line"], r["id"]) for r in rows] == [
        (str(source), 1, "p-1"),
        (str(source), 5, "7"),
        (str(source), 6, "qr-9"),
    ]
    assert [r["result"] for r in rows] == [
        expected(classic),
        expected(lookalike),
        expected(fhir.from_response(response, BANK, "x")),
    ]
    assert list(rows[0]) == ["source", "line", "id", "result"]
    bad = err[:-1]
    assert len(bad) == 3, err
    assert bad[0].startswith(f"{shown(source)}:3: item 'urge': 'maybe' is not allowed")
    # The line is named first; the message adds the column only.
    expecting = "not valid JSON (column 27: Expecting ',' delimiter)"
    assert bad[1] == f"{shown(source)}:4: {expecting}"
    assert bad[2].startswith(f"{shown(source)}:7: unknown item 'urgee'")
    assert all(line.count(shown(source)) == 1 for line in bad)  # the name once, not twice
    assert err[-1] == f"scored 3 of 6 records (3 skipped) -> {shown(out)}"


def test_all_good_exits_0_with_a_private_file_and_no_temp_left(tmp_path, capsys):
    rng = random.Random(3)
    records = [{"answers": random_answers(rng)} for _ in range(40)]
    source = jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out" / "results.jsonl"
    out.parent.mkdir()
    status, _, err = batch(capsys, str(source), "--out", str(out))

    assert status == 0
    assert err == [f"scored 40 of 40 records -> {shown(out)}"]
    assert out.stat().st_mode & 0o777 == 0o600
    assert leftovers(out.parent) == []
    rows = rows_of(out)
    assert [r["line"] for r in rows] == list(range(1, 41))
    assert [r["id"] for r in rows] == [None] * 40
    assert [r["result"] for r in rows] == [expected(read_answers(r["answers"])) for r in records]


def test_jsonl_rows_are_compact_json_in_the_result_key_order(tmp_path, capsys):
    rng = random.Random(5)
    answers = [read_answers(random_answers(rng)) for _ in range(300)]
    source = jsonl(tmp_path / "in.jsonl", [{"answers": a} for a in answers])
    out = tmp_path / "results.jsonl"
    assert batch(capsys, str(source), "--out", str(out))[0] == 0

    lines = out.read_text().splitlines()
    for number, (line, a) in enumerate(zip(lines, answers, strict=True), 1):
        row = {"source": str(source), "line": number, "id": None, "result": expected(a)}
        assert line == json.dumps(row, separators=(",", ":"))


def test_stdin_to_stdout(tmp_path):
    classic = example("classic")
    text = json.dumps(document(classic, "a")) + "\n" + '{"answers": {"rest": ["yes"]}}\n'
    proc = run("-", "--out", "-", stdin=text, cwd=tmp_path)

    assert proc.returncode == 1
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert rows == [{"source": "<stdin>", "line": 1, "id": "a", "result": expected(classic)}]
    assert proc.stderr.splitlines() == [
        "<stdin>:2: item 'rest' takes one code as a string; allowed: yes, no, unsure",
        "scored 1 of 2 records (1 skipped) -> <stdout>",
    ]
    assert "\r" not in proc.stderr  # no progress on a pipe
    assert list(tmp_path.iterdir()) == []


# --- JSON files, folders, FHIR ---------------------------------------------------------


def test_folder_of_json_jsonl_and_csv_files_in_name_order(tmp_path, capsys):
    folder = tmp_path / "responses"
    folder.mkdir()
    for path in EXAMPLES:
        (folder / path.name).write_text(path.read_text())
    (folder / "bad.json").write_text('{"answers": {"sensations": "tingling"}}')
    (folder / "broken.json").write_text("{")
    jsonl(folder / "more.ndjson", [document(example("classic"), "n1")])
    (folder / "sheet.csv").write_text("id,urge\ns1,yes\n")
    (folder / "notes.txt").write_text("not read")
    (folder / ".hidden.json").write_text("{")
    (folder / "sub.json").mkdir()  # a folder named like a file: not read
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(folder), "--out", str(out))

    assert status == 1
    rows = rows_of(out)
    names = sorted([*(path.name for path in EXAMPLES), "more.ndjson", "sheet.csv"])
    assert [r["source"] for r in rows] == [str(folder / name) for name in names]
    assert [r["line"] for r in rows] == [2 if name == "sheet.csv" else 1 for name in names]
    ids = {"more.ndjson": "n1", "sheet.csv": "s1"}
    assert [r["id"] for r in rows] == [ids.get(name) for name in names]
    by_name = dict(zip(names, rows, strict=True))
    assert by_name["classic.json"]["result"] == expected(example("classic"))
    assert by_name["red-flag.json"]["result"] == expected(example("red-flag"))
    assert by_name["sheet.csv"]["result"] == expected({"urge": "yes"})
    # One line of at most 200 characters: the list of allowed codes may be cut short.
    want = f"{shown(folder / 'bad.json')}:1: item 'sensations' takes a list of codes; " + (
        "allowed: " + ", ".join(BANK.items["sensations"].codes)
    )
    assert err[0] == one_line(want)
    assert err[1].startswith(f"{shown(folder / 'broken.json')}: not valid JSON")
    scored = len(names)
    assert err[2] == (
        f"scored {scored} of {scored + 1} records (1 skipped; 1 input not read) -> {shown(out)}"
    )


def test_examples_match_rls_screen_score_json(tmp_path):
    out = tmp_path / "results.jsonl"
    proc = run(*map(str, EXAMPLES), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    for row, path in zip(rows_of(out), EXAMPLES, strict=True):
        scored = subprocess.run(
            [sys.executable, "-m", "rls_screen", "score", str(path), "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        )
        # score adds its own "diary" key (null without --diary); batch's rows do not.
        assert {**row["result"], "diary": None} == json.loads(scored.stdout)


def test_fhir_questionnaire_response_files(tmp_path, capsys):
    answers = example("red-flag")
    resource = fhir.to_response(answers, BANK)
    resource["id"] = "resp-1"
    path = tmp_path / "response.json"
    path.write_text(fhir.dumps(resource))
    wrong = dict(resource, status="entered-in-error")
    wrong_path = tmp_path / "wrong.json"
    wrong_path.write_text(fhir.dumps(wrong))
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(path), str(wrong_path), "--out", str(out))

    assert status == 1
    [row] = rows_of(out)
    assert (row["source"], row["line"], row["id"]) == (str(path), 1, "resp-1")
    assert row["result"] == expected(answers)
    assert err == [
        f"{shown(wrong_path)}:1: the response is marked entered-in-error; it cannot be read",
        f"scored 1 of 2 records (1 skipped) -> {shown(out)}",
    ]


def test_fhir_bundle_one_record_per_entry(tmp_path, capsys):
    good = [example("classic"), example("lookalike")]
    bad = fhir.to_response({"urge": "yes"}, BANK)
    bad["item"][0]["item"][0]["answer"][0]["valueCoding"]["code"] = "maybe"
    link_id = bad["item"][0]["item"][0]["linkId"]
    first = fhir.to_response(good[0], BANK)
    first["id"] = "b-1"
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"resource": first},
            {"resource": bad},
            {"resource": fhir.to_response(good[1], BANK)},
            {"fullUrl": "urn:uuid:no-resource"},  # 4: an entry with no resource
        ],
    }
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(path), "--out", str(out))

    assert status == 1
    rows = rows_of(out)
    assert [(r["line"], r["id"]) for r in rows] == [(1, "b-1"), (3, None)]
    assert [r["result"] for r in rows] == [expected(a) for a in good]
    assert len(err) == 3
    assert err[0].startswith(f"{shown(path)}:2: linkId {link_id!r}: code 'maybe' is not allowed")
    assert err[1] == f"{shown(path)}:4: this Bundle entry has no 'resource' object"
    assert err[2] == f"scored 2 of 4 records (2 skipped) -> {shown(out)}"


# --- CSV -------------------------------------------------------------------------------


def test_csv_input_with_ids_multi_codes_and_bad_rows(tmp_path, capsys):
    path = tmp_path / "sheet.csv"
    path.write_text(
        "urge,id,rest,sensations,movement,evening\n"  # row 1
        "yes,anna,yes,pulling;tingling,full,yes\n"  # 2
        "maybe,ben,,,,\n"  # 3: bad code
        "\n"  # 4: blank, skipped
        'yes,"carl, jr",no, tingling ; pulling ,,\n'  # 5: quoted id, spaces
        ",,,,,\n"  # 6: empty row, skipped
        "yes,dora,,nonsense,,\n"  # 7: bad multi code
        ",emil,,,,\n"  # 8: answered nothing
        "yes,fay,,,,,extra\n"  # 9: more cells than columns
    )
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(path), "--out", str(out))

    assert status == 1
    rows = rows_of(out)
    assert [(r["line"], r["id"]) for r in rows] == [(2, "anna"), (5, "carl, jr"), (8, "emil")]
    assert [r["result"] for r in rows] == [
        expected(
            {
                "urge": "yes",
                "rest": "yes",
                "sensations": ("tingling", "pulling"),
                "movement": "full",
                "evening": "yes",
            }
        ),
        expected({"urge": "yes", "rest": "no", "sensations": ("tingling", "pulling")}),
        expected({}),
    ]
    assert err[0].startswith(f"{shown(path)}:3: item 'urge': 'maybe' is not allowed")
    assert err[1].startswith(f"{shown(path)}:7: item 'sensations': 'nonsense' is not allowed")
    assert err[2] == f"{shown(path)}:9: 7 cells, but the header names 6 columns"
    assert err[3] == f"scored 3 of 6 records (3 skipped) -> {shown(out)}"


def test_csv_own_words_is_read_as_text_not_split_or_run(tmp_path, capsys, monkeypatch):
    read: list[dict] = []  # the answers each scored row was read as

    def spy(bank, answers):
        read.append(dict(answers))
        return evaluate(bank, answers)

    monkeypatch.setattr(batch_module, "evaluate", spy)
    path = tmp_path / "sheet.csv"
    path.write_text(
        "id,urge,own_words,sensations\n"  # row 1
        'a,yes,"bugs; in my legs\nat night",pulling;tingling\n'  # 2: ';' and a line break
        "b,yes,=cmd|' /C calc'!A0,\n"  # 3: a formula, as text
        'c,unsure,"  say ""it"" <b>  ",\n'  # 4: quotes and markup, trimmed
        "d,yes,,\n"  # 5: empty cell: unanswered
        f"e,yes,{'x' * 501},\n"  # 6: too long
        "f,no,fine,\n"  # 7: hidden (urge is no): read, and ignored by scoring
    )
    out = tmp_path / "results.csv"
    status, _, err = batch(capsys, str(path), "--out", str(out))

    assert status == 1
    assert [a.get("own_words") for a in read] == [
        "bugs; in my legs\nat night",
        "=cmd|' /C calc'!A0",
        'say "it" <b>',
        None,
        "fine",
    ]
    assert read[0]["sensations"] == ("tingling", "pulling")  # a multi item is still split
    assert (
        err[0]
        == f"{shown(path)}:6: item 'own_words': the text has 501 characters; at most 500 allowed"
    )
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Rows are numbered as a spreadsheet shows them: the quoted line break is one row.
    assert [(r["line"], r["id"]) for r in rows] == [
        ("2", "a"), ("3", "b"), ("4", "c"), ("5", "d"), ("7", "f")
    ]  # fmt: skip
    assert [r["pattern"] for r in rows] == [expected(a)["pattern"] for a in read]
    # The text is the person's own: it is never written to the output, as data or formula.
    text = out.read_text()
    assert "bugs" not in text and "cmd" not in text and "fine" not in text
    assert not any(cell[:1] in ("=", "+", "-", "@") for row in rows for cell in row.values())


def test_new_result_fields_in_csv_column_order_and_jsonl_key_order(tmp_path, capsys):
    answers = example("unsure")
    want = expected(answers)
    assert want["lookalikes_unclear"] and want["red_flags_unsure"]  # a case that shows them
    source = jsonl(tmp_path / "in.jsonl", [document(answers, "u")])
    csv_out, jsonl_out = tmp_path / "results.csv", tmp_path / "results.jsonl"
    assert batch(capsys, str(source), "--out", str(csv_out))[0] == 0
    assert batch(capsys, str(source), "--out", str(jsonl_out))[0] == 0

    with csv_out.open(newline="") as handle:
        header, row = list(csv.reader(handle))
    assert header[header.index("lookalikes") + 1] == "lookalikes_unclear"
    assert header[header.index("red_flags") + 1] == "red_flags_unsure"
    cells = dict(zip(header, row, strict=True))
    assert cells["lookalikes_unclear"] == ";".join(want["lookalikes_unclear"])
    assert cells["red_flags_unsure"] == ";".join(want["red_flags_unsure"])
    assert cells["urgency"] == "urgent"

    [line] = rows_of(jsonl_out)
    keys = list(line["result"])
    assert keys == list(want)  # the order of 'rls-screen score --format json'
    assert keys[keys.index("lookalikes") + 1] == "lookalikes_unclear"
    assert keys[keys.index("red_flags") + 1] == "red_flags_unsure"
    assert line["result"]["lookalikes_unclear"] == want["lookalikes_unclear"]
    assert line["result"]["red_flags_unsure"] == want["red_flags_unsure"]


def test_csv_output_never_starts_a_cell_with_a_formula(tmp_path, capsys):
    ids = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "plain"]
    source = jsonl(tmp_path / "=in.jsonl", [document({}, rid) for rid in ids])
    out = tmp_path / "results.csv"
    status, _, _ = batch(capsys, str(source), "--out", str(out))

    assert status == 0
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows] == ["'" + rid for rid in ids[:4]] + ["plain"]
    assert rows[0]["source"] == str(source)  # a full path starts with /: as it is
    # JSONL output is data, not a spreadsheet: ids as they are.
    out = tmp_path / "results.jsonl"
    batch(capsys, str(source), "--out", str(out))
    assert [r["id"] for r in rows_of(out)] == ids


def test_csv_output_guards_a_relative_source_name_too(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    jsonl(tmp_path / "=in.jsonl", [document({}, "a")])
    batch(capsys, "=in.jsonl", "--out", "results.csv")
    with (tmp_path / "results.csv").open(newline="") as handle:
        assert next(csv.DictReader(handle))["source"] == "'=in.jsonl"


def test_csv_header_with_unknown_columns_is_one_line_naming_all(tmp_path, capsys):
    path = tmp_path / "sheet.csv"
    path.write_text("id,urge,age,urgee\np,yes,40,yes\n")
    out = tmp_path / "results.csv"
    status, _, err = batch(capsys, str(path), "--out", str(out))

    assert status == 2
    assert len(err) == 2
    assert err[0].startswith(f"{shown(path)}: unknown columns 'age', 'urgee' in the header")
    assert err[1] == "no records found (1 input not read); nothing written"
    assert list(tmp_path.iterdir()) == [path]


def test_csv_output_columns_lists_and_flags(tmp_path, capsys):
    answers = [example("classic"), example("lookalike"), example("red-flag"), {}]
    source = jsonl(tmp_path / "in.jsonl", [document(a, f"r{i}") for i, a in enumerate(answers)])
    out = tmp_path / "results.csv"
    status, _, _ = batch(capsys, str(source), "--out", str(out))

    assert status == 0
    with out.open(newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == CSV_COLUMNS
    for number, (row, a) in enumerate(zip(table[1:], answers, strict=True), 1):
        cells = dict(zip(CSV_COLUMNS, row, strict=True))
        want = expected(a)
        assert (cells["source"], cells["line"], cells["id"]) == (
            str(source),
            str(number),
            f"r{number - 1}",
        )
        for feature, status_ in want["essential_features"].items():
            assert cells[f"essential_features.{feature}"] == status_
        for key in (
            "lookalikes",
            "lookalikes_unclear",
            "supportive_features",
            "contributing_factors",
            "red_flags",
            "red_flags_unsure",
            "red_flags_unanswered",
        ):
            assert cells[key] == ";".join(want[key])
        assert cells["tests_to_discuss"] == ";".join(want["tests_to_discuss"])
        assert cells["other_concerns"] == ";".join(want["other_concerns"])
        for key in ("clinically_significant", "augmentation_concern", "pediatric"):
            assert cells[key] == {True: "true", False: "false", None: ""}[want[key]]
        assert cells["course"] == (want["course"] or "")
        for key in ("instrument", "instrument_version", "pattern", "urgency"):
            assert cells[key] == want[key]
    # Every field of the result object has its column.
    flat = [k for k in expected({}) if k != "essential_features"]
    assert set(flat) | {f"essential_features.{f}" for f in vocab.FEATURES} == set(CSV_COLUMNS[3:])
    # A list with several codes is joined with ';' (the lookalike example has two).
    assert table[2][CSV_COLUMNS.index("lookalikes")] == "cramps;neuropathy"


def test_help_documents_formats_columns_and_exit_statuses():
    proc = subprocess.run(
        [sys.executable, "-m", "rls_screen", "batch", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    for words in ("FILE.jsonl", "FILE.csv", "FOLDER", "Bundle", "a;b", "exit status", "130"):
        assert words in text
    # The CSV columns, in the order they are written.
    assert ", ".join(CSV_COLUMNS) in text


# --- the output file and whole inputs ----------------------------------------------------


@pytest.mark.parametrize("name", ["results.txt", "results", "results.json"])
def test_unknown_output_extension_is_one_line_before_reading(tmp_path, name):
    proc = run("does-not-exist.jsonl", "--out", str(tmp_path / name))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert ".csv or .jsonl" in proc.stderr
    assert "does-not-exist" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_folder_missing_is_one_line(tmp_path):
    out = tmp_path / "nowhere" / "results.csv"
    proc = run(str(EXAMPLES[0]), "--out", str(out))
    assert proc.returncode == 2
    folder = show_name(str(out.parent), 60)
    assert proc.stderr == f"rls-screen: {shown(out)}: the folder {folder} does not exist\n"


def test_missing_and_unknown_inputs_are_one_line_each(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("{}")
    out = tmp_path / "results.csv"
    missing, notes = tmp_path / "nope.jsonl", tmp_path / "notes.txt"
    status, _, err = batch(capsys, str(missing), str(notes), "--out", str(out))

    assert status == 2
    assert err == [
        f"{shown(missing)}: no such file",
        f"{shown(notes)}: unknown file type '.txt'; expected .json, .jsonl, .ndjson or .csv",
        "no records found (2 inputs not read); nothing written",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_unreadable_input_among_good_ones_exits_1(tmp_path, capsys):
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(EXAMPLES[0]), str(tmp_path / "gone.json"), "--out", str(out))
    assert status == 1
    assert err == [
        f"{shown(tmp_path / 'gone.json')}: no such file",
        f"scored 1 of 1 record (1 input not read) -> {shown(out)}",
    ]


def test_nothing_scored_leaves_the_old_output_alone(tmp_path, capsys):
    out = tmp_path / "results.csv"
    out.write_text("yesterday's results\n")
    source = jsonl(tmp_path / "in.jsonl", [{"answers": {"urge": "maybe"}}, "[]"])
    status, _, err = batch(capsys, str(source), "--out", str(out))

    assert status == 2
    assert len(err) == 3
    assert err[1] == f"{shown(source)}:2: expected a JSON object with an 'answers' object"
    assert err[2] == "scored 0 of 2 records (2 skipped); nothing written"
    assert out.read_text() == "yesterday's results\n"
    assert leftovers(tmp_path) == []


def test_an_earlier_output_in_the_folder_is_not_read_back(tmp_path, capsys):
    for path in EXAMPLES:
        (tmp_path / path.name).write_text(path.read_text())
    out = tmp_path / "results.jsonl"
    first = batch(capsys, str(tmp_path), "--out", str(out))
    second = batch(capsys, str(tmp_path), "--out", str(out))
    assert first[0] == second[0] == 0
    assert len(rows_of(out)) == len(EXAMPLES)


# --- terminal and Ctrl+C ---------------------------------------------------------------


def _child_signals() -> None:
    # A shell starts background jobs with Ctrl-C ignored (and a test runner may block
    # it); a person's terminal does neither.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_progress_only_on_a_terminal_and_cleared_before_the_summary(tmp_path):
    rng = random.Random(7)
    source = jsonl(tmp_path / "in.jsonl", [{"answers": random_answers(rng)} for _ in range(1100)])
    out = tmp_path / "results.jsonl"
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "batch", str(source), "--out", str(out)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the child is gone
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait() == 0
    screen = b"".join(chunks).decode()
    assert "records (" in screen and "% read" in screen
    progress, _, summary = screen.rpartition("\r\x1b[K")
    assert "\r" in progress
    assert summary.strip() == f"scored 1,100 of 1,100 records -> {shown(out)}"


def test_ctrl_c_removes_the_temp_file_and_exits_130(tmp_path):
    out = tmp_path / "results.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "batch", "-", "--out", str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        preexec_fn=_child_signals,
    )
    proc.stdin.write(json.dumps({"answers": {"urge": "yes"}}).encode() + b"\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    while not leftovers(tmp_path):  # the command has started writing (stdin stays open)
        assert time.monotonic() < deadline, "batch did not start"
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.decode().splitlines() == ["interrupted; nothing written"]
    assert list(tmp_path.iterdir()) == []


def test_csv_rows_are_what_csv_writer_writes(tmp_path, capsys):
    """The CSV rows are put together by hand for speed: they must read back, and be
    byte for byte what csv.writer would write, whatever the id."""
    ids = ["a", "", "with, comma", 'with "quotes"', "two\nlines", "tab\there", "é ü ß", "cr\r"]
    answers = [example("classic"), example("red-flag"), {}, example("lookalike"), example("unsure")]
    records = [document(answers[i % len(answers)], rid) for i, rid in enumerate(ids)]
    records.append(to_document(example("classic"), BANK))  # no id
    source = jsonl(tmp_path / "in, with comma.jsonl", records)
    out = tmp_path / "results.csv"
    status, _, _ = batch(capsys, str(source), "--out", str(out))
    assert status == 0

    want = io.StringIO()
    writer = csv.writer(want, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for number, rid in enumerate([*ids, None], 1):
        r = expected(answers[(number - 1) % len(answers)] if rid is not None else answers[0])
        ef = r["essential_features"]
        text = {True: "true", False: "false", None: ""}
        writer.writerow(
            [str(source), number, rid, r["instrument"], r["instrument_version"], r["pattern"],
             ef["urge"], ef["rest"], ef["movement"], ef["evening"], ";".join(r["lookalikes"]),
             ";".join(r["lookalikes_unclear"]), r["course"] or "",
             text[r["clinically_significant"]], ";".join(r["supportive_features"]),
             ";".join(r["contributing_factors"]), text[r["augmentation_concern"]],
             ";".join(r["red_flags"]), ";".join(r["red_flags_unsure"]),
             ";".join(r["red_flags_unanswered"]), r["urgency"],
             ";".join(r["tests_to_discuss"]), text[r["pediatric"]],
             ";".join(r["other_concerns"])]
        )  # fmt: skip
    got = out.read_bytes().decode()
    # A carriage return is always quoted (csv.writer of Python 3.11 leaves it bare, and
    # readers then take it for the end of a line); everything else is the same.
    assert got == want.getvalue().replace(",cr\r,", ',"cr\r",')
    with out.open(newline="", encoding="utf-8") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == [*ids, ""]


# --- every input answered in one line (issue: every input answered in one line) ---------
# Each case drives the real command line. A FIFO, a device or a closed stream runs in a
# subprocess with a timeout: a hang fails the test instead of stopping the run.

CLASSIC_LINE = json.dumps(to_document(example("classic"), BANK))
LINE_LIMIT = 200


def short_lines(err: list[str] | str) -> list[str]:
    """stderr as lines, each one short and plain (no traceback, no control character)."""
    lines = err.splitlines() if isinstance(err, str) else err
    for line in lines:
        assert len(line) <= LINE_LIMIT, line
        assert line.isprintable(), line
    assert "Traceback" not in "\n".join(lines)
    return lines


def run_quickly(*args: str, timeout: float = 20, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", "batch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def test_a_fifo_input_is_refused_in_one_line_without_waiting(tmp_path):
    fifo = tmp_path / "intake.jsonl"
    os.mkfifo(fifo)  # nobody writes to it: reading it would wait for ever
    good = jsonl(tmp_path / "good.jsonl", [CLASSIC_LINE])
    out = tmp_path / "results.jsonl"
    start = time.monotonic()
    proc = run_quickly(str(fifo), str(good), "--out", str(out))
    assert time.monotonic() - start < 15
    assert proc.returncode == 1
    assert short_lines(proc.stderr) == [
        f"{shown(fifo)}: not a regular file (a pipe, device or socket); "
        "give a file, or - for standard input",
        f"scored 1 of 1 record (1 input not read) -> {shown(out)}",
    ]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.parametrize("name", ["zero.json", "zero.jsonl", "zero.csv"])
def test_a_symlink_to_dev_zero_is_refused_in_one_line(tmp_path, name):
    link = tmp_path / name
    link.symlink_to("/dev/zero")  # endless: reading it would fill memory
    out = tmp_path / "results.jsonl"
    proc = run_quickly(str(link), "--out", str(out))
    assert proc.returncode == 2
    lines = short_lines(proc.stderr)
    assert lines[0] == (
        f"{shown(link)}: not a regular file (a pipe, device or socket); "
        "give a file, or - for standard input"
    )
    assert lines[1:] == ["no records found (1 input not read); nothing written"]
    assert not out.exists()


def test_a_huge_integer_in_a_folder_skips_that_file_and_scores_the_rest(tmp_path):
    folder = tmp_path / "responses"
    folder.mkdir()
    (folder / "a-good.json").write_text(CLASSIC_LINE)
    (folder / "b-huge.json").write_text(
        '{"answers": {"urge": "yes"}, "meta": {"n": %s}}' % ("9" * 5000)
    )
    (folder / "c-latin1.json").write_bytes(
        '{"answers": {"own_words": "caf\xe9"}}'.encode("latin-1")
    )
    os.mkfifo(folder / "d-fifo.jsonl")
    (folder / "e-dev.json").symlink_to("/dev/zero")
    jsonl(folder / "f-good.jsonl", [CLASSIC_LINE, '{"meta": {"n": %s}}' % ("9" * 200)])
    out = tmp_path / "results.jsonl"
    proc = run_quickly(str(folder), "--out", str(out))

    assert proc.returncode == 1
    lines = short_lines(proc.stderr)
    digits = "not valid JSON ('n': a number of {} digits is not allowed)"
    assert lines[0] == f"{shown(folder / 'b-huge.json')}: " + digits.format(5000)
    assert (
        lines[1]
        == f"{shown(folder / 'c-latin1.json')}: not UTF-8 text; expected an answer file (JSON)"
    )
    assert lines[2].startswith(f"{shown(folder / 'd-fifo.jsonl')}: not a regular file")
    assert lines[3].startswith(f"{shown(folder / 'e-dev.json')}: not a regular file")
    assert lines[4] == f"{shown(folder / 'f-good.jsonl')}:2: " + digits.format(200)
    assert lines[5] == f"scored 2 of 3 records (1 skipped; 4 inputs not read) -> {shown(out)}"
    rows = rows_of(out)
    assert [(Path(r["source"]).name, r["line"]) for r in rows] == [
        ("a-good.json", 1),
        ("f-good.jsonl", 1),
    ]


def test_duplicate_keys_skip_the_record_naming_the_key(tmp_path, capsys):
    kiosk_meta = {"id": "k-1", "completed": "2025-01-02T10:11:12+00:00", "via": "rls-screen kiosk"}
    kiosk = json.dumps(to_document(example("classic"), BANK, kiosk_meta))
    response = json.dumps(fhir.to_response(example("classic"), BANK))
    source = jsonl(
        tmp_path / "in.jsonl",
        [
            '{"answers": {"urge": "yes", "urge": "no"}}',  # 1
            '{"answers": {"urge" : "yes", "urge": "no"}, "meta": {}}',  # 2: a space, too
            '{"answers": {"urge": "yes"}, "answers": {"rest": "yes"}}',  # 3: the top level
            kiosk,  # 4: colons in a time: scored
            kiosk.replace('"via":', '"id": "k-2", "via":'),  # 5: meta.id twice
            response,  # 6: a FHIR response: scored
            response.replace('"status":', '"status": "completed", "status":'),  # 7
            '{"answers": {"own_words": "a:b \\":\\" c"}, "meta": {"note": "x:y"}}',  # 8: scored
            '{"answers": {"own_words": "\\u003a", "urge": "yes"}, "meta": {"t": "1:2", "t": "3"}}',
        ],
    )
    fhir_file = tmp_path / "response.json"
    fhir_file.write_text(response.replace('"status":', '"status": "completed", "status":'))
    json_file = tmp_path / "answers.json"
    json_file.write_text('{"answers": {"urge": "yes"}, "meta": {"id": 1, "id": 2}}')
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(source), str(fhir_file), str(json_file), "--out", str(out))

    assert status == 1
    lines = short_lines(err)
    twice = "not valid JSON (key {} is given twice; give it once)"
    assert lines == [
        f"{shown(source)}:1: " + twice.format("'urge'"),
        f"{shown(source)}:2: " + twice.format("'urge'"),
        f"{shown(source)}:3: " + twice.format("'answers'"),
        f"{shown(source)}:5: " + twice.format("'id'"),
        f"{shown(source)}:7: " + twice.format("'status'"),
        f"{shown(source)}:9: " + twice.format("'t'"),
        f"{shown(fhir_file)}: " + twice.format("'status'"),
        f"{shown(json_file)}: " + twice.format("'id'"),
        f"scored 3 of 9 records (6 skipped; 2 inputs not read) -> {shown(out)}",
    ]
    assert [(r["line"], r["id"]) for r in rows_of(out)] == [(4, "k-1"), (6, None), (8, None)]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_nan_and_infinity_skip_the_record_naming_the_key(tmp_path, capsys, value):
    source = jsonl(
        tmp_path / "in.jsonl",
        [CLASSIC_LINE, '{"answers": {"urge": "yes"}, "meta": {"score": ' + value + "}}"],
    )
    json_file = tmp_path / "one.json"
    json_file.write_text('{"answers": {"urge": "yes"}, "meta": {"w": [1, ' + value + "]}}")
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(source), str(json_file), "--out", str(out))

    assert status == 1
    lines = short_lines(err)
    assert len(lines) == 3
    assert lines[0].startswith(f"{shown(source)}:2: not valid JSON ('score': ")
    assert lines[1].startswith(f"{shown(json_file)}: not valid JSON (")
    assert "strict JSON" in lines[0] and "strict JSON" in lines[1]
    assert len(rows_of(out)) == 1


def test_a_10_mb_value_is_one_short_line(tmp_path, capsys):
    big = "x" * (10 * 1024 * 1024)
    source = jsonl(
        tmp_path / "in.jsonl",
        [CLASSIC_LINE, json.dumps({"answers": {"urge": big}}), CLASSIC_LINE],
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"id,urge\na,yes\nb,{big}\nc,no\n")
    near = tmp_path / "near.json"  # 3 MB: under the limit, so the value itself is named
    near.write_text(json.dumps({"answers": {"urge": big[: 3 * 1024 * 1024]}}))
    far = tmp_path / "far.json"
    far.write_text(json.dumps({"answers": {"urge": big}}))
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(source), str(sheet), str(near), str(far), "--out", str(out))

    assert status == 1
    lines = short_lines(err)
    assert lines[0] == f"{shown(source)}:2: record larger than 4 MB"
    assert lines[1] == f"{shown(sheet)}:3: record larger than 4 MB"
    assert lines[2].startswith(f"{shown(near)}:1: item 'urge': 'xxxxxxxx")
    assert "…" in lines[2]
    assert lines[3].startswith(f"{shown(far)}: larger than 4 MB")
    assert [(Path(r["source"]).name, r["line"]) for r in rows_of(out)] == [
        ("in.jsonl", 1), ("in.jsonl", 3), ("sheet.csv", 2), ("sheet.csv", 4)
    ]  # fmt: skip


def test_a_line_far_past_the_limit_is_skipped_with_memory_flat(tmp_path, capsys, monkeypatch):
    """The same path as a 200 MB line under the 4 MB limit, at a 4 KB limit: the line
    is skipped to its end in chunks, never held whole."""
    import tracemalloc

    monkeypatch.setattr(reading, "MAX_INPUT_BYTES", 4096)  # a record is ~1 KB
    long_line = '{"answers": {"own_words": "' + "y" * (20 * 1024 * 1024) + '"}}'
    source = jsonl(tmp_path / "in.jsonl", [CLASSIC_LINE, long_line, CLASSIC_LINE])
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"id,own_words,urge\na,,yes\nb,{'y' * (20 * 1024 * 1024)},yes\nc,,no\n")
    out = tmp_path / "results.jsonl"
    tracemalloc.start()
    try:
        status, _, err = batch(capsys, str(source), str(sheet), "--out", str(out))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert status == 1
    assert short_lines(err) == [
        f"{shown(source)}:2: record larger than 4 MB",
        f"{shown(sheet)}:3: record larger than 4 MB",
        f"scored 4 of 6 records (2 skipped) -> {shown(out)}",
    ]
    assert [r["line"] for r in rows_of(out)] == [1, 3, 2, 4]
    assert peak < 8 * 1024 * 1024  # 20 MB lines, never read whole


@pytest.mark.parametrize("spelling", ["./same", "link", "hard link", "absolute"])
def test_an_output_that_is_an_input_is_refused_before_reading(
    tmp_path, capsys, monkeypatch, spelling
):
    monkeypatch.chdir(tmp_path)
    source = Path("intake.jsonl")
    jsonl(source, [CLASSIC_LINE, '{"answers": {"urge": "maybe"}}'])
    before = source.read_bytes()
    if spelling == "./same":
        given, out = "intake.jsonl", "./intake.jsonl"
    elif spelling == "link":
        Path("link.jsonl").symlink_to(source)
        given, out = "link.jsonl", "intake.jsonl"
    elif spelling == "hard link":
        os.link(source, "other.jsonl")
        given, out = "intake.jsonl", "other.jsonl"
    else:
        given, out = "intake.jsonl", str(tmp_path / "intake.jsonl")
    status, stdout, err = batch(capsys, given, "--out", out)

    assert status == 2
    assert stdout == ""
    assert short_lines(err) == [
        f"rls-screen: {show_name(out)}: is the input {show_name(given)} too; "
        "write the results to a new file"
    ]  # no record read: the bad record on line 2 is never mentioned
    assert source.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_out_onto_dev_null_a_device_or_a_fifo_is_refused(tmp_path):
    good = jsonl(tmp_path / "good.jsonl", [CLASSIC_LINE])
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    targets = ["/dev/null", str(fifo)]
    device = tmp_path / "device.csv"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
        targets.append(str(device))
    except OSError:  # not allowed here (not root, or no CAP_MKNOD)
        device = None
    link = tmp_path / "link.csv"
    link.symlink_to("/dev/null")
    targets.append(str(link))
    for target in targets:
        proc = run_quickly(str(good), "--out", target)
        assert proc.returncode == 2, (target, proc.stderr)
        [line] = short_lines(proc.stderr)
        assert line.startswith(f"rls-screen: {show_name(target)}: ")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    if device is not None:
        assert stat.S_ISCHR(os.lstat(device).st_mode)
    assert os.path.islink(link) and stat.S_ISCHR(os.stat(link).st_mode)
    assert leftovers(tmp_path) == []


def test_an_unterminated_quote_is_reported_where_its_row_starts(tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "id,urge,own_words\n"  # row 1
        "a,yes,fine\n"  # 2
        'b,yes,"two\nlines"\n'  # 3 (lines 3 and 4)
        'c,yes,"never closed\n'  # 4 (line 5): the quote runs to the end of the file
        "d,no,\n"  # 5 (line 6): read again as a row of its own
        "e,yes,\n"  # 6 (line 7)
    )
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(sheet), "--out", str(out))

    assert status == 1
    assert short_lines(err) == [
        f"{shown(sheet)}:4: a quote opened in this row is never closed; the file ends "
        "inside it (line 5 of the file)",
        f"scored 4 of 5 records (1 skipped) -> {shown(out)}",
    ]
    assert [(r["line"], r["id"]) for r in rows_of(out)] == [(2, "a"), (3, "b"), (5, "d"), (6, "e")]


def test_a_row_that_would_swallow_the_file_is_reported_and_the_rest_read(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(reading, "CSV_ROW_LINES", 5)
    rows = [f"p{n},yes,\n" for n in range(20)]
    sheet = tmp_path / "sheet.csv"
    sheet.write_text('id,urge,own_words\na,no,"oops\n' + "".join(rows) + 'z,yes,"x ""y"" z"\n')
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(sheet), "--out", str(out))

    assert status == 1
    assert short_lines(err) == [
        f"{shown(sheet)}:2: a quoted cell runs on past 5 line breaks; a quote is probably "
        "never closed",
        f"scored 21 of 22 records (1 skipped) -> {shown(out)}",
    ]
    assert [r["id"] for r in rows_of(out)] == [f"p{n}" for n in range(20)] + ["z"]


def _close_stdout() -> None:
    os.close(1)


@pytest.mark.parametrize("records", [1, 3000])  # the error at the end, or mid-run
def test_a_closed_stdout_is_one_line_and_exit_2(tmp_path, records):
    source = jsonl(tmp_path / "in.jsonl", [CLASSIC_LINE] * records)
    proc = subprocess.run(
        [sys.executable, "-m", "rls_screen", "batch", str(source), "--out", "-"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        preexec_fn=_close_stdout,
    )
    assert proc.returncode == 2
    [line] = short_lines(proc.stderr)
    assert line.startswith("rls-screen: <stdout>: cannot write (")
    assert "scored" not in line


@pytest.mark.parametrize("records", [1, 3000])  # the error at the end, or mid-run
def test_a_full_stdout_is_one_line_and_exit_2(tmp_path, records):
    source = jsonl(tmp_path / "in.jsonl", [CLASSIC_LINE] * records)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "rls_screen", "batch", str(source), "--out", "-"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    assert proc.returncode == 2
    [line] = short_lines(proc.stderr)
    assert line == "rls-screen: <stdout>: cannot write (No space left on device)"


def test_a_file_name_with_a_newline_and_an_escape_is_shown_escaped(tmp_path, capsys):
    source = jsonl(tmp_path / "odd\nname\x1b[31m.jsonl", [CLASSIC_LINE, "{"])
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(source), "--out", str(out))

    assert status == 1
    lines = short_lines(err)
    assert len(lines) == 2
    assert lines[0].startswith(show_name(str(source)) + ":2: not valid JSON")
    assert "odd\\nname\\x1b[31m.jsonl:2:" in lines[0]
    # The output keeps the name as it is: it is data, JSON-escaped.
    assert rows_of(out)[0]["source"] == str(source)


def test_help_states_the_size_limit():
    proc = subprocess.run(
        [sys.executable, "-m", "rls_screen", "batch", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    assert "at most 4 MB" in text and "record larger than 4 MB" in text
    assert "4 MB" in (batch_module.__doc__ or "")


def test_a_kiosk_folder_is_read_without_its_alerts_and_partial_records(tmp_path):
    # What `rls-screen kiosk --save-dir` leaves: records, staff alerts, kept partials.
    folder = tmp_path / "intake"
    folder.mkdir()
    examples = ROOT / "examples"
    (folder / "20261123-1400-AAAA.json").write_text((examples / "classic.json").read_text())
    (folder / "20261123-1400-AAAA.alert.json").write_text('{"alert": true, "red_flags": []}')
    partial = (examples / "red-flag.json").read_text()
    (folder / "20261123-1410-BBBB.partial.json").write_text(partial)
    out = tmp_path / "out.jsonl"
    proc = run(str(folder), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["source"] for row in rows] == [f"{folder}/20261123-1400-AAAA.json"]


# --- the columns and encoders come from engine.Result -------------------------------------


def test_the_columns_and_keys_are_a_walk_of_the_result_model():
    # Written out above (CSV_COLUMNS) as docs/instrument.md section 5 has them; here,
    # as batch must derive them: Result's fields in order, a nested model's flattened.
    walked = []
    for name, field in engine.Result.model_fields.items():
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel):
            walked += [f"{name}.{sub}" for sub in nested.model_fields]
        else:
            walked.append(name)
    assert columns.ROW_COLUMNS + columns.layout().columns == ("source", "line", "id", *walked)
    assert list(columns.ROW_COLUMNS + columns.layout().columns) == CSV_COLUMNS


def test_a_batch_makes_its_encoders_once_not_per_row_or_input(tmp_path, capsys, monkeypatch):
    # Generating and compiling the encoders costs more than scoring a record: made per
    # row or per input file, batch would lose what trick 6 of ARCHITECTURE.md saves.
    made = []
    compile_encoder = columns._Source.compile

    def counted(source, fallback):
        made.append(fallback)
        return compile_encoder(source, fallback)

    monkeypatch.setattr(columns._Source, "compile", counted)
    columns.layout_of.cache_clear()
    folder = tmp_path / "in"
    folder.mkdir()
    rng = random.Random(3)
    for name in ("a", "b", "c"):
        jsonl(folder / f"{name}.jsonl", [document(random_answers(rng)) for _ in range(20)])
    for out in (tmp_path / "out.csv", tmp_path / "out.jsonl"):
        assert batch(capsys, str(folder), "--out", str(out))[0] == 0
        assert len(out.read_text().splitlines()) in (60, 61)  # 60 rows, and a CSV header
    assert len(made) == 2  # the JSON encoder and the CSV one, once in the process


class _Detail(BaseModel):
    level: Literal["low", "high"]
    reason: str


class _WiderResult(engine.Result):
    """Result with one field more of every kind batch knows, and one it does not."""

    flagged: bool = False
    maybe: bool | None = None
    severity: Literal["mild", "severe"] | None = None
    extras: list[str] = []
    note: str = ""
    detail: _Detail = _Detail(level="low", reason="")
    count: int | None = None


WIDER = {
    "flagged": True,
    "maybe": None,
    "severity": "severe",
    "extras": ["a_b", "c"],
    "note": '=1+2, "quoted"\nnaïve',
    "detail": {"level": "high", "reason": "-x;y"},
    "count": 12,
}
WIDER_CELLS = ["true", "", "severe", "a_b;c", '\'=1+2, "quoted"\nnaïve', "high", "'-x;y", "12"]


def test_a_field_added_to_result_is_written_in_jsonl_and_csv_with_no_edit_in_batch(
    tmp_path, capsys, monkeypatch
):
    def wider(bank, answers):
        return {**evaluate(bank, answers), **WIDER}

    monkeypatch.setattr(engine, "Result", _WiderResult)
    monkeypatch.setattr(batch_module, "evaluate", wider)
    source = jsonl(tmp_path / "in.jsonl", [document(example("classic"), "p1")])
    result = wider(BANK, example("classic"))
    _WiderResult.model_validate(result)  # the dict is what the model declares

    out = tmp_path / "out.jsonl"
    assert batch(capsys, str(source), "--out", str(out))[0] == 0
    compact = json.dumps(result, separators=(",", ":"))
    assert out.read_text() == (
        f'{{"source":{json.dumps(str(source))},"line":1,"id":"p1","result":{compact}}}\n'
    )

    out = tmp_path / "out.csv"
    assert batch(capsys, str(source), "--out", str(out))[0] == 0
    added = [
        "flagged", "maybe", "severity", "extras", "note", "detail.level", "detail.reason",
        "count",
    ]  # fmt: skip
    header, row = list(csv.reader(io.StringIO(out.read_text(), newline="")))
    assert header == CSV_COLUMNS + added
    assert row[len(CSV_COLUMNS) :] == WIDER_CELLS
    # As csv.writer writes the same cells, byte for byte.
    written = io.StringIO(newline="")
    csv.writer(written, lineterminator="\n").writerows([header, row])
    assert out.read_text(encoding="utf-8") == written.getvalue()


def test_the_encoders_of_a_wider_model_match_json_and_csv():
    layout = columns.layout_of(_WiderResult)
    rng = random.Random(5)
    for _ in range(200):
        result = {**evaluate(BANK, read_answers(random_answers(rng))), **WIDER}
        assert layout.json(result) == json.dumps(result, separators=(",", ":"))
        row = next(csv.reader([layout.csv(result)]))
        assert row[-len(WIDER_CELLS) :] == WIDER_CELLS
        assert row[: -len(WIDER_CELLS)] == next(csv.reader([columns.layout().csv(result)]))


def test_a_result_of_another_shape_goes_to_json_whole():
    # A key more or fewer, in the result or in a nested object: json writes it whole.
    encode = columns.layout().json
    result = evaluate(BANK, example("classic"))
    shapes = [
        {**result, "more": 1},
        {k: v for k, v in result.items() if k != "pattern"},
        {**{k: v for k, v in result.items() if k != "pattern"}, "other": "x"},  # same size
        {**result, "essential_features": {**result["essential_features"], "more": "met"}},
    ]
    for shape in shapes:
        assert encode(shape) == json.dumps(shape, separators=(",", ":"))


def test_ctrl_c_while_the_temp_file_is_made_leaves_nothing(tmp_path):
    """Ctrl+C between making the temp file and knowing it (a busy machine once showed
    it): it waits until the file is known, and then nothing is left in the folder. In a
    process of its own: a signal is the main thread's business."""
    code = f"""
import os, signal
from rls_screen.batch import output
from rls_screen.interop import files
real_fchmod = os.fchmod
def fchmod_then_ctrl_c(fd, mode):
    os.kill(os.getpid(), signal.SIGINT)  # arrives now, in the middle of making it
    real_fchmod(fd, mode)
files.os.fchmod = fchmod_then_ctrl_c
try:
    output.Output({str(tmp_path / "results.jsonl")!r})
except KeyboardInterrupt:
    print("interrupted")
"""
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "interrupted", proc.stderr
    assert list(tmp_path.iterdir()) == []
