"""FHIR R4 in and out: the instrument as a Questionnaire, answers as a QuestionnaireResponse.

Resources are built and read as plain dicts, so a clinic system can take them as JSON
without this tool depending on a FHIR library (tests validate them with fhir.resources).
Item ids are the ``linkId``s and answer codes are codings of one code system: both are
the public interface of docs/instrument.md, so they never change meaning. A free-text
item is a ``string`` question, answered with a ``valueString``.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from rls_screen.core import vocab
from rls_screen.core.answers import Answer, Answers, check_answers, readable_versions
from rls_screen.core.bank import Bank, Item, Section
from rls_screen.core.engine import effective_answers
from rls_screen.core.errors import InputError, show
from rls_screen.core.texts import ui

CANONICAL_URL = "https://rls-screen.example.org/fhir/Questionnaire/rls-screen"
CODE_SYSTEM = "https://rls-screen.example.org/fhir/CodeSystem/rls-screen-answers"
NAME = "RlsScreen"  # FHIR `name`: computer-friendly, no punctuation

# SDC item control: marks the help text as "show on request", as the TUI does (F1 or ?).
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
ITEM_CONTROL_SYSTEM = "http://hl7.org/fhir/questionnaire-item-control"

RESPONSE_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")


def dumps(resource: dict[str, Any]) -> str:
    """A resource as the JSON text the commands write: indented, newline at the end."""
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def canonical(bank: Bank) -> str:
    """The versioned canonical reference a QuestionnaireResponse points at."""
    return f"{CANONICAL_URL}|{bank.instrument.version}"


# --- Questionnaire -------------------------------------------------------------------


def questionnaire(bank: Bank) -> dict[str, Any]:
    """The instrument as a FHIR R4 Questionnaire, sections as groups, in the bank's order."""
    return {
        "resourceType": "Questionnaire",
        "id": bank.instrument.id,
        "url": CANONICAL_URL,
        "version": bank.instrument.version,
        "name": NAME,
        "title": bank.instrument.title,
        "status": "active",
        "subjectType": ["Patient"],
        "description": bank.instrument.welcome.lead,
        "item": [_group(section) for section in bank.sections],
    }


def _group(section: Section) -> dict[str, Any]:
    intro = _display(f"{section.id}.intro", section.section.intro)
    return {
        "linkId": section.id,
        "text": section.title,
        "type": "group",
        "item": [intro, *(_question(item) for item in section.items)],
    }


def _question(item: Item) -> dict[str, Any]:
    kind = "string" if item.kind == "text" else "choice"
    question: dict[str, Any] = {"linkId": item.id, "text": item.text, "type": kind}
    if item.enable_when:
        question["enableWhen"] = [
            {"question": c.question, "operator": c.operator, "answerCoding": _coding(c.answer)}
            for c in item.enable_when
        ]
        # FHIR requires enableBehavior as soon as there is more than one condition.
        if len(item.enable_when) > 1:
            question["enableBehavior"] = item.enable_behavior
    if item.kind == "multi":
        question["repeats"] = True
    if item.kind == "text":
        question["maxLength"] = item.max_length or vocab.TEXT_MAX
    else:
        question["answerOption"] = [
            {"valueCoding": _coding(option.code, option.label)} for option in item.options
        ]
    question["item"] = [
        _display(f"{item.id}.hint", item.hint),
        _display(f"{item.id}.help", item.help, control="help"),
    ]
    return question


def _display(link_id: str, text: str, control: str | None = None) -> dict[str, Any]:
    display: dict[str, Any] = {}
    if control:
        concept = {"coding": [{"system": ITEM_CONTROL_SYSTEM, "code": control}]}
        display["extension"] = [{"url": ITEM_CONTROL, "valueCodeableConcept": concept}]
    display.update(linkId=link_id, text=text.strip(), type="display")
    return display


def _coding(code: str, display: str | None = None) -> dict[str, Any]:
    coding = {"system": CODE_SYSTEM, "code": code}
    if display is not None:
        coding["display"] = display
    return coding


# --- QuestionnaireResponse out -------------------------------------------------------


def to_response(
    answers: Mapping[str, Answer], bank: Bank, authored: str | None = None
) -> dict[str, Any]:
    """Answers as a completed QuestionnaireResponse. Answers to items that are not shown
    (their enableWhen is false) are dropped, as a form filler would."""
    kept = effective_answers(bank, answers)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": canonical(bank),
        "status": "completed",
    }
    if authored is not None:
        resource["authored"] = authored
    groups = [_response_group(section, kept) for section in bank.sections]
    groups = [group for group in groups if group["item"]]
    if groups:  # FHIR forbids empty arrays
        resource["item"] = groups
    return resource


