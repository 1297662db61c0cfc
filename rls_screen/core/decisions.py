"""What a result means for what is shown, decided once for every page and face
(issue 20): the reports and the faces read these and only choose the words.

- what interrupts the walk, and which answers its alert reads (`interrupts`,
  `alert_item`, `alert_reads`);
- one problem, one piece of advice (`advice_flags`), and the look-alikes a warning sign
  hides (`hidden_lookalikes`);
- what the clinician page says about augmentation (`augmentation_status`,
  `augmentation_with_parkinsons`);
- whom the person's summary speaks about (`answered_by_the_person`, `spoken_about`);
- how the kiosk's alerts for one person add up (`more_urgent`, `merge_alerts`).

None of these is a key of the result JSON (docs/instrument.md section 5), which stays
exactly as the spec writes it. Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal

from rls_screen.core import vocab
from rls_screen.core.answers import Answer
from rls_screen.core.bank import Bank
from rls_screen.core.engine import Result, condition_holds

# --- what interrupts the walk --------------------------------------------------------

_YES_UNSURE = frozenset({"yes", "unsure"})
# The item whose warning sign an answer shows: `safe_now` is asked after `mood` = yes,
# and answering it (or skipping it) brings the crisis support of `mood`.
_ALERT_ITEM = {vocab.SAFE_NOW_ITEM: "mood"}
# The answers an alert reads besides its item and the items that make it shown: a clot
# in pregnancy is the maternity unit's to see; self-harm reads whether the person feels
# safe right now.
_ALERT_READS: dict[str, tuple[str, ...]] = {"mood": ("pregnant", vocab.SAFE_NOW_ITEM)}
_ALWAYS_READ = ("pregnant",)


def interrupts(item_id: str, value: Answer | None) -> bool:
    """Whether this answer interrupts the walk at once (docs/instrument.md section 4): a
    warning sign answered yes or not sure, bleeding from the gut, and `safe_now` after
    thoughts of self-harm (answered or skipped, crisis support comes then). `mood` = yes
    asks `safe_now` first. What is shown then is `reports.summary.alert_for`."""
    if item_id in vocab.WARNING_ITEMS:
        return value in _YES_UNSURE
    if item_id == "blood_loss":
        return isinstance(value, tuple | list) and vocab.GI_BLEEDING_CODE in value
    return item_id == vocab.SAFE_NOW_ITEM


def alert_item(item_id: str) -> str:
    """The item whose warning sign the answer to ``item_id`` shows (itself, but for
    `safe_now`, which shows the one of `mood`)."""
    return _ALERT_ITEM.get(item_id, item_id)


def alert_reads(item_id: str) -> tuple[str, ...]:
    """The answers the alert of ``item_id`` (an `alert_item`) reads besides its own and
    those of the items that make it shown."""
    return _ALERT_READS.get(item_id, _ALWAYS_READ)


# --- one problem, one piece of advice ------------------------------------------------

# (the sign whose advice wins, the sign it replaces): the same problem, more urgent.
_REPLACES = (("neurological_acute", "neurological"),)
# A look-alike not offered as an explanation while a warning sign stands (raised or
# unsure): swollen veins beside a possible clot.
_HIDES = {"dvt": frozenset({"venous_oedema"})}


def advice_flags(flags: Iterable[str], unsure: Iterable[str]) -> tuple[list[str], list[str]]:
    """The red flags and the unsure ones whose advice is shown, in their order: where two
    flags describe one problem, only the more urgent one's advice (docs/instrument.md
    section 4). Sudden weakness, raised or unsure (a tempo not known), replaces the "see a
    doctor today" weakness, raised or unsure: its own text already says to get checked
    today, and what makes it an emergency now."""
    shown, shown_unsure = list(flags), list(unsure)
    for winner, replaced in _REPLACES:
        if winner in shown or winner in shown_unsure:
            shown = [f for f in shown if f != replaced]
            shown_unsure = [f for f in shown_unsure if f != replaced]
    return shown, shown_unsure


def hidden_lookalikes(result: Result) -> frozenset[str]:
    """The look-alikes the pages do not offer as an explanation, because a warning sign
    stands (docs/instrument.md section 4: while a `dvt` flag stands, the vein
    look-alike is not offered)."""
    hidden: frozenset[str] = frozenset()
    for flag, lookalikes in _HIDES.items():
        if flag in result.red_flags or flag in result.red_flags_unsure:
            hidden |= lookalikes
    return hidden


# --- augmentation --------------------------------------------------------------------

AugmentationStatus = Literal["concern", "no_concern", "not_answered", "not_applicable"]
_DOPAMINERGIC = frozenset(vocab.DOPAMINERGIC)


def augmentation_status(
    bank: Bank, answers: Mapping[str, Answer], result: Result
) -> AugmentationStatus:
    """What the clinician page says about augmentation: a concern (the result's
    `augmentation_concern`); on a dopaminergic agent with no concern; the treatment
    question shown and left unanswered (not assessed); or no dopaminergic agent.
    ``answers`` are the answers that count (`engine.effective_answers`)."""
    if result.augmentation_concern:
        return "concern"
    treatment = answers.get("rls_treatment")
    on_agent = treatment is not None and not isinstance(treatment, str)
    if on_agent and not _DOPAMINERGIC.isdisjoint(treatment or ()):
        return "no_concern"
    item = bank.items.get("rls_treatment")
    if treatment is None and item is not None and condition_holds(item, answers):
        return "not_answered"
    return "not_applicable"


def augmentation_with_parkinsons(result: Result) -> bool:
    """Whether an augmentation concern comes with Parkinson's disease: its wearing-off
    overlaps with the signs, and its treatment is never called "advised against"."""
    return result.augmentation_concern and "parkinsons" in result.contributing_factors


# --- who is answering ---------------------------------------------------------------

_THE_PERSON = frozenset(vocab.RESPONDENTS[:2])  # self, with a helper


def answered_by_the_person(answers: Mapping[str, Answer]) -> bool:
    """Whether the person the answers are about gave them (alone or with a helper): a
    teen answering alone is told "your doctor"; otherwise "the child's doctor"."""
    return answers.get("respondent") in _THE_PERSON


SpokenAbout = Literal["child", "adult"]


def spoken_about(answers: Mapping[str, Answer]) -> SpokenAbout | None:
    """Whom the person's summary speaks about, when a parent or carer answers for
    someone else (`respondent` = `for_person`): a child (`age_group` under 18), else an
    adult (18 or over, or the age not given). None when the person answered: the summary
    speaks to them, as "you"."""
    if answers.get(vocab.RESPONDENT_ITEM) != vocab.FOR_PERSON:
        return None
    return "child" if answers.get("age_group") == vocab.CHILD_AGE_GROUP else "adult"


# --- the kiosk's alerts --------------------------------------------------------------

# What staff were told about one person: (red flags, unsure flags, urgency). Urgencies
# rank routine lowest.
Alerted = tuple[list[str], list[str], str]
_URGENCY_RANK: dict[str, int] = {u: n for n, u in enumerate(reversed(vocab.URGENCIES))}


def more_urgent(a: str, b: str) -> str:
    """The more urgent of two urgencies (the first when they are equal)."""
    return a if _URGENCY_RANK.get(a, 0) >= _URGENCY_RANK.get(b, 0) else b


def merge_alerts(told: Alerted | None, result: Result) -> Alerted:
    """What staff are told after this result, given what they were told before about
    the same person: once told, staff keep being told. A flag stays raised when its
    answer is changed; a sign unsure before and raised now is raised, not both; the
    urgency never goes down."""
    flags, unsure = list(result.red_flags), list(result.red_flags_unsure)
    urgency: str = result.urgency
    if told is None:
        return flags, unsure, urgency
    old_flags, old_unsure, old_urgency = told
    flags = list(dict.fromkeys([*old_flags, *flags]))
    unsure = [f for f in dict.fromkeys([*old_unsure, *unsure]) if f not in flags]
    return flags, unsure, more_urgent(old_urgency, urgency)
