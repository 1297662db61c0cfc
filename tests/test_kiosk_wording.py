"""What the kiosk says to a patient sitting in the clinic (issue 21): no summary to take
away, and a warning sign is told to the staff now."""

from __future__ import annotations

from test_kiosk import answer_warning, example
from test_tui import shown_text, start, wait_screen, walk_until

from rls_screen.tui.app import make_app
from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.kiosk import STAFF_MESSAGE, KioskApp
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


ELSEWHERE = "See a doctor today, or call your local urgent advice line."


async def test_a_warning_sign_in_the_kiosk_says_tell_the_staff_not_go_elsewhere(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        # A leg newly swollen, warm, red or painful: "urgent", the line that sends the
        # person elsewhere both as the urgency paragraph and in the sign's own text.
        await answer_warning(pilot, bank, example(bank, "classic"), "rf_one_leg", "yes")
        text = one_line(shown_text(app))
    assert bank.summary.urgency.urgent == ELSEWHERE
    assert STAFF_MESSAGE in text
    assert "urgent advice line" not in text
    assert "see a doctor today" not in text.lower()
    # The sign itself and what makes it an emergency now stay.
    assert "A leg that is newly swollen, warm, red or painful" in text
    assert "This can be a blood clot." in text
    assert "If you get short of breath or chest pain, call your local emergency number" in text


async def test_an_emergency_sign_in_the_kiosk_keeps_call_the_emergency_number_now(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_warning(pilot, bank, example(bank, "classic"), "rf_cold_leg", "yes")
        text = one_line(shown_text(app))
    assert STAFF_MESSAGE in text
    assert bank.summary.urgency.emergency in text  # "Call your local emergency number now."
    assert "Blood may not be getting to the leg." in text


async def test_the_app_still_says_see_a_doctor_today(bank, tmp_path):
    app = make_app(autosave=False, draft_dir=tmp_path / "drafts", save_folder=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await walk_until(pilot, example(bank, "classic"), "rf_one_leg")
        await pilot.press(str(bank.items["rf_one_leg"].codes.index("yes") + 1))
        await wait_screen(pilot, RedFlagDialog)
        text = one_line(shown_text(app))
    assert ELSEWHERE in text
