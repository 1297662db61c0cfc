"""`rls-screen diary add|import|export|summary|forget` (issue 22, docs/diary.md): exit
status 0, 1 when nights were kept, 2 on bad input with nothing written; round trips;
twenty writers at once; an import killed in the middle."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_runner import run_cli

from rls_screen.core.diary import FIELDS, night_for_now
from rls_screen.interop.diary_store import DiaryStore

SUMMARY_KEYS = [
    "first_night", "last_night", "days", "nights_recorded", "nights_with_symptoms",
    "symptom_nights_per_week", "median_onset", "earliest_onset", "onset_shift_hours",
    "median_severity", "median_sleep_latency", "nights_latency_over_30",
    "median_awakenings", "median_total_sleep", "median_sleep_efficiency",
    "nights_onset_before_medicine", "self_reported",
]  # fmt: skip

FULL = {
    "night": "2026-11-20",
    "symptoms": "yes",
    "onset": "21:30",
    "severity": 6,
    "bed": "01:30",
    "sleep_latency": 40,
    "awakenings": 2,
    "awake_minutes": 25,
    "wake": "07:10",
    "out_of_bed": "07:30",
    "quality": "poor",
    "rls_medicine_time": "20:00",
    "caffeine_late": "no",
    "alcohol": "yes",
    "note": 'Walked, "odd" legs, 50% better, <b>bold</b>',
}


def diary(db: Path, *args: str, stdin: str | None = None):
    return run_cli("diary", "--db", str(db), *args, stdin=stdin)


def stored(db: Path) -> list[dict]:
    with DiaryStore.open(db) as store:
        return [n.raw() for n in store.nights()]


def json_file(path: Path, nights: list[dict]) -> Path:
    doc = {"diary": "rls-screen", "diary_version": "1.0.0", "nights": nights}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def two_weeks() -> list[dict]:
    first = dt.date(2026, 11, 1)
    return [
        {"night": (first + dt.timedelta(days=i)).isoformat(), "symptoms": "yes" if i % 2 else "no",
         **({"onset": f"2{i % 4}:15", "severity": i % 11} if i % 2 else {}),
         "bed": "23:30", "sleep_latency": 10 + i, "awake_minutes": 5, "wake": "06:30"}
        for i in range(14)
    ]  # fmt: skip


def test_add_then_summary_as_json_has_exactly_the_keys(tmp_path):
    db = tmp_path / "d.sqlite3"
    values = [f"{k}={v}" for k, v in FULL.items() if k != "night"]
    proc = diary(db, "add", "--night", "2026-11-20", *values)
    assert proc.returncode == 0, proc.stderr
    assert "2026-11-20" in proc.stdout
    assert stored(db) == [FULL]
    summary = json.loads(diary(db, "summary", "--format", "json").stdout)
    assert list(summary) == SUMMARY_KEYS
    assert summary["median_onset"] == "21:30" and summary["self_reported"] is True
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_db_may_come_after_the_action(tmp_path):
    db = tmp_path / "d.sqlite3"
    proc = run_cli("diary", "add", "--db", str(db), "--night", "2026-11-20", "symptoms=no")
    assert proc.returncode == 0, proc.stderr
    assert stored(db) == [{"night": "2026-11-20", "symptoms": "no"}]


def test_add_keeps_a_stored_night_unless_replace(tmp_path):
    db = tmp_path / "d.sqlite3"
    assert diary(db, "add", "--night", "2026-11-20", "symptoms=yes").returncode == 0
    proc = diary(db, "add", "--night", "2026-11-20", "symptoms=no")
    assert proc.returncode == 1 and "--replace" in proc.stderr
    assert stored(db) == [{"night": "2026-11-20", "symptoms": "yes"}]
    assert diary(db, "add", "--night", "2026-11-20", "--replace", "symptoms=no").returncode == 0
    assert stored(db) == [{"night": "2026-11-20", "symptoms": "no"}]


def test_add_without_a_night_writes_the_night_for_now(tmp_path):
    db = tmp_path / "d.sqlite3"
    assert diary(db, "add", "symptoms=unsure").returncode == 0
    assert stored(db)[0]["night"] in {
        night_for_now(dt.datetime.now()).isoformat(),
        night_for_now(dt.datetime.now() - dt.timedelta(minutes=1)).isoformat(),
    }


@pytest.mark.parametrize(
    "values",
    [
        ["sleep_latency=forty"],
        ["sleep_latency=4.5"],
        ["severity=11"],
        ["onset=9pm"],
        ["colour=blue"],
        ["symptoms"],
        ["symptoms=yes", "symptoms=no"],
        ["symptoms=no", "onset=21:00"],
    ],
)
def test_add_refuses_a_bad_value_in_one_line_and_writes_nothing(tmp_path, values):
    db = tmp_path / "d.sqlite3"
    proc = diary(db, "add", "--night", "2026-11-20", *values)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert stored(db) == []


# Every bad value of the spec's table, each as a JSON value and as a CSV cell.
BAD = [
    ("night", "2099-01-01"),
    ("night", "1999-12-31"),
    ("night", "2026-13-01"),
    ("symptoms", "maybe"),
    ("onset", "25:00"),
    ("onset", "9:30"),
    ("severity", 11),
    ("severity", -1),
    ("severity", "6"),
    ("severity", 6.5),
    ("bed", "midnight"),
    ("sleep_latency", 721),
    ("sleep_latency", "40"),
    ("awakenings", 51),
    ("awake_minutes", 800),
    ("wake", "7:00"),
    ("out_of_bed", "07:60"),
    ("quality", "ok"),
    ("rls_medicine_time", "20h"),
    ("caffeine_late", "maybe"),
    ("alcohol", "true"),
    ("note", "x" * 301),
    ("note", "bell\x07"),
]


@pytest.mark.parametrize(("field", "value"), BAD, ids=[f"{f}={v!r}"[:30] for f, v in BAD])
def test_every_bad_value_stops_the_whole_import(tmp_path, field, value):
    db = tmp_path / "d.sqlite3"
    good = {"night": "2026-11-19", "symptoms": "yes"}
    bad = {"night": "2026-11-20", "symptoms": "yes", field: value}
    path = json_file(tmp_path / "in.json", [good, bad])
    proc = diary(db, "import", str(path))
    assert proc.returncode == 2, proc.stdout
    line = proc.stderr.strip()
    assert "\n" not in line and field in line and "in.json" in line
    if field != "night":
        assert "2026-11-20" in line
    assert stored(db) == []
    if isinstance(value, str) and not value.isdigit():  # CSV: the same value as a cell
        row = {**{"night": "2026-11-20", "symptoms": "yes"}, field: value}
        good_row = ["2026-11-19", "yes"] + [""] * (len(row) - 2)
        text = ",".join(row) + "\n" + ",".join(good_row) + "\n"
        text += ",".join(row.values()) + "\n"
        csv_path = tmp_path / "in.csv"
        csv_path.write_text(text, encoding="utf-8")
        proc = diary(db, "import", str(csv_path))
        assert proc.returncode == 2 and field in proc.stderr, proc.stderr
        assert stored(db) == []


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ('{"diary": "rls-screen", "diary_version": "1.0.0", "nights": [{"night": '
         '"2026-11-20", "night": "2026-11-21"}]}', "night"),
        ('{"diary": "rls-screen", "diary_version": "1.0.0", "nights": [{"night": '
         '"2026-11-20", "severity": NaN}]}', "NaN"),
        ('{"diary": "rls-screen", "diary_version": "2.0.0", "nights": []}', "diary_version"),
        ('{"diary": "other", "nights": []}', "not a diary file"),
        ('{"diary": "rls-screen", "diary_version": "1.0.0", "nights": [], "x": 1}', "'x'"),
        ('{"diary": "rls-screen", "diary_version": "1.0.0", "nights": [{"night": '
         '"2026-11-20"}, {"night": "2026-11-20"}]}', "twice"),
        ('{"diary": "rls-screen", "diary_version": "1.0.0", "nights": ["2026-11-20"]}',
         "table of fields"),
        ("night,colour\n2026-11-20,blue\n", "colour"),
        ("symptoms\nyes\n", "night column"),
        ("night,symptoms\n2026-11-20,yes,extra\n", "line 2"),
        ("night,symptoms\n2026-11-20,yes\n2026-11-20,no\n", "twice"),
    ],
)  # fmt: skip
def test_a_bad_file_is_one_line_and_exit_2(tmp_path, content, said):
    db = tmp_path / "d.sqlite3"
    path = tmp_path / "in.txt"
    path.write_text(content, encoding="utf-8")
    proc = diary(db, "import", str(path))
    assert proc.returncode == 2
    assert said in proc.stderr and proc.stderr.count("\n") == 1
    assert stored(db) == []


def test_files_follow_the_answer_files_rules(tmp_path):
    db = tmp_path / "d.sqlite3"
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (4 * 1024 * 1024 + 1))
    assert "4 MB" in diary(db, "import", str(big)).stderr
    proc = diary(db, "import", str(tmp_path))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert diary(db, "import", str(tmp_path / "missing.json")).returncode == 2


def test_import_exits_1_when_nights_were_kept_and_replace_replaces(tmp_path):
    db = tmp_path / "d.sqlite3"
    nights = two_weeks()
    path = json_file(tmp_path / "in.json", nights)
    proc = diary(db, "import", str(path))
    assert proc.returncode == 0, proc.stderr
    assert "14 of 14" in proc.stdout
    changed = [{**n, "symptoms": "unsure"} for n in nights[:3]] + [{"night": "2026-11-30"}]
    path = json_file(tmp_path / "more.json", changed)
    proc = diary(db, "import", str(path))
    assert proc.returncode == 1
    assert "1 of 4" in proc.stdout
    assert "2026-11-01, 2026-11-02, 2026-11-03" in proc.stderr
    assert len(stored(db)) == 15 and stored(db)[0]["symptoms"] == "no"
    assert diary(db, "import", "--replace", str(path)).returncode == 0
    assert stored(db)[0]["symptoms"] == "unsure"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_gives_the_same_nights(tmp_path, fmt):
    db, other = tmp_path / "d.sqlite3", tmp_path / "e.sqlite3"
    nights = [*two_weeks(), FULL, {"night": "2026-11-21", "note": 'a, b; "c" no'}]
    assert diary(db, "import", str(json_file(tmp_path / "in.json", nights))).returncode == 0
    out = tmp_path / f"out.{fmt}"
    proc = diary(db, "export", "--format", fmt, "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    if fmt == "csv":
        assert out.read_text(encoding="utf-8").splitlines()[0] == ",".join(FIELDS)
    assert diary(other, "import", str(out)).returncode == 0
    assert stored(other) == stored(db) == sorted(nights, key=lambda n: n["night"])


def test_a_note_that_looks_like_a_formula_is_never_one_in_csv(tmp_path):
    db, other = tmp_path / "d.sqlite3", tmp_path / "e.sqlite3"
    notes = ['=HYPERLINK("http://x")', "+1 cramp", "-2 hours", "@home", "'quoted'"]
    nights = [{"night": f"2026-11-{10 + i:02d}", "note": note} for i, note in enumerate(notes)]
    assert diary(db, "import", str(json_file(tmp_path / "in.json", nights))).returncode == 0
    out = tmp_path / "out.csv"
    assert diary(db, "export", "--format", "csv", "-o", str(out)).returncode == 0
    with out.open(newline="", encoding="utf-8") as handle:
        cells = [row["note"] for row in csv.DictReader(handle)]
    assert cells == ["'" + note for note in notes]  # a spreadsheet shows these as text
    assert diary(other, "import", str(out)).returncode == 0
    assert [n["note"] for n in stored(other)] == notes  # and the diary reads them back


def test_export_to_stdout_and_the_other_formats(tmp_path):
    db = tmp_path / "d.sqlite3"
    diary(db, "import", str(json_file(tmp_path / "in.json", two_weeks())))
    doc = json.loads(diary(db, "export").stdout)
    assert doc["diary"] == "rls-screen" and len(doc["nights"]) == 14
    bundle = json.loads(diary(db, "export", "--format", "fhir").stdout)
    assert bundle["resourceType"] == "Bundle"
    assert "<svg" in diary(db, "export", "--format", "html").stdout
    assert "self-reported" in diary(db, "export", "--format", "markdown").stdout


def test_summary_in_plain_words_and_with_from_and_to(tmp_path):
    db = tmp_path / "d.sqlite3"
    diary(db, "import", str(json_file(tmp_path / "in.json", two_weeks())))
    text = diary(db, "summary").stdout
    assert "Nights you wrote down: 14. The feelings came on 7 of them" in text
    assert "self-reported" in text
    data = json.loads(diary(db, "summary", "--format", "json", "--from", "2026-11-08").stdout)
    assert (data["first_night"], data["nights_recorded"]) == ("2026-11-08", 7)
    data = json.loads(diary(db, "summary", "--format", "json", "--to", "2026-11-03").stdout)
    assert (data["last_night"], data["nights_recorded"]) == ("2026-11-03", 3)
    assert (
        json.loads(diary(db, "summary", "--format", "json", "--from", "2026-12-01").stdout) is None
    )
    proc = diary(db, "summary", "--from", "yesterday")
    assert proc.returncode == 2 and "--from" in proc.stderr


def test_forget_asks_first(tmp_path):
    db = tmp_path / "d.sqlite3"
    diary(db, "add", "--night", "2026-11-20", "symptoms=yes")
    proc = diary(db, "forget", stdin="yes\n")  # not a terminal: only with --yes
    assert proc.returncode == 2 and "--yes" in proc.stderr
    assert db.exists()
    proc = diary(db, "forget", "--yes")
    assert proc.returncode == 0, proc.stderr
    assert not db.exists() and not list(tmp_path.iterdir())


def test_the_help_of_each_action(tmp_path):
    for action in ("add", "import", "export", "summary", "forget"):
        proc = run_cli("diary", action, "--help")
        assert proc.returncode == 0 and "--db" in proc.stdout, action
    assert "diary" in run_cli("--help").stdout


def test_a_corrupt_diary_is_moved_aside_and_the_person_told(tmp_path):
    db = tmp_path / "d.sqlite3"
    db.write_bytes(b"\x00garbage" * 500)
    proc = diary(db, "add", "--night", "2026-11-20", "symptoms=yes")
    assert proc.returncode == 0
    assert "moved aside" in proc.stderr and "d.sqlite3.bad" in proc.stderr
    # One line, with the program's name in front as every other message has it.
    assert proc.stderr.startswith("rls-screen: ") and proc.stderr.count("\n") == 1
    assert (tmp_path / "d.sqlite3.bad").read_bytes() == b"\x00garbage" * 500
    assert len(stored(db)) == 1


def test_twenty_diary_adds_at_once_keep_twenty_nights(tmp_path):
    db = tmp_path / "d.sqlite3"
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rls_screen", "diary", "add", "--db", str(db),
             "--night", f"2026-10-{day:02d}", "symptoms=yes", f"severity={day % 11}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for day in range(1, 21)
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, [err for _, err in results]
    assert [n["night"] for n in stored(db)] == [f"2026-10-{d:02d}" for d in range(1, 21)]


KILLED_IMPORT = """
import datetime, sys
from rls_screen.core.diary import parse_night
from rls_screen.interop.diary_store import DiaryStore

