"""The diary read back into the pages (docs/diary.md section 2 "What the pages say"):
the person's summary, the clinician page, `score --diary` and its JSON `diary` key, and
the printable page of the nights (one A4 page for two weeks, checked in Chromium)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from cli_runner import run_cli

from rls_screen.core.diary import DiaryFigures, figures, parse_night
from rls_screen.reports import diary as pages
from rls_screen.reports.clinician import build_clinician_report
from rls_screen.reports.diary import Diary
from rls_screen.reports.summary import build_report, summary_markdown, summary_text

ROOT = Path(__file__).resolve().parent.parent
CLASSIC = ROOT / "examples" / "classic.json"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

FIGURES = {
    "first_night": date(2026, 11, 1),
    "last_night": date(2026, 11, 14),
    "days": 14,
    "nights_recorded": 12,
    "nights_with_symptoms": 9,
    "symptom_nights_per_week": 4.5,
    "median_onset": "21:30",
    "earliest_onset": "19:15",
    "onset_shift_hours": -1.5,
    "median_severity": 6,
    "median_sleep_latency": 40,
    "nights_latency_over_30": 7,
    "median_awakenings": 2,
    "median_total_sleep": 375,
    "median_sleep_efficiency": 81,
    "nights_onset_before_medicine": 0,
    "self_reported": True,
}


def figs(**changes) -> DiaryFigures:
    return DiaryFigures.model_validate({**FIGURES, **changes})


def given(**changes) -> Diary:
    return Diary((), figs(**changes))


def person(**changes) -> str:
    d = pages.person_lines(figs(**changes))
    return " ".join([d.heading, d.self_reported, *d.lines, *(f.text for f in d.figures)])


def clinician(**changes) -> str:
    d = pages.clinician_lines(figs(**changes))
    return " ".join([d.heading, d.self_reported, *d.lines, *(f.text for f in d.figures)])


# --- the words -----------------------------------------------------------------------


def test_the_person_reads_the_nights_and_when_the_feelings_started():
    words = person()
    assert (
        "Nights you wrote down: 12. The feelings came on 9 of them (about 4.5 nights a week)."
        in words
    )
    assert "They usually started around 21:30 (earliest 19:15)." in words
    assert "self-reported, not a measurement" in words
    assert "earlier" not in words  # -1.5 hours is not said
    assert "short diary" not in words  # 12 nights


@pytest.mark.parametrize(("shift", "said"), [(-2.0, "2"), (-3.5, "3.5"), (-4.0, "4")])
def test_an_onset_two_hours_earlier_or_more_is_said(shift, said):
    assert f"Over these weeks they started about {said} hours earlier." in person(
        onset_shift_hours=shift
    )


def test_fewer_than_seven_nights_is_a_short_diary():
    assert "a short diary; two weeks tell more" in person(nights_recorded=6)
    assert "short diary" not in person(nights_recorded=7)


def test_no_onset_no_onset_line():
    words = person(median_onset=None, earliest_onset=None, onset_shift_hours=None)
    assert "started around" not in words


def test_each_sleep_figure_has_its_value_and_what_it_means():
    d = pages.person_lines(figs())
    by_name = {f.name: f.text for f in d.figures}
    assert list(by_name) == [
        "How bad at their worst",
        "Time to fall asleep",
        "Times woken in the night",
        "Time asleep",
        "Time in bed spent asleep",
    ]
    assert by_name["How bad at their worst"].startswith("6 out of 10")
    assert by_name["Time to fall asleep"].startswith("about 40 minutes")
    assert "over 30 minutes on 7 of the nights" in by_name["Time to fall asleep"]
    assert by_name["Time asleep"].startswith("about 6 h 15 min")
    assert by_name["Time in bed spent asleep"].startswith("about 81 out of every 100")
    for text in by_name.values():  # a value, then one sentence on what it means
        assert text.count(". ") == 1 and text.endswith("."), text


def test_a_figure_with_no_value_is_left_out_never_zero():
    d = pages.person_lines(
        figs(median_sleep_latency=None, median_total_sleep=None, median_sleep_efficiency=None)
    )
    assert [f.name for f in d.figures] == ["How bad at their worst", "Times woken in the night"]


def test_the_clinician_reads_symptoms_before_the_dose_only_when_there_are_some():
    assert "Symptoms began before the dose on 3 of the nights." in clinician(
        nights_onset_before_medicine=3
    )
    assert "before the dose" not in clinician()
    assert "before the dose" not in person(nights_onset_before_medicine=3)
    assert "(2026-11-01 to 2026-11-14)" in clinician()


def test_an_empty_diary_says_so():
    assert pages.person_lines(None).lines == ("The diary has no nights in it yet.",)


# --- the summary and the clinician page ----------------------------------------------


def answers(bank, **changes):
    from rls_screen.interop.inputs import read_answer_file

    return {**read_answer_file(str(CLASSIC), bank), **changes}


def test_the_summary_has_a_diary_block_before_what_to_bring(bank):
    report = build_report(bank, answers(bank), diary=given())
    keys = [b.key for b in report.blocks]
    assert keys.index("diary") == keys.index("bring") - 1
    text = summary_text(bank, answers(bank), diary=given())
    assert "Your symptom diary" in text and "The feelings came on 9 of them" in text
    assert "Your symptom diary" in summary_markdown(bank, answers(bank), diary=given())
    assert "diary" not in [b.key for b in build_report(bank, answers(bank)).blocks]


def part(report, key):
    """The clinician page's part named ``key`` (its flags come first), or None."""
    return next((p for p in (*report.flags, *report.parts) if p.key == key), None)


