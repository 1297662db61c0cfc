"""The save dialog, made for the keyboard (issue 21): one list that the arrows move
through, focused first; the whole path on screen; Enter saves from anywhere; Esc
cancels; typed letters are never lost; "Saved to PATH" after; no invisible Tab stop.
Each test drives the app at 80x24 from the summary, as a person would."""

from __future__ import annotations

import stat
from datetime import date
from pathlib import Path

import pytest
from test_tui import complete_answers, open_summary, wait_for, wait_screen
from textual.widgets import Button, Input, OptionList

from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.save import SaveDialog
from rls_screen.tui.screens.summary import SummaryScreen

TODAY = date.today().isoformat()
DOCTOR_HTML = f"rls-screen-clinician-summary-{TODAY}.html"


def app_for(bank, folder: Path):
    return make_app(
        answers=complete_answers(bank),
        autosave=False,
        draft_dir=folder / "drafts",
        save_folder=folder,
    )


def screen_text(app) -> str:
    """What the terminal shows, line by line, the dialog and what is under it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def open_dialog(pilot) -> SaveDialog:
    await open_summary(pilot, None)
    await pilot.press("ctrl+s")
    await wait_screen(pilot, SaveDialog)
    dialog = pilot.app.screen
    await wait_for(pilot, lambda: isinstance(pilot.app.focused, OptionList), "the list focused")
    return dialog


def saved_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file())


async def test_the_doctors_page_in_four_keys_from_the_summary(bank, tmp_path):
    """Ctrl+S, Down, Down, Enter: the doctor's web page, owner-only, named .html, and
    "Saved to PATH" stays on the 80x24 screen."""
    app = app_for(bank, tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_dialog(pilot)
        await pilot.press("down", "down", "enter")
        await wait_screen(pilot, SummaryScreen)
        await wait_for(pilot, lambda: "Saved to" in screen_text(app), "the saved notice")
        # The notice, right of its bar, says where: the whole path, wrapped, readable.
        lines = screen_text(app).splitlines()
        notice = "".join(line.split("\u258c", 1)[1].strip() for line in lines if "\u258c" in line)
        assert str(tmp_path / DOCTOR_HTML) in notice
        assert all(note.timeout >= 5 for note in app._notifications)  # a few seconds
    written = tmp_path / DOCTOR_HTML
    assert saved_files(tmp_path) == [DOCTOR_HTML]
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    page = written.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "clinician" in page.lower()  # the doctor's page, not the person's own


async def test_arrows_only_reach_every_choice_and_mark_it(bank, tmp_path):
    """Up and Down move through all seven choices (and wrap); the chosen line has the
    filled dot, the others an empty ring; the file name follows the choice."""
    app = app_for(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        box = dialog.query_one("#path", Input)
        seen = []
        for _ in range(7):
            marked = [line for line in screen_text(app).splitlines() if "\u25cf" in line]
            assert len(marked) == 1
            seen.append((dialog.fmt, dialog.audience, Path(box.value).suffix))
            await pilot.press("down")
            await pilot.pause()
        assert len(set(seen)) == 7  # every choice reached, each once
        assert {suffix for _f, _a, suffix in seen} == {".md", ".html", ".txt", ".json"}
        assert (dialog.fmt, dialog.audience) == ("markdown", "patient")  # back round
        await pilot.press("up")  # to the answer file, the last line
        await wait_for(pilot, lambda: box.value.endswith(".json"), "the answer file's name")
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
    assert saved_files(tmp_path) == [f"rls-screen-answers-{TODAY}.json"]


async def test_typed_letters_in_the_list_go_to_the_file_name(bank, tmp_path):
    """Typing with the list focused writes the file name (replacing the usual one), not
    a search of the list; Enter then saves it under the chosen format's extension."""
    app = app_for(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press("down", "down")  # the doctor's web page
        await pilot.press(*"for-dr")
        box = dialog.query_one("#path", Input)
        assert box.value == "for-dr" and box.has_focus
        assert (dialog.fmt, dialog.audience) == ("html", "clinician")  # the list kept
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
    assert saved_files(tmp_path) == ["for-dr.html"]
    assert "clinician" in (tmp_path / "for-dr.html").read_text().lower()


async def test_escape_cancels_from_the_list_and_from_the_name(bank, tmp_path):
    app = app_for(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot)
        await pilot.press("escape")
        await wait_screen(pilot, SummaryScreen)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        await pilot.press("tab", "x", "escape")  # in the name box
        await wait_screen(pilot, SummaryScreen)
    assert saved_files(tmp_path) == []


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_path_start_and_extension_are_on_screen(bank, tmp_path, size):
    """A long folder keeps its start on screen; the file name with its extension is
    whole, for the first choice and after the choice changed."""
    folder = tmp_path / ("a-rather-long-folder-name-" * 3) / "Documents"
    folder.mkdir(parents=True)
    app = app_for(bank, folder)
    async with app.run_test(size=size) as pilot:
        await open_dialog(pilot)
        shown = screen_text(app)
        assert str(folder)[:15] in shown and "Documents" in shown  # start and end
        assert f"rls-screen-summary-{TODAY}.md" in shown
        await pilot.press("down", "down")
        await pilot.pause()
        shown = screen_text(app)
        assert str(folder)[:15] in shown and DOCTOR_HTML in shown


async def test_enter_on_the_save_button_saves_and_tab_has_no_invisible_stop(bank, tmp_path):
    """Tab goes list, name, Save, Cancel and round again: every stop is a widget a
    person sees with the focus on it (the scrolling box is not one)."""
    app = app_for(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_dialog(pilot)
        stops = []
        for _ in range(5):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            stops.append(focused.id if focused is not None else None)
        assert stops == ["path", "save", "cancel", "choices", "path"]
        await pilot.press("tab")  # to Save
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
    assert saved_files(tmp_path) == [f"rls-screen-summary-{TODAY}.md"]


async def test_every_part_of_the_dialog_fits_80x24(bank, tmp_path):
    app = app_for(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        choices = dialog.query_one("#choices", OptionList)
        assert choices.option_count == 7
        assert choices.region.height >= 7 + 2  # every line, no scrolling
        for widget in dialog.query("OptionList, Input, Button, .dialog-hint"):
            assert widget.region.height > 0, widget
            assert widget.region.bottom <= 24 and widget.region.right <= 80, widget
        assert all(button.region.y > choices.region.bottom - 1 for button in dialog.query(Button))


async def test_a_name_typed_without_its_extension_shows_the_name_it_gets(bank, tmp_path):
    """ "mine" typed for a web page: the screen says "mine.html" before Enter."""
    app = app_for(bank, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press("down", *"mine")
        await wait_for(pilot, lambda: "mine.html" in screen_text(app), "the name it gets")
        assert dialog.query_one("#save", Button).region.bottom <= 24
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
    assert saved_files(tmp_path) == ["mine.html"]


async def test_in_a_browser_only_a_name_is_asked_for(tmp_path):
    """With no folder (the browser downloads the file), no folder line, and Enter hands
    the chosen name on."""
    from textual.app import App

    written: list[tuple[str, Path]] = []

    def write(code: str, path: Path) -> Path:
        written.append((code, path))
        return path

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(SaveDialog(None, write))

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, SaveDialog)
        await wait_for(pilot, lambda: isinstance(app.focused, OptionList), "the list focused")
        assert not app.screen.query("#folder")
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: bool(written), "the download")
    assert written == [("clinician:html", Path(DOCTOR_HTML))]
