"""The diary's figures (spec section 2), each against nights worked out by hand
(issue 22): core/diary.figures."""

from __future__ import annotations

import datetime as dt

from rls_screen.core.diary import DiaryFigures, figures, parse_night

TODAY = dt.date(2026, 12, 3)
KEYS = [
    "first_night",
    "last_night",
    "days",
    "nights_recorded",
    "nights_with_symptoms",
    "symptom_nights_per_week",
    "median_onset",
    "earliest_onset",
    "onset_shift_hours",
    "median_severity",
    "median_sleep_latency",
    "nights_latency_over_30",
    "median_awakenings",
    "median_total_sleep",
    "median_sleep_efficiency",
    "nights_onset_before_medicine",
    "self_reported",
]


def night(day: str, **fields):
    return parse_night({"night": day, **fields}, today=TODAY)


def days_from(first: dt.date, count: int):
    return [first + dt.timedelta(days=i) for i in range(count)]


# Four nights over six days (a gap of two), bed and onset after midnight, even counts.
FOUR = [
    night("2026-11-01", symptoms="yes", onset="23:00", severity=4, bed="00:30",
          sleep_latency=20, awakenings=1, awake_minutes=10, wake="07:00", out_of_bed="07:30"),
    night("2026-11-02", symptoms="yes", onset="01:00", severity=7, bed="01:30",
          sleep_latency=45, awakenings=3, awake_minutes=30, wake="07:30"),
    night("2026-11-05", symptoms="no", bed="22:30", sleep_latency=10, awakenings=0,
          awake_minutes=0, wake="06:30", out_of_bed="06:30"),
    night("2026-11-06", symptoms="yes", onset="21:00", severity=5, rls_medicine_time="22:00",
          bed="23:00", sleep_latency=35, awakenings=2, awake_minutes=20, wake="06:00",
          out_of_bed="07:00"),
]  # fmt: skip


def test_the_json_has_exactly_the_specs_keys():
    result = figures(FOUR)
    assert isinstance(result, DiaryFigures)
    assert list(result.model_dump(mode="json")) == KEYS
    assert result.model_dump(mode="json")["first_night"] == "2026-11-01"


def test_four_nights_with_a_gap_worked_out_by_hand():
    result = figures(reversed(FOUR))  # any order in
    assert result is not None
    assert result.model_dump(mode="json") == {
        "first_night": "2026-11-01",
        "last_night": "2026-11-06",
        "days": 6,  # the gap counts: 1st to 6th
        "nights_recorded": 4,
        "nights_with_symptoms": 3,
        "symptom_nights_per_week": 3.5,  # 3 / 6 * 7
        # on the night's line 21:00 < 23:00 < 01:00 (after midnight is later)
        "median_onset": "23:00",
        "earliest_onset": "21:00",
        "onset_shift_hours": None,  # 3 onsets: halves of 1
        "median_severity": 5,  # 4 5 7
        "median_sleep_latency": 20,  # 10 20 35 45: the lower middle, never 27.5
        "nights_latency_over_30": 2,
        "median_awakenings": 1,  # 0 1 2 3
        # (wake - bed) - latency - awake: 360, 285, 470, 365 -> 285 360 | 365 470
        "median_total_sleep": 360,
        # 360/420 85.7, 285/360 79.2 (out of bed = wake), 470/480 97.9, 365/480 76.0
        "median_sleep_efficiency": 79,
        "nights_onset_before_medicine": 1,
        "self_reported": True,
    }


def test_an_onset_after_midnight_is_later_than_one_before():
    late = [night("2026-11-01", symptoms="yes", onset="00:30"),
            night("2026-11-02", symptoms="yes", onset="23:30")]  # fmt: skip
    result = figures(late)
    assert result is not None
    assert result.earliest_onset == "23:30"
    assert result.median_onset == "23:30"  # the lower of two


