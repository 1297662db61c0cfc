"""What the person can save at the end: the summary (Markdown, plain text or a printable
web page), for themselves or for their doctor, or the answer file that `rls-screen score`
reads back to the same result.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rls_screen.core.answers import Answer, dumps_document
from rls_screen.core.bank import Bank
from rls_screen.core.errors import InputError
from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.reports.diary import Diary

# code: (label, file extension). Appended, never reordered: the save dialog lists them in
# this order, and people learn where things are.
FORMATS: dict[str, tuple[str, str]] = {
    "markdown": (ui("reports.formats.markdown"), ".md"),
    "text": (ui("reports.formats.text"), ".txt"),
    "answers": (ui("reports.formats.answers"), ".json"),
    "html": (ui("reports.formats.html"), ".html"),
}

# Who a summary is for. The answer file is the same for both.
AUDIENCES: dict[str, str] = {
    "patient": ui("reports.audiences.patient"),
    "clinician": ui("reports.audiences.clinician"),
}

_SEP = ":"


def export_code(fmt: str, audience: str = "patient") -> str:
    """One code for a format and its audience (``html``, ``clinician:html``), for callers
    that hand a single format code on, such as the save dialog's write callback."""
    if audience == "patient" or fmt == "answers":
        return fmt
    return f"{audience}{_SEP}{fmt}"


def split_code(code: str, audience: str = "patient") -> tuple[str, str]:
    """The format and audience of an export code (see ``export_code``)."""
    if _SEP in code:
        audience, code = code.split(_SEP, 1)
    if code not in FORMATS:
        raise InputError(ui("reports.unknown_format", code=repr(code), allowed=", ".join(FORMATS)))
    if audience not in AUDIENCES:
        allowed = ", ".join(AUDIENCES)
        raise InputError(ui("reports.unknown_audience", code=repr(audience), allowed=allowed))
    return code, audience


def default_folder() -> Path:
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())


def default_filename(fmt: str, today: date | None = None, audience: str = "patient") -> str:
    fmt, audience = split_code(fmt, audience)
    if fmt == "answers":
        stem = "rls-screen-answers"
    elif audience == "clinician":
        stem = "rls-screen-clinician-summary"
    else:
        stem = "rls-screen-summary"
    return f"{stem}-{(today or date.today()).isoformat()}{FORMATS[fmt][1]}"


def render_export(
    bank: Bank,
    answers: Mapping[str, Answer],
    fmt: str,
    audience: str = "patient",
    region: str | None = None,
    diary: Diary | None = None,
) -> str:
    """The file's text. ``fmt`` may carry its audience (``clinician:html``). ``region``
    picks the crisis numbers of the person's summary; a ``diary`` adds its part to the
    summaries (never to the answer file)."""
    fmt, audience = split_code(fmt, audience)
    if fmt == "answers":
        return dumps_document(answers, bank)
    if fmt == "html":
        from rls_screen.reports.html import render_html

        return render_html(bank, answers, audience, region=region, diary=diary)
    if audience == "clinician":
        from rls_screen.reports.clinician import clinician_markdown, clinician_text

        render = clinician_markdown if fmt == "markdown" else clinician_text
        return render(bank, answers, region, diary)
    from rls_screen.reports.summary import summary_markdown, summary_text

    render = summary_markdown if fmt == "markdown" else summary_text
    return render(bank, answers, region, diary)
