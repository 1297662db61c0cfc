"""A warning sign's words for a patient sitting in the clinic (the kiosk: the terminal's
and ``rls-screen web --kiosk``): told to tell a member of staff now, never sent
elsewhere ("see a doctor today"). Pure functions over a ``reports.summary.Report``; the
words are in ``questions/interface/reports.toml`` ([clinic]).

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache
from typing import TYPE_CHECKING

from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.reports.summary import Block, Entry, Report

# The blocks of warning signs (reports.summary): the only ones reworded for the clinic.
WARNING_BLOCKS = ("red_flags", "red_flags_unsure")


@cache
def elsewhere_parts() -> tuple[str, ...]:
    """Parts of a sentence that sends the patient elsewhere ("If in doubt, see a doctor
    today."): in the clinic they tell the staff instead."""
    return (
        ui("reports.clinic.elsewhere.doctor"),
        ui("reports.clinic.elsewhere.advice_line"),
        ui("reports.clinic.elsewhere.checked"),
        ui("reports.clinic.elsewhere.midwife"),
        ui("reports.clinic.elsewhere.urgent_care"),
    )


def tell_staff_instead(text: str, told: bool = False) -> str:
    """A warning sign's text for the clinic: its first sentence that sends the patient
    elsewhere becomes "Tell a member of staff now.", any further one goes; the others,
    and what makes it an emergency now, stay. With ``told`` (an earlier sign already
    said so) every such sentence goes: one piece of advice, said once."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    parts = elsewhere_parts()
    out: list[str] = []
    changed = False
    for sentence in sentences:
        if any(part in sentence.lower() for part in parts):
            if not told:
                out.append(ui("reports.clinic.tell_staff_now"))
                told = True
            changed = True
            continue
        out.append(sentence)
    return " ".join(out) if changed else text


def in_the_clinic(alert: Report, elsewhere: str) -> Report:
    """The alert (or summary) for a patient sitting in the clinic: without ``elsewhere``,
    the urgency line that sends the person away ("see a doctor today, or call your
    local urgent advice line") as a paragraph, and each sign's own text telling them to
    tell the staff now in place of going elsewhere (``tell_staff_instead``): said once,
    at the first sign that sent them away, so two signs about one problem (weakness,
    its tempo not known) do not say it twice. The sign's text and the emergency-now
    lines stay."""
    gone = " ".join(elsewhere.split())
    told = False  # "Tell a member of staff now." once, at the first sign that needs it

    def entry(e: Entry) -> Entry:
        nonlocal told
        text = tell_staff_instead(e.text, told)
        told = told or text != e.text
        return dataclasses.replace(e, text=text)

    def block(b: Block) -> Block:
        if b.key not in WARNING_BLOCKS:
            return b
        return dataclasses.replace(
            b,
            paragraphs=tuple(p for p in b.paragraphs if " ".join(p.split()) != gone),
            entries=tuple(entry(e) for e in b.entries),
        )

    return dataclasses.replace(alert, blocks=tuple(block(b) for b in alert.blocks))