def _response_group(section: Section, answers: Mapping[str, Answer]) -> dict[str, Any]:
    items = [_response_item(item, answers[item.id]) for item in section.items if item.id in answers]
    return {"linkId": section.id, "text": section.title, "item": items}


def _response_item(item: Item, answer: Answer) -> dict[str, Any]:
    values: list[dict[str, Any]]
    if item.kind == "text":
        values = [{"valueString": answer}]
    else:
        codes = (answer,) if isinstance(answer, str) else answer
        values = [{"valueCoding": _coding(code, item.label(code))} for code in codes]
    return {"linkId": item.id, "text": item.text, "answer": values}


# --- QuestionnaireResponse in --------------------------------------------------------


def from_response(resource: Any, bank: Bank, name: str) -> Answers:
    """Read a QuestionnaireResponse (items nested in section groups or flat) into checked
    answers, as ``check_answers`` returns them. Any problem is one InputError line."""
    _check_header(resource, bank, name)
    raw: dict[str, Any] = {}
    for entry in _question_entries(resource.get("item", []), bank, name):
        link_id = entry["linkId"]
        if link_id in raw:
            raise InputError(ui("fhir.answered_twice", name=name, link_id=link_id))
        item = bank.items[link_id]
        values = _answer_values(entry, item, name)
        if values is None:
            continue
        if item.kind != "multi" and len(values) > 1:
            allowed = ui("fhir.one_string") if item.kind == "text" else ", ".join(item.codes)
            raise InputError(
                ui(
                    "fhir.one_answer",
                    name=name,
                    link_id=link_id,
                    count=len(values),
                    allowed=allowed,
                )
            )
        raw[link_id] = values if item.kind == "multi" else values[0]
    # The text of a valueString is checked here, as in an answer file (check_text).
    return check_answers(raw, bank, name)


def _check_header(resource: Any, bank: Bank, name: str) -> None:
    if not isinstance(resource, dict):
        raise InputError(ui("fhir.not_an_object", name=name))
    kind = resource.get("resourceType")
    if kind != "QuestionnaireResponse":
        raise InputError(ui("fhir.not_a_response", name=name, kind=_show(kind)))
    _check_canonical(resource.get("questionnaire", canonical(bank)), name)
    status = resource.get("status", "completed")
    if status not in RESPONSE_STATUSES:
        allowed = ", ".join(RESPONSE_STATUSES)
        raise InputError(
            ui("fhir.unknown_status", name=name, status=_show(status), allowed=allowed)
        )
    if status == "entered-in-error":
        raise InputError(ui("fhir.entered_in_error", name=name))
    if not isinstance(resource.get("item", []), list):
        raise InputError(ui("fhir.items_not_a_list", name=name))


def _check_canonical(reference: Any, name: str) -> None:
    """The questionnaire answered: this one, of a version whose answers read unchanged
    (``vocab.READABLE_MAJORS``: 2.0 only added items and codes to 1.x)."""
    # Messages stay short (one line of about 200 characters with the file name), so the
    # full URL is named only where the URL is what is wrong.
    if not isinstance(reference, str):
        raise InputError(ui("fhir.questionnaire_not_a_url", name=name, url=CANONICAL_URL))
    url, _, version = reference.partition("|")
    if url != CANONICAL_URL:
        raise InputError(
            ui("fhir.other_questionnaire", name=name, url=_show(url, 40), ours=CANONICAL_URL)
        )
    if version and version.split(".")[0] not in vocab.READABLE_MAJORS:
        majors = readable_versions()
        raise InputError(
            ui("fhir.other_version", name=name, version=_show(version, 20), majors=majors)
        )


def _question_entries(items: list[Any], bank: Bank, name: str) -> Iterator[dict[str, Any]]:
    """The answered question entries, whether top-level or inside a section group."""
    sections = {section.id for section in bank.sections}
    for entry in items:
        link_id = _link_id(entry, bank, name, sections)
        if link_id not in sections:
            yield entry
            continue
        if "answer" in entry:
            raise InputError(ui("fhir.group_answered", name=name, link_id=link_id))
        children = entry.get("item", [])
        if not isinstance(children, list):
            raise InputError(ui("fhir.group_items_not_a_list", name=name, link_id=link_id))
        for child in children:
            if _link_id(child, bank, name, sections) in sections:
                raise InputError(
                    ui("fhir.group_in_group", name=name, inner=child["linkId"], link_id=link_id)
                )
            yield child


