"""The symptom diary as FHIR R4 (docs/diary.md): the diary Questionnaire, each night as a
QuestionnaireResponse in a Bundle of type ``collection``, and that Bundle read back.

Built and read as plain dicts, as ``interop.fhir`` does for the screening questions: the
``linkId`` of each question is the diary's field name (``core.diary.FIELDS``), choices
are codings of one code system, clock times are FHIR ``time`` values (``HH:MM:00``) and
the night is a ``date``. Reading is strict: anything not written by ``nights_to_bundle``
(or a form filler using the Questionnaire) is one line naming the entry, and a night's
values are checked by ``core.diary.parse_night``, as a diary file's are.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from rls_screen.core.diary import CHOICE_FIELDS, NOTE_LIMIT
from rls_screen.core.errors import InputError, show
from rls_screen.core.texts import ui

DIARY_VERSION = "1.0.0"
CANONICAL_URL = "https://rls-screen.example.org/fhir/Questionnaire/rls-screen-diary"
CODE_SYSTEM = "https://rls-screen.example.org/fhir/CodeSystem/rls-screen-diary"
NAME = "RlsScreenDiary"  # FHIR `name`: computer-friendly, no punctuation
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
READ_STATUSES = ("completed", "amended")

# Each field's FHIR type and, for numbers, its range, for choices its codes
# (docs/diary.md section 1). The order is the spec's.
TIMES = ("onset", "bed", "wake", "out_of_bed", "rls_medicine_time")
RANGES: dict[str, tuple[int, int]] = {
    "severity": (0, 10),
    "sleep_latency": (0, 720),
    "awakenings": (0, 50),
    "awake_minutes": (0, 720),
}
CHOICES = CHOICE_FIELDS
NOTE_MAX = NOTE_LIMIT
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9](:00)?")


def canonical() -> str:
    return f"{CANONICAL_URL}|{DIARY_VERSION}"


def _fields() -> tuple[str, ...]:
    from rls_screen.core.diary import FIELDS

    return tuple(FIELDS) if FIELDS[0] == "night" else ("night", *FIELDS)


def _kind(field: str) -> str:
    if field == "night":
        return "date"
    if field in TIMES:
        return "time"
    if field in RANGES:
        return "integer"
    if field in CHOICES:
        return "choice"
    return "string"


def _value_key(field: str) -> str:
    return {
        "date": "valueDate",
        "time": "valueTime",
        "integer": "valueInteger",
        "choice": "valueCoding",
        "string": "valueString",
    }[_kind(field)]


def _questions() -> dict[str, Mapping[str, Any]]:
    """The entry's questions (``questions/diary.toml``), by field: the words every face
    asks."""
    from rls_screen.core.diary import entry_questions

    return {q["id"]: q for q in entry_questions()}


def _option_labels() -> dict[str, dict[str, str]]:
    from rls_screen.reports.diary import option_labels

    return option_labels()


def _coding(field: str, code: str, labels: dict[str, dict[str, str]]) -> dict[str, Any]:
    return {"system": CODE_SYSTEM, "code": code, "display": labels[field][code]}


# --- the Questionnaire ---------------------------------------------------------------


def diary_questionnaire() -> dict[str, Any]:
    """One night of the diary as a FHIR R4 Questionnaire (``export-questionnaire
    --diary``): one question per field, in the spec's order; only the night is
    required."""
    questions = _questions()
    labels = _option_labels()
    items = []
    for field in _fields():
        question = questions[field]
        item: dict[str, Any] = {"linkId": field, "text": question["text"], "type": _kind(field)}
        if field == "night":
            item["required"] = True
        if field in RANGES:
            low, high = RANGES[field]
            item["extension"] = [
                {"url": MIN_VALUE, "valueInteger": low},
                {"url": MAX_VALUE, "valueInteger": high},
            ]
        if field in CHOICES:
            item["answerOption"] = [
                {"valueCoding": _coding(field, code, labels)} for code in CHOICES[field]
            ]
        if field == "note":
            item["maxLength"] = NOTE_MAX
        hint = question.get("hint")
        if hint:
            item["item"] = [{"linkId": f"{field}.hint", "text": hint.strip(), "type": "display"}]
        items.append(item)
    return {
        "resourceType": "Questionnaire",
        "id": "rls-screen-diary",
        "url": CANONICAL_URL,
        "version": DIARY_VERSION,
        "name": NAME,
        "title": ui("diary.fhir.title"),
        "status": "active",
        "subjectType": ["Patient"],
        "description": ui("diary.fhir.description"),
        "item": items,
    }


# --- nights out ----------------------------------------------------------------------


def night_to_response(night: Any) -> dict[str, Any]:
    """One night as a completed QuestionnaireResponse; a missing value has no item."""
    labels = _option_labels()
    values = night.model_dump(mode="json")
    items = []
    for field in _fields():
        value = values.get(field)
        if value is None:
            continue
        kind = _kind(field)
        if kind == "time":
            value = f"{value}:00"
        elif kind == "choice":
            value = _coding(field, value, labels)
        items.append({"linkId": field, "answer": [{_value_key(field): value}]})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(),
        "status": "completed",
        "item": items,
    }


def nights_to_bundle(nights: Iterable[Any]) -> dict[str, Any]:
    """The nights, oldest first, as a Bundle of type collection: one
    QuestionnaireResponse per night."""
    ordered = sorted(nights, key=lambda n: n.night)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": night_to_response(n)} for n in ordered],
    }


# --- nights in -----------------------------------------------------------------------


def is_bundle(obj: object) -> bool:
    """Whether a parsed JSON document is a FHIR Bundle (for the diary file reader)."""
    return isinstance(obj, dict) and obj.get("resourceType") == "Bundle"


def bundle_to_nights(obj: object) -> list[Any]:
    """The nights of a diary Bundle, in its order. Strict: the first thing wrong is one
    InputError line naming the entry (from 1) and, inside it, the linkId."""
    if not is_bundle(obj):
        kind = obj.get("resourceType") if isinstance(obj, dict) else None
        raise InputError(ui("diary.fhir.not_a_bundle", kind=show(kind)))
    assert isinstance(obj, dict)
    if obj.get("type") != "collection":
        raise InputError(ui("diary.fhir.not_a_collection", kind=show(obj.get("type"))))
    entries = obj.get("entry", [])
    if not isinstance(entries, list):
        raise InputError(ui("diary.fhir.entries_not_a_list"))
    nights = []
    seen: set[object] = set()
    for number, entry in enumerate(entries, start=1):
        night = _night(entry, number)
        if night.night in seen:
            raise InputError(
                ui("diary.fhir.night_twice", number=number, night=night.night.isoformat())
            )
        seen.add(night.night)
        nights.append(night)
    return nights


def _night(entry: object, number: int) -> Any:
    from rls_screen.core.diary import DiaryError, parse_night

    if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
        raise InputError(ui("diary.fhir.entry_without_resource", number=number))
    resource = entry["resource"]
    kind = resource.get("resourceType")
    if kind != "QuestionnaireResponse":
        raise InputError(ui("diary.fhir.not_a_response", number=number, kind=show(kind)))
    _check_questionnaire(resource.get("questionnaire"), number)
    status = resource.get("status")
    if status not in READ_STATUSES:
        raise InputError(ui("diary.fhir.bad_status", number=number, status=show(status)))
    items = resource.get("item", [])
    if not isinstance(items, list):
        raise InputError(ui("diary.fhir.items_not_a_list", number=number))
    raw: dict[str, object] = {}
    fields = _fields()
    for item in items:
        if not isinstance(item, dict):
            raise InputError(ui("diary.fhir.item_not_an_object", number=number))
        link_id = item.get("linkId")
        if link_id not in fields:
            raise InputError(
                ui(
                    "diary.fhir.unknown_link_id",
                    number=number,
                    link_id=show(link_id),
                    allowed=", ".join(fields),
                )
            )
        assert isinstance(link_id, str)
        if link_id in raw:
            raise InputError(ui("diary.fhir.answered_twice", number=number, link_id=link_id))
        raw[link_id] = _value(item, link_id, number)
    if "night" not in raw:
        raise InputError(ui("diary.fhir.no_night", number=number))
    try:
        return parse_night(raw)
    except DiaryError as exc:
        raise InputError(ui("diary.fhir.bad_night", number=number, problem=str(exc))) from None


def _check_questionnaire(reference: object, number: int) -> None:
    url, _, version = reference.partition("|") if isinstance(reference, str) else ("", "", "")
    if url != CANONICAL_URL:
        raise InputError(
            ui(
                "diary.fhir.other_questionnaire",
                number=number,
                url=show(reference, 60),
                ours=CANONICAL_URL,
            )
        )
    if version and version.split(".")[0] != DIARY_VERSION.split(".")[0]:
        raise InputError(ui("diary.fhir.other_version", number=number, version=show(version)))


def _value(item: dict[str, Any], link_id: str, number: int) -> object:
    """The one value of an item's one answer, as a diary file holds it."""
    answers = item.get("answer")
    if not isinstance(answers, list) or len(answers) != 1 or "item" in item:
        raise InputError(ui("diary.fhir.one_answer", number=number, link_id=link_id))
    answer = answers[0]
    key = _value_key(link_id)
    found = [k for k in answer if k.startswith("value")] if isinstance(answer, dict) else []
    if found != [key] or not isinstance(answer, dict) or len(answer) != 1 or answer[key] is None:
        shown = ", ".join(found) or ui("diary.fhir.no_value")
        raise InputError(
            ui("diary.fhir.wrong_value", number=number, link_id=link_id, key=key, found=shown)
        )
    value = answer[key]
    kind = _kind(link_id)
    if kind == "time":
        if not isinstance(value, str) or not _TIME.fullmatch(value):
            raise InputError(
                ui("diary.fhir.bad_time", number=number, link_id=link_id, value=show(value))
            )
        return value[:5]
    if kind == "choice":
        code = value.get("code") if isinstance(value, dict) else None
        system = value.get("system", CODE_SYSTEM) if isinstance(value, dict) else None
        if system != CODE_SYSTEM or code not in CHOICES[link_id]:
            raise InputError(
                ui(
                    "diary.fhir.bad_coding",
                    number=number,
                    link_id=link_id,
                    code=show(code),
                    allowed=", ".join(CHOICES[link_id]),
                )
            )
        return code
    # A date, an integer or a string: parse_night checks it as it checks a diary file.
    return value
