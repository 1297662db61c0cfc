"""The person's summary (docs/instrument.md section 4) as text and Markdown.

All wording comes from ``questions/summary.toml``; this module only chooses and orders
it. Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rls_screen.core import vocab
from rls_screen.core.answers import Answer
from rls_screen.core.bank import Bank, Explained, SummaryTexts
from rls_screen.core.decisions import (
    advice_flags,
    alert_item,
    alert_reads,
    answered_by_the_person,
    augmentation_with_parkinsons,
    hidden_lookalikes,
    interrupts,
    spoken_about,
)
from rls_screen.core.engine import (
    Result,
    akathisia_from_medicine_only,
    course_reason,
    on_treatment_course,
    shows_supportive,
)
from rls_screen.core.texts import ui
from rls_screen.core.walk import Walkthrough

if TYPE_CHECKING:
    from rls_screen.core.crisis import CrisisSupport
    from rls_screen.reports.diary import Diary


@dataclass(frozen=True)
class Entry:
    name: str
    text: str = ""
    ask: str = ""


@dataclass(frozen=True)
class Block:
    key: str
    heading: str
    paragraphs: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    footer: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    title: str
    disclaimer: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)


_LOOKALIKE_ORDER = tuple(vocab.LOOKALIKE_ITEMS.values())  # the order they are asked in


def _explained(table: dict[str, Explained], codes: list[str]) -> tuple[Entry, ...]:
    return tuple(Entry(table[c].name, table[c].why, table[c].ask) for c in codes)


def _watch_for(unclear: list[str]) -> str:
    """The one thing to watch for under the questions left open."""
    if {"claudication", "venous_oedema"} & set(unclear):
        return ui("reports.open_questions.watch_blood_flow")
    return ui("reports.open_questions.watch")


def _how_soon(result: Result, person: str | None) -> tuple[str, ...]:
    """A routine result says plainly how soon (issue 21): not urgent, and book an
    appointment in the next few weeks. The warning signs say their own haste."""
    if result.urgency != "routine":
        return ()
    if result.pattern == "no_features":
        if person is not None:
            return (ui("reports.routine.no_features_for_person", person=person),)
        return (ui("reports.routine.no_features"),)
    return (ui("reports.routine.text"),)


def _person(answers: Mapping[str, Answer]) -> str | None:
    """Whom a parent or carer reads the summary about, in the words of its texts'
    {person} ("your child", "the person you answer for"); None when the person answered
    (`core.decisions.spoken_about`)."""
    about = spoken_about(answers)
    if about == "child":
        return ui("reports.person.child")
    if about == "adult":
        return ui("reports.person.adult")
    return None


def _in_order(order: tuple[str, ...], codes: list[str]) -> list[str]:
    return [code for code in order if code in codes]


def build_report(
    bank: Bank,
    answers: Mapping[str, Answer],
    region: str | None = None,
    diary: Diary | None = None,
) -> Report:
    """Choose the summary texts for a person's answers, in the order of
    docs/instrument.md section 4. ``region`` (ISO 3166 code) picks the crisis numbers;
    None gives generic wording. A ``diary`` adds its block before what to bring."""
    from rls_screen.core.crisis import crisis_support
    from rls_screen.core.engine import effective_answers, score

    if not isinstance(answers, Mapping):  # e.g. a Result, which would read as no answers
        raise TypeError(f"build_report takes the answers, not {type(answers).__name__}")
    a = effective_answers(bank, answers)
    result = score(bank, a)
    # v3: a parent or carer reads about the person ("your child"), not "you".
    person = _person(a)
    t = bank.summary_about(person)
    h = t.headings
    crisis = crisis_support(region, bank.source or None, person)
    blocks: list[Block] = []
    blocks += _warning_blocks(t, result, a, crisis)
    unanswered = _in_order(vocab.RED_FLAGS, result.red_flags_unanswered)
    if unanswered:
        # Skipped is never "none": one short list of what needs emergency care.
        names = dict.fromkeys(t.red_flags_unanswered[f] for f in unanswered)
        blocks.append(
            Block(
                "red_flags_unanswered",
                h.red_flags_unanswered,
                (t.intros.red_flags_unanswered,),
                tuple(Entry(name) for name in names),
            )
        )

    features = result.essential_features.model_dump()
    blocks.append(
        Block(
            "pattern",
            h.pattern,
            (t.patterns[result.pattern], *_how_soon(result, person)),
            tuple(Entry(t.features[f].name, t.feature_status[features[f]]) for f in vocab.FEATURES),
        )
    )
    if result.pediatric:
        # A teen answering alone is told "your doctor"; a parent, "the child's doctor".
        alone = answered_by_the_person(a)
        blocks.append(
            Block("pediatric", h.pediatric, (t.pediatric_self if alone else t.pediatric,))
        )
    # While a possible clot stands, swollen veins are not offered as an explanation.
    hidden = hidden_lookalikes(result)
    lookalikes = [f for f in _LOOKALIKE_ORDER if f in result.lookalikes and f not in hidden]
    if lookalikes:
        table = t.lookalikes
        if "akathisia" in lookalikes and akathisia_from_medicine_only(a):
            table = {**table, "akathisia": t.akathisia_medicine}
        blocks.append(
            Block("lookalikes", h.lookalikes, (t.intros.lookalikes,), _explained(table, lookalikes))
        )
    unclear = [f for f in _LOOKALIKE_ORDER if f in result.lookalikes_unclear and f not in hidden]
    if unclear:
        blocks.append(
            Block(
                "lookalikes_unclear",
                h.lookalikes_unclear,
                (t.intros.lookalikes_unclear,),
                # One calm line each: the question to ask at the visit (issue 21); a
                # medicine's keeps its "do not stop or change it on your own".
                tuple(
                    Entry(
                        t.lookalikes[f].name,
                        f"{t.lookalikes[f].ask} {t.lookalikes[f].why}"
                        if f == "akathisia"
                        else t.lookalikes[f].ask,
                    )
                    for f in unclear
                ),
                (_watch_for(unclear),),
            )
        )
    course = []
    if result.course is not None:
        # The words follow the answers: on treatment, how often it came before it, and
        # how often it comes now.
        treated = on_treatment_course(a)
        course.append((t.course_treated if treated else t.course)[result.course])
        if result.course == "undetermined":
            course.append(t.course_reasons[course_reason(a)])
        now = a.get("frequency")
        if treated and isinstance(now, str):
            course.append(t.frequency_now[now])
    if result.pattern != "incomplete" or result.clinically_significant is not None:
        significance = {
            True: t.significance.yes,
            False: t.significance.no,
            None: t.significance.unknown,
        }
        course.append(significance[result.clinically_significant])
    if course:
        blocks.append(Block("course", h.course, tuple(course)))
    if result.supportive_features and shows_supportive(features):
        blocks.append(
            Block(
                "supportive",
                h.supportive,
                (t.intros.supportive,),
                _explained(t.supportive, _in_order(vocab.SUPPORTIVE, result.supportive_features)),
            )
        )
    if result.contributing_factors:
        blocks.append(
            Block(
                "factors",
                h.factors,
                (t.intros.factors,),
                _explained(t.factors, _in_order(vocab.FACTORS, result.contributing_factors)),
            )
        )
    if result.other_concerns:
        blocks.append(
            Block(
                "other_concerns",
                h.other_concerns,
                (),
                _explained(
                    t.other_concerns, _in_order(vocab.OTHER_CONCERNS, result.other_concerns)
                ),
            )
        )
    if result.augmentation_concern:
        # With Parkinson's disease, its treatment is never called "advised against".
        parkinsons = augmentation_with_parkinsons(result)
        text = t.augmentation.parkinsons if parkinsons else t.augmentation.text
        blocks.append(Block("augmentation", h.augmentation, (text,)))
    if result.tests_to_discuss:
        tests = _in_order(vocab.TESTS, result.tests_to_discuss)  # iron tests side by side
        footer = (t.iron_note,) if vocab.IRON_TESTS.intersection(tests) else ()
        blocks.append(
            Block(
                "tests",
                h.tests,
                (t.intros.tests,),
                tuple(Entry(t.tests[c].name, t.tests[c].note) for c in tests),
                footer,
            )
        )
    if a.get("mood") == "prefer_not":
        blocks.append(Block("support", h.support, (crisis.gentle,)))
    if diary is not None:
        blocks.append(diary_block(diary))
    blocks.append(
        Block("bring", h.bring, (t.intros.bring,), tuple(Entry(item) for item in t.bring.items))
    )
    return Report(t.title, t.disclaimer, tuple(blocks))


def diary_block(diary: Diary) -> Block:
    """The person's diary (docs/diary.md): its lines, "self-reported", and the sleep
    figures with what each means."""
    from rls_screen.reports.diary import person_lines

    d = person_lines(diary.figures)
    entries = tuple(Entry(f.name, f.text) for f in d.figures)
    return Block("diary", d.heading, (d.self_reported, *d.lines), entries)


def _warning_blocks(
    t: SummaryTexts,
    result: Result,
    a: Mapping[str, Answer],
    crisis: CrisisSupport,
    finished: bool = True,
    headline: bool = True,
) -> list[Block]:
    """Warning signs first, above everything, with what to do now (docs/instrument.md
    section 4). Without ``headline`` (the warning dialog), the urgency line comes only
    above two signs or more: one sign's own text is its one piece of advice."""
    blocks = []
    # One problem, one piece of advice: sudden weakness replaces the "today" line.
    shown, shown_unsure = advice_flags(result.red_flags, result.red_flags_unsure)
    flags = _in_order(vocab.RED_FLAGS, shown)
    if flags:
        now = []
        signs = [f for f in flags if f != "self_harm"]
        # Self-harm alone has its own first line below: never the same line twice.
        if len(signs) > 1 or (signs and headline):
            now.append(t.urgency.emergency if result.urgency == "emergency" else t.urgency.urgent)
        after: tuple[str, ...] = ()
        if "self_harm" in flags:
            # The numbers come first, where a small screen shows them without scrolling:
            # not safe calls the emergency number with no condition; not sure puts it
            # before the crisis line; safe gets what to do if that changes.
            safe_now = a.get(vocab.SAFE_NOW_ITEM)
            if safe_now == "not_safe":
                now.append(crisis.emergency_now)
            elif safe_now != vocab.SAFE:
                now.append(crisis.emergency_first)
            now.append(crisis.line)
            if crisis.youth_line and a.get("age_group") == vocab.CHILD_AGE_GROUP:
                now.append(crisis.youth_line)  # v3: the children's or young people's line
            if safe_now == vocab.SAFE:
                now.append(crisis.if_changes)
            if crisis.country:
                now.append(crisis.country)
            now = list(dict.fromkeys(now))
            # "You can still finish" only while the questions are not finished.
            after = (
                (t.crisis, crisis.trust) if finished else (t.crisis, t.crisis_finish, crisis.trust)
            )
        # In pregnancy, a clot is the maternity unit's or the midwife's to see.
        pregnant = a.get("pregnant") == "yes"
        entries = tuple(
            Entry(
                t.red_flags[f].name, pregnant and t.red_flags[f].in_pregnancy or t.red_flags[f].now
            )
            for f in flags
        )
        blocks.append(Block("red_flags", t.headings.red_flags, tuple(now), entries, after))
    unsure = _in_order(vocab.WARNING_FLAGS, shown_unsure)
    if unsure:
        pregnant = a.get("pregnant") == "yes"
        entries = tuple(
            Entry(
                t.red_flags_unsure[f].name,
                pregnant and t.red_flags_unsure[f].in_pregnancy or t.red_flags_unsure[f].safety_net,
            )
            for f in unsure
        )
        blocks.append(
            Block(
                "red_flags_unsure",
                t.headings.red_flags_unsure,
                (t.intros.red_flags_unsure,),
                entries,
            )
        )
    return blocks


