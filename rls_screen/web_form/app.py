"""``rls-screen web``: the questionnaire as plain web pages for a clinic's tablet.

Server-rendered HTML (aiohttp and Jinja2), one question a page, in the way of the
GOV.UK and NHS question pages: a heading, the hint and the help, native radios and
checkboxes with their labels, Continue and Skip, a back link, an error summary, a page
of its own for a warning sign, "Check your answers" with change links, and the summary
with its downloads. No script: every page works with JavaScript off.

The walk is the shared session (``session.flow``): the same order, the same enable
conditions, the same warning signs (``reports.summary.alert_for``) as every face.

The form (what a browser sends, and what tests and scripts may send):

* ``POST /`` with ``csrf`` (the page's key), ``action`` = ``start``, ``next``,
  ``skip``, ``back`` (a question), ``next`` or ``back`` (a warning sign: go on, or
  "I chose the wrong answer"), ``finish`` (the review) or ``reset`` (the summary);
  a question's answer under its item id (a code; one field per code ticked), with
  ``item`` naming the question the page showed, ``alert`` the warning sign's item.
* Every POST is answered by a redirect (303) to the page to show next, so the
  browser's Back and reload never send a form again. ``GET /q/<item id>`` shows a
  question already reached (the browser's Back moves the walk back there).

Security: each person's answers live in memory only, under a random 128-bit id in a
cookie (HttpOnly, SameSite=Strict, Secure with ``--secure-cookie``); at most
``max_sessions`` are kept (the one idle longest goes first) and each ends after
``idle_seconds`` without a request. Every form carries its session's key (CSRF); a
POST whose Origin is another site, or without the key, is refused (403), as is any
request whose Host is not this server's (``serve.HostPolicy``). Bodies are bounded
(413). Every answer says ``Cache-Control: no-store`` and a CSP without inline script
or style. Nothing is logged about what people answer, and nothing is written to disk
(but, with --kiosk, the clinic's records, by the kiosk's own rules: ``session.kiosk``).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import secrets
import signal
import socket
import sys
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rls_screen.core import vocab
from rls_screen.core.errors import InputError
from rls_screen.core.texts import ui
from rls_screen.session import flow
from rls_screen.session.flow import ALERT, REVIEW, Step

if TYPE_CHECKING:
    from aiohttp import web
    from aiohttp.typedefs import Handler
    from jinja2 import Environment

    from rls_screen.core.bank import Bank, Item
    from rls_screen.reports.summary import Report
    from rls_screen.session.kiosk import Kiosk

HERE = Path(__file__).parent
COOKIE = "rls_screen_web"
MAX_BODY = 64 * 1024  # the largest form (the own words) is far smaller
MAX_SESSIONS = 32
IDLE_SECONDS = 30 * 60
SWEEP_SECONDS = 15.0  # how often visits left idle are looked for
VIA = "rls-screen web"  # a downloaded answer file's meta: which face saved it
# Every answer: never kept by the browser or a proxy; no script, no inline style.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}
# The questions about thoughts of self-harm: a heading of their own, not the section's.
OWN_HEADING = ("mood", vocab.SAFE_NOW_ITEM)


# --- the texts ------------------------------------------------------------------------


@cache
def page_texts() -> dict[str, str]:
    """The words the templates show (questions/interface/web.toml), read once."""
    return {
        "language": ui("web.page.language"),
        "skip_link": ui("web.page.skip_link"),
        "back": ui("web.page.back"),
        "error_prefix": ui("web.page.error_prefix"),
        "start": ui("web.welcome.start"),
        "how": ui("web.welcome.how"),
        "next": ui("web.question.next"),
        "skip": ui("web.question.skip"),
        "more_help": ui("web.question.more_help"),
        "several": ui("web.question.several"),
        "problem_title": ui("web.problem.title"),
        "go_on": ui("web.alert.go_on"),
        "wrong_answer": ui("web.alert.wrong_answer"),
        "review_title": ui("web.review.title"),
        "review_note": ui("web.review.note"),
        "change": ui("web.review.change"),
        "finish": ui("web.review.finish"),
        "downloads": ui("web.summary.downloads"),
        "download_html": ui("web.summary.download_html"),
        "download_markdown": ui("web.summary.download_markdown"),
        "download_answers": ui("web.summary.download_answers"),
        "print": ui("web.summary.print"),
        "start_again": ui("web.summary.start_again"),
        "start_again_note": ui("web.summary.start_again_note"),
        "half_way": ui("web.summary.half_way"),
        "back_to_review": ui("web.summary.back_to_review"),
        "hand_over": ui("web.kiosk.hand_over"),
        "finish_kiosk": ui("web.kiosk.finish"),
    }


@cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(("html",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates never change while the server runs
    )


def welcome_points(points: Iterable[str], kiosk: bool = False) -> list[str]:
    """The welcome's points, the one that says the answers stay on this computer (not
    so here: they go to this server) replaced by where they go."""
    replaced = (
        ui("web.replaced_point.sent"),
        ui("web.replaced_point.stay"),
        ui("web.replaced_point.stays"),
    )
    from rls_screen.core.welcome import replace_point

    point = ui("web.kiosk.point") if kiosk else ui("web.welcome.point")
    return replace_point([" ".join(point.split()) for point in points], replaced, point)


def welcome_lead(lead: str, kiosk: bool = False) -> str:
    """The welcome's lead; in the kiosk, without the promise of a summary to take away
    (there are no downloads on a shared tablet)."""
    if not kiosk:
        return lead
    from rls_screen.core.welcome import replace_sentence

    replaced = (ui("web.kiosk.replaced_lead.summary"), ui("web.kiosk.replaced_lead.take"))
    return replace_sentence(lead, replaced, ui("web.kiosk.lead"))


def page_title(title: str, problem: bool = False) -> str:
    whole = ui("web.page.title", title=title, site=ui("web.page.site"))
    return ui("web.page.error_title", title=whole) if problem else whole


# --- one person's visit -----------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What was wrong with the answer sent for ``item_id``: shown once, on its page."""

    item_id: str
    message: str
    typed: str | None = None  # the own words as typed, given back to be fixed


