"""``rls-screen --plain``: driven as a person would, through a terminal (pexpect) and
through a pipe. Every run gets its own HOME and data folder, so no real draft is touched.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pexpect
import pytest

from rls_screen.core.answers import dumps_document
from rls_screen.core.bank import Item, load_bank
from rls_screen.core.crisis import crisis_support
from rls_screen.core.walk import Walkthrough, interrupts
from rls_screen.interop.drafts import Drafts
from rls_screen.plain import Console, Session, parse_reply
from rls_screen.reports.clinician import build_clinician_report
from rls_screen.reports.exports import AUDIENCES, FORMATS, default_filename, render_export

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 15  # seconds; generous for a slow CI box, short enough to fail rather than hang
# The answer prompt, or the own-words prompt; "Your answer now:" does not match.
PROMPT = r"Your (answers?|words) \("
GO_ON = "Press Enter"  # a warning sign waits for Enter before the next question
SAVE = r"Save\s+your\s+summary\s+or\s+your\s+answers\s+to\s+a\s+file"  # wrapped or not

BANK = load_bank()

# A classic walk-through: (item, what the person types, the answer it stands for).
# Numbers, codes and a typed-out label all appear, so each way of answering is used.
CLASSIC: list[tuple[str, str, str | list[str]]] = [
    ("respondent", "1", "self"),
    ("age_group", "3", "45_64"),
    ("pregnant", "no", "no"),
    ("rf_one_leg", "2", "no"),
    ("rf_breathing", "no", "no"),
    ("rf_weakness", "2", "no"),
    ("rf_saddle", "NO", "no"),
    ("rf_cold_leg", "not sure", "unsure"),  # a warning sign: interrupts, then goes on
    ("urge", "1", "yes"),
    ("sensations", "1, 2", ["creeping_crawling", "tingling"]),
    ("own_words", "Like soda fizzing in my shins", "Like soda fizzing in my shins"),
    ("body_parts", "legs", ["legs"]),
    ("sides", "1", "both"),
    ("onset_time", "evening", "evening"),
    ("rest", "yes", "yes"),
    ("movement", "2", "partial"),
    ("evening", "1", "yes"),
    ("cramp", "2", "no"),
    ("position_change", "no", "no"),
    ("joint_muscle_pain", "2", "no"),
    ("swelling", "no", "no"),
    ("numbness", "2", "no"),
    ("walking_pain", "no", "no"),
    ("habit", "2", "no"),
    ("whole_body", "no", "no"),
    ("frequency", "5", "4_plus_per_week"),
    ("duration", "over_5_years", "over_5_years"),
    ("onset_age", "2", "20_44"),
    ("family_history", "1", "yes"),
    ("limb_movements", "sleeps_alone", "sleeps_alone"),
    ("dozing", "2", "no"),
    ("sleep_impact", "4", "severe"),
    ("daytime_impact", "moderate", "moderate"),
    ("bother", "3", "moderate"),
    ("mood", "2", "no"),
    ("iron_low", "1", "yes"),
    ("blood_loss", "none", ["none"]),
    ("kidney", "1", "none"),
    ("diabetes", "no", "no"),
    ("neuropathy_dx", "no", "no"),
    ("thyroid", "2", "no"),
    ("neuro_conditions", "4", ["none"]),
    ("medications", "antihistamine", ["antihistamine"]),
    ("caffeine", "3", "3_plus_per_day"),
    ("alcohol", "some_days", "some_days"),
    ("nicotine", "2", "no"),
    ("snoring", "no", "no"),
    ("short_sleep", "yes", "yes"),
    ("medicine_list", "Ropinirole at night; iron pills", "Ropinirole at night; iron pills"),
    ("rls_treatment", "1", ["dopamine_agonist"]),
    ("frequency_untreated", "4", "2_3_per_week"),
    ("dopamine_helped", "yes", "yes"),
    ("aug_earlier", "yes", "yes"),
    ("aug_faster", "no", "no"),
    ("aug_spread", "2", "no"),
    ("aug_stronger", "unsure", "unsure"),
    ("aug_wearoff", "no", "no"),
    ("onset_time_before", "1", "bedtime"),
    ("impulse", "no", "no"),
]
CLASSIC_ANSWERS = {item_id: answer for item_id, _, answer in CLASSIC}


def flat(text: str) -> str:
    return " ".join(text.split())


def words(text: str) -> str:
    """A pattern for ``text`` as printed: wrapped to the terminal, so any run of spaces
    or line ends between its words."""
    return r"\s+".join(re.escape(word) for word in text.split())


def question(item_id: str) -> str:
    """A pattern for the question's text (see ``words``)."""
    return words(BANK.items[item_id].text)


def squeezed(text: str) -> str:
    """``text`` without its spaces and line ends: for a long file name, which is cut to
    fit the terminal's lines."""
    return "".join(text.split())


def found(text: str, out: str) -> bool:
    """Whether ``text`` was printed, wrapped or not."""
    return re.search(words(text), out) is not None


def at(pattern: str, out: str) -> int:
    """Where the pattern is first printed."""
    match = re.search(pattern, out)
    assert match is not None, pattern
    return match.start()


def until(item_id: str) -> list[tuple[str, str, str | list[str]]]:
    """The classic rows asked before ``item_id``."""
    return CLASSIC[: [row[0] for row in CLASSIC].index(item_id)]


