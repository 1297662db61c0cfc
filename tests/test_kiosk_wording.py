"""What the kiosk says to a patient sitting in the clinic (issue 21): no summary to take
away, and a warning sign is told to the staff now."""

from __future__ import annotations

import json

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


SENDS_ELSEWHERE = ("doctor today", "advice line", "checked today", "midwife today", "urgent care")


def test_every_warning_text_in_the_kiosk_says_tell_the_staff_now(bank):
    """Each sign, answered yes or not sure, in pregnancy or not: in the kiosk no text
    sends the patient elsewhere, the dialog says to tell the staff now, once (one piece
    of advice, even with two signs about one problem: weakness, its tempo not known),
    and the emergency lines stay."""
    from rls_screen.core import vocab
    from rls_screen.reports.clinic import in_the_clinic
    from rls_screen.reports.summary import alert_report

    seen = 0
    for item_id in vocab.WARNING_ITEMS:
        for value in ("yes", "unsure"):
            for pregnant in ("yes", "no"):
                answers = {**example(bank, "classic"), "pregnant": pregnant, item_id: value}
                alert = alert_report(bank, answers, item_id)
                if alert is None:
                    continue
                clinic = in_the_clinic(alert, bank.summary.urgency.urgent)
                sent_away, told = False, 0
                for before, after in zip(alert.blocks, clinic.blocks, strict=True):
                    for old, new in zip(before.entries, after.entries, strict=True):
                        seen += 1
                        text = one_line(new.text)
                        where = (item_id, value, pregnant, text)
                        assert not any(p in text.lower() for p in SENDS_ELSEWHERE), where
                        sent_away |= any(p in old.text.lower() for p in SENDS_ELSEWHERE)
                        told += text.count("Tell a member of staff now.")
                        if "emergency number" in old.text:
                            assert "emergency number" in text, where
                assert told == (1 if sent_away else 0), (item_id, value, pregnant, told)
    assert seen >= 14


async def test_an_unsure_sign_in_pregnancy_in_the_kiosk_says_tell_the_staff(bank, tmp_path):
    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    answers = {**example(bank, "classic"), "pregnant": "yes"}
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_warning(pilot, bank, answers, "rf_one_leg", "unsure")
        text = one_line(shown_text(app))
    assert "midwife today" not in text and "checked today" not in text
    assert "Tell a member of staff now." in text
    assert "It is an emergency if you also get short of breath or chest pain" in text


async def test_the_staff_exit_with_an_alert_keeps_the_partial_record_under_its_id(bank, tmp_path):
    """An alert never stands alone (issue 21): staff leaving with Ctrl+X three times while
    a patient who raised a warning sign is answering keeps that patient's partial record
    at once, under the alert's id, and leaves no second copy waiting."""
    from test_kiosk import records
    from test_tui import wait_for

    from rls_screen.interop.inputs import read_answer_file

    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_warning(pilot, bank, example(bank, "classic"), "rf_one_leg", "yes")
        await pilot.press("enter")  # "I understand. Go on"
        await wait_for(pilot, lambda: app.walk.current.id != "rf_one_leg", "the next question")
        answers = dict(app.walk.answers)
        await pilot.press("ctrl+x", "ctrl+x", "ctrl+x")
        await wait_for(pilot, lambda: not app.is_running, "the app to close")
    (alert,) = tmp_path.glob("*.alert.json")
    rid = alert.name.removesuffix(".alert.json")
    partial = tmp_path / f"{rid}.partial.json"
    assert partial.is_file(), sorted(p.name for p in tmp_path.iterdir())
    assert read_answer_file(str(partial), bank) == answers
    assert json.loads(partial.read_text())["meta"]["record_id"] == rid
    assert records(tmp_path) == []  # not a finished record
    # No second copy waits for staff at the next start.
    assert list((tmp_path / ".in-progress").glob("*.json")) == []
    restarted = KioskApp(save_dir=tmp_path, idle_reset=60)
    assert restarted.waiting_records() == []


async def test_the_kiosks_review_says_v_hands_the_answers_in(tmp_path):
    """In the kiosk, V on the review hands the answers in to the clinic team: the review
    says so, in its note, its button and its footer, not "see your summary"."""
    from test_tui import start, wait_for

    from rls_screen.tui.screens.review import ReviewScreen

    app = KioskApp(save_dir=tmp_path, idle_reset=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("1")
        await wait_for(pilot, lambda: app.walk.answers, "an answer")
        await pilot.press("r")
        await wait_screen(pilot, ReviewScreen)
        await pilot.pause()
        review = one_line(shown_text(app))
        button = str(app.screen.query_one("#summary").label)
        keys = {b.binding.description for b in app.screen.active_bindings.values()}
    assert "hand in your answers to the clinic team" in review
    assert "see your summary" not in review
    assert button == "Hand in my answers"
    assert "Hand in my answers" in keys and "View my summary" not in keys
