"""The terminal walk-through, driven by keyboard (and mouse) through Textual's Pilot."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Markdown, OptionList, Static

from rls_screen.core.answers import dumps_document
from rls_screen.core.crisis import crisis_support
from rls_screen.core.texts import ui
from rls_screen.core.walk import Walkthrough
from rls_screen.interop.drafts import Drafts
from rls_screen.interop.inputs import read_answer_file
from rls_screen.reports.summary import summary_text
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.dialogs.help import HelpDialog
from rls_screen.tui.dialogs.red_flag import RedFlagDialog
from rls_screen.tui.dialogs.save import SaveDialog
from rls_screen.tui.screens.question import QuestionScreen
from rls_screen.tui.screens.review import ReviewScreen
from rls_screen.tui.screens.summary import SummaryScreen
from rls_screen.tui.screens.welcome import WelcomeScreen
from rls_screen.tui.widgets.choices import ChoiceList

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


async def wait_for(pilot, condition, what: str = "condition") -> None:
    """Until ``condition()`` holds: at least 400 pauses and 10 seconds. A pause returns
    when the app's messages are done, not a thread's work (a draft read, the bank), so
    on a loaded machine pauses alone can run out before the screen comes."""
    import time

    began = time.monotonic()
    pauses = 0
    while not condition():
        if pauses >= 400 and time.monotonic() - began > 10:
            raise AssertionError(f"timed out waiting for {what}")
        pauses += 1
        await pilot.pause(0.01 if pauses > 400 else None)


async def wait_screen(pilot, kind) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind), kind.__name__)


async def wait_offer(pilot) -> None:
    """The welcome screen offers the answers kept from last time (before Start)."""
    await wait_screen(pilot, WelcomeScreen)
    await wait_for(pilot, lambda: pilot.app.screen.offering, "the offer of the draft")


async def start(pilot) -> None:
    await wait_screen(pilot, WelcomeScreen)
    await pilot.press("enter")
    await wait_screen(pilot, QuestionScreen)


def current_id(app) -> str | None:
    item = app.walk.current
    return item.id if item else None


def next_id(app, item_id: str) -> str:
    """The question that follows ``item_id`` with the answers given so far."""
    shown = [item.id for item in app.walk.shown_items()]
    return shown[shown.index(item_id) + 1]


def flat(text: str) -> str:
    return " ".join(text.split())


async def answer_current(pilot, value) -> None:
    """Answer the current question with number keys, the way a person would."""
    app = pilot.app
    item = app.walk.current
    before = app.walk.position
    if item.kind == "text":  # type the words; an empty box skips
        await pilot.press(*(value or ""), "enter")
    elif value is None:
        await pilot.press("s")
    elif item.kind == "single":
        await pilot.press(str(item.codes.index(value) + 1))
    else:
        for code in value:
            await pilot.press(str(item.codes.index(code) + 1))
        await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: app.walk.position != before or not isinstance(app.screen, QuestionScreen),
        f"moving on from {item.id}",
    )


async def walk_until(pilot, answers: dict, stop_at: str) -> None:
    """Answer (or skip) each question with the keyboard until ``stop_at`` is current;
    warning-sign dialogs on the way are acknowledged with Enter."""
    app = pilot.app
    while current_id(app) != stop_at:
        assert isinstance(app.screen, QuestionScreen), f"{stop_at} was never asked"
        await answer_current(pilot, answers.get(current_id(app)))
        if isinstance(app.screen, RedFlagDialog):
            await pilot.press("enter")
            await wait_screen(pilot, QuestionScreen)


async def walk_through(pilot, answers: dict) -> None:
    app = pilot.app
    while isinstance(app.screen, QuestionScreen):
        item_id = current_id(app)
        await answer_current(pilot, answers.get(item_id))
        if isinstance(app.screen, RedFlagDialog):
            await pilot.press("enter")
            await wait_screen(pilot, QuestionScreen)
    await wait_screen(pilot, ReviewScreen)


async def seed_the_rest(pilot, answers: dict) -> None:
    """The questions after this one answered at once, then the review: for tests that
    need a finished walk but test nothing on the way (one test walks it all by key)."""
    app = pilot.app
    walk = app.walk
    for item in walk.items[walk.position :]:
        if item.id in answers:
            walk.answer(item.id, answers[item.id])
    walk.finish()
    app.show_review()
    await wait_screen(pilot, ReviewScreen)


def shown_text(app) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


def classic_answers(bank) -> dict:
    doc = json.loads((EXAMPLES / "classic.json").read_text())
    return {k: tuple(v) if isinstance(v, list) else v for k, v in doc["answers"].items()}


# The questions that v2 and v3 added to the classic (v1) example, answered: with these
# every shown question has an answer, so the app opens straight on the review.
LATER_ADDITIONS = {
    "respondent": "self",
    "own_words": "Like ants crawling under the skin",
    "sides": "both",
    "onset_time": "evening",
    "dozing": "no",
    "medicine_list": "Iron pills, once a day",
}


def complete_answers(bank) -> dict:
    answers = {**classic_answers(bank), **LATER_ADDITIONS}
    walk = Walkthrough(bank, answers)
    assert all(item.id in walk.answers for item in walk.shown_items())
    return answers


# --- the whole walk --------------------------------------------------------------


async def test_keyboard_walk_through_matches_score(bank, app_factory, tmp_path):
    answers = classic_answers(bank)
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        assert "Question 1 of about" in str(app.screen.query_one("#progress-text").render())
        await walk_through(pilot, answers)
        assert app.walk.answers == answers
        await pilot.press("v")
        await wait_screen(pilot, SummaryScreen)
        shown = app.screen.query_one(Markdown).source
        app_text = app.summary_text()
    path = tmp_path / "classic.json"
    path.write_text(dumps_document(answers, bank))
    cli = subprocess.run(
        [sys.executable, "-m", "rls_screen", "score", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert app_text == cli.stdout
    assert "This is not a diagnosis" in shown
    assert "match all four features" in shown


async def test_progress_counts_up_and_names_section(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        first = str(app.screen.query_one("#progress-text").render())
        await answer_current(pilot, "self")
        second = str(app.screen.query_one("#progress-text").render())
    assert first.startswith("About you") and "Question 1 of about" in first
    assert "Question 2 of about" in second


# --- answering --------------------------------------------------------------------


async def test_enter_and_arrows_choose(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: current_id(app) == next_id(app, "respondent"))
        assert app.walk.answers["respondent"] == "for_person"


async def test_mouse_click_chooses(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        choices = app.screen.query_one(ChoiceList)
        await wait_for(pilot, lambda: choices.option_count == 3 and choices.region.height > 0)
        await pilot.pause()
        # Row 0 of the list is its border; row 2 is the second option.
        await pilot.click(ChoiceList, offset=(6, 2))
        following = next_id(app, "respondent")
        await wait_for(pilot, lambda: current_id(app) == following)
        for _ in range(10):  # one click answers one question, no more
            await pilot.pause()
        assert app.walk.answers == {"respondent": "with_helper"}
        assert choices.item.id == following


async def test_multi_choice_toggles_and_none_is_exclusive(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.walk.answer("urge", "yes")
        app.walk.go_to("sensations")
        app.screen.show_current()
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        await pilot.press("1", "3")
        assert choices.selection == ("creeping_crawling", "pulling")
        await pilot.press("space")  # the highlight is on option 3: untick it
        assert choices.selection == ("creeping_crawling",)
        await pilot.press("9")  # none of these: clears the others
        assert choices.selection == ("none",)
        await pilot.press("2")  # and the reverse
        assert choices.selection == ("tingling",)
        assert "[x] 2" in str(choices.get_option_at_index(1).prompt)
        await pilot.press("enter")
        await wait_for(pilot, lambda: current_id(app) == next_id(app, "sensations"))
        assert app.walk.answers["sensations"] == ("tingling",)


async def test_skip_leaves_unanswered(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: current_id(app) == next_id(app, "respondent"))
        assert "respondent" not in app.walk.answers


async def test_help_opens_with_examples(bank, app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await pilot.press("f1")
        await wait_screen(pilot, HelpDialog)
        text = shown_text(app)
        assert " ".join(bank.items["respondent"].help.split())[:40] in text
        await pilot.press("escape")
        await wait_screen(pilot, QuestionScreen)
        await pilot.press("question_mark")
        await wait_screen(pilot, HelpDialog)


# --- live conditions ------------------------------------------------------------


async def test_back_and_change_hides_follow_up_and_drops_its_answer(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.walk.go_to("movement")
        app.screen.show_current()
        await pilot.pause()
        await answer_current(pilot, "no")
        assert current_id(app) == "movement_past"  # the follow-up is asked
        await answer_current(pilot, "yes")
        assert app.walk.answers["movement_past"] == "yes"
        await pilot.press("left", "left")
        await wait_for(pilot, lambda: current_id(app) == "movement")
        await answer_current(pilot, "full")
        # The follow-up no longer applies: skipped over, and its answer is gone.
        assert current_id(app) == "evening"
        assert "movement_past" not in app.walk.answers
        await pilot.press("backspace")
        await wait_for(pilot, lambda: current_id(app) == "movement")


# --- red flags ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "must_show"),
    [("rf_one_leg", "urgent"), ("rf_breathing", "emergency")],
)
async def test_red_flag_interrupts_at_once(bank, app_factory, item, must_show):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.walk.go_to(item)
        app.screen.show_current()
        await pilot.pause()
        await pilot.press("1")  # yes
        await wait_screen(pilot, RedFlagDialog)
        text = shown_text(app)
        assert getattr(bank.summary.urgency, must_show) in text
        flag = {"rf_one_leg": "dvt", "rf_breathing": "pulmonary_embolism"}[item]
        assert bank.summary.red_flags[flag].now in text
        await pilot.press("enter")  # acknowledge and go on
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers[item] == "yes"
        assert current_id(app) != item


async def test_mood_yes_shows_crisis_support(bank, app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.walk.go_to("mood")
        app.screen.show_current()
        await pilot.pause()
        await pilot.press("1")
        # v2: "are you safe right now?" comes first; skipping it still shows the support.
        await wait_for(pilot, lambda: current_id(app) == "safe_now", "safe_now")
        assert isinstance(app.screen, QuestionScreen)
        await pilot.press("s")
        await wait_screen(pilot, RedFlagDialog)
        assert bank.summary.crisis in shown_text(app)
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert current_id(app) == next_id(app, "safe_now")


async def test_no_modal_for_no(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        app.walk.go_to("rf_one_leg")
        app.screen.show_current()
        await answer_current(pilot, "no")
        assert isinstance(app.screen, QuestionScreen)


async def test_unsure_warning_sign_interrupts_and_the_summary_lists_it(bank, app_factory):
    answers = {**classic_answers(bank), "rf_breathing": "unsure"}
    unsure = bank.summary.red_flags_unsure["pulmonary_embolism"]
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await walk_until(pilot, answers, "rf_breathing")
        await pilot.press(str(bank.items["rf_breathing"].codes.index("unsure") + 1))
        await wait_screen(pilot, RedFlagDialog)  # at once, before the next question
        text = shown_text(app)
        assert bank.summary.headings.red_flags_unsure in text
        assert unsure.name in text and unsure.safety_net in text
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers["rf_breathing"] == "unsure"
        assert current_id(app) == next_id(app, "rf_breathing")
        await seed_the_rest(pilot, answers)
        await pilot.press("v")
        await wait_screen(pilot, SummaryScreen)
        shown = flat(app.screen.query_one(Markdown).source)
        saved = flat(app.summary_text())
    assert saved == flat(summary_text(bank, answers))
    for summary in (saved, shown):
        assert bank.summary.headings.red_flags_unsure in summary
        assert flat(unsure.safety_net) in summary
    assert flat(unsure.name) in saved
    # The unsure sign comes first, above the pattern, and is not listed as a yes.
    assert saved.index(bank.summary.headings.red_flags_unsure) < saved.index(
        bank.summary.headings.pattern
    )
    assert bank.summary.headings.red_flags.upper() not in saved


async def answer_mood_yes(pilot) -> None:
    app = pilot.app
    await start(pilot)
    app.walk.go_to("mood")
    app.screen.show_current()
    await pilot.pause()
    await pilot.press("1")  # yes
    # No dialog yet: "are you safe right now?" is asked straight away.
    await wait_for(pilot, lambda: current_id(app) == "safe_now", "safe_now")
    for _ in range(5):
        await pilot.pause()
    assert isinstance(app.screen, QuestionScreen)
    assert app.walk.answers["mood"] == "yes"


def crisis_paragraphs(app) -> list[str]:
    """The dialog's paragraphs that give a number to call, in the order shown."""
    texts = [str(w.render()) for w in app.screen.query(Static)]
    return [t for t in texts if "999" in t or "116 123" in t]


