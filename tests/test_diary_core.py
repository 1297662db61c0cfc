"""The diary's entry and its clock (issue 22; docs/diary.md): core/diary.py."""

from __future__ import annotations

import datetime as dt

import pydantic
import pytest

from rls_screen.core.diary import (
    FIELDS,
    DiaryError,
    Night,
    after_bed,
    entry_questions,
    night_for_now,
    on_line,
    parse_night,
)

TODAY = dt.date(2026, 12, 3)


def test_the_fields_are_the_specs_in_its_order():
    assert list(FIELDS) == [
        "night",
        "symptoms",
        "onset",
        "severity",
        "bed",
        "sleep_latency",
        "awakenings",
        "awake_minutes",
        "wake",
        "out_of_bed",
        "quality",
        "rls_medicine_time",
        "caffeine_late",
        "alcohol",
        "note",
    ]
    assert [q["id"] for q in entry_questions()] == list(FIELDS)
    assert all(q["text"] for q in entry_questions())


def test_a_full_night_reads_and_writes_back():
    raw = {
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
        "note": 'Long walk; "odd" {legs} <b>',
    }
    night = parse_night(raw, today=TODAY)
    assert night.night == dt.date(2026, 11, 20)
    assert night.raw() == raw
    assert isinstance(night, Night)
    with pytest.raises(pydantic.ValidationError):  # frozen
        night.severity = 3  # type: ignore[misc]


def test_out_of_bed_defaults_to_wake():
    night = parse_night({"night": "2026-11-20", "wake": "06:40"}, today=TODAY)
    assert night.out_of_bed is None and night.got_up == "06:40"
    assert night.raw() == {"night": "2026-11-20", "wake": "06:40"}


def test_none_is_a_missing_value():
    night = parse_night({"night": "2026-11-20", "onset": None}, today=TODAY)
    assert night.onset is None


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("night", "2026-12-04", "not after today"),
        ("night", "1999-12-31", "not before 2000"),
        ("night", "2026-02-30", "YYYY-MM-DD"),
        ("night", "20261120", "YYYY-MM-DD"),
        ("night", 20261120, "YYYY-MM-DD"),
        ("symptoms", "maybe", "yes, no, unsure"),
        ("symptoms", True, "yes, no, unsure"),
        ("onset", "9:30", "HH:MM"),
        ("onset", "24:00", "HH:MM"),
        ("onset", "21:60", "HH:MM"),
        ("onset", 2130, "HH:MM"),
        ("bed", "23.15", "HH:MM"),
        ("wake", " 07:00", "HH:MM"),
        ("out_of_bed", "7am", "HH:MM"),
        ("rls_medicine_time", "", "HH:MM"),
        ("severity", 11, "0 to 10"),
        ("severity", -1, "0 to 10"),
        ("severity", 5.0, "0 to 10"),
        ("severity", "5", "0 to 10"),
        ("severity", True, "0 to 10"),
        ("sleep_latency", "40", "0 to 720"),
        ("sleep_latency", 721, "0 to 720"),
        ("awakenings", 51, "0 to 50"),
        ("awake_minutes", -5, "0 to 720"),
        ("quality", "great", "very_poor"),
        ("caffeine_late", "unsure", "yes, no"),
        ("alcohol", 1, "yes, no"),
        ("note", "", "1 to 300"),
        ("note", "x" * 301, "1 to 300"),
        ("note", "two\nlines", "control"),
        ("note", "\x1b[31mred", "control"),
        ("colour", "blue", "the fields are"),
    ],
)
def test_every_bad_value_is_one_line_naming_night_field_and_allowed(field, value, allowed):
    raw = {"night": "2026-11-20", field: value}
    with pytest.raises(DiaryError) as caught:
        parse_night(raw, today=TODAY)
    message = str(caught.value)
    assert "\n" not in message
    assert allowed in message
    assert f": {field}: " in message or f": {field!r}: " in message
    assert message.startswith("night ")
    if field != "night":
        assert "2026-11-20" in message


def test_a_night_without_its_date_is_refused():
    with pytest.raises(DiaryError, match="night"):
        parse_night({"symptoms": "yes"}, today=TODAY)


def test_no_symptoms_means_no_onset_and_no_severity_above_0():
    with pytest.raises(DiaryError, match="onset"):
        parse_night({"night": "2026-11-20", "symptoms": "no", "onset": "21:00"}, today=TODAY)
    with pytest.raises(DiaryError, match="severity"):
        parse_night({"night": "2026-11-20", "symptoms": "no", "severity": 3}, today=TODAY)
    night = parse_night({"night": "2026-11-20", "symptoms": "no", "severity": 0}, today=TODAY)
    assert night.severity == 0


def test_getting_up_before_the_last_waking_is_refused():
    raw = {"night": "2026-11-20", "bed": "23:00", "wake": "07:00", "out_of_bed": "06:30"}
    with pytest.raises(DiaryError, match="out_of_bed"):
        parse_night(raw, today=TODAY)
    raw["out_of_bed"] = "07:00"
    assert parse_night(raw, today=TODAY).out_of_bed == "07:00"


def test_the_nights_line_runs_from_six_in_the_morning():
    assert on_line("06:00") == 0
    assert on_line("10:00") == 240  # the morning of the night's date
    assert on_line("21:30") == 930
    assert on_line("00:00") == 1080
    assert on_line("01:30") == 1170  # after midnight: later than 23:00
    assert on_line("05:59") == 1439
    assert on_line("01:30") > on_line("23:00")


def test_wake_is_the_first_such_time_after_bed():
    assert after_bed("23:00", "07:00") == 480
    assert after_bed("01:30", "07:00") == 330
    assert after_bed("22:00", "23:30") == 90
    assert after_bed("23:00", "22:59") == 1439
    assert after_bed("23:00", "23:00") == 0


@pytest.mark.parametrize(
    ("now", "night"),
    [
        (dt.datetime(2026, 12, 3, 0, 5), dt.date(2026, 12, 2)),
        (dt.datetime(2026, 12, 3, 13, 59), dt.date(2026, 12, 2)),
        (dt.datetime(2026, 12, 3, 14, 0), dt.date(2026, 12, 3)),
        (dt.datetime(2026, 12, 3, 23, 30), dt.date(2026, 12, 3)),
        (dt.datetime(2026, 1, 1, 9, 0), dt.date(2025, 12, 31)),
    ],
)
def test_the_night_for_now(now, night):
    assert night_for_now(now) == night


def test_check_questions_finds_a_broken_diary_file(tmp_path):
    import shutil

    from cli_runner import run_cli

    from rls_screen.core.locations import default_questions_dir

    folder = tmp_path / "questions"
    shutil.copytree(default_questions_dir(), folder)
    path = folder / "diary.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('{ code = "unsure", label = "Not sure" },', ""), "utf-8")
    proc = run_cli("check-questions", str(folder))
    assert proc.returncode == 2
    assert "diary.toml: symptoms:" in proc.stderr and "yes, no, unsure" in proc.stderr
    path.write_text(text.replace('id = "onset"', 'id = "start"'), "utf-8")
    proc = run_cli("check-questions", str(folder))
    assert proc.returncode == 2 and "diary.toml" in proc.stderr
    path.write_text(text, "utf-8")
    assert run_cli("check-questions", str(folder)).returncode == 0