@dataclass
class Visit:
    """One person at the tablet: their session (in memory only) and their page key."""

    id: str
    csrf: str
    core: flow.Session
    seen: float
    alert: Step | None = None  # a warning sign waiting to be read
    problem: Problem | None = None
    notices: list[str] = field(default_factory=list)  # said once, on the next page
    # --kiosk: the kiosk's rules for this patient (their record's id, what staff were
    # told, the alert file and the clinic's command), and whether the record is handed in.
    kiosk: Kiosk | None = None
    recorded: bool = False


class Visits:
    """The visits kept, the one idle longest first; at most ``limit``, each ending after
    ``idle`` seconds without a request."""

    def __init__(
        self,
        make: Callable[[], flow.Session],
        limit: int = MAX_SESSIONS,
        idle: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        ended: Callable[[Visit], None] | None = None,
    ) -> None:
        self.make = make
        self.limit = limit
        self.idle = idle
        self.clock = clock
        self.ended = ended  # told of each visit that ends without its person (--kiosk)
        self.kept: OrderedDict[str, Visit] = OrderedDict()

    def expire(self) -> None:
        limit = self.clock() - self.idle
        while self.kept:
            oldest = next(iter(self.kept.values()))
            if oldest.seen >= limit:
                break
            self.end_oldest()

    def end_oldest(self) -> None:
        _, visit = self.kept.popitem(last=False)
        if self.ended is not None:
            self.ended(visit)

    def get(self, visit_id: str | None) -> Visit | None:
        self.expire()
        visit = self.kept.get(visit_id or "")
        if visit is not None:
            visit.seen = self.clock()
            self.kept.move_to_end(visit.id)
        return visit

    def new(self) -> Visit:
        self.expire()
        while len(self.kept) >= self.limit:
            self.end_oldest()
        visit = Visit(secrets.token_hex(16), secrets.token_urlsafe(32), self.make(), self.clock())
        self.kept[visit.id] = visit
        return visit

    def drop(self, visit: Visit) -> None:
        self.kept.pop(visit.id, None)


# --- where a visit is ---------------------------------------------------------------


