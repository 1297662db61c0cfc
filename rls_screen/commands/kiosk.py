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

Answers in progress are kept in DIR/.in-progress, so if the kiosk stops mid-patient,
starting it again goes on with that patient. Nothing in the kiosk shows what is in DIR.

Patients cannot leave the app: Q (or Ctrl+Q), shown as "Start over", offers to clear
their answers and start again; once their answers are saved it does nothing.
To leave kiosk mode, press Ctrl+X three times within two seconds.
"""

EPILOG = """\
examples:
  rls-screen kiosk --save-dir /srv/intake
  rls-screen kiosk --save-dir ~/intake --no-patient-summary
  rls-screen batch ~/intake --out intake.csv     score what the kiosk saved
"""


def seconds(text: str) -> float:
    from rls_screen.errors import show

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{show(text)} is not a number of seconds") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{show(text)} is not a number of seconds")
    if value < 10:
        raise argparse.ArgumentTypeError(f"{text} is too short; use 10 seconds or more")
    return value


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
        help="after the end, go back to the welcome screen when nobody has touched the "
        "keys for this long (default: 120)",
    )
    from rls_screen.commands import add_region_option

    add_region_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import importlib
    import os
    import sys
    from pathlib import Path

    from rls_screen.crisis import resolve_region
    from rls_screen.errors import InputError
    from rls_screen.kiosk import check_folder

    args.region = resolve_region(args.region)  # a wrong code: one line, before anything
    check_folder(Path(args.save_dir))
    served = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
    if not served and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise InputError("the kiosk needs a terminal")
    return importlib.import_module("rls_screen.tui.kiosk").run(args)
