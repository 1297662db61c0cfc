"""A printable web page of the summary, for the person or for the clinician.

One self-contained file: the stylesheet is inline (with a print stylesheet for A4 and
letter paper), and nothing is fetched from anywhere: no scripts, fonts, images or links
to other sites. Every text is escaped. The same answers give the same bytes: nothing
time-dependent is added unless the caller passes it as ``note``.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING

from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.core.answers import Answer
    from rls_screen.core.bank import Bank
    from rls_screen.reports.clinician import AnswerLine, ClinicianReport, Part
    from rls_screen.reports.diary import Diary
    from rls_screen.reports.summary import Block, Report

STYLE = """
:root { color-scheme: light; }
body {
  margin: 2rem auto; padding: 0 1rem; max-width: 50rem;
  font: 12pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
  color: #111; background: #fff;
}
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .4rem; padding-bottom: .15rem;
     border-bottom: 1px solid #888; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
p { margin: .4rem 0; }
ul { margin: .3rem 0; padding-left: 1.4rem; }
li { margin: .2rem 0; }
.notice { border: 2px solid #333; padding: .5rem .75rem; font-weight: 600; }
.alert { border: 3px solid #a00; padding: .5rem .75rem; font-weight: 700; }
.alert p { margin: .2rem 0; }
.red-flags { border-left: 4px solid #a00; padding-left: .75rem; }
.red-flags h2 { color: #a00; }
.ask { font-style: italic; }
.qa { list-style: none; padding-left: 0; font-size: .95em; }
.qa li { margin: .1rem 0; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; font-size: .95em; }
th, td { border: 1px solid #999; padding: .25rem .45rem; text-align: left;
         vertical-align: top; }
thead th { border-bottom: 2px solid #333; }
table.criteria th[scope="row"] { font-weight: 600; width: 32%; }
td.status { white-space: nowrap; font-weight: 700; }
td.status-not_met, td.status-unanswered { font-weight: 400; }
table.answers td:first-child { width: 62%; }
.unanswered { font-style: italic; color: #555; }
footer { margin-top: 2rem; }
.page-head { border: 1px solid #333; padding: .4rem .75rem; margin-bottom: 1rem; }
.page-head p { margin: .15rem 0; }
.page-head .write-in { margin-top: .9rem; white-space: pre-wrap; }
@page { margin: 15mm; }
@media print {
  body { margin: 0; padding: 0; max-width: none; font-size: 10pt; color: #000; }
  * { background: transparent !important; box-shadow: none !important; }
  h1 { font-size: 16pt; }
  h2 { font-size: 12.5pt; margin-top: 12pt; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  table, tr, .alert, .notice, .red-flags, section.part, .page-head {
    page-break-inside: avoid; break-inside: avoid;
  }
  thead { display: table-header-group; }
  .alert, .red-flags h2 { color: #000; }
  .page-head .write-in { margin-top: 14pt; }
  .unanswered { color: #000; }
}
""".strip()


def document(title: str, body: Iterable[str], audience: str, note: str | None = None) -> str:
    """The whole page around ``body`` (already escaped HTML)."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(ui("reports.language"))}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        f'<body class="{escape(audience)}">',
        "<main>",
        *body,
    ]
    if note:
        parts.append(f'<p class="note">{escape(note)}</p>')
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _p(text: str, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<p{attr}>{escape(text)}</p>"


# --- the person's summary ---------------------------------------------------------------


def patient_page(report: Report, note: str | None = None) -> str:
    body = [
        "<header>",
        f"<h1>{escape(report.title)}</h1>",
        _p(report.disclaimer, "notice"),
        "</header>",
    ]
    for block in report.blocks:
        body += _block(block)
    body += ["<footer>", _p(report.disclaimer, "notice"), "</footer>"]
    return document(report.title, body, "patient", note)


def _block(block: Block) -> list[str]:
    warning = block.key in ("red_flags", "red_flags_unsure")
    cls = "block red-flags" if warning else "block"
    role = ' role="alert"' if warning else ""
    out = [f'<section class="{cls} block-{escape(block.key)}"{role}>']
    out.append(f"<h2>{escape(block.heading)}</h2>")
    out += [_p(p) for p in block.paragraphs]
    if block.entries:
        out.append("<ul>")
        for entry in block.entries:
            item = f"<strong>{escape(entry.name)}</strong>" if entry.text else escape(entry.name)
            if entry.text:
                item += f": {escape(entry.text)}"
            if entry.ask:
                ask = escape(ui("reports.ask", question=entry.ask))
                item += f'<br><span class="ask">{ask}</span>'
            out.append(f"<li>{item}</li>")
        out.append("</ul>")
    out += [_p(p) for p in block.footer]
    out.append("</section>")
    return out


# --- the clinician summary --------------------------------------------------------------


def _qa_list(lines: Iterable[AnswerLine]) -> str:
    items = "".join(
        f"<li>{escape(x.question)} <strong>{escape(x.answer)}</strong></li>" for x in lines
    )
    return f'<ul class="qa">{items}</ul>' if items else ""


def _parts_html(report: ClinicianReport, parts: Iterable[Part]) -> list[str]:
    body = []
    raised = {
        "red_flags": report.result.red_flags,
        "red_flags_unsure": report.result.red_flags_unsure,
    }
    for part in parts:
        cls = "part red-flags" if raised.get(part.key) else "part"
        body.append(f'<section class="{cls} part-{escape(part.key)}">')
        body.append(f"<h2>{escape(part.heading)}</h2>")
        if part.intro:
            body.append(_p(part.intro))
        body.append("<ul>")
        body += [f"<li>{escape(f.text)}{_qa_list(f.answers)}</li>" for f in part.findings]
        body.append("</ul>")
        if part.note:
            body.append(_p(part.note))
        body.append("</section>")
    return body


def _page_head(lines: Sequence[str]) -> list[str]:
    """When, which record or file, which instrument, and a line to write the name and
    date of birth by hand: the first thing on the doctor's page."""
    if not lines:
        return []
    classes = ("when", "source", "version")
    out = ['<section class="page-head">']
    out += [_p(line, cls) for line, cls in zip(lines[:-1], classes, strict=False)]
    out += [_p(lines[-1], "write-in"), "</section>"]
    return out


def clinician_page(
    report: ClinicianReport, note: str | None = None, header: Sequence[str] = ()
) -> str:
    c = report.columns
    body = [
        *_page_head(header),
        "<header>",
        f"<h1>{escape(report.title)}</h1>",
        _p(report.notice, "notice"),
        "</header>",
    ]
    # The urgency (a heading line) and the specific red flags open the page.
    urgency = escape(report.result.urgency)
    if report.result.urgency == "routine":
        body.append(f'<div class="urgency urgency-{urgency}">')
    else:
        body.append(f'<div class="alert urgency urgency-{urgency}" role="alert">')
    body += [f"<h2>{escape(report.urgency)}</h2>", "</div>"]
    body += _parts_html(report, report.flags)
    if report.alerts:
        body.append('<div class="alert" role="alert">')
        body += [_p(alert) for alert in report.alerts]
        body.append("</div>")
    body.append(_p(report.overall, "overall"))
    body.append(_p(report.version, "version"))

    body += [
        '<section class="criteria">',
        f"<h2>{escape(report.criteria_heading)}</h2>",
        '<table class="criteria">',
        "<thead><tr>"
        + "".join(f'<th scope="col">{escape(h)}</th>' for h in (c.criterion, c.status, c.answers))
        + "</tr></thead>",
        "<tbody>",
    ]
    for row in report.criteria:
        body.append(
            f'<tr class="criterion-{escape(row.feature)}">'
            f'<th scope="row">{escape(row.criterion)}</th>'
            f'<td class="status status-{escape(row.status)}">{escape(row.status_label)}</td>'
            f"<td>{_qa_list(row.answers)}</td></tr>"
        )
    body += ["</tbody>", "</table>", "</section>"]

    body += _parts_html(report, report.parts)

    body += ['<section class="answers">', f"<h2>{escape(report.answers_heading)}</h2>"]
    for group in report.groups:
        body += [
            f"<h3>{escape(group.title)}</h3>",
            f'<table class="answers section-{escape(group.section_id)}">',
            f'<thead><tr><th scope="col">{escape(c.question)}</th>'
            f'<th scope="col">{escape(c.answer)}</th></tr></thead>',
            "<tbody>",
        ]
        for x in group.answers:
            cls = "" if x.answered else ' class="unanswered"'
            body.append(
                f'<tr data-item="{escape(x.item_id)}"><td>{escape(x.question)}</td>'
                f"<td{cls}>{escape(x.answer)}</td></tr>"
            )
        body += ["</tbody>", "</table>"]
    body += ["</section>", "<footer>", _p(report.notice, "notice"), "</footer>"]
    return document(report.title, body, "clinician", note)


# --- shortcuts --------------------------------------------------------------------------


def render_html(
    bank: Bank,
    answers: Mapping[str, Answer],
    audience: str = "patient",
    note: str | None = None,
    region: str | None = None,
    diary: Diary | None = None,
    header: Sequence[str] = (),
) -> str:
    """The printable page for ``audience`` ("patient" or "clinician"), with the
    ``diary``'s part when one is given; the doctor's page starts with the ``header``
    lines (``reports.exports.header_lines``) when given."""
    if audience == "clinician":
        from rls_screen.reports.clinician import build_clinician_report

        report = build_clinician_report(bank, answers, region=region, diary=diary)
        return clinician_page(report, note, header)
    from rls_screen.reports.summary import build_report

    return patient_page(build_report(bank, answers, region, diary), note)