def where(visit: Visit) -> str:
    """The address of the page the visit is at."""
    core = visit.core
    if core.walk is None:
        return "/"
    if visit.alert is not None:
        return "/alert"
    step = core.here()
    if step.kind == REVIEW:
        return "/review"
    return f"/q/{step.item_id}"


# --- reading a question's answer -----------------------------------------------------------


def read_answer(
    item: Item, form: Mapping[str, str], chosen: list[str], had_answer: bool
) -> tuple[str | tuple[str, ...] | None, Problem | None]:
    """The answer a question's form sent: a code, codes, words or None (clear it), or
    the problem to show. ``chosen`` holds every value sent under the item's id."""
    if item.kind == "text":
        typed = form.get(item.id, "").replace("\r\n", "\n")
        words = typed.strip()
        limit = item.max_length or vocab.TEXT_MAX
        if len(words) > limit:
            message = ui("web.problem.too_long", used=len(words), limit=limit)
            return None, Problem(item.id, message, typed)
        return (words or None), None
    if any(code not in item.code_set for code in chosen):
        return None, Problem(item.id, ui("web.problem.not_a_choice"))
    if not chosen:
        if had_answer and item.kind == "multi":
            return None, None  # every tick taken off: the answer is cleared
        return None, Problem(item.id, ui("web.problem.choose"))
    if item.kind == "single":
        if len(chosen) > 1:
            return None, Problem(item.id, ui("web.problem.not_a_choice"))
        return chosen[0], None
    if vocab.NONE in chosen and len(set(chosen)) > 1:
        label = item.label(vocab.NONE)
        return None, Problem(item.id, ui("web.problem.none_alone", label=label))
    return tuple(code for code in item.codes if code in chosen), None


# --- the pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryView:
    name: str
    text: str
    ask: str


@dataclass(frozen=True)
class BlockView:
    key: str
    heading: str
    warning: bool
    paragraphs: tuple[str, ...]
    entries: tuple[EntryView, ...]
    footer: tuple[str, ...]


def blocks_of(report: Report) -> list[BlockView]:
    return [
        BlockView(
            block.key,
            block.heading,
            block.key in ("red_flags", "red_flags_unsure"),
            tuple(" ".join(p.split()) for p in block.paragraphs),
            tuple(
                EntryView(
                    " ".join(entry.name.split()),
                    " ".join(entry.text.split()),
                    ui("reports.ask", question=" ".join(entry.ask.split())) if entry.ask else "",
                )
                for entry in block.entries
            ),
            tuple(" ".join(p.split()) for p in block.footer),
        )
        for block in report.blocks
    ]


def flat(text: str) -> str:
    """Bank texts are wrapped in TOML: one paragraph, for the browser to wrap."""
    return " ".join(text.split())


@dataclass(frozen=True)
class ReviewRow:
    item_id: str
    question: str
    answer: str
    missing: bool  # skipped, or not reached yet
    which: str  # what "Change" changes, for screen readers


@dataclass(frozen=True)
class ReviewSection:
    title: str
    rows: list[ReviewRow]


