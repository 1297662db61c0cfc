"""The doctor's page starts with when the answers were given (or saved), the record id
or file name, the instrument's version, and a line to write the name and date of birth
by hand, from every face (issue 21): the app's save, --plain's, the kiosk's record and
`score --audience clinician` as text, Markdown and HTML."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from cli_runner import run_cli
from test_tui import EXAMPLES, complete_answers, open_summary, wait_for, wait_screen

TITLE = "Restless legs screening summary for the clinician"
WRITE_IN = "Name: ___"
WHEN = r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} \S+"


def visible_lines(page: str, fmt: str) -> list[str]:
    """The page's lines as read, top to bottom: HTML without its tags and head."""
    if fmt == "html":
        body = page[page.index("<body") :]
        body = re.sub(r"<(style|title)>.*?</\1>", "", body, flags=re.S)
        page = re.sub(r"<[^>]+>", "\n", body)
    if fmt == "markdown":
        page = page.replace("\\_", "_")
    return [line.strip() for line in page.splitlines() if line.strip()]


def check_header(page: str, fmt: str, source: str, when: str = "(Answers given|Saved)") -> None:
    lines = visible_lines(page, fmt)
    top = lines[: lines.index(next(x for x in lines if TITLE in x))]
    assert len(top) == 4, top  # the header, and nothing else, comes before the title
    assert re.fullmatch(rf"{when}: {WHEN}", top[0]), top[0]
    assert top[1] in (f"Record: {source}", f"File: {source}"), top[1]
    assert re.fullmatch(r"Instrument: .+ \(rls-screen, version \d+\.\d+\.\d+\)", top[2]), top[2]
    assert top[3].startswith(WRITE_IN) and "Date of birth: ___" in top[3], top[3]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_score_for_the_clinician_starts_with_the_header(bank, tmp_path, fmt):
    answers = json.loads((EXAMPLES / "classic.json").read_text())["answers"]
    doc = {"answers": answers, "meta": {"completed": "2026-11-23T14:20:05+00:00"}}
    path = tmp_path / "mrs-a.json"
    path.write_text(json.dumps(doc))
    page = run_cli("score", "--audience", "clinician", "--format", fmt, str(path)).stdout
    check_header(page, fmt, "mrs-a.json", "Answers given")
    assert "Answers given: 23 Nov 2026 14:20 UTC" in visible_lines(page, fmt)
    # No time in the file: its own time, as when it was saved.
    path.write_text(json.dumps({"answers": answers}))
    page = run_cli("score", "-a", "clinician", "-f", fmt, str(path)).stdout
    check_header(page, fmt, "mrs-a.json", "Saved")
    # The person's own summary has no such header.
    own = run_cli("score", "-f", fmt, str(path)).stdout
    assert WRITE_IN not in own.replace("\\_", "_")


async def test_the_apps_saved_doctors_page_starts_with_the_header(bank, app_factory, tmp_path):
    from rls_screen.tui.dialogs.save import SaveDialog
    from rls_screen.tui.screens.summary import SummaryScreen

    app = app_factory(answers=complete_answers(bank))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, None)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        dialog = app.screen
        path = dialog.query_one("#path")
        await wait_for(pilot, lambda: dialog.query_one("#choices").has_focus, "the list")
        await pilot.press("down", "down")  # the page to print, for my doctor
        await wait_for(pilot, lambda: path.value.endswith(".html"), "html name")
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
    name = f"rls-screen-clinician-summary-{date.today().isoformat()}.html"
    check_header((tmp_path / name).read_text(), "html", name, "Saved")


def test_plain_saves_the_doctors_page_with_the_header(bank, tmp_path):
    from rls_screen.core.walk import Walkthrough
    from rls_screen.interop.drafts import Drafts
    from rls_screen.plain import Console, Session

    console = Console(io.StringIO(""), io.StringIO(), False, lambda: 78)
    session = Session(bank, console, Drafts(bank, None), False)
    session.walk = Walkthrough(bank, complete_answers(bank))
    target = tmp_path / "for-dr-b.md"
    assert session.save_loop(target, "markdown", "clinician")
    check_header(target.read_text(), "markdown", "for-dr-b.md", "Saved")


async def test_the_kiosks_record_page_starts_with_the_header_not_ends(bank, tmp_path):
    from test_kiosk import example, finish_patient, records

    from rls_screen.tui.kiosk import KioskApp
    from rls_screen.tui.screens.kiosk import KioskSummaryScreen

    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await finish_patient(pilot, example(bank, "classic"))
        await wait_screen(pilot, KioskSummaryScreen)
    (record,) = records(tmp_path)
    page = record.with_suffix(".html").read_text()
    check_header(page, "html", record.stem, "Answers given")
    lines = visible_lines(page, "html")
    assert lines[0].endswith(" UTC")
    assert not any(line.startswith("Record ") for line in lines[4:])  # not at the bottom


def test_a_questionnaire_response_gives_its_authored_time(bank, tmp_path):
    from rls_screen.reports.exports import file_header

    header = file_header("x/qr.json", {"resourceType": "QR", "authored": "2026-12-01T09:05:00Z"})
    assert (header.source, header.given, header.when.hour) == ("qr.json", True, 9)
    assert file_header("-", None).source == "standard input"
    assert file_header("a.json", {"meta": {"saved": "not a time"}}).when is None
