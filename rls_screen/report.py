"""The person's summary (instrument spec, section 4) as text and Markdown.

All wording comes from ``questions/summary.toml``; this module only chooses and orders
it. Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from rls_screen import vocab
from rls_screen.bank import Bank, Explained
from rls_screen.engine import Result


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

    def block(self, key: str) -> Block | None:
        return next((b for b in self.blocks if b.key == key), None)


def _explained(table: dict[str, Explained], codes: list[str]) -> tuple[Entry, ...]:
    return tuple(Entry(table[c].name, table[c].why, table[c].ask) for c in codes)


def build_report(bank: Bank, result: Result) -> Report:
    """Choose the summary texts for a result, in the order of spec section 4."""
    t = bank.summary
    h = t.headings
    blocks: list[Block] = []

    if result.red_flags:
        now = [t.urgency.emergency if result.urgency == "emergency" else t.urgency.urgent]
        if "self_harm" in result.red_flags:
            now.append(t.crisis)
        entries = tuple(Entry(t.red_flags[f].name, t.red_flags[f].now) for f in result.red_flags)
        blocks.append(Block("red_flags", h.red_flags, tuple(now), entries))

    features = result.essential_features.model_dump()
    blocks.append(
        Block(
            "pattern",
            h.pattern,
            (t.patterns[result.pattern],),
            tuple(Entry(t.features[f].name, t.feature_status[features[f]]) for f in vocab.FEATURES),
        )
    )
    if result.pediatric:
        blocks.append(Block("pediatric", h.pediatric, (t.pediatric,)))
    if result.lookalikes:
        blocks.append(
            Block(
                "lookalikes",
                h.lookalikes,
                (t.intros.lookalikes,),
                _explained(t.lookalikes, result.lookalikes),
            )
        )
    course = []
    if result.course is not None:
        course.append(t.course[result.course])
    if result.pattern != "incomplete" or result.clinically_significant is not None:
        significance = {
            True: t.significance.yes,
            False: t.significance.no,
            None: t.significance.unknown,
        }
        course.append(significance[result.clinically_significant])
    if course:
        blocks.append(Block("course", h.course, tuple(course)))
    if result.supportive_features:
        blocks.append(
            Block(
                "supportive",
                h.supportive,
                (t.intros.supportive,),
                _explained(t.supportive, result.supportive_features),
            )
        )
    if result.contributing_factors:
        blocks.append(
            Block(
                "factors",
                h.factors,
                (t.intros.factors,),
                _explained(t.factors, result.contributing_factors),
            )
        )
    if result.augmentation_concern:
        blocks.append(Block("augmentation", h.augmentation, (t.augmentation.text,)))
    if result.tests_to_discuss:
        footer = (t.iron_note,) if vocab.IRON_TESTS.intersection(result.tests_to_discuss) else ()
        blocks.append(
            Block(
                "tests",
                h.tests,
                (t.intros.tests,),
                tuple(Entry(t.tests[c].name, t.tests[c].note) for c in result.tests_to_discuss),
                footer,
            )
        )
    blocks.append(
        Block("bring", h.bring, (t.intros.bring,), tuple(Entry(item) for item in t.bring.items))
    )
    return Report(t.title, t.disclaimer, tuple(blocks))


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
                lines += wrap(f"Ask: {entry.ask}", "    ", "    ")
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


def summary_text(bank: Bank, result: Result) -> str:
    return render_text(build_report(bank, result))


def summary_markdown(bank: Bank, result: Result) -> str:
    return render_markdown(build_report(bank, result))