class Pages:
    """The pages of one server: each handler reads the visit, changes it, and answers."""

    def __init__(
        self,
        bank: Bank,
        region: str | None,
        visits: Visits,
        secure_cookie: bool = False,
        records: Path | None = None,
        on_alert: list[str] | None = None,
        staff_message: str | None = None,
    ) -> None:
        self.bank = bank
        self.region = region
        self.visits = visits
        self.secure_cookie = secure_cookie
        self.records = records  # --kiosk: the clinic's folder of records (else None)
        self.on_alert = on_alert  # --kiosk --on-alert: the clinic's command, split
        self.staff_message = staff_message or ui("web.kiosk.staff_message")
        # The kiosks of visits gone whose --on-alert command may still run (reaped later).
        self.gone: list[Kiosk] = []
        visits.ended = self.keep_partial

    # --- answering ------------------------------------------------------------------

    def render(self, name: str, status: int = 200, **context: Any) -> web.Response:
        from aiohttp import web

        context.setdefault("problem", None)
        context.setdefault("notices", [])
        context.setdefault("back", None)
        context.setdefault("problem_target", "")
        context.setdefault("kiosk", self.records is not None)
        context.setdefault("staff_message", self.staff_message)
        html = environment().get_template(name).render(t=page_texts(), **context)
        return web.Response(text=html, status=status, content_type="text/html")

    def visit_of(self, request: web.Request) -> Visit | None:
        return self.visits.get(request.cookies.get(COOKIE))

    def keep_cookie(self, response: web.StreamResponse, visit: Visit) -> None:
        response.set_cookie(
            COOKIE,
            visit.id,
            path="/",
            httponly=True,
            samesite="strict",
            secure=self.secure_cookie,
        )

    def go(self, location: str, visit: Visit | None = None) -> web.Response:
        from aiohttp import hdrs, web

        response = web.Response(status=303, headers={hdrs.LOCATION: location})
        if visit is not None:
            self.keep_cookie(response, visit)
        return response

    def started(self, request: web.Request) -> Visit | web.Response:
        """The visit of a page that needs a walk begun; else the way to the welcome."""
        visit = self.visit_of(request)
        if visit is None or visit.core.walk is None:
            return self.go("/")
        return visit

    # --- GET ------------------------------------------------------------------------

    async def welcome(self, request: web.Request) -> web.Response:
        visit = self.visit_of(request)
        if visit is None:
            visit = self.visits.new()
        instrument = self.bank.instrument
        notices, visit.notices = visit.notices, []
        response = self.render(
            "welcome.html",
            title=page_title(instrument.title),
            heading=instrument.title,
            lead=welcome_lead(flat(instrument.welcome.lead), self.records is not None),
            points=welcome_points(instrument.welcome.points, self.records is not None),
            csrf=visit.csrf,
            notices=notices,
        )
        self.keep_cookie(response, visit)
        return response

    async def question(self, request: web.Request) -> web.Response:
        visit = self.started(request)
        if not isinstance(visit, Visit):
            return visit
        if visit.alert is not None:
            return self.go("/alert")
        walk = visit.core.started
        item = self.bank.items.get(request.match_info["item"])
        if item is None or not visit.core.reached(item.id):
            return self.go(where(visit))
        current = walk.current
        if "change" in request.query:
            visit.core.edit(item.id)
        elif current is None or current.id != item.id:
            walk.go_to(item.id)  # the browser's Back (or Forward) to a page seen before
        return self.question_page(visit, walk.worded(item))

    def question_page(self, visit: Visit, item: Item) -> web.Response:
        walk = visit.core.started
        section = walk.section(item)
        number, total = walk.progress()
        problem = visit.problem if visit.problem and visit.problem.item_id == item.id else None
        visit.problem = None
        notices, visit.notices = visit.notices, []
        answer = walk.answers.get(item.id)
        ticked = set(answer) if isinstance(answer, tuple) else {answer}
        shown = walk.shown_items()
        sections = walk.bank.section_of
        first_of_section = next(i for i in shown if sections[i.id] is sections[item.id])
        before = visit.core.before(item.id)
        back = f"/q/{before}" if before else "/"
        if visit.core.editing:
            back = "/review"
        typed = answer if isinstance(answer, str) and item.kind == "text" else ""
        if problem is not None and problem.typed is not None:
            typed = problem.typed
        limit = item.max_length or vocab.TEXT_MAX
        caption = ui("web.question.own_heading") if item.id in OWN_HEADING else section.title
        hint = flat(item.hint)
        # What the question's group (or box) is described by: the ids of the hint, the
        # "choose all" line, the problem and the count, as the page has them.
        described = [
            name
            for name, there in (
                ("hint", bool(hint)),
                ("several", item.kind == "multi"),
                ("error", problem is not None),
                ("count", item.kind == "text"),
            )
            if there
        ]
        target = f"f-{item.id}" if item.kind == "text" else f"f-{item.id}-{item.codes[0]}"
        return self.render(
            "question.html",
            title=page_title(flat(item.text), problem is not None),
            item=item,
            text=flat(item.text),
            hint=hint,
            help=flat(item.help) if flat(item.help) != hint else "",
            described=" ".join(described),
            problem_target=target,
            caption=caption,
            intro=flat(section.section.intro) if first_of_section.id == item.id else "",
            progress=ui("web.question.progress", number=number, total=total),
            options=[(o.code, flat(o.label), o.code in ticked) for o in item.options],
            typed=typed,
            limit=limit,
            count=ui("web.question.count", limit=limit, used=len(typed.strip())),
            problem=problem,
            notices=notices,
            back=back,
            csrf=visit.csrf,
        )

    async def alert(self, request: web.Request) -> web.Response:
        visit = self.started(request)
        if not isinstance(visit, Visit):
            return visit
        step = visit.alert
        if step is None or step.alert is None:
            return self.go(where(visit))
        report = self.for_here(step.alert)
        return self.render(
            "alert.html",
            title=page_title(report.title),
            heading=report.title,
            blocks=blocks_of(report),
            item_id=step.item_id,
            csrf=visit.csrf,
        )

    async def review(self, request: web.Request) -> web.Response:
        visit = self.started(request)
        if not isinstance(visit, Visit):
            return visit
        if visit.alert is not None:
            return self.go("/alert")
        core = visit.core
        walk = core.started
        if not walk.finished:
            if not walk.all_reached:  # not every question is behind yet
                return self.go(where(visit))
            core.review()  # back from a change, or a look at a question: the review again
        notices, visit.notices = visit.notices, []
        sections: list[ReviewSection] = []
        shown = walk.shown_items()
        for item in shown:
            title = walk.section(item).title
            if not sections or sections[-1].title != title:
                sections.append(ReviewSection(title, []))
            answer = walk.answers.get(item.id)
            if answer is None:
                skipped = walk.skipped(item)
                label = ui("web.review.skipped") if skipped else ui("web.review.not_reached")
            else:
                label = item.describe(answer)
            question = flat(item.text)
            which = ui("web.review.change_which", question=question)
            sections[-1].rows.append(ReviewRow(item.id, question, label, answer is None, which))
        return self.render(
            "review.html",
            title=page_title(ui("web.review.title")),
            sections=sections,
            notices=notices,
            back=f"/q/{shown[-1].id}" if shown else "/",
            csrf=visit.csrf,
        )

    async def summary(self, request: web.Request) -> web.Response:
        from rls_screen.reports.summary import build_report

        visit = self.started(request)
        if not isinstance(visit, Visit):
            return visit
        if visit.alert is not None:
            return self.go("/alert")
        walk = visit.core.started
        notices, visit.notices = visit.notices, []
        report = self.for_here(build_report(self.bank, walk.answers, self.region))
        return self.render(
            "summary.html",
            title=page_title(report.title),
            heading=report.title,
            disclaimer=flat(report.disclaimer),
            blocks=blocks_of(report),
            half_way=bool(walk.unreached()),
            back="/review",
            csrf=visit.csrf,
            notices=notices,
        )

    def for_here(self, report: Report) -> Report:
        """A report as this tablet shows it: in the clinic (--kiosk) a warning sign tells
        the patient to tell a member of staff now, never to go elsewhere."""
        if self.records is None:
            return report
        from rls_screen.reports.clinic import in_the_clinic

        return in_the_clinic(report, self.bank.summary.urgency.urgent)

    async def download(self, request: web.Request) -> web.Response:
        from aiohttp import web

        from rls_screen.reports.exports import default_filename

        visit = self.started(request)
        if not isinstance(visit, Visit):
            return visit
        if self.records is not None:  # a shared tablet keeps no file of anyone's
            return await self.not_found(request)
        fmt, kind = DOWNLOADS[request.path]
        text = visit.core.export(fmt)
        response = web.Response(text=text, content_type=kind)
        name = default_filename(fmt)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    async def stylesheet(self, request: web.Request) -> web.Response:
        from aiohttp import web

        return web.Response(text=stylesheet(), content_type="text/css")

    # --- POST -----------------------------------------------------------------------

    async def post(self, request: web.Request) -> web.Response:
        from aiohttp import web

        form = await request.post()
        csrf = form.get("csrf")
        if not isinstance(csrf, str) or not csrf:
            raise web.HTTPForbidden(text=ui("web.refused.form"))
        visit = self.visit_of(request)
        if visit is None:  # ended while the page was open (idle, or a restart)
            visit = self.visits.new()
            visit.notices.append(ui("web.problem.expired"))
            return self.go("/", visit)
        if not hmac.compare_digest(csrf.encode(), visit.csrf.encode()):
            raise web.HTTPForbidden(text=ui("web.refused.form"))
        self.check_alert_commands()
        if form.get("action") == "reset":  # every answer goes: a new visit, a new cookie
            self.visits.drop(visit)
            self.keep_partial(visit)
            return self.go("/", self.visits.new())
        fields = {name: value for name, value in form.items() if isinstance(value, str)}
        chosen = [v for v in form.getall(str(fields.get("item", "")), []) if isinstance(v, str)]
        return self.go(self.act(visit, str(fields.get("action", "")), fields, chosen), visit)

    def act(self, visit: Visit, action: str, form: Mapping[str, str], chosen: list[str]) -> str:
        """Do what the form asked; the address of the page to show next."""
        core = visit.core
        if core.walk is None:
            if action == "start":
                core.begin()
                self.kiosk_of(visit)  # --kiosk: a record of their own
            return where(visit)
        if visit.alert is not None:
            return self.after_alert(visit, action, form)
        if action == "finish":
            core.look_at_summary()
            self.save_record(visit)
            return "/summary"
        item = self.bank.items.get(form.get("item", ""))
        if item is None or action not in ("next", "skip", "back"):
            return where(visit)
        if not core.reached(item.id):
            return where(visit)
        walk = core.started
        current = walk.current
        if current is None or current.id != item.id:
            walk.go_to(item.id)  # the page the person saw, after the browser's Back
        item = walk.worded(item)
        if action == "back":
            if core.back():
                core.autosave()
                return where(visit)
            return "/"
        if action == "skip":
            return self.moved(visit, core.skip())
        value, problem = read_answer(item, form, chosen, item.id in walk.answers)
        if problem is None:
            if value is None and item.id not in walk.answers:
                return self.moved(visit, core.skip())
            try:
                return self.moved(visit, core.answer(item.id, value))
            except (InputError, ValueError):  # a sign that cannot be kept, in own words
                problem = Problem(item.id, ui("web.problem.marks"), form.get(item.id, ""))
        visit.problem = problem
        return f"/q/{item.id}"

    def moved(self, visit: Visit, step: Step) -> str:
        removed = visit.core.removed
        if len(removed) == 1:
            visit.notices.append(ui("web.question.removed_one"))
        elif removed:
            visit.notices.append(ui("web.question.removed_many", count=len(removed)))
        if step.kind == ALERT:
            visit.alert = step
            self.tell_staff(visit)
        return where(visit)

    def after_alert(self, visit: Visit, action: str, form: Mapping[str, str]) -> str:
        step = visit.alert
        assert step is not None
        if form.get("alert") != step.item_id or action not in ("next", "back"):
            return "/alert"  # a page from before the warning sign: it is read first
        visit.alert = None
        wrong = action == "back"
        visit.core.after_alert(step.item_id or "", wrong_answer=wrong)
        if wrong:
            visit.notices.append(ui("web.question.cleared"))
        return where(visit)

    # --- --kiosk: the clinic's records (session.kiosk's rules) ------------------------

    def kiosk_of(self, visit: Visit) -> Kiosk | None:
        """--kiosk: this patient's kiosk rules, with a record of their own (None: not a
        kiosk)."""
        if self.records is None:
            return None
        if visit.kiosk is None:
            from rls_screen.session.kiosk import Kiosk

            visit.kiosk = Kiosk(
                self.records,
                lambda: self.bank,
                say,
                self.region,
                on_alert=self.on_alert,
                idle_reset=self.visits.idle,
            )
            visit.kiosk.new_patient()
        return visit.kiosk

    def tell_staff(self, visit: Visit) -> None:
        """A warning sign: the alert file at once (what the signs are, never another
        answer), added to what staff were told about this person before, then the
        clinic's --on-alert command."""
        kiosk = self.kiosk_of(visit)
        if kiosk is not None:
            kiosk.report_alert(visit.core.started.result())

    def save_record(self, visit: Visit) -> None:
        """The finished record: the answer file and the clinician page, under its id."""
        from rls_screen.session.kiosk import reason

        kiosk = self.kiosk_of(visit)
        if kiosk is None or visit.recorded:
            return
        try:
            kiosk.hand_in(visit.core.started.answers)
        except Exception as exc:
            say(ui("web.kiosk.record_not_written", record=kiosk.record_id, reason=reason(exc)))
            visit.notices.append(ui("web.kiosk.not_saved"))
            return
        visit.recorded = True
        visit.notices.append(ui("web.kiosk.saved"))

    def keep_partial(self, visit: Visit) -> None:
        """A visit that ends before its record was handed in (left idle, made room for
        another, or started again): after a warning sign its answers are kept for staff
        (``<id>.partial.json``, beside the alert file), as the kiosk keeps them."""
        kiosk, walk = visit.kiosk, visit.core.walk
        if kiosk is None:
            return
        if walk is not None:
            kiosk.keep_partial(walk.answers, visit.recorded)
        visit.recorded = True
        kiosk.forget()
        if kiosk.alert_commands:
            self.gone.append(kiosk)

    def check_alert_commands(self) -> None:
        """A clinic's --on-alert command that ended badly: one line for staff; every one
        that ended is reaped."""
        kiosks = [visit.kiosk for visit in self.visits.kept.values() if visit.kiosk is not None]
        for kiosk in [*kiosks, *self.gone]:
            kiosk.check_alert_commands()
        self.gone = [kiosk for kiosk in self.gone if kiosk.alert_commands]

    async def not_found(self, request: web.Request) -> web.Response:
        from aiohttp import web

        return web.Response(status=404, text=ui("web.refused.not_found"))