def shown_ids(answers: dict | None = None) -> list[str]:
    return [item.id for item in Walkthrough(BANK, _tuples(answers or {})).shown_items()]


def next_question(item_id: str, answers: dict | None = None) -> str:
    """The id of the question after ``item_id``, given these answers."""
    ids = shown_ids(answers)
    return ids[ids.index(item_id) + 1]


def skips_before(item_id: str, answers: dict | None = None) -> list[str]:
    """Blank replies for every question from the start up to ``item_id``."""
    return [""] * shown_ids(answers).index(item_id)


# --- running it ------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    (tmp_path / "work").mkdir()
    return tmp_path


def environ(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home / "home"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        PYTHONPATH=str(REPO),
        TERM="dumb",
    )
    for name in ("COLUMNS", "LINES"):  # the width is the terminal's, or 80 on a pipe
        env.pop(name, None)
    return env


def draft_file(home: Path) -> Path:
    return home / "data" / "rls-screen" / "draft.json"


def spawn(
    home: Path, *args: str, autosave: bool = False, columns: int = 200, program: str = ""
) -> pexpect.spawn:
    argv = ["-m", "rls_screen", "--plain", *([] if autosave else ["--no-autosave"]), *args]
    command, argv = (sys.executable, argv) if not program else ("/bin/sh", ["-c", program])
    child = pexpect.spawn(
        command,
        argv,
        env=environ(home),
        cwd=str(home / "work"),
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(24, columns),
        # A shell starts background jobs with Ctrl-C ignored, and children inherit that;
        # a person's terminal does not, so give the child the default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Every send waits for its prompt first, so pexpect's safety pause is not needed.
    child.delaybeforesend = None
    return child


def pipe(home: Path, replies: Sequence[str] | bytes, *args: str) -> subprocess.CompletedProcess:
    data = replies if isinstance(replies, bytes) else "".join(f"{r}\n" for r in replies).encode()
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", "--plain", *args],
        input=data,
        capture_output=True,
        env=environ(home),
        cwd=str(home / "work"),
        timeout=TIMEOUT,
    )


def score(home: Path, answers: dict, *args: str) -> str:
    path = home / "expected.json"
    path.write_text(dumps_document(_tuples(answers), BANK), encoding="utf-8")
    return score_file(home, path, *args)


def score_file(home: Path, path: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "rls_screen", "score", *args, str(path)],
        capture_output=True,
        text=True,
        env=environ(home),
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout


def _tuples(answers: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in answers.items()}


def unix(text: str) -> str:
    return text.replace("\r\n", "\n")


def reply(child: pexpect.spawn, item_id: str, typed: str) -> None:
    """Wait for the question, then for its prompt, then answer."""
    child.expect(question(item_id))
    child.expect(PROMPT)
    child.sendline(typed)


def walk(child: pexpect.spawn, script: Iterator[tuple[str, str, object]] | list) -> None:
    """Answer each row; where the answer raises a warning sign, press Enter to go on."""
    for item_id, typed, *answer in script:
        reply(child, item_id, typed)
        if answer and interrupts(item_id, _tuples({item_id: answer[0]})[item_id]):
            child.expect(GO_ON)
            child.sendline("")


def skip_to_end(child: pexpect.spawn) -> str:
    """Press Enter at every question left; return what was printed up to the save offer."""
    seen = []
    while child.expect([PROMPT, SAVE]) == 0:
        seen.append(child.before)
        child.sendline("")
    seen.append(child.before)
    return unix("".join(seen))


def save_to(child: pexpect.spawn, path: Path | str) -> None:
    """At the save offer: say yes, pick the answer file, give a file name, save no more."""
    child.expect(r"\(y/n\) ")
    child.sendline("y")
    choose(child, "answers")
    child.expect("File name")
    child.sendline(str(path))
    child.expect_exact("Saved to")
    child.expect_exact("Save another file? (y/n)")
    child.sendline("n")


def choose(child: pexpect.spawn, fmt: str, audience: str | None = None) -> None:
    """Pick a file (and who it is for) by number, as the save questions list them."""
    child.expect_exact("Which file")
    child.expect_exact("Your choice")
    child.sendline(str(list(FORMATS).index(fmt) + 1))
    if audience is not None:
        child.expect_exact("Who is it for?")
        child.expect_exact("Your choice")
        child.sendline(str(list(AUDIENCES).index(audience) + 1))


