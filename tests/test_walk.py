"""One walk for every face (ARCHITECTURE.md): where a walk picks up, where it ends, what a
change opens, and how an answer reads, decided once in `core.walk` and `core.bank`. The
TUI, the kiosk and the plain mode are tested end to end in their own files; these hold
the shared rules themselves."""

from __future__ import annotations

from rls_screen.core.walk import Walkthrough


def test_resume_at_a_shown_position(bank):
    walk = Walkthrough(bank, {"urge": "yes", "sensations": ("creeping_crawling",)})
    walk.resume("rest")
    assert walk.current is not None and walk.current.id == "rest"


def test_resume_at_a_hidden_position_goes_to_the_first_gap(bank):
    # movement_past is shown only when movement is "no": here it is hidden.
    walk = Walkthrough(bank, {"age_group": "18_44", "urge": "yes"})
    walk.resume("movement_past")
    assert walk.current is not None and walk.current.id == "respondent"
    assert walk.first_gap() is walk.current


def test_resume_without_a_position_goes_to_the_first_gap_or_the_start(bank):
    walk = Walkthrough(bank, {"age_group": "18_44", "respondent": "self"})
    walk.resume(None)
    assert walk.current is not None and walk.current.id == "pregnant"
    fresh = Walkthrough(bank)
    fresh.resume(None)
    assert fresh.current is not None and fresh.current.id == "respondent"


def test_resume_with_every_question_answered_ends_the_walk(bank):
    walk = Walkthrough(bank)
    while walk.current is not None:  # answer each question with its first option
        item = walk.current
        value = "words" if item.kind == "text" else item.codes[0]
        value = [value] if item.kind == "multi" else value
        walk.answer(item.id, value)
        walk.advance()
    answered = dict(walk.answers)
    again = Walkthrough(bank, answered)
    assert again.first_gap() is None
    again.resume("urge")  # a shown position still wins
    assert again.current is not None and again.current.id == "urge"
    again.resume("no_such_item")
    assert again.finished and again.current is None
    number, total = again.progress()
    assert number == total


def test_finish_puts_the_walk_behind_its_last_question(bank):
    walk = Walkthrough(bank, {"urge": "yes"})
    walk.finish()
    assert walk.finished and walk.current is None
    assert walk.back() and walk.current is not None  # back from the end: the last question


def test_a_change_names_the_follow_up_it_opened(bank):
    walk = Walkthrough(bank, {"urge": "no", "movement": "yes"})
    assert walk.follow_up("movement") is None
    walk.answer("movement", "no")  # opens movement_past
    assert walk.follow_up("movement") == "movement_past"
    walk.answer("movement_past", "yes")
    assert walk.follow_up("movement") is None  # answered: nothing left to open


def test_an_answer_reads_the_same_everywhere(bank):
    urge = bank.items["urge"]
    sensations = bank.items["sensations"]
    own = bank.items["own_words"]
    assert urge.describe("yes") == urge.label("yes") != "yes"
    two = sensations.codes[:2]
    assert sensations.describe(two) == ", ".join(sensations.label(c) for c in two)
    assert sensations.describe(two, "; ") == "; ".join(sensations.label(c) for c in two)
    assert own.describe("they fizz") == "\u201cthey fizz\u201d"
