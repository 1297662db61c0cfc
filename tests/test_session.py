"""The session every face shares (rls_screen/session/flow.py), tested once, without a
face: the draft offered at the start (with and without --resume), skipping, warning
signs and the wrong answer, changes from the review and what they remove, the summary
half-way and at the end, saving, and when leaving puts answers at risk."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from rls_screen.interop.drafts import Drafts, DraftWriter
from rls_screen.session.flow import (
    ALERT,
    DRAFT,
    FILE,
    NEW,
    QUESTION,
    REVIEW,
    DraftOffer,
    Session,
    Step,
    save_folder,
)

ADULT = {"respondent": "self", "age_group": "18_44", "pregnant": "no"}


def kept(drafts: Drafts) -> dict:
    """The answers the draft on disk holds ({} when there is none)."""
    if not drafts.path.exists():
        return {}
    return json.loads(drafts.path.read_text())["answers"]


def session(bank, tmp_path, **kw) -> Session:
    return Session(bank, drafts=Drafts(bank, tmp_path / "drafts"), **kw)


def with_draft(bank, tmp_path, answers: dict, position: str | None = None) -> None:
    Drafts(bank, tmp_path / "drafts").save(answers, position)


def test_no_draft_nothing_offered_and_the_file_answers_start(bank, tmp_path):
    s = session(bank, tmp_path, initial_answers={"respondent": "self"})
    assert s.draft_offer() is None
    step = s.begin()
    assert step == Step(QUESTION, "age_group")  # the first unanswered question
    assert s.walk is not None and s.walk.answers == {"respondent": "self"}


def test_a_draft_is_offered_and_picked_up_where_it_stopped(bank, tmp_path):
    with_draft(bank, tmp_path, {"respondent": "self", "age_group": "18_44"}, "rf_breathing")
    s = session(bank, tmp_path)
    assert s.draft_offer() == DraftOffer(count=2, with_file=False)
    assert s.begin(DRAFT) == Step(QUESTION, "rf_breathing")
    assert s.walk is not None and s.walk.answers["age_group"] == "18_44"


def test_starting_again_deletes_the_draft(bank, tmp_path):
    with_draft(bank, tmp_path, {"respondent": "self"})
    s = session(bank, tmp_path)
    assert s.begin(NEW) == Step(QUESTION, "respondent")
    assert s.walk is not None and s.walk.answers == {}
    assert not (tmp_path / "drafts" / "draft.json").exists()


def test_with_resume_the_offer_is_the_draft_or_the_file(bank, tmp_path):
    with_draft(bank, tmp_path, {"respondent": "self"})
    file_answers = {"respondent": "for_person", "age_group": "65_plus"}
    s = session(bank, tmp_path, initial_answers=file_answers, resume_source="answers.json")
    assert s.draft_offer() == DraftOffer(count=1, with_file=True)
    s.begin(DRAFT)  # the draft kept: the file's answers are not used
    assert s.walk is not None and s.walk.answers == {"respondent": "self"}
    assert (tmp_path / "drafts" / "draft.json").exists()

    other = session(bank, tmp_path, initial_answers=file_answers, resume_source="answers.json")
    other.begin(FILE)
    assert other.walk is not None and other.walk.answers == file_answers
    assert not (tmp_path / "drafts" / "draft.json").exists()


def test_a_read_only_session_never_deletes_the_other_windows_draft(bank, tmp_path):
    with_draft(bank, tmp_path, {"respondent": "self"})
    s = session(bank, tmp_path)
    s.read_only = True
    s.begin(NEW)
    s.answer("respondent", "self")
    assert kept(Drafts(bank, tmp_path / "drafts")) == {"respondent": "self"}
    assert not s.drafting


def test_each_answer_is_kept_as_the_draft_at_the_next_question(bank, tmp_path):
    s = session(bank, tmp_path)
    s.begin()
    assert s.answer("respondent", "self") == Step(QUESTION, "age_group")
    drafts = Drafts(bank, tmp_path / "drafts")
    assert kept(drafts) == {"respondent": "self"}
    assert drafts.load() == ({"respondent": "self"}, "age_group")
    mode = os.stat(drafts.path).st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_skip_keeps_an_answer_already_given(bank, tmp_path):
    s = session(bank, tmp_path)
    s.begin()
    s.answer("respondent", "self")
    s.back()
    assert s.skip() == Step(QUESTION, "age_group")
    assert s.walk is not None and s.walk.answers == {"respondent": "self"}


def test_skip_with_no_answer_leaves_the_question_unanswered(bank, tmp_path):
    s = session(bank, tmp_path)
    s.begin()
    assert s.skip() == Step(QUESTION, "age_group")
    assert s.walk is not None and s.walk.answers == {}
    assert s.walk.skipped(bank.items["respondent"])


def test_a_warning_sign_alerts_then_goes_on(bank, tmp_path):
    s = session(bank, tmp_path, initial_answers=ADULT)
    s.begin()
    assert s.walk is not None and s.walk.current is not None
    assert s.walk.current.id == "rf_one_leg"
    step = s.answer("rf_one_leg", "yes")
    assert step.kind == ALERT and step.item_id == "rf_one_leg" and step.alert is not None
    assert s.shown_alerts == [step.alert]
    assert kept(Drafts(bank, tmp_path / "drafts"))["rf_one_leg"] == "yes"  # kept at once
    assert s.after_alert("rf_one_leg") == Step(QUESTION, "rf_breathing")


def test_a_skipped_warning_question_still_shows_its_alert(bank, tmp_path):
    s = session(bank, tmp_path, initial_answers={"rf_one_leg": "unsure"})
    s.begin()
    assert s.walk is not None
    s.walk.go_to("rf_one_leg")
    step = s.skip()
    assert step.kind == ALERT and step.item_id == "rf_one_leg"
    assert s.walk.answers["rf_one_leg"] == "unsure"  # kept, and shown again
    # The question about safety alerts (crisis support) even with no answer.
    s.walk.answer("mood", "yes")
    s.walk.go_to("safe_now")
    step = s.skip()
    assert step.kind == ALERT and step.item_id == "safe_now"
    assert "safe_now" not in s.walk.answers


def test_the_wrong_answer_goes_back_with_the_answer_cleared(bank, tmp_path):
    s = session(bank, tmp_path, initial_answers=ADULT)
    s.begin()
    s.answer("rf_one_leg", "yes")
    assert s.after_alert("rf_one_leg", wrong_answer=True) == Step(QUESTION, "rf_one_leg")
    assert s.walk is not None and "rf_one_leg" not in s.walk.answers
    assert s.shown_alerts == []  # a mistake: never printed again as a sign shown
    assert "rf_one_leg" not in kept(Drafts(bank, tmp_path / "drafts"))


def test_an_edit_opens_its_follow_up_then_the_review(bank, tmp_path):
    every = {item: "no" for item in ("rest", "evening", "cramp")}
    s = session(bank, tmp_path, initial_answers={**every, "movement": "full"})
    s.begin()
    assert s.walk is not None
    s.walk.finish()
    assert s.edit("movement") == Step(QUESTION, "movement")
    assert s.answer("movement", "no") == Step(QUESTION, "movement_past")  # the follow-up
    assert s.answer("movement_past", "yes") == Step(REVIEW)
    assert not s.editing


def test_an_edit_says_what_it_removed(bank, tmp_path):
    s = session(bank, tmp_path, initial_answers={"movement": "no", "movement_past": "yes"})
    s.begin()
    assert s.walk is not None
    s.walk.finish()
    s.edit("movement")
    assert s.answer("movement", "full") == Step(REVIEW)  # nothing opened: the review
    assert s.removed == ["movement_past"]
    assert "movement_past" not in s.walk.answers
    s.edit("movement")
    s.answer("movement", "partial")
    assert s.removed == []  # the last change removed nothing


def test_after_a_change_the_walk_is_back_on_the_review(bank, tmp_path):
    s = session(bank, tmp_path, initial_answers={"movement": "no", "movement_past": "yes"})
    s.begin()
    assert s.walk is not None
    s.walk.finish()
    s.edit("movement")
    assert s.here() == Step(QUESTION, "movement")
    assert s.answer("movement", "full") == Step(REVIEW)
    assert s.here() == Step(REVIEW) and s.walk.finished  # not left on the changed question
    s.edit("rest")  # a look at a question, then back without changing it
    assert s.here() == Step(QUESTION, "rest")
    assert s.review() == Step(REVIEW)
    assert s.here() == Step(REVIEW) and not s.editing
    assert "rest" not in s.walk.answers


def test_a_change_from_a_review_opened_half_way_leaves_the_rest_to_do(bank, tmp_path):
    s = session(bank, tmp_path)
    s.begin()
    s.answer("respondent", "self")
    s.answer("age_group", "18_44")
    assert s.walk is not None
    left = len(s.walk.unreached())
    s.edit("respondent")
    assert s.answer("respondent", "self") == Step(REVIEW)
    assert not s.walk.finished and len(s.walk.unreached()) == left  # none became skipped
    assert s.review() == Step(REVIEW) and not s.walk.finished


def test_which_questions_were_reached_and_what_comes_before(bank, tmp_path):
    s = session(bank, tmp_path)
    s.begin()
    assert s.reached("respondent") and not s.reached("age_group")
    assert s.before("respondent") is None
    s.answer("respondent", "self")
    assert s.reached("age_group") and s.before("age_group") == "respondent"
    assert not s.reached("no_such_question")
    assert s.walk is not None
    assert s.walk.index_of("age_group") > s.walk.index_of("respondent")
    t = session(bank, tmp_path, initial_answers={"movement": "full"})
    t.begin()
    assert t.walk is not None
    t.walk.finish()
    assert t.reached("movement") and not t.reached("movement_past")  # not asked now
    t.edit("movement")
    t.answer("movement", "no")
    assert t.reached("movement_past") and t.before("movement_past") == "movement"


def test_a_look_at_the_summary_half_way_keeps_the_draft(bank, tmp_path):
    s = session(bank, tmp_path)
    s.begin()
    s.answer("respondent", "self")
    left = s.look_at_summary()
    assert left > 0 and s.half_way
    assert kept(Drafts(bank, tmp_path / "drafts")) == {"respondent": "self"}
    assert s.walk is not None and not s.walk.finished


def test_finishing_deletes_the_draft(bank, tmp_path):
    writer = DraftWriter()
    s = Session(bank, drafts=Drafts(bank, tmp_path / "drafts"), writer=writer)
    s.begin()
    s.answer("respondent", "self")
    assert s.walk is not None
    while not s.walk.finished:
        step = s.skip()
        if step.kind == ALERT:
            s.after_alert(step.item_id or "")
    assert s.look_at_summary() == 0 and not s.half_way
    writer.close()
    assert not (tmp_path / "drafts" / "draft.json").exists()


def test_at_risk_rules(bank, tmp_path):
    s = session(bank, tmp_path)
    assert not s.answers_at_risk(on_summary=False)  # nothing begun
    s.begin()
    assert not s.answers_at_risk(on_summary=False)  # no answers
    s.answer("respondent", "self")
    assert not s.answers_at_risk(on_summary=False)  # kept as a draft
    s.look_at_summary()
    assert not s.answers_at_risk(on_summary=True)  # half-way: the draft stays
    s.walk.finish()  # type: ignore[union-attr]
    s.look_at_summary()
    assert s.answers_at_risk(on_summary=True)  # the draft went with the finish
    s.save(tmp_path / "summary.md", "markdown")
    assert not s.answers_at_risk(on_summary=True)  # saved
    s.answer("age_group", "18_44")
    assert s.answers_at_risk(on_summary=True)  # a change since the save

    no_drafts = Session(bank)
    no_drafts.begin()
    no_drafts.answer("respondent", "self")
    assert no_drafts.answers_at_risk(on_summary=False)  # autosave off


def test_a_saved_answer_file_carries_meta_and_is_owner_only(bank, tmp_path):
    s = Session(bank, via="rls-screen --plain")
    s.begin()
    s.answer("respondent", "self")
    path = s.save(tmp_path / "answers.json", "answers")
    doc = json.loads(path.read_text())
    assert doc["answers"] == {"respondent": "self"}
    assert doc["meta"]["via"] == "rls-screen --plain" and doc["meta"]["saved"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    page = s.export("markdown", "clinician", name="page.md")
    assert "page.md" in page  # the doctor's page names its file


def test_start_over_clears_the_answers_and_the_draft(bank, tmp_path):
    s = session(bank, tmp_path)
    s.begin()
    s.answer("respondent", "self")
    s.start_over()
    assert s.walk is not None and s.walk.answers == {}
    assert s.here() == Step(QUESTION, "respondent")
    assert not (tmp_path / "drafts" / "draft.json").exists()


def test_one_default_save_folder(tmp_path, monkeypatch):
    assert save_folder(tmp_path) == tmp_path
    assert save_folder(tmp_path / "gone") == Path.home()  # never a folder that is not there
    import rls_screen.reports.exports as exports

    monkeypatch.setattr(exports, "default_folder", lambda: tmp_path / "missing")
    assert save_folder() == Path.home()


def test_a_failing_autosave_is_told_and_never_stops_the_walk(bank, tmp_path):
    (tmp_path / "drafts").write_text("a file where the folder should be")
    s = session(bank, tmp_path)
    told: list[Exception] = []
    s.on_save_error = lambda _drafts, exc: told.append(exc)
    s.begin()
    assert s.answer("respondent", "self") == Step(QUESTION, "age_group")
    assert len(told) == 1 and not s.drafting
    assert s.answers_at_risk(on_summary=False)  # nothing kept now
