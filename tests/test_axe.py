"""The printable pages, checked for WCAG 2.2 AA in real Chromium with axe-core
(axe-playwright-python, Playwright for Python driving the system chromium: no browser
download). Every kind of page a person or a clinic saves or prints: the diary's page,
the person's summary and the clinician page, with and without warning signs and a
diary. axe runs the rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa and wcag22aa; a
violation names the rule and the element, so a failure says what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import run_cli

ROOT = Path(__file__).resolve().parent.parent
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page) -> list[str]:
    """What axe-core finds on the page as it is now (the WCAG tags above), one line each:
    the rule, what it asks, and the elements."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'])})"
        for v in found.response["violations"]
    ]


def file_violations(browser, path: Path) -> list[str]:
    page = browser.new_page()
    try:
        page.goto(path.as_uri())
        return violations(page)
    finally:
        page.close()


@pytest.fixture(scope="module")
def diary_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("diary") / "diary.sqlite3"
    for day in range(1, 15):
        fields = [f"sleep_latency={10 + day * 3}", f"note=night <{day}> & co"]
        if day % 3:
            fields = ["symptoms=yes", f"onset={19 + day % 4}:15", f"severity={day % 9 + 1}"]
            fields += [f"sleep_latency={10 + day * 3}"]
        else:
            fields = ["symptoms=no", *fields]
        proc = run_cli("diary", "add", "--db", str(db), "--night", f"2026-11-{day:02d}", *fields)
        assert proc.returncode == 0, proc.stderr
    return db


def saved(tmp_path: Path, name: str, *args: str) -> Path:
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    page = tmp_path / name
    page.write_text(proc.stdout, encoding="utf-8")
    return page


def test_the_diary_page_has_no_wcag_violation(browser, diary_db, tmp_path):
    page = saved(
        tmp_path, "diary.html", "diary", "export", "--db", str(diary_db), "--format", "html"
    )
    assert "<svg" in page.read_text(encoding="utf-8")  # the chart is there to be checked
    assert file_violations(browser, page) == []


@pytest.mark.parametrize("audience", ["patient", "clinician"])
@pytest.mark.parametrize("example", ["classic", "red-flag", "unsure", "child", "v3-pregnancy"])
def test_the_summary_pages_have_no_wcag_violation(browser, tmp_path, example, audience):
    page = saved(
        tmp_path,
        f"{example}-{audience}.html",
        "score",
        str(ROOT / "examples" / f"{example}.json"),
        "--audience",
        audience,
        "--format",
        "html",
        "--region",
        "GB",
    )
    assert file_violations(browser, page) == []


@pytest.mark.parametrize("audience", ["patient", "clinician"])
def test_the_pages_with_a_diary_have_no_wcag_violation(browser, diary_db, tmp_path, audience):
    page = saved(
        tmp_path,
        f"with-diary-{audience}.html",
        "score",
        str(ROOT / "examples" / "v3-augmentation.json"),
        "--diary",
        str(diary_db),
        "--audience",
        audience,
        "--format",
        "html",
    )
    assert file_violations(browser, page) == []
