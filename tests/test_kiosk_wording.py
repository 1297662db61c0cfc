"""What the kiosk says to a patient sitting in the clinic (issue 21): no summary to take
away, and a warning sign is told to the staff now."""

from __future__ import annotations

from test_tui import shown_text, wait_screen

from rls_screen.tui.app import make_app
from rls_screen.tui.kiosk import KioskApp
from rls_screen.tui.screens.welcome import WelcomeScreen


def one_line(text: str) -> str:
    return " ".join(text.split())


async def test_the_kiosk_welcome_promises_no_summary_to_take_away(tmp_path):
    for patient_summary in (True, False):
        app = KioskApp(save_dir=tmp_path, patient_summary=patient_summary)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_screen(pilot, WelcomeScreen)
            welcome = one_line(shown_text(app))
        assert "summary to take" not in welcome
        assert "take to a doctor" not in welcome
        assert (
            "At the end, your answers go to the clinic team, who will talk them through "
            "with you." in welcome
        )
        # The rest of the lead is kept, once.
        assert welcome.count("This short check asks about odd feelings in your legs") == 1


async def test_the_app_welcome_still_offers_the_summary(tmp_path):
    app = make_app(autosave=False, draft_dir=tmp_path / "drafts", save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        welcome = one_line(shown_text(app))
    assert "a summary to take to a doctor" in welcome
    assert "clinic team" not in welcome