async def test_not_safe_puts_the_emergency_number_first(bank, app_factory):
    gb = crisis_support("GB")
    app = app_factory(region="GB")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_mood_yes(pilot)
        await pilot.press(str(bank.items["safe_now"].codes.index("not_safe") + 1))
        await wait_screen(pilot, RedFlagDialog)
        text = shown_text(app)
        first = crisis_paragraphs(app)[0]
        assert first == gb.emergency_now  # v3: "call 999 now", with no condition
        assert "999" in first
        assert "116 123" in text and text.index("999") < text.index("116 123")
        assert gb.line in text and bank.summary.crisis in text
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers["safe_now"] == "not_safe"
        assert current_id(app) == next_id(app, "safe_now")


async def test_safe_shows_crisis_support_without_the_emergency_line(bank, app_factory):
    gb = crisis_support("GB")
    app = app_factory(region="GB")
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_mood_yes(pilot)
        await pilot.press(str(bank.items["safe_now"].codes.index("safe") + 1))
        await wait_screen(pilot, RedFlagDialog)
        text = shown_text(app)
        assert gb.line in text and "116 123" in text
        assert bank.summary.crisis in text
        assert gb.emergency_first not in text
        # v3: what to do if that changes, after the crisis line.
        assert gb.if_changes in text and text.index("116 123") < text.index("999")
        assert crisis_paragraphs(app)[0] == gb.line
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers["safe_now"] == "safe"


