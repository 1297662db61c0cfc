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
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rls_screen import batch as batch_module
from rls_screen import fhir, vocab
from rls_screen.answers import check_answers, read_answer_file, to_document
from rls_screen.bank import load_bank
from rls_screen.cli import main
from rls_screen.engine import evaluate, score

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
    "urgency",
    "tests_to_discuss",
    "pediatric",
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
    assert bad[0].startswith(f"{source}:3: item 'urge': 'maybe' is not allowed")
    assert bad[1].startswith(f"{source}:4: not valid JSON")
    assert bad[2].startswith(f"{source}:7: unknown item 'urgee'")
    assert all(line.count(str(source)) == 1 for line in bad)  # the name once, not twice
    assert err[-1] == f"scored 3 of 6 records (3 skipped) -> {out}"


def test_all_good_exits_0_with_a_private_file_and_no_temp_left(tmp_path, capsys):
    rng = random.Random(3)
    records = [{"answers": random_answers(rng)} for _ in range(40)]
    source = jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out" / "results.jsonl"
    out.parent.mkdir()
    status, _, err = batch(capsys, str(source), "--out", str(out))

    assert status == 0
    assert err == [f"scored 40 of 40 records -> {out}"]
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
    assert err[0] == f"{folder / 'bad.json'}:1: item 'sensations' takes a list of codes; " + (
        "allowed: " + ", ".join(BANK.items["sensations"].codes)
    )
    assert err[1].startswith(f"{folder / 'broken.json'}: not valid JSON")
    scored = len(names)
    assert err[2] == (
        f"scored {scored} of {scored + 1} records (1 skipped; 1 input not read) -> {out}"
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
        assert row["result"] == json.loads(scored.stdout)


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
        f"{wrong_path}:1: the response is marked entered-in-error; it cannot be read",
        f"scored 1 of 2 records (1 skipped) -> {out}",
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
    assert err[0].startswith(f"{path}:2: linkId {link_id!r}: code 'maybe' is not allowed")
    assert err[1] == f"{path}:4: this Bundle entry has no 'resource' object"
    assert err[2] == f"scored 2 of 4 records (2 skipped) -> {out}"


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
    assert err[0].startswith(f"{path}:3: item 'urge': 'maybe' is not allowed")
    assert err[1].startswith(f"{path}:7: item 'sensations': 'nonsense' is not allowed")
    assert err[2] == f"{path}:9: 7 cells, but the header names 6 columns"
    assert err[3] == f"scored 3 of 6 records (3 skipped) -> {out}"


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
    assert err[0] == f"{path}:6: item 'own_words': the text has 501 characters; at most 500 allowed"
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
    assert err[0].startswith(f"{path}: unknown columns 'age', 'urgee' in the header")
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
        ):
            assert cells[key] == ";".join(want[key])
        assert cells["tests_to_discuss"] == ";".join(want["tests_to_discuss"])
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
    assert proc.stderr == f"rls-screen: {out}: the folder {out.parent} does not exist\n"


def test_missing_and_unknown_inputs_are_one_line_each(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("{}")
    out = tmp_path / "results.csv"
    missing, notes = tmp_path / "nope.jsonl", tmp_path / "notes.txt"
    status, _, err = batch(capsys, str(missing), str(notes), "--out", str(out))

    assert status == 2
    assert err == [
        f"{missing}: no such file",
        f"{notes}: unknown file type '.txt'; expected .json, .jsonl, .ndjson or .csv",
        "no records found (2 inputs not read); nothing written",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_an_unreadable_input_among_good_ones_exits_1(tmp_path, capsys):
    out = tmp_path / "results.jsonl"
    status, _, err = batch(capsys, str(EXAMPLES[0]), str(tmp_path / "gone.json"), "--out", str(out))
    assert status == 1
    assert err == [
        f"{tmp_path / 'gone.json'}: no such file",
        f"scored 1 of 1 record (1 input not read) -> {out}",
    ]


def test_nothing_scored_leaves_the_old_output_alone(tmp_path, capsys):
    out = tmp_path / "results.csv"
    out.write_text("yesterday's results\n")
    source = jsonl(tmp_path / "in.jsonl", [{"answers": {"urge": "maybe"}}, "[]"])
    status, _, err = batch(capsys, str(source), "--out", str(out))

    assert status == 2
    assert len(err) == 3
    assert err[1] == f"{source}:2: expected a JSON object with an 'answers' object"
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
    shown = b"".join(chunks).decode()
    assert "records (" in shown and "% read" in shown
    progress, _, summary = shown.rpartition("\r\x1b[K")
    assert "\r" in progress
    assert summary.strip() == f"scored 1,100 of 1,100 records -> {out}"


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
             ";".join(r["red_flags"]), ";".join(r["red_flags_unsure"]), r["urgency"],
             ";".join(r["tests_to_discuss"]), text[r["pediatric"]]]
        )  # fmt: skip
    got = out.read_bytes().decode()
    # A carriage return is always quoted (csv.writer of Python 3.11 leaves it bare, and
    # readers then take it for the end of a line); everything else is the same.
    assert got == want.getvalue().replace(",cr\r,", ',"cr\r",')
    with out.open(newline="", encoding="utf-8") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == [*ids, ""]
