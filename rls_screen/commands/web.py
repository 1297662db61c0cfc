"""``rls-screen web``: the questionnaire as plain web pages (rls_screen/web_form)."""

from __future__ import annotations

import argparse

from rls_screen.core.texts import ui

MAX_SESSIONS_RANGE = range(1, 1001)
IDLE_MINUTES_RANGE = range(1, 241)


def counted(text: str, allowed: range) -> int | None:
    """A whole number typed for an option, if it is in ``allowed``."""
    count = int(text) if text.isascii() and text.isdigit() and len(text) < 6 else 0
    return count if count in allowed else None


def session_count(text: str) -> int:
    from rls_screen.core.errors import show

    count = counted(text, MAX_SESSIONS_RANGE)
    if count is None:
        raise argparse.ArgumentTypeError(
            ui("commands.web.messages.not_a_session_count", value=show(text))
        )
    return count


def idle_minutes(text: str) -> int:
    from rls_screen.core.errors import show

    count = counted(text, IDLE_MINUTES_RANGE)
    if count is None:
        raise argparse.ArgumentTypeError(
            ui("commands.web.messages.not_idle_minutes", value=show(text))
        )
    return count


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from rls_screen.commands import add_region_option
    from rls_screen.commands.kiosk import alert_command, staff_message
    from rls_screen.commands.serve import allowed_host, host_name, port_number

    parser = subparsers.add_parser(
        "web",
        help=ui("commands.web.help"),
        description=ui("commands.web.description"),
        epilog=ui("commands.web.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host", type=host_name, default="127.0.0.1", help=ui("commands.web.options.host")
    )
    parser.add_argument(
        "--port", type=port_number, default=8000, help=ui("commands.web.options.port")
    )
    parser.add_argument(
        "--allow-host",
        type=allowed_host,
        action="append",
        default=[],
        metavar="NAME",
        help=ui("commands.web.options.allow_host"),
    )
    parser.add_argument(
        "--secure-cookie", action="store_true", help=ui("commands.web.options.secure_cookie")
    )
    parser.add_argument(
        "--max-sessions",
        type=session_count,
        default=32,
        metavar="N",
        help=ui("commands.web.options.max_sessions"),
    )
    parser.add_argument(
        "--idle-minutes",
        type=idle_minutes,
        default=30,
        metavar="M",
        help=ui("commands.web.options.idle_minutes"),
    )
    parser.add_argument("--kiosk", action="store_true", help=ui("commands.web.options.kiosk"))
    parser.add_argument("--save-dir", metavar="DIR", help=ui("commands.web.options.save_dir"))
    parser.add_argument(
        "--staff-message",
        metavar="TEXT",
        type=staff_message,
        default=None,
        help=ui("commands.web.options.staff_message"),
    )
    parser.add_argument(
        "--on-alert",
        metavar="CMD",
        type=alert_command,
        default=None,
        help=ui("commands.web.options.on_alert"),
    )
    add_region_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.core.bank import load_bank
    from rls_screen.core.crisis import resolve_region
    from rls_screen.core.errors import InputError
    from rls_screen.web_form.app import serve_web

    region = resolve_region(args.region)
    records = None
    if not args.kiosk and (args.on_alert or args.staff_message):
        raise InputError(ui("commands.web.messages.kiosk_only"))
    if args.kiosk or args.save_dir:
        from pathlib import Path

        from rls_screen.interop.records import check_folder

        if not (args.kiosk and args.save_dir):
            raise InputError(ui("commands.web.messages.kiosk_needs_folder"))
        records = check_folder(Path(args.save_dir))
    bank = load_bank()  # a broken bank is one line and exit 2 before anything listens
    try:
        serve_web(
            args.host,
            args.port,
            bank,
            region,
            allow_hosts=args.allow_host,
            secure_cookie=args.secure_cookie,
            max_sessions=args.max_sessions,
            idle_seconds=args.idle_minutes * 60,
            records=records,
            on_alert=args.on_alert,
            staff_message=args.staff_message,
        )
    except OSError as exc:
        reason = exc.strerror or exc
        raise InputError(
            ui(
                "commands.serve.messages.cannot_listen",
                host=args.host,
                port=args.port,
                reason=reason,
            )
        ) from None
    return 0