# --- the person's own words ---------------------------------------------------------


async def reach_own_words(pilot) -> None:
    app = pilot.app
    await start(pilot)
    app.walk.go_to("urge")
    app.screen.show_current()
    await pilot.pause()
    await walk_until(pilot, {"urge": "yes", "sensations": ("tingling",)}, "own_words")
    await wait_for(pilot, lambda: app.screen.query_one("#text-answer").has_focus, "the box")


async def test_own_words_box_counts_stores_and_shows_in_review(bank, app_factory):
    words = "Fizzing, like soda? Worse at rest"  # S, R and ? are typed, not keys
    limit = bank.items["own_words"].max_length
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_own_words(pilot)
        count = app.screen.query_one("#text-count")
        assert str(count.render()) == f"0 of {limit} characters"
        await pilot.press(*words)
        assert current_id(app) == "own_words"
        assert app.screen.query_one("#text-answer").value == words
        assert str(count.render()) == f"{len(words)} of {limit} characters"
        await pilot.press("enter")
        await wait_for(pilot, lambda: current_id(app) == next_id(app, "own_words"))
        assert app.walk.answers["own_words"] == words
        await pilot.press("r")
        await wait_screen(pilot, ReviewScreen)
        listing = app.screen.query_one(OptionList)
        option = next(
            listing.get_option_at_index(i)
            for i in range(listing.option_count)
            if listing.get_option_at_index(i).id == "own_words"
        )
        assert f"\u201c{words}\u201d" in str(option.prompt)