def test_the_clinician_page_has_a_diary_part(bank):
    report = build_clinician_report(bank, answers(bank), diary=given())
    diary_part = part(report, "diary")
    assert diary_part is not None and "self-reported" in diary_part.intro
    assert part(build_clinician_report(bank, answers(bank)), "diary") is None


def augmentation_part(bank, shift, treatment):
    a = answers(bank, rls_treatment=treatment)
    report = build_clinician_report(bank, a, diary=given(onset_shift_hours=shift))
    return report, " ".join(f.text for f in part(report, "augmentation").findings)


def test_an_earlier_onset_on_a_dopamine_medicine_joins_the_augmentation_part(bank):
    report, words = augmentation_part(bank, -2.5, ["dopamine_agonist"])
    assert "Diary: symptoms started about 2.5 hours earlier" in words
    assert "Max Planck" not in words
    _, words = augmentation_part(bank, -4.0, ["levodopa"])
    assert "about 4 hours earlier" in words and "Max Planck criteria call earlier onset" in words
    # The result's augmentation_concern is the answers' alone (docs/instrument.md).
    plain = build_clinician_report(bank, answers(bank, rls_treatment=["levodopa"]))
    assert report.result.augmentation_concern == plain.result.augmentation_concern


def test_no_dopamine_medicine_or_a_small_shift_adds_nothing_to_augmentation(bank):
    assert "Diary" not in augmentation_part(bank, -5.0, ["gabapentinoid"])[1]
    assert "Diary" not in augmentation_part(bank, -1.9, ["dopamine_agonist"])[1]


# --- score --diary -------------------------------------------------------------------


def two_weeks(start: date = date(2026, 11, 2), count: int = 14) -> list[dict]:
    nights = []
    for i in range(count):
        nights.append(
            {
                "night": (start + timedelta(days=i)).isoformat(),
                "symptoms": "yes" if i % 3 else "no",
                **({"onset": f"{22 - i // 3:02d}:15", "severity": 4 + i % 5} if i % 3 else {}),
                "bed": "23:30",
                "sleep_latency": 20 + 5 * (i % 6),
                "awakenings": i % 4,
                "awake_minutes": 10 * (i % 3),
                "wake": "06:45",
                "out_of_bed": "07:15",
                "quality": "fair",
                "rls_medicine_time": "21:00" if i % 2 else None,
                "note": '<script>x</script> & "kept"' if i == 4 else None,
            }
        )
    return [{k: v for k, v in n.items() if v is not None} for n in nights]


def diary_file(tmp_path: Path, nights: list[dict]) -> Path:
    path = tmp_path / "diary.json"
    doc = {"diary": "rls-screen", "diary_version": "1.0.0", "nights": nights}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_score_json_has_the_diary_figures_under_diary(tmp_path):
    path = diary_file(tmp_path, two_weeks())
    proc = run_cli("score", str(CLASSIC), "--format", "json", "--diary", str(path))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    nights = [parse_night(n) for n in two_weeks()]
    assert result["diary"] == figures(nights).model_dump(mode="json")
    assert result["diary"]["self_reported"] is True and result["diary"]["nights_recorded"] == 14
    plain = json.loads(run_cli("score", str(CLASSIC), "--format", "json").stdout)
    assert plain.pop("diary") is None
    assert {k: v for k, v in result.items() if k != "diary"} == plain


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_score_with_a_diary_shows_it_on_both_pages(tmp_path, fmt, audience):
    path = diary_file(tmp_path, two_weeks())
    proc = run_cli("score", str(CLASSIC), "-f", fmt, "-a", audience, "--diary", str(path))
    assert proc.returncode == 0, proc.stderr
    words = " ".join(proc.stdout.split())  # text wraps its lines
    assert "self-reported, not a measurement" in words
    assert "nights a week" in words
    if audience == "clinician":
        assert "Symptoms began before the dose on" in words
    without = " ".join(run_cli("score", str(CLASSIC), "-f", fmt, "-a", audience).stdout.split())
    assert "self-reported" not in without and "nights a week" not in without


