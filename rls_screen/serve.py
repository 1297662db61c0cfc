"""``rls-screen serve``: the questionnaire in a web browser, through textual-serve.

Each browser tab gets its own ``rls-screen`` process. Pages use only files from this
server (no web fonts or scripts from elsewhere), and the server logs nothing about what
people type.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import shlex
import sys
from pathlib import Path

TITLE = "rls-screen"
TEMPLATES = Path(__file__).with_name("web")

NOT_LOOPBACK_WARNING = (
    "rls-screen: warning: serving on {host}, which other computers may reach. There is "
    "no password and no encryption, and answers are health data. Use this only on a "
    "network you trust. Drafts are not kept in this mode."
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name other than localhost: it may reach anyone
        return False


def app_command(autosave: bool, region: str | None = None) -> str:
    """The command each browser session runs (textual-serve runs it through a shell)."""
    command = f"{shlex.quote(sys.executable)} -m rls_screen"
    if region is not None:  # checked already: two letters, quoted all the same
        command += f" --region {shlex.quote(region)}"
    return command if autosave else f"{command} --no-autosave"


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def make_server(host: str, port: int, autosave: bool, region: str | None = None):
    from textual_serve.server import Server

    class QuietServer(Server):
        """textual-serve's server without its banner and request log, which stops its
        browser sessions at once on Ctrl+C instead of waiting for each tab to close."""

        sessions: set[asyncio.Task] = set()

        async def handle_websocket(self, request):
            task = asyncio.current_task()
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def on_shutdown(self, app) -> None:
            for task in list(self.sessions):
                task.cancel()  # its handler then stops the app process

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format="rls-screen serve: %(message)s")
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app) -> None:
            print(f"Open {self.public_url} in a web browser.", flush=True)
            print("Press Ctrl+C to stop.", flush=True)

    return QuietServer(
        app_command(autosave, region),
        host=host,
        port=port,
        title=TITLE,
        public_url=url_for(host, port),
        templates_path=TEMPLATES,
    )


def serve(host: str, port: int, autosave: bool, region: str | None = None) -> None:
    if not is_loopback(host):
        print(NOT_LOOPBACK_WARNING.format(host=host), file=sys.stderr, flush=True)
        autosave = False  # one draft folder would be shared by everyone who connects
    make_server(host, port, autosave, region).serve()
