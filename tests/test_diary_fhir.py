"""The diary as FHIR R4 (docs/diary.md): the diary Questionnaire
(`export-questionnaire --diary`), nights as QuestionnaireResponses in a collection
Bundle, and that Bundle read back, strictly. Resources are validated with fhir.resources
(R4B, whose Questionnaire and QuestionnaireResponse are R4's)."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta

import pytest
from cli_runner import run_cli
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from rls_screen.core.diary import FIELDS, parse_night
from rls_screen.core.errors import InputError
from rls_screen.interop import diary_fhir


def nights(count: int = 5):
    out = []
    for i in range(count):
        night = {"night": (date(2026, 11, 10) + timedelta(days=i)).isoformat()}
        if i == 0:  # every field
            night.update(
                symptoms="yes",
                onset="10:00",  # the morning of that date, on the night's line
                severity=7,
                bed="01:30",  # after midnight
                sleep_latency=45,
                awakenings=3,
                awake_minutes=50,
                wake="07:10",
                out_of_bed="07:40",
                quality="very_poor",
                rls_medicine_time="21:00",
                caffeine_late="yes",
                alcohol="no",
                note='<b>legs</b> & "all night", then =1+1',
            )
        elif i == 1:
            night.update(symptoms="no", bed="23:00", wake="06:30")
        elif i == 2:
            night.update(symptoms="unsure", quality="good", severity=2)
        out.append(parse_night(night))
    return out


def test_the_questionnaire_is_valid_r4_with_one_question_per_field():
    q = diary_fhir.diary_questionnaire()
    Questionnaire.model_validate(q)
    # The spec's fields, in its order, the night first.
    assert [item["linkId"] for item in q["item"]] == list(dict.fromkeys(("night", *FIELDS)))
    kinds = {item["linkId"]: item["type"] for item in q["item"]}
    assert kinds["night"] == "date" and kinds["onset"] == "time"
    assert kinds["severity"] == "integer" and kinds["quality"] == "choice"
    assert kinds["note"] == "string"
    note = next(item for item in q["item"] if item["linkId"] == "note")
    assert note["maxLength"] == 300


def test_export_questionnaire_diary_prints_it():
    proc = run_cli("export-questionnaire", "--diary")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == diary_fhir.diary_questionnaire()
    screening = json.loads(run_cli("export-questionnaire").stdout)
    assert screening["url"] != diary_fhir.CANONICAL_URL


def test_nights_are_a_valid_collection_bundle_and_come_back_the_same():
    kept = nights()
    bundle = diary_fhir.nights_to_bundle(reversed(kept))
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection" and len(bundle["entry"]) == 5
    assert all(e["resource"]["resourceType"] == "QuestionnaireResponse" for e in bundle["entry"])
    back = diary_fhir.bundle_to_nights(json.loads(json.dumps(bundle)))
    assert back == kept  # oldest first, every value, the note as written
    first = {i["linkId"]: i["answer"][0] for i in bundle["entry"][0]["resource"]["item"]}
    assert first["onset"] == {"valueTime": "10:00:00"}
    assert first["severity"] == {"valueInteger": 7}
    assert first["quality"]["valueCoding"]["code"] == "very_poor"
    missing = {i["linkId"] for i in bundle["entry"][4]["resource"]["item"]}
    assert missing == {"night"}  # a missing value has no item


def bad(change) -> str:
    bundle = diary_fhir.nights_to_bundle(nights(3))
    change(bundle)
    with pytest.raises(InputError) as caught:
        diary_fhir.bundle_to_nights(bundle)
    message = str(caught.value)
    assert "\n" not in message
    return message


def items(bundle, entry=0):
    return bundle["entry"][entry]["resource"]["item"]


def answer_of(bundle, link_id, entry=0):
    return next(i for i in items(bundle, entry) if i["linkId"] == link_id)["answer"]


def test_each_bad_thing_is_one_line_naming_the_entry():
    assert "not a FHIR Bundle" in bad(lambda b: b.update(resourceType="Questionnaire"))
    assert "collection" in bad(lambda b: b.update(type="transaction"))
    assert "entry 2" in bad(lambda b: b["entry"][1].pop("resource"))
    message = bad(lambda b: b["entry"][0]["resource"].update(questionnaire="http://x/q"))
    assert "entry 1" in message and diary_fhir.CANONICAL_URL in message
    message = bad(lambda b: b["entry"][0]["resource"].update(status="entered-in-error"))
    assert "completed, amended" in message
    message = bad(lambda b: items(b).append({"linkId": "mood", "answer": [{"valueString": "x"}]}))
    assert "'mood'" in message and "sleep_latency" in message
    message = bad(lambda b: items(b).append(copy.deepcopy(items(b)[1])))
    assert "twice" in message
    message = bad(lambda b: answer_of(b, "onset").append({"valueTime": "11:00:00"}))
    assert "onset" in message and "exactly one answer" in message
    message = bad(lambda b: answer_of(b, "severity")[0].update({"valueInteger": None}))
    assert "severity" in message
    message = bad(lambda b: answer_of(b, "onset")[0].update(valueTime="25:00:00"))
    assert "onset" in message and "HH:MM" in message
    message = bad(lambda b: answer_of(b, "onset")[0].update(valueTime="21:30:15"))
    assert "onset" in message
    message = bad(lambda b: answer_of(b, "quality")[0]["valueCoding"].update(code="great"))
    assert "'great'" in message and "very_poor" in message
    message = bad(lambda b: answer_of(b, "severity")[0].update(valueInteger=11))
    assert "entry 1" in message and "severity" in message
    message = bad(lambda b: answer_of(b, "sleep_latency")[0].pop("valueInteger"))
    assert "valueInteger" in message
    message = bad(lambda b: items(b, 1).pop(0))
    assert "entry 2" in message and "night" in message
    message = bad(lambda b: b["entry"][2]["resource"].update(item=items(b, 1)))
    assert "entry 3" in message and "twice" in message


def test_import_of_the_bundle_reads_it_as_a_diary_file(tmp_path):
    from rls_screen.interop.diary_files import read_diary_file

    path = tmp_path / "diary-fhir.json"
    path.write_text(json.dumps(diary_fhir.nights_to_bundle(nights())), encoding="utf-8")
    assert read_diary_file(path) == nights()


def test_diary_export_fhir_then_import_gives_the_same_diary(tmp_path):
    from rls_screen.interop.diary_files import diary_json

    source = tmp_path / "nights.json"
    source.write_text(diary_json(nights()), encoding="utf-8")
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    assert run_cli("diary", "import", str(source), "--db", str(first)).returncode == 0
    bundle = tmp_path / "bundle.json"
    proc = run_cli("diary", "export", "--format", "fhir", "-o", str(bundle), "--db", str(first))
    assert proc.returncode == 0, proc.stderr
    Bundle.model_validate_json(bundle.read_text(encoding="utf-8"))
    proc = run_cli("diary", "import", str(bundle), "--db", str(second))
    assert proc.returncode == 0, proc.stderr
    exported = run_cli("diary", "export", "--format", "json", "--db", str(second)).stdout
    assert exported == diary_json(nights())
    page = run_cli("diary", "export", "--format", "html", "--db", str(second)).stdout
    assert 'role="img"' in page and "&lt;b&gt;legs&lt;/b&gt;" in page
    md = run_cli("diary", "export", "--format", "markdown", "--db", str(second)).stdout
    assert md.startswith("# Symptom diary") and "\\<b\\>legs\\</b\\>" in md