async def test_own_words_empty_enter_skips_and_escape_frees_the_keys(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await reach_own_words(pilot)
        await pilot.press("enter")  # nothing typed: skipped
        following = next_id(app, "own_words")
        await wait_for(pilot, lambda: current_id(app) == following)
        assert "own_words" not in app.walk.answers
        await pilot.press("left")  # back to the box
        await wait_for(pilot, lambda: current_id(app) == "own_words")
        await wait_for(pilot, lambda: app.screen.query_one("#text-answer").has_focus, "the box")
        await pilot.press("escape", "s")  # out of the box, S skips again
        await wait_for(pilot, lambda: current_id(app) == following)
        assert "own_words" not in app.walk.answers


# --- review ---------------------------------------------------------------------


async def test_review_lists_answers_and_edits_one(bank, app_factory):
    answers = complete_answers(bank)
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await pilot.press("enter")
        await wait_screen(pilot, ReviewScreen)  # all answered: straight to review
        listing = app.screen.query_one(OptionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("How old are you?" in p and "45 to 64" in p for p in prompts)
        # Change `movement` to "no": its follow-up is asked, then back to the review.
        index = next(
            i
            for i in range(listing.option_count)
            if listing.get_option_at_index(i).id == "movement"
        )
        listing.highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: current_id(app) == "movement")
        await answer_current(pilot, "no")
        assert current_id(app) == "movement_past"
        await answer_current(pilot, "yes")
        await wait_screen(pilot, ReviewScreen)
        assert app.walk.answers["movement"] == "no"
        assert app.walk.answers["movement_past"] == "yes"
        await pilot.press("v")
        await wait_screen(pilot, SummaryScreen)


async def test_an_edit_from_the_review_says_how_many_answers_it_removed(bank, app_factory):
    answers = {**complete_answers(bank), "movement": "no", "movement_past": "yes"}
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await pilot.press("enter")
        await wait_screen(pilot, ReviewScreen)
        listing = app.screen.query_one(OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        listing.highlighted = ids.index("movement")
        await pilot.press("enter")
        await wait_for(pilot, lambda: current_id(app) == "movement")
        await answer_current(pilot, "full")  # movement_past no longer applies
        await wait_screen(pilot, ReviewScreen)
        assert "movement_past" not in app.walk.answers
        told = "Removed 1 answer to a question that no longer applies."
        await wait_for(pilot, lambda: any(n.message == told for n in app._notifications), "told")


# --- saving ---------------------------------------------------------------------


async def open_summary(pilot, answers) -> None:
    await wait_screen(pilot, WelcomeScreen)
    await pilot.press("enter")
    await wait_screen(pilot, ReviewScreen)
    await pilot.press("v")
    await wait_screen(pilot, SummaryScreen)


@pytest.mark.parametrize(
    ("fmt_key", "suffix"),
    [(None, ".md"), ("down down down down", ".txt"), ("up", ".json")],
)
async def test_save_each_format_atomic_and_private(bank, app_factory, tmp_path, fmt_key, suffix):
    answers = complete_answers(bank)
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, answers)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        if fmt_key:  # the list of choices has the focus; the arrows move through it
            assert app.screen.query_one("#choices").has_focus
            for key in fmt_key.split():
                await pilot.press(key)
            await pilot.pause()
        path_input = app.screen.query_one("#path")
        assert path_input.value.endswith(suffix)
        path_input.value = str(tmp_path / f"mine{suffix}")
        path_input.focus()
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
        await pilot.press("q")  # no draft any more: the file is what keeps the answers
        await wait_screen(pilot, ConfirmDialog)
        assert "saved a copy to a file" in shown_text(app)
        assert "draft" not in shown_text(app)
        await pilot.press("n")
    written = tmp_path / f"mine{suffix}"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    content = written.read_text()
    if suffix == ".json":
        # The answer file reads back to the same answers, hence the same result, and
        # says when and by which face it was saved, as --plain's does.
        assert read_answer_file(str(written), bank) == answers
        meta = json.loads(content)["meta"]
        assert meta["via"] == "rls-screen" and meta["saved"]
    elif suffix == ".txt":
        assert content == summary_text(bank, answers)
    else:
        assert content.startswith("# ")


async def test_save_to_unwritable_path_keeps_dialog_open(bank, app_factory, tmp_path):
    answers = complete_answers(bank)
    locked = tmp_path / "locked"
    locked.mkdir()
    app = app_factory(answers=answers)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_summary(pilot, answers)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, SaveDialog)
        path_input = app.screen.query_one("#path")
        path_input.value = str(tmp_path / "no-such-folder" / "x.md")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SaveDialog)  # still open: nothing lost
        assert "does not exist" in str(app.screen.query_one("#save-error").render())
        path_input.value = str(tmp_path / "ok.md")  # choose another
        await pilot.press("enter")
        await wait_screen(pilot, SummaryScreen)
    assert (tmp_path / "ok.md").exists()