def alert_report(
    bank: Bank, answers: Mapping[str, Answer], item_id: str, region: str | None = None
) -> Report | None:
    """What to show at once when an answer raises a warning sign (docs/instrument.md section 4): the
    warning blocks of that answer alone, with the answers that make its item shown (so
    that `safe_now` decides what comes first for `mood`). None when the answer raises
    nothing."""
    from rls_screen.core.crisis import crisis_support
    from rls_screen.core.engine import score

    item_id = alert_item(item_id)
    keep = _with_conditions(bank, item_id)
    keep.update(alert_reads(item_id))
    alone = {i: answers[i] for i in keep if i in answers}
    result = score(bank, alone)
    # Who is answering decides the words (the alert's own answers do not hold it).
    person = _person(answers)
    t = bank.summary_about(person)
    crisis = crisis_support(region, bank.source or None, person)
    # One problem, one piece of advice: the sign's own text, not the urgency line above it.
    blocks = _warning_blocks(t, result, alone, crisis, finished=False, headline=False)
    if not blocks:
        return None
    return Report(blocks[0].heading, t.disclaimer, tuple(blocks))


def _with_conditions(bank: Bank, item_id: str) -> set[str]:
    """An item and every item its enable conditions name, all the way up."""
    found = {item_id}
    for condition in bank.items[item_id].enable_when:
        found |= _with_conditions(bank, condition.question)
    return found


