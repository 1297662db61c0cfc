"""Reading what a person or a clinic hands in: an rls-screen answer file or a FHIR
QuestionnaireResponse, by file name or ``-`` for stdin. It sits above both readers, so
neither imports the other (no import cycle).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from rls_screen.core.answers import Answers, load_json, parse_document, read_text
from rls_screen.core.bank import Bank
from rls_screen.core.errors import show_name
from rls_screen.interop import fhir


def read_answer_file(source: str, bank: Bank) -> Answers:
    """Read and check an answer file or a FHIR QuestionnaireResponse (``-`` for stdin)."""
    name = "<stdin>" if source == "-" else show_name(source)
    doc = load_json(read_text(source), name)
    # An answer file never has a resourceType, so any FHIR resource goes to the FHIR
    # reader, which names what it is and what was expected.
    if isinstance(doc, dict) and "resourceType" in doc:
        return fhir.from_response(doc, bank, name)
    return parse_document(doc, bank, name)