def _link_id(entry: Any, bank: Bank, name: str, sections: set[str]) -> str:
    if not isinstance(entry, dict):
        raise InputError(ui("fhir.item_not_an_object", name=name))
    link_id = entry.get("linkId")
    if not isinstance(link_id, str):
        raise InputError(ui("fhir.no_link_id", name=name, found=_show(link_id)))
    if link_id not in bank.items and link_id not in sections:
        raise InputError(ui("fhir.unknown_link_id", name=name, link_id=_show(link_id)))
    return link_id


def _answer_values(entry: dict[str, Any], item: Item, name: str) -> list[Any] | None:
    """The codes (or, for a text item, the text) of an entry's answers, or None when it
    has no answer (unanswered)."""
    if "item" in entry:
        raise InputError(ui("fhir.nested_items", name=name, link_id=item.id))
    if "answer" not in entry:
        return None
    answers = entry["answer"]
    if not isinstance(answers, list) or not answers:
        raise InputError(ui("fhir.answers_not_a_list", name=name, link_id=item.id))
    read = _answer_text if item.kind == "text" else _answer_code
    return [read(answer, item, name) for answer in answers]


def _allowed(item: Item) -> str:
    """What an item takes, for the end of a message (made only when one is shown)."""
    if item.kind == "text":
        return ui("fhir.allowed_text", limit=item.max_length or vocab.TEXT_MAX)
    return ui("fhir.allowed_codes", codes=", ".join(item.codes))


def _only_value(answer: Any, key: str, item: Item, name: str) -> Any:
    """The one value of an answer entry, which must be ``key`` (valueCoding for a
    choice, valueString for text); anything else is one line naming the linkId."""
    if not isinstance(answer, dict):
        raise InputError(
            ui(
                "fhir.answer_not_an_object",
                name=name,
                link_id=item.id,
                key=key,
                allowed=_allowed(item),
            )
        )
    if "item" in answer:
        raise InputError(ui("fhir.nested_answer", name=name, link_id=item.id))
    values = [element for element in answer if element.startswith("value")]
    if values != [key]:
        found = ", ".join(values) or ui("fhir.no_value")
        fields = {"name": name, "link_id": item.id, "found": found, "allowed": _allowed(item)}
        if item.kind == "text":
            raise InputError(ui("fhir.not_a_string", **fields))
        raise InputError(ui("fhir.not_a_coding", **fields))
    return answer[key]


def _answer_text(answer: Any, item: Item, name: str) -> Any:
    """The valueString of a text item's answer, as it is: check_answers checks it."""
    return _only_value(answer, "valueString", item, name)


def _answer_code(answer: Any, item: Item, name: str) -> str:
    coding = _only_value(answer, "valueCoding", item, name)
    if not isinstance(coding, dict):
        raise InputError(
            ui("fhir.coding_not_an_object", name=name, link_id=item.id, allowed=_allowed(item))
        )
    system = coding.get("system", CODE_SYSTEM)  # a bare code is unambiguous under its linkId
    if system != CODE_SYSTEM:
        raise InputError(
            ui(
                "fhir.unknown_system",
                name=name,
                link_id=item.id,
                system=_show(system),
                ours=CODE_SYSTEM,
            )
        )
    code = coding.get("code")
    if not isinstance(code, str) or code not in item.code_set:
        raise InputError(
            ui(
                "fhir.code_not_allowed",
                name=name,
                link_id=item.id,
                code=_show(code),
                allowed=_allowed(item),
            )
        )
    return code


def _show(value: Any, limit: int = 60) -> str:
    """A value quoted for a one-line message, cut short if it is long."""
    return show(value, limit)


# --- Bundle --------------------------------------------------------------------------


def bundle_responses(doc: Any, name: str) -> list[tuple[int, dict[str, Any] | InputError]]:
    """(entry number from 1, resource) for each entry of a Bundle. The Bundle's shape is
    checked up front; each resource is left to ``from_response``, so one bad response
    can be reported and skipped. An entry without a resource comes as the error to
    report for it, and the other entries still count."""
    if not isinstance(doc, dict) or doc.get("resourceType") != "Bundle":
        raise InputError(ui("fhir.not_a_bundle", name=name))
    entries = doc.get("entry", [])
    if not isinstance(entries, list):
        raise InputError(ui("fhir.entries_not_a_list", name=name))
    found: list[tuple[int, dict[str, Any] | InputError]] = []
    for number, entry in enumerate(entries, start=1):
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict):
            found.append((number, entry["resource"]))
        else:
            found.append((number, InputError(ui("fhir.entry_without_resource"))))
    return found