def say(line: str) -> None:
    """One line for staff on the server's console (never an answer)."""
    import logging

    logging.getLogger("rls_screen.web").warning(line)


# address: (format, content type)
DOWNLOADS = {
    "/answers.json": ("answers", "application/json"),
    "/summary.html": ("html", "text/html"),
    "/summary.md": ("markdown", "text/markdown"),
}


@cache
def stylesheet() -> str:
    return (HERE / "web.css").read_text(encoding="utf-8")


# --- the server -------------------------------------------------------------------------


def same_site(origin: str, host_header: str) -> bool:
    """Whether a form's ``Origin`` is this server's own (http or https: the TLS proxy)."""
    from rls_screen.serve import parse_authority

    for scheme in ("http://", "https://"):
        if origin.startswith(scheme):
            return parse_authority(origin[len(scheme) :]) == parse_authority(host_header)
    return False


def make_app(
    bank: Bank,
    region: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_hosts: Iterable[str] = (),
    secure_cookie: bool = False,
    max_sessions: int = MAX_SESSIONS,
    idle_seconds: float = IDLE_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    records: Path | None = None,
    on_alert: str | None = None,
    staff_message: str | None = None,
) -> web.Application:
    """The web application (for a test client, or ``serve_web``). With ``records``
    (--kiosk --save-dir), each person leaves a record there, as the kiosk's: with
    ``on_alert`` (a command line, split as a shell would) run at each warning sign with
    the alert file's path, and ``staff_message`` in place of the usual word for staff."""
    from aiohttp import hdrs, web

    from rls_screen.serve import HostPolicy

    policy = HostPolicy.for_server(host, port, allow_hosts)

    def new_session() -> flow.Session:
        return flow.Session(bank, region, drafts=None, via=VIA)

    visits = Visits(new_session, max_sessions, idle_seconds, clock)
    command = None
    if on_alert:
        from rls_screen.session.kiosk import split_command

        command = split_command(on_alert)
    pages = Pages(bank, region, visits, secure_cookie, records, command, staff_message)

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a foreign Host, a form from another site and a body too large, before
        any handler; mark every answer not to be kept, without script."""
        host_header = request.headers.get(hdrs.HOST)
        response: web.StreamResponse
        # An absolute-form target must name an allowed host too.
        absolute = request.raw_path.lower().startswith(("http:", "https:"))
        if (
            host_header is None
            or not policy.allows(host_header)
            or (absolute and not policy.allows(request.url.raw_authority))
        ):
            response = web.Response(status=403, text=ui("web.refused.host"))
        elif request.method not in ("GET", "HEAD") and not from_this_site(request, host_header):
            response = web.Response(status=403, text=ui("web.refused.form"))
        elif (request.content_length or 0) > MAX_BODY:
            response = web.Response(status=413, text=ui("web.refused.too_large"))
        else:
            try:
                response = await handler(request)
            except web.HTTPRequestEntityTooLarge:
                response = web.Response(status=413, text=ui("web.refused.too_large"))
            except web.HTTPNotFound:
                response = await pages.not_found(request)
            except web.HTTPException as exc:
                response = web.Response(status=exc.status, text=exc.text)
        response.headers.update(SECURITY_HEADERS)
        return response

    app = web.Application(middlewares=[guard], client_max_size=MAX_BODY)
    app.router.add_get("/", pages.welcome)
    app.router.add_post("/", pages.post)
    app.router.add_get("/q/{item}", pages.question)
    app.router.add_get("/alert", pages.alert)
    app.router.add_get("/review", pages.review)
    app.router.add_get("/summary", pages.summary)
    for path in DOWNLOADS:
        app.router.add_get(path, pages.download)
    app.router.add_get("/static/web.css", pages.stylesheet)
    app.cleanup_ctx.append(lambda app: sweeping(visits, pages.check_alert_commands))
    return app


async def sweeping(visits: Visits, check: Callable[[], None]) -> AsyncIterator[None]:
    """Visits left idle end on time (their answers leave memory; with --kiosk a partial
    record after a warning sign is kept for staff), not only when the next request
    comes; the clinic's --on-alert commands that ended are reaped (``check``); and
    every visit ends as the server stops."""

    async def sweep() -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            visits.expire()
            check()

    task = asyncio.create_task(sweep())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    while visits.kept:
        visits.end_oldest()
    check()


def from_this_site(request: web.Request, host_header: str) -> bool:
    """A form sent from a page of this server: its Origin (when the browser sends one)
    is this server's, and the browser does not call it cross-site."""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return False
    from aiohttp import hdrs

    origin = request.headers.get(hdrs.ORIGIN)
    return origin is None or same_site(origin, host_header)


