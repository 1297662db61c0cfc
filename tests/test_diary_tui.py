"""The diary's terminal face (`rls-screen diary`, issue 22) at 80x24, by keyboard and
mouse, and its line mode (`--plain`)."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys

import pytest
from textual import events

from rls_screen import plain_diary
from rls_screen.core.diary import parse_night
from rls_screen.interop.diary_store import DiaryStore
from rls_screen.tui.diary_app import DiaryApp
from rls_screen.tui.screens.diary_chart import DiaryChartScreen
from rls_screen.tui.screens.diary_form import FieldInput
from rls_screen.tui.screens.diary_nights import DiaryNightsScreen
from rls_screen.tui.widgets.diary_chart import DiaryChart

MORNING = dt.datetime(2026, 11, 30, 8, 0)  # before 2 pm: last night, 2026-11-29
EVENING = dt.datetime(2026, 11, 30, 20, 0)  # after: tonight, 2026-11-30

# One night, as a person types it: each field, then Enter (an empty one skips it).
TYPED = [
    "y", "2130", "6", "23:15", "40", "2", "30", "6:30", "", "4", "", "y", "n",
    "calves ached",
]  # fmt: skip


def stored(db):
    with DiaryStore.open(db) as store:
        return {night.night: night for night in store.nights()}


def put(db, *nights):
    with DiaryStore.open(db) as store:
        for raw in nights:
            store.put(parse_night(raw), replace=True)


async def ready(pilot):
    while not pilot.app.ready:
        await pilot.pause()
    await pilot.pause()


async def type_night(pilot, values):
    for value in values:
        if value:
            await pilot.press(*value)
        await pilot.press("enter")
    await pilot.pause()


def problem(app) -> str:
    return str(app.form.query_one("#diary-problem").render())


def title(app) -> str:
    return str(app.form.query_one("#diary-title").render())


@pytest.fixture
def db(tmp_path):
    return tmp_path / "diary.sqlite3"


async def test_a_night_typed_by_keyboard_only_is_saved(db):
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "2026-11-29" in title(app)  # before 2 pm: last night
        await type_night(pilot, TYPED)  # Enter on the last field saves
        assert "Saved" in problem(app)
    night = stored(db)[dt.date(2026, 11, 29)]
    assert (night.symptoms, night.onset, night.severity) == ("yes", "21:30", 6)
    assert (night.bed, night.sleep_latency, night.awakenings) == ("23:15", 40, 2)
    assert (night.awake_minutes, night.wake, night.out_of_bed) == (30, "06:30", None)
    assert (night.quality, night.rls_medicine_time) == ("good", None)
    assert (night.caffeine_late, night.alcohol, night.note) == ("yes", "no", "calves ached")


async def test_after_2_pm_it_opens_tonight(db):
    app = DiaryApp(db, now=EVENING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "2026-11-30" in title(app)


async def test_keys_typed_in_one_burst_each_land_in_their_own_box(db):
    # A fast typist (or keys pasted in one go): every key is queued before the first
    # is handled. The keys after an Enter belong to the next box.
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for value in ["y", "9\b21:30", "6", "23:15"]:  # \b: Backspace
            for char in value:
                if char == "\b":
                    app.post_message(events.Key("backspace", "\x7f"))
                else:
                    app.post_message(events.Key(char, char))
            app.post_message(events.Key("enter", "\r"))
        await pilot.pause()
        await pilot.pause()
        assert app.form.typed()["symptoms"] == "yes"
        assert app.form.typed()["onset"] == "21:30"
        assert app.form.typed()["severity"] == "6"
        assert app.form.typed()["bed"] == "23:15"


async def test_no_feelings_skips_their_time_and_rating(db):
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("n", "enter")
        await pilot.pause()
        assert isinstance(app.focused, FieldInput) and app.focused.field.name == "bed"
        assert not app.form.query_one("#f-onset").display
        assert not app.form.query_one("#f-severity").display
        labels = str(app.form.query_one("#diary-labels").render())
        assert "first start" not in labels and "worst" not in labels
        assert labels.splitlines()[1] == "When did you go to bed to sleep?"
        await pilot.press("ctrl+s")
        await pilot.pause()
    night = stored(db)[dt.date(2026, 11, 29)]
    assert night.symptoms == "no" and night.onset is None and night.severity is None


async def test_a_bad_time_is_one_line_and_the_box_keeps_the_focus(db):
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("y", "enter", *"25:00", "enter")
        await pilot.pause()
        line = problem(app)
        assert "onset" in line and "2026-11-29" in line and "\n" not in line
        assert app.focused.field.name == "onset"
        await pilot.press("ctrl+s")  # nothing is saved while a value is wrong
        await pilot.pause()
    assert stored(db) == {}


async def test_a_night_is_changed_from_the_list(db):
    put(db, {"night": "2026-11-27", "symptoms": "yes", "onset": "22:00", "severity": 3})
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, DiaryNightsScreen)
        # Newest first: 11-29 (open), 11-28, 11-27.
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen is app.form and "2026-11-27" in title(app)
        assert app.form.typed()["onset"] == "22:00"
        await pilot.press("enter", "enter")  # to the rating
        box = app.focused
        assert box.field.name == "severity"
        box.value = ""
        await pilot.press("8", "ctrl+s")
        await pilot.pause()
    assert stored(db)[dt.date(2026, 11, 27)].severity == 8


async def test_the_list_opens_a_night_with_the_mouse(db):
    put(db, {"night": "2026-11-28", "symptoms": "unsure"})
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.click("Footer", offset=(12, 0))  # "f2 Nights"
        await pilot.pause()
        assert isinstance(app.screen, DiaryNightsScreen)
        await pilot.click("#answers", offset=(5, 3))  # 11-30, 11-29, then 11-28
        await pilot.pause()
        assert "2026-11-28" in title(app) and app.form.typed()["symptoms"] == "unsure"


async def test_leaving_with_unsaved_changes_asks_first(db):
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("y", "enter")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and "without saving" in str(
            app.screen.query_one(".dialog-title").render()
        )
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.screen is app.form and app.form.typed()["symptoms"] == "yes"
        await pilot.press("ctrl+s", "ctrl+q")
        await pilot.pause()
    assert not app.is_running
    assert stored(db)[dt.date(2026, 11, 29)].symptoms == "yes"


WEEK = [
    {"night": "2026-11-23", "symptoms": "yes", "onset": "21:00", "severity": 5,
     "bed": "23:00", "sleep_latency": 60, "wake": "06:00"},
    {"night": "2026-11-24", "symptoms": "no", "bed": "22:30", "sleep_latency": 10,
     "wake": "06:30", "out_of_bed": "07:00"},
    {"night": "2026-11-25", "symptoms": "yes", "onset": "16:00", "severity": 9,
     "bed": "01:30", "sleep_latency": 30, "wake": "08:00"},
]  # fmt: skip


def chart_rows(app) -> list[str]:
    return app.screen.query_one(DiaryChart).render().plain.split("\n")


async def test_the_chart_marks_onset_bed_and_sleep_on_the_nights_line(db):
    put(db, *WEEK)
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, DiaryChartScreen)
        axis, first, second, third = chart_rows(app)
        line = first[11:-3]  # the cells of the 18 hours, then the rating
        at = lambda minutes: int(minutes * len(line) // 1080)  # noqa: E731
        assert line[at(180)] == "●"  # 21:00
        assert line[at(300)] == "░" and line[at(330)] == "░"  # in bed, not asleep yet
        assert line[at(360)] == "█" and line[at(700)] == "█"  # asleep 00:00 to 06:00
        assert line[at(730)] == "·" and first.endswith("5")
        assert "●" not in second and second.rstrip().endswith("-")  # no feelings
        assert third[11] == "◀" and third.endswith("9")  # started before 18:00
        assert third[11:-3][at(450)] == "░" and third[11:-3][at(500)] == "█"  # bed 01:30
        legend = str(app.screen.query_one("#chart-legend").render())
        for mark in "●░█◀":
            assert mark in legend
        assert "18" in axis and "00" in axis and "12" in axis


async def test_the_chart_reads_without_colour(db, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    put(db, *WEEK)
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert app.no_color
        rows = chart_rows(app)
        assert "●" in rows[1] and "█" in rows[1] and "░" in rows[1]


def test_chart_snapshot(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    db = tmp_path / "diary.sqlite3"
    put(db, *WEEK)

    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("f3")
        await pilot.pause()

    app = DiaryApp(db, now=MORNING)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


async def test_a_diary_that_cannot_be_read_is_moved_aside_and_the_person_told(db):
    db.write_bytes(b"\x00garbage" * 500)
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        told = [note.message for note in app._notifications]
        assert len(told) == 1 and "moved aside" in told[0] and "diary.sqlite3.bad" in told[0]
        await type_night(pilot, ["n"])
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert stored(db)[dt.date(2026, 11, 29)].symptoms == "no"  # a new diary, written
    assert (db.parent / "diary.sqlite3.bad").read_bytes() == b"\x00garbage" * 500


def run_plain(db, monkeypatch, capsys, replies: str, night: str = "2026-11-29"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(replies))
    status = plain_diary.run(argparse.Namespace(db=db, night=night))
    return status, capsys.readouterr()


def test_plain_asks_the_night_as_lines_and_prints_the_table(db, monkeypatch, capsys):
    put(db, WEEK[0])
    replies = "y\n25:00\n21:30\n6\n23:15\n40\n\n\n06:30\n\n4\n\n\n\n\n"
    status, out = run_plain(db, monkeypatch, capsys, replies)
    assert status == 0
    assert "onset" in out.out and "Try again" in out.out  # 25:00, one line, asked again
    night = stored(db)[dt.date(2026, 11, 29)]
    assert (night.onset, night.severity, night.bed, night.awakenings) == ("21:30", 6, "23:15", None)
    table = out.out.split("self-reported, not a measurement)\n")[1].splitlines()
    assert table[0].split()[:3] == ["Night", "Feelings", "Started"]
    assert table[1].split()[:4] == ["Mon", "11-23", "Yes", "21:00"]  # words, not codes
    assert table[2].split()[:4] == ["Sun", "11-29", "Yes", "21:30"]


def test_plain_skips_the_feelings_questions_when_there_were_none(db, monkeypatch, capsys):
    status, out = run_plain(db, monkeypatch, capsys, "n\n" + "\n" * 11)
    assert status == 0
    assert "first start" not in out.out and "worst" not in out.out.split("Night")[0]
    assert stored(db)[dt.date(2026, 11, 29)].symptoms == "no"


def test_plain_enter_keeps_what_is_written(db, monkeypatch, capsys):
    put(db, {"night": "2026-11-29", "symptoms": "yes", "onset": "20:00", "severity": 4})
    status, out = run_plain(db, monkeypatch, capsys, "\n\n7\n" + "\n" * 11)
    assert status == 0 and "now 20:00" in out.out
    night = stored(db)[dt.date(2026, 11, 29)]
    assert (night.symptoms, night.onset, night.severity) == ("yes", "20:00", 7)


def test_plain_tells_in_one_line_that_an_unreadable_diary_was_moved_aside(db, monkeypatch, capsys):
    db.write_bytes(b"\x00garbage" * 500)
    status, out = run_plain(db, monkeypatch, capsys, "n\n" + "\n" * 11)
    assert status == 0
    assert out.err.startswith("rls-screen: ") and out.err.count("\n") == 1
    assert "moved aside" in out.err and "diary.sqlite3.bad" in out.err
    assert stored(db)[dt.date(2026, 11, 29)].symptoms == "no"


def test_plain_stdin_closed_saves_nothing(db, monkeypatch, capsys):
    status, out = run_plain(db, monkeypatch, capsys, "y\n21:30\n")
    assert status == 1 and "Nothing was saved" in out.out
    assert stored(db) == {}


async def test_f1_explains_the_box_with_the_focus(db):
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("y", "enter", "f1")
        await pilot.pause()
        words = " ".join(str(w.render()) for w in app.screen.query(".dialog-body, .help-question"))
        assert "first start" in words and "21:30" in words  # the onset's question and help
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.form and app.focused.field.name == "onset"


async def test_a_night_given_opens_that_night(db):
    app = DiaryApp(db, now=MORNING, night=dt.date(2026, 11, 20))
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "2026-11-20" in title(app)


async def test_keys_typed_before_the_night_is_read_are_not_lost(db, monkeypatch):
    """A person who starts typing at once, while the diary is still being read: every
    key reaches the form, in order, once it is filled in."""
    import threading

    gate = threading.Event()
    read = DiaryApp.read_nights

    def slow_read(self):
        gate.wait(10)  # the diary is read only once the keys below are in
        return read(self)

    monkeypatch.setattr(DiaryApp, "read_nights", slow_read)
    app = DiaryApp(db, now=MORNING)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in ["y", "enter", "2", "1", "3", "0", "enter", "7"]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await pilot.pause()
        assert not app.ready  # typed before the night was read
        gate.set()
        await ready(pilot)
        await pilot.pause()
        typed = app.form.typed()
    assert (typed["symptoms"], typed["onset"], typed["severity"]) == ("yes", "21:30", "7")