def ended(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def saved_answers(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["answers"]


# --- a whole walk-through ------------------------------------------------------------


def test_classic_walkthrough_prints_what_score_prints_and_saves(home: Path) -> None:
    child = spawn(home)
    walk(child, CLASSIC)
    child.expect(SAVE)
    printed = unix(child.before)
    expected = score(home, CLASSIC_ANSWERS)
    assert expected in printed
    assert "Your restless legs summary" in expected  # the comparison is not of two blanks

    target = home / "work" / "mine.json"
    save_to(child, target)
    assert ended(child) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert saved_answers(target) == CLASSIC_ANSWERS
    assert score_file(home, target) == expected


def test_progress_line_names_the_section_and_count(home: Path) -> None:
    done = pipe(home, [])
    out = done.stdout.decode()
    assert f"{BANK.section_of['respondent'].title}: question 1 of about " in out
    assert "  1. " + BANK.items["respondent"].options[0].label in out


# --- moving about ----------------------------------------------------------------------


def test_back_and_a_changed_answer_drop_the_follow_up(home: Path) -> None:
    before_movement = until("movement")
    child = spawn(home)
    walk(child, before_movement)
    reply(child, "movement", "no")  # "no" shows the follow-up question
    reply(child, "movement_past", "yes")
    child.expect(question("evening"))
    child.expect(PROMPT)
    child.sendline("b")
    child.expect(question("movement_past"))
    child.expect(PROMPT)
    child.sendline("b")
    child.expect(question("movement"))
    child.expect_exact("Your answer now: " + BANK.items["movement"].label("no"))
    child.expect(PROMPT)
    child.sendline("full")
    child.expect_exact("Removed 1 answer")
    # The next question is evening: the follow-up is no longer asked.
    index = child.expect([question("evening"), question("movement_past")])
    assert index == 0
    child.sendline("yes")
    skip_to_end(child)
    target = home / "work" / "back.json"
    save_to(child, target)
    assert ended(child) == 0
    answers = saved_answers(target)
    assert answers["movement"] == "full"
    assert "movement_past" not in answers


def test_back_at_the_first_question_says_so(home: Path) -> None:
    done = pipe(home, ["b", "2"])
    out = done.stdout.decode()
    assert "This is the first question." in out
    assert re.search(question(next_question("respondent")), out)


def test_question_mark_shows_the_help_and_asks_again(home: Path) -> None:
    child = spawn(home)
    reply(child, "respondent", "1")
    child.expect(question("age_group"))
    child.expect(PROMPT)
    child.sendline("?")
    child.expect(words(BANK.items["age_group"].help))
    # The same question is asked again, not the next one.
    following = question(next_question("age_group"))
    index = child.expect([PROMPT, following])
    assert index == 0
    child.sendline("18_44")
    child.expect(following)
    child.sendintr()
    assert ended(child) != 0


def test_blank_line_skips_and_leaves_the_question_unanswered(home: Path) -> None:
    child = spawn(home)
    reply(child, "respondent", "")
    reply(child, "age_group", "")
    reply(child, "pregnant", "2")
    skip_to_end(child)
    target = home / "work" / "skipped.json"
    save_to(child, target)
    assert ended(child) == 0
    assert saved_answers(target) == {"pregnant": "no"}


def test_invalid_input_says_what_is_allowed_and_asks_again(home: Path) -> None:
    skips = skips_before("urge")[1:]  # respondent is answered: "7", "maybe", then "1"
    done = pipe(home, ["7", "maybe", "1", *skips, "1", "1 9", "2 x", "2, 3"])
    out = done.stdout.decode()
    assert len(re.findall(words("Please type a number from 1 to 3."), out)) == 2
    assert found('"None of these" goes on its own.', out)
    assert found("Please type numbers from 1 to 9", out)
    assert "Traceback" not in done.stderr.decode()
    answers = {"respondent": "self", "urge": "yes", "sensations": ["tingling", "pulling"]}
    assert score(home, answers) in out


def test_odd_multi_input_is_read_kindly(home: Path) -> None:
    # Questions between sensations and body parts (the own-words box, where "²" would be
    # fine text) are skipped, so "²" goes to body parts, a multi-choice with three options.
    shown = shown_ids({"urge": "yes"})
    between = [""] * (shown.index("body_parts") - shown.index("sensations") - 1)
    done = pipe(home, [*skips_before("urge"), "yes", ", 2,,3 2 ", *between, "²"])
    out = done.stdout.decode()
    assert done.returncode == 0
    assert len(re.findall(words("Please type numbers from 1 to 3"), out)) == 1  # for "²"
    answers = {"urge": "yes", "sensations": ["tingling", "pulling"]}
    assert out.endswith(score(home, answers))


def test_bytes_that_are_not_text_are_a_wrong_answer_not_a_crash(home: Path) -> None:
    done = pipe(home, b"\xff\xfe\n2\n")
    assert done.returncode == 0
    assert b"Please type a number from 1 to 3" in done.stdout
    assert done.stderr == b""


# --- red flags -------------------------------------------------------------------------


def test_red_flag_interrupts_at_once_and_the_person_can_finish(home: Path) -> None:
    texts = BANK.summary
    child = spawn(home)
    walk(child, until("rf_breathing"))
    reply(child, "rf_breathing", "yes")
    # One sign, one piece of advice: its own text says to call the emergency number.
    child.expect(words(texts.red_flags["pulmonary_embolism"].now))
    child.expect("Press Enter")
    assert not re.search(question("rf_weakness"), child.before)  # it waits before going on
    child.sendline("")
    reply(child, "rf_weakness", "no")
    printed = skip_to_end(child)
    assert texts.headings.red_flags.upper() in printed  # the summary puts it first too
    child.expect(r"\(y/n\) ")
    child.sendline("n")
    assert ended(child) == 0


def test_self_harm_answer_shows_crisis_support_and_the_walk_goes_on(home: Path) -> None:
    before = until("mood")
    # mood = yes asks safe_now first; skipping it (Enter alone) still shows the support.
    replies = [typed for _, typed, _ in before] + ["yes", "", "1"]
    out = pipe(home, replies).stdout.decode()
    crisis_at = at(words(BANK.summary.crisis), out)
    assert at(question("safe_now"), out) < crisis_at  # no interrupt before safe_now
    assert not found(BANK.summary.crisis, out[: at(question("safe_now"), out)])
    assert at(question("iron_low"), out) > crisis_at  # asked after the interrupt
    answers = {**{k: v for k, _, v in before}, "mood": "yes", "iron_low": "yes"}
    assert out.endswith(score(home, answers))


def test_urgent_flag_uses_the_urgent_text(home: Path) -> None:
    out = pipe(home, [*skips_before("rf_one_leg"), "yes"]).stdout.decode()
    interrupt = re.split(question("rf_breathing"), out)[0]
    assert found(BANK.summary.urgency.urgent, interrupt)
    assert found(BANK.summary.red_flags["dvt"].now, interrupt)
    assert not found(BANK.summary.urgency.emergency, interrupt)


def test_unsure_warning_sign_prints_its_safety_net_at_once_and_in_the_summary(
    home: Path,
) -> None:
    texts = BANK.summary
    unsure = texts.red_flags_unsure["pulmonary_embolism"]
    child = spawn(home)
    before = until("rf_breathing")
    walk(child, before)
    reply(child, "rf_breathing", "not sure")
    child.expect_exact(texts.headings.red_flags_unsure.upper())
    child.expect(words(unsure.name))
    child.expect(words(unsure.safety_net))
    child.expect(GO_ON)
    assert not re.search(question("rf_weakness"), child.before)  # it waits before going on
    child.sendline("")
    reply(child, "rf_weakness", "no")
    printed = skip_to_end(child)
    answers = {**{k: v for k, _, v in before}, "rf_breathing": "unsure", "rf_weakness": "no"}
    expected = score(home, answers)
    assert expected in printed
    summary = flat(expected)
    assert texts.headings.red_flags_unsure in summary
    assert flat(unsure.name) in summary and flat(unsure.safety_net) in summary
    child.expect(r"\(y/n\) ")
    child.sendline("n")
    assert ended(child) == 0


def test_region_gb_not_safe_puts_999_before_116_123(home: Path) -> None:
    gb = crisis_support("GB")
    safe_now = BANK.items["safe_now"]
    not_safe = str(safe_now.codes.index("not_safe") + 1)
    done = pipe(home, [*skips_before("mood"), "yes", not_safe], "--region", "GB")
    out = done.stdout.decode()
    assert done.returncode == 0
    # mood = yes does not interrupt by itself: safe_now comes next.
    asked, after = re.split(question("safe_now"), out)
    assert "116 123" not in asked and "999" not in asked
    alert = re.split(question(next_question("safe_now", {"mood": "yes"})), after)[0]
    assert found(gb.emergency_now, alert) and found(gb.line, alert)
    assert alert.index("999") < alert.index("116 123")
    assert at(words(gb.emergency_now), alert) < at(words(gb.line), alert)
    summary = score(home, {"mood": "yes", "safe_now": "not_safe"}, "--region", "GB")
    assert out.endswith(summary)
    assert summary.index("999") < summary.index("116 123")


# --- the person's own words ----------------------------------------------------------


def test_own_words_takes_a_line_of_text(home: Path) -> None:
    typed = "It fizzes, like soda, and I must stand up"
    child = spawn(home)
    walk(child, until("urge"))
    reply(child, "urge", "1")
    reply(child, "sensations", "1")
    child.expect(question("own_words"))
    limit = BANK.items["own_words"].max_length
    # The words are typed on a line of their own, below the prompt.
    child.expect_exact(f"Your words (up to {limit} characters; Enter alone skips):\r\n")
    child.sendline(typed)
    following = next_question("own_words", {"urge": "yes"})
    child.expect(question(following))
    assert "Please" not in child.before  # taken as it is, commas and all
    child.expect(PROMPT)
    child.sendline("b")  # back: the words are shown as the answer now
    child.expect(question("own_words"))
    child.expect(words(f"Your answer now: \u201c{typed}\u201d. Press Enter to keep it."))
    child.expect(PROMPT)
    child.sendline("")
    child.expect(question(following))
    skip_to_end(child)
    target = home / "work" / "words.json"
    save_to(child, target)
    assert ended(child) == 0
    answers = saved_answers(target)
    assert answers["own_words"] == typed
    assert answers["sensations"] == ["creeping_crawling"]


def test_own_words_enter_alone_skips(home: Path) -> None:
    child = spawn(home)
    walk(child, until("urge"))
    reply(child, "urge", "1")
    reply(child, "sensations", "1")
    reply(child, "own_words", "")
    child.expect(question(next_question("own_words", {"urge": "yes"})))
    assert "Please" not in child.before
    skip_to_end(child)
    target = home / "work" / "skipped-words.json"
    save_to(child, target)
    assert ended(child) == 0
    answers = saved_answers(target)
    assert "own_words" not in answers
    assert answers["urge"] == "yes" and answers["sensations"] == ["creeping_crawling"]


# --- piped input ---------------------------------------------------------------------


def test_end_of_piped_input_prints_the_summary_and_exits(home: Path) -> None:
    done = pipe(home, ["2", "3"])
    assert done.returncode == 0
    out = done.stdout.decode()
    assert out.endswith(score(home, {"age_group": "18_44", "pregnant": "not_applicable"}))
    assert not re.search(SAVE, out) and "Quit?" not in out


def test_empty_piped_input_prints_the_summary_of_no_answers(home: Path) -> None:
    done = pipe(home, b"")
    assert done.returncode == 0
    assert done.stdout.decode().endswith(score(home, {}))


def test_piped_quit_stops_without_asking(home: Path) -> None:
    done = pipe(home, ["2", "q", "3"])
    out = done.stdout.decode()
    assert done.returncode == 0
    assert "Quit?" not in out
    assert "Stopped." in out
    assert BANK.summary.title not in out
    # q was typed at the second question; the line after it was never read.
    assert len(re.findall(question(next_question("respondent")), out)) == 1


def test_resume_file_goes_on_from_the_first_unanswered_question(home: Path) -> None:
    given = {k: v for k, _, v in until("urge")}
    path = home / "given.json"
    path.write_text(dumps_document(_tuples(given), BANK), encoding="utf-8")
    done = pipe(home, ["1"], "--resume", str(path))
    out = done.stdout.decode()
    assert done.returncode == 0
    assert not re.search(question("age_group"), out)
    number = shown_ids(given).index("urge") + 1
    assert number == len(given) + 1  # every question before urge was answered
    assert f"question {number} of about" in re.split(question("urge"), out)[0]
    assert out.endswith(score(home, {**given, "urge": "yes"}))


def test_bad_resume_file_is_one_line_and_status_2(home: Path) -> None:
    path = home / "bad.json"
    path.write_text('{"answers": {"urge": "perhaps"}}', encoding="utf-8")
    done = pipe(home, [], "--resume", str(path))
    assert done.returncode == 2
    assert done.stderr.decode().count("\n") == 1
    assert "'urge'" in done.stderr.decode()


# --- quitting --------------------------------------------------------------------------


def test_quit_asks_first(home: Path) -> None:
    child = spawn(home)
    reply(child, "respondent", "1")
    reply(child, "age_group", "2")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect_exact("Quit? Your answers so far will be lost. (y/n)")
    child.sendline("n")
    child.expect(PROMPT)  # still on the same question
    child.sendline("q")
    child.expect_exact("Quit?")
    child.sendline("y")
    child.expect_exact("Stopped. Your answers were not saved.")
    assert ended(child) == 0
    assert BANK.summary.title not in child.before


def test_ctrl_c_and_ctrl_d_stop_calmly(home: Path) -> None:
    for key in ("intr", "eof"):
        child = spawn(home)
        reply(child, "respondent", "1")
        reply(child, "age_group", "2")
        child.expect(PROMPT)
        child.sendintr() if key == "intr" else child.sendeof()
        child.expect_exact("Stopped.")
        status = ended(child)
        assert "Traceback" not in child.before
        assert status == (130 if key == "intr" else 0)


# --- drafts ----------------------------------------------------------------------------


def test_autosave_keeps_a_draft_and_offers_to_resume_it(home: Path) -> None:
    child = spawn(home, autosave=True)
    given = until("rf_one_leg")
    walk(child, given)
    child.expect(PROMPT)
    child.sendline("q")
    child.expect_exact("Quit? Your answers so far are kept as a draft. (y/n)")
    child.sendline("y")
    child.expect_exact("kept as a draft")
    assert ended(child) == 0
    draft = draft_file(home)
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert saved_answers(draft) == {k: v for k, _, v in given}

    child = spawn(home, autosave=True)
    child.expect_exact("Resume (r) or start over (s)?")
    child.sendline("r")
    index = child.expect([question("rf_one_leg"), question("age_group")])
    assert index == 0  # picks up where it stopped
    child.expect(PROMPT)
    child.sendline("yes")
    child.expect("Press Enter")
    child.sendline("")
    printed = skip_to_end(child)
    expected = score(home, {**{k: v for k, _, v in given}, "rf_one_leg": "yes"})
    assert expected in printed
    child.expect(r"\(y/n\) ")
    child.sendline("n")
    assert ended(child) == 0
    assert not draft.exists()  # finishing deletes the draft


def test_starting_over_discards_the_draft(home: Path) -> None:
    child = spawn(home, autosave=True)
    reply(child, "respondent", "1")
    reply(child, "age_group", "2")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect_exact("Quit?")
    child.sendline("y")
    assert ended(child) == 0
    assert draft_file(home).exists()
    child = spawn(home, autosave=True)
    child.expect_exact("Resume (r) or start over (s)? Enter resumes:")
    child.sendline("s")
    child.expect_exact("Delete it? (y/n)")  # starting over takes a confirmation
    assert draft_file(home).exists()
    child.sendline("y")
    child.expect_exact("question 1 of about")
    child.expect(question("respondent"))
    assert not draft_file(home).exists()
    child.sendintr()
    assert ended(child) == 130


def test_no_autosave_writes_no_draft(home: Path) -> None:
    child = spawn(home)
    reply(child, "respondent", "1")
    reply(child, "age_group", "2")
    child.expect(PROMPT)
    child.sendintr()
    ended(child)
    assert not (home / "data").exists()


def test_piped_run_neither_resumes_nor_changes_a_draft(home: Path) -> None:
    draft = draft_file(home)
    draft.parent.mkdir(parents=True)
    before = dumps_document({"age_group": "65_plus"}, BANK)
    draft.write_text(before, encoding="utf-8")
    done = pipe(home, ["2"])
    out = done.stdout.decode()
    assert "Resume" not in out
    assert out.endswith(score(home, {"age_group": "18_44"}))
    assert draft.read_text(encoding="utf-8") == before


# --- saving ----------------------------------------------------------------------------


def test_unwritable_path_is_one_line_then_asks_again(home: Path) -> None:
    child = spawn(home)
    reply(child, "respondent", "1")
    child.expect(question("age_group"))
    child.expect(PROMPT)
    child.sendline("1")
    skip_to_end(child)
    child.expect(r"\(y/n\) ")
    child.sendline("y")
    choose(child, "answers")
    child.expect("File name")
    child.sendline(str(home / "no-such-folder" / "a.json"))
    child.expect_exact("Could not save:")
    child.expect(words("does not exist"))
    child.expect_exact("Type another file name, or press Enter to not save")
    child.sendline("")
    child.expect_exact("Nothing was saved.")
    assert ended(child) == 0
    assert list((home / "work").iterdir()) == []


def test_enter_saves_in_the_documents_folder(home: Path) -> None:
    documents = home / "home" / "Documents"
    documents.mkdir()
    child = spawn(home)
    reply(child, "respondent", "1")
    reply(child, "age_group", "4")
    skip_to_end(child)
    child.expect(r"\(y/n\) ")
    child.sendline("y")
    choose(child, "answers")
    child.expect_exact("File name (press Enter for")
    child.expect_exact("):\r\n")  # the name is typed on the line below
    target = documents / default_filename("answers")
    assert str(target) in squeezed(child.before)  # wrapped, maybe inside the path
    child.sendline("")
    child.expect_exact("Saved to")
    child.expect_exact("Save another file?")
    child.sendline("n")
    assert ended(child) == 0
    assert saved_answers(target) == {"respondent": "self", "age_group": "65_plus"}
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# --- plain means plain -----------------------------------------------------------------


def test_output_has_no_escape_codes(home: Path) -> None:
    done = pipe(home, [typed for _, typed, _ in CLASSIC[:5]] + ["?", "yes"])
    assert b"\x1b" not in done.stdout


def test_plain_mode_imports_neither_textual_nor_rich() -> None:
    code = "import sys, rls_screen.plain; print(sorted({'textual', 'rich'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_enter_at_the_resume_question_resumes(home: Path) -> None:
    child = spawn(home, autosave=True)
    reply(child, "respondent", "1")
    reply(child, "age_group", "2")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect_exact("Quit?")
    child.sendline("y")
    assert ended(child) == 0
    child = spawn(home, autosave=True)
    child.expect_exact("Enter resumes:")
    child.sendline("")  # a key pressed too soon never throws the draft away
    child.expect_exact("question 3 of about")
    assert draft_file(home).exists()
    child.sendintr()
    assert ended(child) == 130


def test_a_damaged_draft_is_moved_aside_and_named(home: Path) -> None:
    child = spawn(home, autosave=True)
    reply(child, "respondent", "1")
    reply(child, "age_group", "2")
    child.expect(PROMPT)
    child.sendline("q")
    child.expect_exact("Quit?")
    child.sendline("y")
    assert ended(child) == 0
    draft = draft_file(home)
    draft.write_text("{not json")
    child = spawn(home, autosave=True)
    child.expect_exact("could not be read")
    child.expect_exact("draft.json.bad")
    child.expect_exact("question 1 of about")
    child.sendintr()
    assert ended(child) == 130
    bad = draft.with_name("draft.json.bad")
    assert bad.read_text() == "{not json"


# --- in this process: the console on strings ----------------------------------------


def talk(replies: Sequence[str], width: int = 78) -> tuple[str, Session]:
    """A walk on a terminal (so it asks and waits as for a person), its replies read
    from a string; what it printed, and the session. The input's end stops it like
    Ctrl-D, or, at the save questions, saves no more."""
    inp = io.StringIO("".join(f"{r}\n" for r in replies))
    out = io.StringIO()
    session = Session(
        BANK, Console(inp, out, True, lambda: width), Drafts(BANK, enabled=False), False
    )
    session.run(None)
    return out.getvalue(), session


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home of its own, with a documents folder (not made: each test makes it or not)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    (tmp_path / "home").mkdir()
    return tmp_path / "home" / "Documents"


def to_the_end(answers: dict) -> list[str]:
    """Enter alone at every question left after these answers (given in order)."""
    return [""] * (len(shown_ids(answers)) - len(answers))


def test_help_speaks_in_answer_labels_never_codes() -> None:
    age = BANK.items["age_group"]
    sensations = BANK.items["sensations"]
    out, _ = talk(["", "?", *skips_before("urge")[1:], "1", "?"])
    help_age = out.split(age.options[-1].label)[2]  # after the second list of answers
    assert found(age.help, out)
    assert f'for example, 1 for "{age.options[0].label}"' in help_age
    # The answers are listed again under the help, by number and label.
    assert out.count(f"  2. {age.options[1].label}") == 2
    first, second = (o.label for o in sensations.options[:2])
    assert found(f'For example, 1 2 for "{first}" and "{second}".', out)
    none = sensations.codes.index("none") + 1
    assert found(f'{none} ("{sensations.label("none")}") goes on its own.', out)
    codes = [code for item in (age, sensations) for code in item.codes if "_" in code]
    assert len(codes) >= 6  # under_18 ... creeping_crawling: none of them is shown
    assert [code for code in codes if code in out] == []
    assert "1 = " not in out


def test_a_number_beyond_the_answers_says_how_many_there_are() -> None:
    skips = skips_before("urge")[1:]
    out, session = talk(["1", "5", "0", "4", *skips[1:], "1", "1 10", "1 2"])
    assert out.count("There are only 4 answers.") == 1  # for 5; 0 is not beyond them
    assert len(re.findall(words("Please type a number from 1 to 4."), out)) == 2
    assert found("There are only 9 answers. Please type numbers from 1 to 9", out)
    assert session.walk.answers["sensations"] == ("creeping_crawling", "tingling")
    # An item with one answer says so in the singular (none of the bank's has one, yet).
    one = Item.model_validate(
        {
            **BANK.items["urge"].model_dump(),
            "options": BANK.items["urge"].model_dump()["options"][:1],
        }
    )
    with pytest.raises(ValueError, match="There is only 1 answer. Please type a number"):
        parse_reply(one, "2")


def test_text_typed_at_press_enter_is_answered_and_b_changes_the_answer() -> None:
    out, session = talk([*skips_before("rf_one_leg"), "1", "what now", "b", "2", "q", "y"])
    alert = out.split("Please press Enter on its own to go on.")[0]  # answered, once
    assert out.count("Please press Enter on its own to go on.") == 1
    assert found(BANK.summary.red_flags["dvt"].now, alert)
    # b: the wrong answer, as in the TUI: the same question again, its answer cleared.
    again = out.split("Please press Enter on its own")[1]
    assert "Your answer was cleared. Choose again." in again
    assert re.search(question("rf_one_leg"), again)
    assert "Your answer now:" not in again
    assert session.walk.answers["rf_one_leg"] == "no"
    assert "Stopped." in out  # q at a question still asks, and quits


def test_q_at_press_enter_asks_to_quit() -> None:
    out, session = talk([*skips_before("rf_one_leg"), "1", "q", "y"])
    assert "Quit? Your answers so far will be lost. (y/n)" in out
    assert out.rstrip().endswith("Stopped. Your answers were not saved.")
    assert not re.search(question(next_question("rf_one_leg")), out)


def test_saves_the_doctors_page_and_the_answers_in_the_documents_folder(
    documents: Path,
) -> None:
    documents.mkdir()
    html, answers_file = list(FORMATS).index("html") + 1, list(FORMATS).index("answers") + 1
    doctor = list(AUDIENCES).index("clinician") + 1
    given = {"respondent": "self", "age_group": "18_44"}
    out, _ = talk(
        [
            "1",
            "2",
            *to_the_end(given),
            "y",
            str(html),
            str(doctor),
            "",
            "y",
            str(answers_file),
            "",
            "n",
        ]
    )
    page = documents / default_filename("html", audience="clinician")
    text = page.read_text(encoding="utf-8")
    assert f"<title>{build_clinician_report(BANK, given).title}</title>" in text
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert squeezed(f"Saved to {page}.") in squeezed(out)  # a long path is cut to fit
    assert found("Open it in a web browser", out)
    saved = documents / default_filename("answers")
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["answers"] == given
    assert document["meta"]["via"] == "rls-screen --plain"  # the answer file keeps its meta
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert found("To see the summary again later: rls-screen score", out)


def test_save_folder_without_documents_is_home_and_a_file_is_never_replaced_unasked(
    documents: Path, tmp_path: Path
) -> None:
    markdown = str(list(FORMATS).index("markdown") + 1)
    me = str(list(AUDIENCES).index("patient") + 1)
    notes = tmp_path / "notes"
    given = {"respondent": "self", "age_group": "65_plus"}
    twice = ["y", markdown, me, "", "y", markdown, me, "", "n", str(notes), "n"]
    out, _ = talk(["1", "4", *to_the_end(given), *twice])
    first = tmp_path / "home" / default_filename("markdown")
    assert not documents.exists()
    assert first.read_text(encoding="utf-8") == render_export(BANK, given, "markdown")
    assert squeezed(f"{first} already exists. Replace it? (y/n)") in squeezed(out)
    # Another name, without an extension: it gets the chosen file's.
    assert Path(f"{notes}.md").read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_enter_alone_at_which_file_saves_nothing(documents: Path) -> None:
    out, _ = talk([*to_the_end({}), "y", ""])
    assert out.rstrip().endswith("Nothing was saved.")
    assert not documents.exists() and list(documents.parent.iterdir()) == []


# --- every line fits the terminal ------------------------------------------------------

OPTION = re.compile(r"( +\d+\. )\S")


def check_lines(printed: str, columns: int) -> int:
    """No line longer than the terminal, and every wrapped answer under its label.
    Returns the number of wrapped answers' lines after their first."""
    lines = unix(printed).split("\n")
    assert len(lines) > 200  # a whole walk, not a few lines
    too_long = [line for line in lines if len(line) > columns]
    assert too_long == []
    label, wrapped = None, 0
    for line in lines:
        option = OPTION.match(line)
        if option:
            label = option.group(1)
        elif label and line.startswith(" "):
            assert line.startswith(" " * len(label)) and line[len(label)] != " ", line
            wrapped += 1
        else:
            label = None
    return wrapped


@pytest.mark.parametrize("columns", [60, 80])
def test_a_whole_walk_typed_fits_the_terminal(home: Path, columns: int) -> None:
    """Typed: help, a number beyond the answers, a warning sign with text typed at its
    Press Enter, long answers, the summary and saving the doctor's page."""
    (home / "home" / "Documents").mkdir()
    child = spawn(home, columns=columns)
    child.logfile_read = printed = io.StringIO()
    reply(child, "respondent", "1")
    reply(child, "age_group", "?")
    child.expect(PROMPT)
    child.sendline("9")
    child.expect_exact("There are only 4 answers.")
    child.expect(PROMPT)
    child.sendline("3")
    cold = [row[0] for row in CLASSIC].index("rf_cold_leg")
    walk(child, CLASSIC[2:cold])
    reply(child, "rf_cold_leg", "3")
    child.expect(GO_ON)
    child.sendline("ok")
    child.expect_exact("Please press Enter on its own")
    child.expect(GO_ON)
    child.sendline("")
    walk(child, CLASSIC[cold + 1 :])
    child.expect(SAVE)
    child.sendline("y")
    choose(child, "html", "clinician")
    child.expect_exact("File name")
    child.expect_exact("):\r\n")  # the name is typed on the line below
    child.sendline("")
    child.expect_exact("Save another file?")
    child.sendline("n")
    assert ended(child) == 0
    assert (home / "home" / "Documents" / default_filename("html", audience="clinician")).exists()
    wrapped = check_lines(printed.getvalue(), columns)
    if columns == 60:  # the longest answers (the medicines') are wrapped, under their label
        assert wrapped >= 3


def test_a_whole_walk_piped_into_a_terminal_fits_it(home: Path) -> None:
    """Piped answers, the output on a 60-column terminal (the README's example): each
    reply is echoed, a long one on lines of its own."""
    typed = [typed for _, typed, _ in CLASSIC]
    typed[typed.index("Like soda fizzing in my shins")] = "Like soda fizzing in my shins " * 4
    (home / "answers.txt").write_text("".join(f"{t}\n" for t in ["?", *typed]))
    program = f'exec "{sys.executable}" -m rls_screen --plain < "{home / "answers.txt"}"'
    child = spawn(home, columns=60, program=program)
    child.logfile_read = printed = io.StringIO()
    assert ended(child) == 0
    out = printed.getvalue()
    assert found(BANK.summary.title, out) and found(BANK.items["respondent"].help, out)
    check_lines(out, 60)


# --- every prompt that waits answers what is typed ----------------------------------


def test_every_waiting_prompt_answers_typed_text(tmp_path: Path, documents: Path) -> None:
    """The draft offer, its confirmation, the save question and the file choice: text
    that is not one of their replies is answered with what to type, then asked again;
    nothing typed is swallowed."""
    Drafts(BANK, tmp_path).save({"age_group": "45_64"}, "pregnant")
    typed = ["what is this", "s", "maybe", "n", "", *to_the_end({"age_group": "45_64"})[1:]]
    typed += ["sure", "y", "web page", ""]
    inp, out = io.StringIO("".join(f"{r}\n" for r in typed)), io.StringIO()
    session = Session(BANK, Console(inp, out, True, lambda: 78), Drafts(BANK, tmp_path), True)
    assert session.run(None) == 0
    printed = out.getvalue()
    for answer in (
        "Please type r to resume or s to start over.",
        "Please type y for yes or n for no.",
        "Please type a number from 1 to 4, or press Enter alone to not save.",
    ):
        assert len(re.findall(words(answer), printed)) == (2 if "y for yes" in answer else 1)
    assert session.walk.answers["age_group"] == "45_64"  # resumed: "n" kept the draft
    assert printed.rstrip().endswith("Nothing was saved.")


def test_a_long_file_name_is_cut_only_after_a_slash_on_lines_of_its_own(
    documents: Path,
) -> None:
    """A path longer than a line (the saved page's, on a 60-column terminal) starts on a
    line of its own and is cut after a "/" or a "-", so each piece reads as part of it:
    never "...summary-2" then "026-12-03.html"."""
    documents.mkdir()
    html = list(FORMATS).index("html") + 1
    doctor = list(AUDIENCES).index("clinician") + 1
    out, _ = talk([*to_the_end({}), "y", str(html), str(doctor), "", "n"], width=58)
    page = documents / default_filename("html", audience="clinician")
    assert page.exists() and len(str(page)) > 58
    lines = out.split("\n")
    start = lines.index("Saved to")  # the name is not begun at the end of this line
    pieces, rest = [], str(page)
    for line in lines[start + 1 :]:
        assert len(line) <= 58
        piece = line if rest.startswith(line) else line.split(" ")[0].removesuffix(".")
        assert rest.startswith(piece), (line, rest)
        pieces.append(piece)
        rest = rest[len(piece) :]
        if not rest:
            break
    assert len(pieces) >= 2
    assert [piece[-1] for piece in pieces[:-1] if piece[-1] not in "/-"] == []
