"""The kiosk's rules (rls_screen/session/kiosk.py), tested without a face: a record per
patient, the alert file at a warning sign, the partial record only after one, handing
in, a draft left by the last run set aside, and the idle reset."""

from __future__ import annotations

import json
import sys

from rls_screen.core.engine import score
from rls_screen.interop.drafts import Drafts
from rls_screen.interop.records import draft_folder
from rls_screen.session.kiosk import NEXT_PATIENT, STILL_THERE, Kiosk

WARNING = {"rf_one_leg": "yes"}


def kiosk(bank, tmp_path, **kw) -> tuple[Kiosk, list[str]]:
    lines: list[str] = []
    return Kiosk(tmp_path, lambda: bank, lines.append, **kw), lines


def test_each_patient_has_a_record_of_their_own_carried_by_the_draft(bank, tmp_path):
    rules, _lines = kiosk(bank, tmp_path)
    assert rules.drafts() is None  # no patient yet
    rules.new_patient()
    first = rules.record_id
    drafts = rules.drafts()
    assert first and drafts is not None
    drafts.save({"respondent": "self"})
    assert json.loads(drafts.path.read_text())["meta"]["record_id"] == first
    rules.forget()
    rules.new_patient()
    assert rules.record_id != first and rules.alerted is None


def test_a_warning_sign_writes_the_alert_file_at_once(bank, tmp_path):
    rules, lines = kiosk(bank, tmp_path)
    rules.new_patient()
    path = rules.report_alert(score(bank, WARNING))
    assert path == tmp_path / f"{rules.record_id}.alert.json"
    doc = json.loads(path.read_text())
    assert doc["red_flags"] == ["dvt"] and doc["record_id"] == rules.record_id
    assert "rf_one_leg" not in path.read_text()  # never an answer
    assert lines == []


def test_the_partial_record_is_kept_only_after_a_warning_sign(bank, tmp_path):
    rules, _lines = kiosk(bank, tmp_path)
    rules.new_patient()
    assert not rules.keep_partial({"respondent": "self"}, handed_in=False)
    assert not list(tmp_path.glob("*.partial.json"))
    rules.report_alert(score(bank, WARNING))
    assert not rules.keep_partial(WARNING, handed_in=True)  # handed in: nothing partial
    assert rules.keep_partial(WARNING, handed_in=False)
    kept = tmp_path / f"{rules.record_id}.partial.json"
    assert json.loads(kept.read_text())["answers"] == WARNING


def test_a_partial_record_that_cannot_be_written_is_one_line_for_staff(bank, tmp_path):
    rules, lines = kiosk(bank, tmp_path / "gone")
    rules.new_patient()
    rules.alerted = (["dvt"], [], "urgent")
    assert not rules.keep_partial(WARNING, handed_in=False)
    assert len(lines) == 1 and rules.record_id in lines[0]
    assert "rf_one_leg" not in lines[0]


def test_handing_in_writes_the_record(bank, tmp_path):
    rules, _lines = kiosk(bank, tmp_path)
    rules.new_patient()
    rules.hand_in({"respondent": "self"})
    assert (tmp_path / f"{rules.record_id}.json").is_file()
    assert (tmp_path / f"{rules.record_id}.html").is_file()


def test_a_draft_left_by_the_last_run_is_set_aside(bank, tmp_path):
    Drafts(bank, draft_folder(tmp_path)).save({"respondent": "self"})
    rules, lines = kiosk(bank, tmp_path)
    rules.set_aside()
    assert not (draft_folder(tmp_path) / "draft.json").exists()
    assert rules.drafting and lines == []


def test_the_clinics_command_that_fails_is_told_to_staff(bank, tmp_path):
    command = [sys.executable, "-c", "raise SystemExit(3)"]
    rules, lines = kiosk(bank, tmp_path, on_alert=command)
    rules.new_patient()
    rules.report_alert(score(bank, WARNING))
    assert len(rules.alert_commands) == 1
    rules.alert_commands[0].wait(timeout=30)
    rules.check_alert_commands()
    assert rules.alert_commands == [] and len(lines) == 1 and "3" in lines[0]


def test_the_idle_reset(bank, tmp_path):
    rules, _lines = kiosk(bank, tmp_path, idle_reset=60)
    assert rules.when_idle(600, begun=False, handed_in=False) is None  # the welcome
    assert rules.when_idle(10, begun=True, handed_in=False) is None  # someone is there
    assert rules.when_idle(60, begun=True, handed_in=False) == STILL_THERE
    assert rules.when_idle(60, begun=True, handed_in=True) == NEXT_PATIENT