def serve_web(
    host: str,
    port: int,
    bank: Bank,
    region: str | None = None,
    allow_hosts: Iterable[str] = (),
    secure_cookie: bool = False,
    max_sessions: int = MAX_SESSIONS,
    idle_seconds: float = IDLE_SECONDS,
    records: Path | None = None,
    on_alert: str | None = None,
    staff_message: str | None = None,
) -> None:
    """Serve until Ctrl+C. A failed bind raises OSError before anything is printed."""
    from rls_screen.serve import bind_sockets, is_loopback, is_wildcard, shown_address

    sockets = bind_sockets(host, port)
    try:
        if not is_loopback(host):
            print(ui("web.terminal.not_loopback", host=host), file=sys.stderr, flush=True)
        app = make_app(
            bank,
            region,
            host,
            port,
            allow_hosts,
            secure_cookie,
            max_sessions,
            idle_seconds,
            records=records,
            on_alert=on_alert,
            staff_message=staff_message,
        )
        asyncio.run(_run(app, sockets, shown_address(host, port), is_wildcard(host), port))
    finally:
        for sock in sockets:
            sock.close()


async def _run(
    app: web.Application, sockets: list[socket.socket], address: str, wildcard: bool, port: int
) -> None:
    import logging

    from aiohttp import web

    logging.basicConfig(level=logging.WARNING, format=ui("web.terminal.log_line"))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows
            loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)
    await runner.setup()
    try:
        for sock in sockets:
            await web.SockSite(runner, sock).start()
        print(ui("web.terminal.open", address=address), flush=True)
        if wildcard:
            print(ui("web.terminal.other_computers", port=port), flush=True)
        print(ui("web.terminal.stop"), flush=True)
        await stop.wait()
    finally:
        await runner.cleanup()