# --- leaving and coming back ---------------------------------------------------------


async def test_quit_asks_when_answers_would_be_lost(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await answer_current(pilot, "self")
        await pilot.press("ctrl+q")
        await wait_screen(pilot, ConfirmDialog)
        assert "will be lost" in shown_text(app)
        await pilot.press("escape")  # stay
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == {"respondent": "self"}
        await pilot.press("q")
        await wait_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, "exit")


async def test_quit_without_answers_needs_no_confirmation(app_factory):
    app = app_factory()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code is not None, "exit")


async def test_autosave_and_resume_from_draft(bank, app_factory, tmp_path):
    drafts = tmp_path / "drafts"
    given = {"age_group": "18_44", "respondent": "self", "pregnant": "no"}
    app = app_factory(autosave=True, draft_dir=drafts)
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await walk_until(pilot, given, "rf_one_leg")
        assert app.writer().flush()  # drafts are written off the key path
        draft = drafts / "draft.json"
        assert stat.S_IMODE(draft.stat().st_mode) == 0o600
        assert json.loads(draft.read_text())["answers"] == given
        await pilot.press("ctrl+q")
        await wait_screen(pilot, ConfirmDialog)
        assert "kept as a draft" in shown_text(app)
        await pilot.press("y")
    # Next start: offered to pick up, and it lands on the next question.
    app = app_factory(autosave=True, draft_dir=drafts)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        await pilot.press("enter")  # the focus is on "Pick up where I left off"
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == given
        assert current_id(app) == "rf_one_leg"