def nights():
    first = datetime.date(2000, 1, 1)
    for i in range(9000):
        if i == 4500:
            print("half", flush=True)
            sys.stdin.readline()  # wait to be killed, mid-transaction
        yield parse_night({"night": (first + datetime.timedelta(days=i)).isoformat(),
                           "symptoms": "yes", "note": "x" * 200})

with DiaryStore.open(sys.argv[1]) as store:
    store.put_many(nights())
"""


def test_kill_9_in_the_middle_of_a_large_import_leaves_none_of_it(tmp_path):
    db = tmp_path / "d.sqlite3"
    with DiaryStore.open(db) as store:
        store.put(parse(dict(night="2026-11-20", symptoms="no")))
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout.readline() == "half\n"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdin.close()
    proc.stdout.close()
    assert stored(db) == [{"night": "2026-11-20", "symptoms": "no"}]  # none of the 4,500


def test_a_large_import_is_all_there_when_it_ends(tmp_path):
    db = tmp_path / "d.sqlite3"
    first = dt.date(2000, 1, 1)
    nights = [{"night": (first + dt.timedelta(days=i)).isoformat(), "symptoms": "yes"}
              for i in range(3650)]  # fmt: skip
    proc = diary(db, "import", str(json_file(tmp_path / "big.json", nights)))
    assert proc.returncode == 0, proc.stderr
    with DiaryStore.open(db) as store:
        assert store.count() == 3650


def parse(raw):
    from rls_screen.core.diary import parse_night

    return parse_night(raw)


def test_no_action_runs_the_face_on_the_night_asked(tmp_path):
    db = tmp_path / "d.sqlite3"
    proc = diary(db, "--plain", "--night", "2026-11-20", stdin="y\n21:30\n" + "\n" * 20)
    assert proc.returncode == 0, proc.stderr
    assert stored(db)[0]["night"] == "2026-11-20"
    proc = diary(db, "--plain", "--night", "2099-01-01")
    assert proc.returncode == 2 and "--night" in proc.stderr and "Traceback" not in proc.stderr


def test_export_never_writes_over_the_diary_itself(tmp_path):
    db = tmp_path / "d.sqlite3"
    diary(db, "add", "--night", "2026-11-20", "symptoms=yes")
    proc = diary(db, "export", "-o", str(db))
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert stored(db) == [{"night": "2026-11-20", "symptoms": "yes"}]


def test_kill_9_of_a_real_diary_import_leaves_all_of_it_or_none(tmp_path):
    db = tmp_path / "d.sqlite3"
    first = dt.date(2000, 1, 1)
    nights = [{"night": (first + dt.timedelta(days=i)).isoformat(), "symptoms": "yes",
               "note": f"night {i} " + "x" * 250} for i in range(9000)]  # fmt: skip
    path = json_file(tmp_path / "big.json", nights)
    assert diary(db, "add", "--night", "2026-11-20", "symptoms=no").returncode == 0
    wal = Path(f"{db}-wal")
    start = wal.stat().st_size if wal.exists() else 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "diary", "--db", str(db), "import", str(path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # The store's pages spill into the journal while the one transaction runs: kill then.
    while proc.poll() is None and (not wal.exists() or wal.stat().st_size <= start + 65536):
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    count = len(stored(db))
    assert count in (1, 9001)
