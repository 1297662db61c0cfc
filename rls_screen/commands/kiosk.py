"""``rls-screen kiosk``: the questionnaire on a clinic's shared terminal."""

from __future__ import annotations

import argparse
import math

from rls_screen.core.texts import ui


def seconds(text: str) -> float:
    from rls_screen.core.errors import show

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            ui("commands.kiosk.messages.not_seconds", value=show(text))
        ) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(
            ui("commands.kiosk.messages.not_seconds", value=show(text))
        )
    if value < 10:
        raise argparse.ArgumentTypeError(ui("commands.kiosk.messages.too_short", value=text))
    return value


STAFF_MESSAGE_MAX = 300


def staff_message(text: str) -> str:
    """--staff-message: one line of plain text, 1 to 300 characters."""
    import unicodedata

    from rls_screen.core.errors import show

    value = text.strip()
    if not value:
        raise argparse.ArgumentTypeError(ui("commands.kiosk.messages.staff_message_empty"))
    if len(value) > STAFF_MESSAGE_MAX:
        raise argparse.ArgumentTypeError(
            ui(
                "commands.kiosk.messages.staff_message_too_long",
                length=len(value),
                limit=STAFF_MESSAGE_MAX,
            )
        )
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") for ch in value):
        raise argparse.ArgumentTypeError(
            ui("commands.kiosk.messages.staff_message_lines", value=show(value, 40))
        )
    return value


def alert_command(text: str) -> str:
    """--on-alert: a command line, split as a shell would (but run without a shell)."""
    from rls_screen.interop.records import split_command

    try:
        split_command(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            ui("commands.kiosk.messages.on_alert_unreadable", reason=exc)
        ) from None
    return text


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "kiosk",
        help=ui("commands.kiosk.help"),
        description=ui("commands.kiosk.description"),
        epilog=ui("commands.kiosk.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--save-dir",
        metavar="DIR",
        required=True,
        help=ui("commands.kiosk.options.save_dir"),
    )
    parser.add_argument(
        "--no-patient-summary",
        action="store_true",
        help=ui("commands.kiosk.options.no_patient_summary"),
    )
    parser.add_argument(
        "--idle-reset",
        metavar="SECONDS",
        type=seconds,
        default=120.0,
        help=ui("commands.kiosk.options.idle_reset"),
    )
    parser.add_argument(
        "--staff-message",
        metavar="TEXT",
        type=staff_message,
        default=None,
        help=ui("commands.kiosk.options.staff_message"),
    )
    parser.add_argument(
        "--on-alert",
        metavar="CMD",
        type=alert_command,
        default=None,
        help=ui("commands.kiosk.options.on_alert"),
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
    # The bank and the app's own words, checked while staff are there to read one line
    # (exit 2), not in the middle of a patient's walk.
    from rls_screen.core.bank import load_bank
    from rls_screen.core.texts import check_file

    check_file("tui")
    load_bank()
    served = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
    if not served and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise InputError(ui("commands.kiosk.messages.needs_terminal"))
    return importlib.import_module("rls_screen.tui.kiosk").run(args)
