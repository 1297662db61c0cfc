"""``rls-screen serve``: the questionnaire in a web browser."""

from __future__ import annotations

import argparse

from rls_screen.core.texts import ui


def port_number(text: str) -> int:
    from rls_screen.core.errors import show

    try:
        port = int(text) if len(text) < 10 else -1
    except ValueError:
        raise argparse.ArgumentTypeError(
            ui("commands.serve.messages.not_a_port", value=show(text))
        ) from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(ui("commands.serve.messages.not_a_port", value=show(text)))
    return port


def host_name(text: str) -> str:
    from rls_screen.core.errors import show

    if not text.strip() or any(ch.isspace() or not ch.isprintable() for ch in text):
        raise argparse.ArgumentTypeError(
            ui("commands.serve.messages.not_an_address", value=show(text))
        )
    return text


def allowed_host(text: str) -> str:
    from rls_screen.core.errors import show
    from rls_screen.serve import parse_name

    name = parse_name(text)
    if name is None:
        raise argparse.ArgumentTypeError(
            ui("commands.serve.messages.not_a_host_name", value=show(text))
        )
    return text


def session_count(text: str) -> int:
    from rls_screen.core.errors import show
    from rls_screen.serve import SESSIONS_RANGE

    count = int(text) if text.isascii() and text.isdigit() and len(text) < 4 else 0
    if count not in SESSIONS_RANGE:
        raise argparse.ArgumentTypeError(
            ui("commands.serve.messages.not_a_session_count", value=show(text))
        )
    return count


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from rls_screen.serve import MAX_SESSIONS

    parser = subparsers.add_parser(
        "serve",
        help=ui("commands.serve.help"),
        description=ui("commands.serve.description"),
        epilog=ui("commands.serve.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host",
        type=host_name,
        default="127.0.0.1",
        help=ui("commands.serve.options.host"),
    )
    parser.add_argument(
        "--port", type=port_number, default=8000, help=ui("commands.serve.options.port")
    )
    parser.add_argument(
        "--allow-host",
        type=allowed_host,
        action="append",
        default=[],
        metavar="NAME",
        help=ui("commands.serve.options.allow_host"),
    )
    parser.add_argument(
        "--max-sessions",
        type=session_count,
        default=MAX_SESSIONS,
        metavar="N",
        help=ui("commands.serve.options.max_sessions"),
    )
    parser.add_argument(
        "--no-autosave",
        action="store_true",
        help=ui("commands.serve.options.no_autosave"),
    )
    from rls_screen.commands import add_region_option

    add_region_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.core.crisis import resolve_region
    from rls_screen.core.errors import InputError
    from rls_screen.serve import serve

    region = resolve_region(args.region)
    # The bank every session reads, checked once here: a broken one is one line and
    # exit 2 before anything listens, not a crash report in each browser tab.
    from rls_screen.core.bank import load_bank

    load_bank()
    try:
        serve(
            args.host,
            args.port,
            autosave=not args.no_autosave,
            region=region,
            allow_hosts=args.allow_host,
            max_sessions=args.max_sessions,
        )
    except OSError as exc:
        # Port in use, address not on this computer, ...: say which, in one line.
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