def test_onset_before_the_medicine_is_read_on_the_nights_line():
    nights = [
        night("2026-11-01", symptoms="yes", onset="23:30", rls_medicine_time="00:15"),
        night("2026-11-02", symptoms="yes", onset="01:00", rls_medicine_time="22:00"),
        night("2026-11-03", symptoms="yes", onset="20:00", rls_medicine_time="20:00"),
    ]
    result = figures(nights)
    assert result is not None
    assert result.nights_onset_before_medicine == 1  # only the first: 23:30 before 00:15


# Two months of nights: October every night with symptoms, November without but the
# 1st and the 2nd.
TWO_MONTHS = [
    night(d.isoformat(), symptoms="yes", onset="21:00", severity=6)
    if d.month == 10 or d.day in (1, 2)
    else night(d.isoformat(), symptoms="no")
    for d in days_from(dt.date(2026, 10, 1), 60)
]


def test_the_window_is_the_28_days_ending_at_the_newest_entry():
    result = figures(TWO_MONTHS)
    assert result is not None
    assert (result.first_night, result.last_night) == (dt.date(2026, 11, 2), dt.date(2026, 11, 29))
    assert result.days == 28
    assert result.nights_recorded == 28
    assert result.nights_with_symptoms == 1  # the 2nd; the 1st is outside
    assert result.symptom_nights_per_week == 0.3  # 1 / 28 * 7 = 0.25: half up, not to even
    assert result.median_onset == "21:00"


def test_from_and_to_choose_the_window():
    result = figures(TWO_MONTHS, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    assert result is not None
    assert (result.days, result.nights_recorded, result.nights_with_symptoms) == (31, 31, 31)
    assert result.symptom_nights_per_week == 7.0
    assert figures(TWO_MONTHS, start=dt.date(2026, 12, 1)) is None
    only_to = figures(TWO_MONTHS, end=dt.date(2026, 10, 31))  # 28 days ending there
    assert only_to is not None
    assert only_to.first_night == dt.date(2026, 10, 4)


def test_no_symptoms_at_all_gives_null_never_0():
    nights = [night(d.isoformat(), symptoms="no") for d in days_from(dt.date(2026, 11, 1), 10)]
    result = figures(nights)
    assert result is not None
    data = result.model_dump(mode="json")
    assert data["nights_with_symptoms"] == 0
    assert data["symptom_nights_per_week"] == 0.0
    for key in KEYS[6:16]:
        assert data[key] is None, key


def test_no_nights_gives_no_figures():
    assert figures([]) is None


def test_onset_shift_compares_the_later_half_with_the_earlier():
    onsets = ["22:00", "21:30", "22:30", "12:00", "19:00", "18:00", "18:30"]
    nights = [
        night(d.isoformat(), symptoms="yes", onset=o)
        for d, o in zip(days_from(dt.date(2026, 11, 1), 7), onsets, strict=True)
    ]
    result = figures(nights)
    assert result is not None
    # the middle (12:00) left out; 22:00 then 18:30: 3.5 hours earlier
    assert result.onset_shift_hours == -3.5
    assert figures(nights[:5]).onset_shift_hours is None  # halves of 2
    six = ["21:00", "22:00", "23:00", "20:00", "19:00", "19:30"]
    nights = [
        night(d.isoformat(), symptoms="yes", onset=o)
        for d, o in zip(days_from(dt.date(2026, 11, 1), 6), six, strict=True)
    ]
    assert figures(nights).onset_shift_hours == -2.5  # 22:00 then 19:30


def test_efficiency_is_rounded_half_up_to_a_whole_percent():
    # in bed 23:00 to 05:40 = 400 minutes, asleep 400 - 54 = 346: 86.5 percent
    one = night("2026-11-01", bed="23:00", wake="05:40", sleep_latency=54, awake_minutes=0)
    result = figures([one])
    assert result is not None
    assert result.median_total_sleep == 346
    assert result.median_sleep_efficiency == 87


def test_total_sleep_is_never_below_0():
    one = night("2026-11-01", bed="23:00", wake="23:30", sleep_latency=60, awake_minutes=0)
    result = figures([one])
    assert result is not None
    assert result.median_total_sleep == 0
    assert result.median_sleep_efficiency == 0
