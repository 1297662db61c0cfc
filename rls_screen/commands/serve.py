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

Other web sites cannot use it: every request must name this server in its Host header,
and the questionnaire (its websocket) opens only from this server's own page (its
Origin must be http://<that Host>). Anything else gets 403 Forbidden. The Host names
accepted, always with this server's port:
  - the --host address, and localhost;
  - with a loopback --host (the default): also 127.0.0.1 and [::1];
  - with --host 0.0.0.0 or --host :: (every address of this computer): any IP address,
    so http://192.168.1.5:8000 works from another computer, but no other name;
  - each name given with --allow-host (e.g. the computer's own name on the network).
"""

EPILOG = """\
examples:
  rls-screen serve                 then open http://127.0.0.1:8000
  rls-screen serve --port 8080
  rls-screen serve --host 0.0.0.0 --allow-host clinic-pc.lan
                                   then open http://clinic-pc.lan:8000 or
                                   http://<its IP address>:8000 on another computer
"""


def port_number(text: str) -> int:
    from rls_screen.core.errors import show

    try:
        port = int(text) if len(text) < 10 else -1
    except ValueError:
        raise argparse.ArgumentTypeError(f"{show(text)} is not a port number (1-65535)") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{show(text)} is not a port number (1-65535)")
    return port


def host_name(text: str) -> str:
    from rls_screen.core.errors import show

    if not text.strip() or any(ch.isspace() or not ch.isprintable() for ch in text):
        raise argparse.ArgumentTypeError(
            f"{show(text)} is not an address to listen on (e.g. 127.0.0.1 or localhost)"
        )
    return text


def allowed_host(text: str) -> str:
    from rls_screen.core.errors import show
    from rls_screen.serve import parse_name

    name = parse_name(text)
    if name is None:
        raise argparse.ArgumentTypeError(
            f"{show(text)} is not a host name or IP address (give it without a port,"
            " e.g. clinic-pc.lan)"
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
        "--allow-host",
        type=allowed_host,
        action="append",
        default=[],
        metavar="NAME",
        help="also answer to this host name (as the browser's address bar shows it,"
        " without the port); repeatable",
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
    from rls_screen.core.crisis import resolve_region
    from rls_screen.core.errors import InputError
    from rls_screen.serve import serve

    region = resolve_region(args.region)
    try:
        serve(
            args.host,
            args.port,
            autosave=not args.no_autosave,
            region=region,
            allow_hosts=args.allow_host,
        )
    except OSError as exc:
        # Port in use, address not on this computer, ...: say which, in one line.
        raise InputError(
            f"cannot listen on {args.host} port {args.port} ({exc.strerror or exc})"
        ) from None
    return 0
