"""What the person can save at the end: the summary (Markdown, plain text or a printable
web page), for themselves or for their doctor, or the answer file that `rls-screen score`
reads back to the same result.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rls_screen.core.answers import Answer, dumps_document
from rls_screen.core.bank import Bank
from rls_screen.core.errors import InputError
from rls_screen.core.formats import SAVE, formats
from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.reports.diary import Diary

# The label of each format the summary is saved in (core.formats: SAVE).
_LABELS: dict[str, str] = {
    "markdown": ui("reports.formats.markdown"),
    "text": ui("reports.formats.text"),
    "answers": ui("reports.formats.answers"),
    "html": ui("reports.formats.html"),
}
# code: (label, file extension), in core.formats' order: the save dialog lists them in
# this order, and people learn where things are.
FORMATS: dict[str, tuple[str, str]] = {
    f.code: (_LABELS[f.code], f.extension) for f in formats(SAVE)
}

# Who a summary is for. The answer file is the same for both.
AUDIENCES: dict[str, str] = {
    "patient": ui("reports.audiences.patient"),
    "clinician": ui("reports.audiences.clinician"),
}

_SEP = ":"


@dataclass(frozen=True)
class PageHeader:
    """What the doctor's page starts with (issue 21), from every face: when the answers
    were given (or saved), the record id or file name, the instrument's version, and a
    line to write the name and date of birth by hand. The caller knows these; the page
    itself stays the same bytes for the same answers without one."""

    source: str  # the record id (``record``) or the file's name
    when: datetime | None = None  # when the answers were given (``given``) or saved
    given: bool = False
    record: bool = False


def when_text(when: datetime) -> str:
    """A date and time a doctor reads at a glance: 3 Dec 2026 16:40 UTC."""
    month = ui("records.months").split()[when.month - 1]
    zone = when.tzname() or ""
    return ui(
        "reports.header.when",
        day=when.day,
        month=month,
        year=when.year,
        time=f"{when:%H:%M}",
        zone=zone,
    ).strip()


def header_lines(bank: Bank, header: PageHeader) -> list[str]:
    """The header's lines, in order; the last is the line to write on by hand."""
    if header.when is None:
        when = ui("reports.header.unknown")
    elif header.given:
        when = ui("reports.header.given", when=when_text(header.when))
    else:
        when = ui("reports.header.saved", when=when_text(header.when))
    if header.record:
        source = ui("reports.header.record", name=header.source)
    else:
        source = ui("reports.header.file", name=header.source)
    instrument = bank.instrument
    version = ui(
        "reports.header.version",
        title=instrument.title,
        id=instrument.id,
        version=instrument.version,
    )
    return [when, source, version, ui("reports.header.write_in")]


def file_header(source: str, doc: object, modified: datetime | None = None) -> PageHeader:
    """The header for a page made from an answer file (``rls-screen score``): its name,
    and when the answers were given (a record's ``completed``, a QuestionnaireResponse's
    ``authored``) or saved (``meta.saved``, else the file's own time, ``modified``)."""
    name = ui("reports.header.stdin") if source == "-" else Path(source).name
    given: object = None
    saved: object = None
    if isinstance(doc, dict):
        found = doc.get("meta")
        meta: dict[str, Any] = found if isinstance(found, dict) else {}
        given = meta.get("completed") or doc.get("authored")
        saved = meta.get("saved")
    for stamp, is_given in ((given, True), (saved, False)):
        if isinstance(stamp, str):
            try:
                when = datetime.fromisoformat(stamp)
            except ValueError:
                continue
            if when.tzinfo is not None:  # a time without its zone is not shown as one
                return PageHeader(name, when, given=is_given)
    return PageHeader(name, modified)


def _with_header(text: str, lines: list[str], fmt: str) -> str:
    if fmt == "markdown":
        from rls_screen.reports.summary import _md_escape

        # One line each (a hard break), the write-in line a paragraph of its own.
        head = "  \n".join(_md_escape(line) for line in lines[:-1])
        return f"{head}\n\n{_md_escape(lines[-1])}\n\n{text}"
    return "\n".join(lines[:-1]) + f"\n\n{lines[-1]}\n\n{text}"


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
    header: PageHeader | None = None,
) -> str:
    """The file's text. ``fmt`` may carry its audience (``clinician:html``). ``region``
    picks the crisis numbers of the person's summary; a ``diary`` adds its part to the
    summaries (never to the answer file). The doctor's page starts with ``header`` when
    one is given."""
    fmt, audience = split_code(fmt, audience)
    if fmt == "answers":
        return dumps_document(answers, bank)
    lines = header_lines(bank, header) if header is not None and audience == "clinician" else []
    if fmt == "html":
        from rls_screen.reports.html import render_html

        return render_html(bank, answers, audience, region=region, diary=diary, header=lines)
    if audience == "clinician":
        from rls_screen.reports.clinician import clinician_markdown, clinician_text

        render = clinician_markdown if fmt == "markdown" else clinician_text
        page = render(bank, answers, region, diary)
        return _with_header(page, lines, fmt) if lines else page
    from rls_screen.reports.summary import summary_markdown, summary_text

    render = summary_markdown if fmt == "markdown" else summary_text
    return render(bank, answers, region, diary)