def test_score_reads_a_diary_database(tmp_path):
    from rls_screen.interop.diary_store import DiaryStore

    db = tmp_path / "diary.sqlite3"
    with DiaryStore.open(db) as store:
        store.put_many([parse_night(n) for n in two_weeks()])
    proc = run_cli("score", str(CLASSIC), "--format", "json", "--diary", str(db))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["diary"]["nights_recorded"] == 14


def test_score_with_a_bad_diary_is_one_line_and_exit_2(tmp_path):
    bad = two_weeks()
    bad[3]["sleep_latency"] = "40"  # a number as a string
    proc = run_cli("score", str(CLASSIC), "--diary", str(diary_file(tmp_path, bad)))
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "sleep_latency" in proc.stderr
    missing = run_cli("score", str(CLASSIC), "--diary", str(tmp_path / "none.json"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert not (tmp_path / "none.json").exists()


# --- the printable page ----------------------------------------------------------------


def page_of(nights: list[dict]) -> str:
    kept = [parse_night(n) for n in nights]
    return pages.diary_page_html(kept, figures(kept))


def test_the_page_has_the_chart_as_an_image_with_a_title_and_its_words():
    page = page_of(two_weeks())
    svg = re.search(r"<svg [^>]*>", page).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="diary-chart-title"' in svg
    assert '<title id="diary-chart-title">' in page
    assert 'aria-describedby="diary-chart-text"' in svg and 'id="diary-chart-text"' in page
    words = re.search(r'id="diary-chart-text">(.*?)</figcaption>', page, re.S).group(1)
    rows = re.findall(r"<li>(.*?)</li>", words)
    assert len(rows) == 14
    assert rows[1] == (
        "2026-11-03: feelings started 22:15, in bed 23:30 to 07:15, asleep 23:55 to 06:45, "
        "medicine 21:00, how bad 5 out of 10."
    )
    assert "self-reported, not a measurement" in page.lower()
    assert page.count('<tr><th scope="row">') == 14


def test_the_chart_reaches_from_18_to_12_and_further_for_an_early_onset():
    page = page_of(two_weeks(count=3))
    hours = re.findall(r'text-anchor="middle">(\d\d:\d\d)</text>', page)
    assert hours[0] == "18:00" and hours[-1] == "12:00"
    early = two_weeks(count=3)
    early[1]["onset"] = "15:40"
    assert re.findall(r'text-anchor="middle">(\d\d:\d\d)</text>', page_of(early))[0] == "15:00"


def test_notes_are_shown_literally_and_escaped():
    page = page_of(two_weeks())
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt; &amp; &quot;kept&quot;" in page
    md = pages.diary_markdown([parse_night(n) for n in two_weeks()], None)
    assert '\\<script\\>x\\</script\\> & "kept"' in md


def test_the_page_is_black_and_white():
    colours = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", page_of(two_weeks())))
    assert colours <= {"#000", "#fff", "#999"}, colours


def test_two_weeks_print_on_one_a4_page(tmp_path):
    assert CHROMIUM, "chromium is not installed"
    html = tmp_path / "diary.html"
    nights = two_weeks()
    nights[6]["note"] = "walked the hall twice, legs crawling; " * 7  # about 270 characters
    html.write_text(page_of(nights), encoding="utf-8")
    pdf = tmp_path / "diary.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    data = pdf.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
    box = re.search(rb"/MediaBox\s*\[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert box and round(float(box[1])) == 595 and round(float(box[2])) == 842  # A4, in pt


def test_score_with_an_empty_diary_says_so_and_its_json_is_null(tmp_path):
    path = diary_file(tmp_path, [])
    proc = run_cli("score", str(CLASSIC), "--format", "json", "--diary", str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["diary"] is None
    text = run_cli("score", str(CLASSIC), "--diary", str(path)).stdout
    assert "The diary has no nights in it yet." in text
