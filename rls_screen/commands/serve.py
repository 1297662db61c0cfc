"""``rls-screen serve``: the questionnaire in a web browser."""

from __future__ import annotations

import argparse

HELP = "run the questionnaire in a web browser"
DESCRIPTION = """\
Serve the questionnaire to a web browser on this computer. Open the address it prints;
each browser tab gets its own questionnaire. At the end, saving a summary downloads it
in the browser.

By default only this computer can connect (127.0.0.1). Binding any other address prints
a warning: there is no password and no encryption, and answers are health data.
Stop the server with Ctrl+C.
"""

EPILOG = """\
examples:
  rls-screen serve                 then open http://127.0.0.1:8000
  rls-screen serve --port 8080
"""


def port_number(text: str) -> int:
    from rls_screen.errors import show

    try:
        port = int(text) if len(text) < 10 else -1
    except ValueError:
        raise argparse.ArgumentTypeError(f"{show(text)} is not a port number (1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{show(text)} is not a port number (1-65535)")
    return port


def host_name(text: str) -> str:
    from rls_screen.errors import show

    if not text.strip() or any(ch.isspace() or not ch.isprintable() for ch in text):
        raise argparse.ArgumentTypeError(
            f"{show(text)} is not an address to listen on (e.g. 127.0.0.1 or localhost)"
        )
    return text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help=HELP,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host",
        type=host_name,
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    parser.add_argument(
        "--port", type=port_number, default=8000, help="port to listen on (default: 8000)"
    )
    parser.add_argument(
        "--no-autosave",
        action="store_true",
        help="do not keep drafts of answers in progress (always off for other addresses)",
    )
    from rls_screen.commands import add_region_option

    add_region_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.crisis import resolve_region
    from rls_screen.errors import InputError
    from rls_screen.serve import serve

    region = resolve_region(args.region)
    try:
        serve(args.host, args.port, autosave=not args.no_autosave, region=region)
    except OSError as exc:
        # Port in use, address not on this computer, ...: say which, in one line.
        raise InputError(
            f"cannot listen on {args.host} port {args.port} ({exc.strerror or exc})"
        ) from None
    return 0