async def test_discarding_a_draft_deletes_it(app_factory, tmp_path, bank):
    drafts = tmp_path / "drafts"
    Drafts(bank, folder=drafts).save({"age_group": "65_plus"}, "pregnant")
    app = app_factory(autosave=True, draft_dir=drafts)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_offer(pilot)
        await pilot.press("tab", "enter")  # "Start again": an explicit choice...
        await wait_screen(pilot, ConfirmDialog)
        assert (drafts / "draft.json").exists()
        await pilot.press("y")  # ...and a confirmation
        await wait_screen(pilot, QuestionScreen)
        assert app.walk.answers == {}
        assert current_id(app) == "respondent"
    assert not (drafts / "draft.json").exists()


async def test_finishing_deletes_the_draft(bank, app_factory, tmp_path):
    drafts = tmp_path / "drafts"
    app = app_factory(autosave=True, draft_dir=drafts, answers=complete_answers(bank))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await pilot.press("enter")
        await wait_screen(pilot, ReviewScreen)
        await pilot.press("v")
        await wait_screen(pilot, SummaryScreen)
    assert not (drafts / "draft.json").exists()


def test_resume_option_reports_bad_file_in_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"answers": {"urge": "maybe"}}')
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "rls_screen", "--resume", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "'urge'" in proc.stderr
    assert "Traceback" not in proc.stderr


async def test_resume_file_starts_at_first_gap(bank, app_factory):
    given = {"age_group": "18_44", "respondent": "self", "pregnant": "no", "rf_one_leg": "no"}
    app = app_factory(answers=given)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_screen(pilot, WelcomeScreen)
        await pilot.press("enter")
        await wait_screen(pilot, QuestionScreen)
        assert current_id(app) == "rf_breathing"


# --- terminal sizes -------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_nothing_cut_off(bank, app_factory, size):
    """Every option of the longest question can be reached and is inside the screen."""
    app = app_factory()
    async with app.run_test(size=size) as pilot:
        await start(pilot)
        app.walk.answer("urge", "yes")
        app.walk.go_to("sensations")  # nine options, the longest list
        app.screen.show_current()
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        for _ in range(8):
            await pilot.press("down")
        await pilot.pause()
        assert choices.highlighted == 8
        width, height = size
        region = choices.region
        assert region.right <= width and region.bottom <= height
        assert region.height >= 3
        # The question text itself is on screen.
        question = app.screen.query_one("#question-text")
        assert question.region.y >= 0 and question.region.bottom <= height
        assert question.region.right <= width


async def test_a_crash_report_shows_no_answers(app_factory, monkeypatch, capsys):
    """Textual's crash report prints local variables; answers must not be among them."""
    seen = []

    def fail(self, item_id, value):
        kept = "~".join((item_id, str(value), "held"))  # a local, as answers are in frames
        seen.append(kept)
        raise RuntimeError("failed while answering")

    monkeypatch.setattr(Walkthrough, "answer", fail)
    app = app_factory()
    with pytest.raises(RuntimeError):
        async with app.run_test(size=(80, 24)) as pilot:
            await start(pilot)
            await pilot.press("1")
            await pilot.pause()
    err = capsys.readouterr().err
    assert "RuntimeError" in err and "failed while answering" in err  # the report is there
    assert seen and seen[0] not in err
    assert app.return_code == 1


async def test_the_footer_offers_space_to_tick_only_on_multi_choice_questions(bank, app_factory):
    """The footer is rebuilt only when the kind of question changes (for speed); it must
    still follow every change: single, multi, single again."""
    from textual.widgets._footer import FooterKey

    def footer_keys(app) -> set[str]:
        return {key.description for key in app.screen.query(FooterKey)}

    tick = ui("tui.choices.keys.tick")
    app = app_factory()
    answers = {**classic_answers(bank), "urge": "yes"}
    async with app.run_test(size=(100, 24)) as pilot:
        await start(pilot)
        assert bank.items[current_id(app)].kind == "single"
        assert tick not in footer_keys(app)
        await walk_until(pilot, answers, "sensations")  # multi choice
        await pilot.pause()
        assert tick in footer_keys(app)
        await answer_current(pilot, answers["sensations"])
        await wait_for(pilot, lambda: current_id(app) != "sensations", "the next question")
        await pilot.pause()
        assert bank.items[current_id(app)].kind != "multi"
        assert tick not in footer_keys(app)