def alert_for(walk: Walkthrough, item_id: str, region: str | None = None) -> Report | None:
    """What every face shows at once after an answer (docs/instrument.md section 4), or
    None when that answer does not interrupt the walk (`core.walk.interrupts`)."""
    if not interrupts(item_id, walk.answers.get(item_id)):
        return None
    return alert_report(walk.bank, walk.answers, item_id, region)


# --- rendering -----------------------------------------------------------------------


def render_text(report: Report, width: int = 78) -> str:
    def wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
        return textwrap.wrap(
            " ".join(text.split()),
            width=width,
            initial_indent=indent if first is None else first,
            subsequent_indent=indent,
        ) or [""]

    lines = [report.title, "=" * min(len(report.title), width), ""]
    lines += wrap(report.disclaimer)
    for block in report.blocks:
        heading = block.heading.upper() if block.key == "red_flags" else block.heading
        lines += ["", heading, "-" * min(len(heading), width)]
        for paragraph in block.paragraphs:
            lines += wrap(paragraph) + [""]
        for entry in block.entries:
            head = f"{entry.name}: {entry.text}" if entry.text else entry.name
            lines += wrap(head, "    ", "  - ")
            if entry.ask:
                lines += wrap(ui("reports.ask", question=entry.ask), "    ", "    ")
        if block.entries:
            lines.append("")
        for paragraph in block.footer:
            lines += wrap(paragraph) + [""]
        while lines and lines[-1] == "":
            lines.pop()
    lines += ["", *wrap(report.disclaimer)]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    text = " ".join(text.split())
    for ch in ("\\", "*", "_", "`", "#", "<", ">", "[", "]"):
        text = text.replace(ch, "\\" + ch)
    return text


