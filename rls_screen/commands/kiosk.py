"""``rls-screen kiosk``: the questionnaire on a clinic's shared terminal."""

from __future__ import annotations

import argparse
import math

HELP = "run the questionnaire for one patient after another (clinic intake)"
DESCRIPTION = """\
Run the questionnaire on a shared clinic terminal, for one patient after another.

When a patient finishes, two files are saved in DIR under an id made of the time and a
few random letters (never a name): <id>.json, the answer file that 'score' and 'batch'
read, and <id>.html, the printable clinician summary. Both are written whole or not at
all and only the owner of DIR can read them. The patient then sees their own summary
(unless --no-patient-summary) and the app goes back to the welcome screen for the next
person, with nothing of the last one left on screen or in memory.

Each record also carries its id and the date and time: in the "meta" of <id>.json
(record_id, saved) and printed on <id>.html.

Left alone: on every screen but the welcome, when nobody has touched the keys or the
mouse for --idle-reset seconds, a "Still there?" prompt counts down 30 seconds. Any key
or click keeps the answers; at the end of the countdown the answers are cleared (the
answers in progress too) and the welcome waits for the next person. Once the answers
are saved, the last screen goes back to the welcome without asking.

Warning signs: when an answer raises a warning sign, the patient is told to tell a
member of staff now (--staff-message changes the words) and DIR/<id>.alert.json is
written at once (owner-only): the time (UTC), the record id, the signs (red_flags,
red_flags_unsure) and the urgency, never other answers; a later sign from the same
patient updates it. --on-alert CMD then runs the clinic's own command with the path of
that file as its last argument, without waiting for it; its output is discarded. If it
cannot start or ends with an error, one line goes to stderr (shown when the kiosk
closes if stderr is the kiosk's own terminal); the patient never sees it.

Answers in progress are kept in DIR/.in-progress. If the kiosk stops mid-patient (a
crash, or staff leaving), that unfinished record is never shown to the next patient:
at start it is set aside in DIR/.in-progress, and the welcome screen shows
"Staff: an unfinished record is waiting (Ctrl+X)". Press Ctrl+X once on the welcome
screen to keep it as DIR/<id>.partial.json (owner-only, with its id and the date and
time in "meta") or to discard it (asks first). Until then new patients start afresh
and it is kept. Nothing in the kiosk shows what is in DIR.

Patients cannot leave the app: Q (or Ctrl+Q), shown as "Start over", offers to clear
their answers and start again; once their answers are saved it does nothing.
To leave kiosk mode, press Ctrl+X three times within two seconds.
"""

EPILOG = """\
examples:
  rls-screen kiosk --save-dir /srv/intake
  rls-screen kiosk --save-dir ~/intake --no-patient-summary
  rls-screen kiosk --save-dir /srv/intake --on-alert '/usr/local/bin/page-nurse --ward 3'
  rls-screen kiosk --save-dir /srv/intake --staff-message 'Please tell the nurse at reception now.'
  rls-screen batch ~/intake --out intake.csv     score what the kiosk saved
"""


def seconds(text: str) -> float:
    from rls_screen.core.errors import show

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{show(text)} is not a number of seconds") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{show(text)} is not a number of seconds")
    if value < 10:
        raise argparse.ArgumentTypeError(f"{text} is too short; use 10 seconds or more")
    return value


STAFF_MESSAGE_MAX = 300


def staff_message(text: str) -> str:
    """--staff-message: one line of plain text, 1 to 300 characters."""
    import unicodedata

    from rls_screen.core.errors import show

    value = text.strip()
    if not value:
        raise argparse.ArgumentTypeError("the staff message is empty")
    if len(value) > STAFF_MESSAGE_MAX:
        raise argparse.ArgumentTypeError(
            f"the staff message is {len(value)} characters long; use at most {STAFF_MESSAGE_MAX}"
        )
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise argparse.ArgumentTypeError(
            f"{show(value, 40)}: the staff message must be one line, without control characters"
        )
    return value


def alert_command(text: str) -> str:
    """--on-alert: a command line, split as a shell would (but run without a shell)."""
    from rls_screen.interop.records import split_command

    try:
        split_command(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"--on-alert: cannot read the command ({exc})") from None
    return text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "kiosk",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--save-dir",
        metavar="DIR",
        required=True,
        help="folder for finished records (created owner-only if missing)",
    )
    parser.add_argument(
        "--no-patient-summary",
        action="store_true",
        help="at the end, thank the patient instead of showing their summary",
    )
    parser.add_argument(
        "--idle-reset",
        metavar="SECONDS",
        type=seconds,
        default=120.0,
        help="on every screen but the welcome, when nobody has touched the keys or the "
        'mouse for this long, ask "Still there?" with a 30-second countdown, then clear '
        "the answers and go back to the welcome (after the end: straight back) "
        "(default: 120)",
    )
    parser.add_argument(
        "--staff-message",
        metavar="TEXT",
        type=staff_message,
        default=None,
        help="what a patient with a warning sign is told to do (one line, at most 300 "
        'characters; default: "Please tell a member of staff now.")',
    )
    parser.add_argument(
        "--on-alert",
        metavar="CMD",
        type=alert_command,
        default=None,
        help="at a warning sign, run CMD with the path of DIR/<id>.alert.json added as its "
        "last argument, without waiting (no shell; a failure goes to stderr)",
    )
    from rls_screen.commands import add_region_option

    add_region_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import importlib
    import os
    import sys
    from pathlib import Path

    from rls_screen.core.crisis import resolve_region
    from rls_screen.core.errors import InputError
    from rls_screen.interop.records import check_folder

    args.region = resolve_region(args.region)  # a wrong code: one line, before anything
    check_folder(Path(args.save_dir))
    served = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
    if not served and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise InputError("the kiosk needs a terminal")
    return importlib.import_module("rls_screen.tui.kiosk").run(args)