def render_markdown(report: Report) -> str:
    e = _md_escape
    lines = [f"# {e(report.title)}", "", f"*{e(report.disclaimer)}*"]
    for block in report.blocks:
        lines += ["", f"## {e(block.heading)}", ""]
        for paragraph in block.paragraphs:
            lines += [e(paragraph), ""]
        for entry in block.entries:
            line = f"- **{e(entry.name)}**" + (f": {e(entry.text)}" if entry.text else "")
            if not entry.text:
                line = f"- {e(entry.name)}"
            lines.append(line)
            if entry.ask:
                lines.append(f"  *Ask:* {e(entry.ask)}")
        if block.entries:
            lines.append("")
        for paragraph in block.footer:
            lines += [e(paragraph), ""]
        while lines[-1] == "":
            lines.pop()
    lines += ["", "---", "", e(report.disclaimer)]
    return "\n".join(lines) + "\n"


def summary_text(
    bank: Bank,
    answers: Mapping[str, Answer],
    region: str | None = None,
    diary: Diary | None = None,
) -> str:
    return render_text(build_report(bank, answers, region, diary))


def summary_markdown(
    bank: Bank,
    answers: Mapping[str, Answer],
    region: str | None = None,
    diary: Diary | None = None,
) -> str:
    return render_markdown(build_report(bank, answers, region, diary))
