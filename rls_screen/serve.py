"""``rls-screen serve``: the questionnaire in a web browser, through textual-serve.

Each browser tab gets its own ``rls-screen`` process. Pages use only files from this
server (no web fonts or scripts from elsewhere), and the server logs nothing about what
people type.

Who may talk to the server (checked on every request, before any app process starts):

* The ``Host`` header must name this server: see :class:`HostPolicy`. Any other name is
  refused with 403, which closes DNS rebinding (a site whose name is made to point at
  127.0.0.1 still sends its own name as the Host).
* A websocket handshake must come from the server's own page: its ``Origin`` must be
  ``http://<Host>``. A missing Origin or ``Origin: null`` is refused with 403, which
  closes cross-site websocket hijacking (another site open in the same browser starting
  a session, resuming the draft and reading the answers).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import re
import shlex
import signal
import socket
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from aiohttp.typedefs import Handler

TITLE = "rls-screen"
TEMPLATES = Path(__file__).with_name("web")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name other than localhost: it may reach anyone
        return False


def is_wildcard(host: str) -> bool:
    """0.0.0.0 or :: (every address of this computer)."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def app_command(autosave: bool, region: str | None = None) -> str:
    """The command each browser session runs (textual-serve runs it through a shell;
    ``exec``: the app is then the shell's own process, so stopping it stops the app)."""
    command = f"{shlex.quote(sys.executable)} -m rls_screen"
    if sys.platform != "win32":
        command = f"exec {command}"
    if region is not None:  # checked already: two letters, quoted all the same
        command += f" --region {shlex.quote(region)}"
    return command if autosave else f"{command} --no-autosave"


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


# --- Host and Origin ----------------------------------------------------------------

_NAME = re.compile(r"[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?")
_PORT = re.compile(r"[0-9]{1,5}")


def parse_name(text: str) -> IPAddress | str | None:
    """A host as an address object, or a lower-case DNS name; None if it is neither.
    IPv6 literals may come with or without brackets; no zone (``%eth0``)."""
    text = text.lower()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
        try:
            return ipaddress.IPv6Address(text) if "%" not in text else None
        except ValueError:
            return None
    if ":" in text:
        try:
            return ipaddress.IPv6Address(text) if "%" not in text else None
        except ValueError:
            return None
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        pass
    return text if _NAME.fullmatch(text) and not text.replace(".", "").isdigit() else None


def parse_authority(text: str) -> tuple[IPAddress | str, int] | None:
    """``host[:port]`` as a browser sends it in ``Host`` (or after ``http://`` in
    ``Origin``): IPv6 in brackets, port 80 when none is given. None if malformed."""
    port_text: str | None
    if text.startswith("["):  # an IPv6 literal, the only kind with ":" inside
        end = text.find("]")
        if end < 0:
            return None
        host_text, port_text = text[: end + 1], text[end + 1 :]
        if port_text and not port_text.startswith(":"):
            return None
        port_text = port_text[1:] if port_text else None
    else:
        host_text, colon, port_text = text.partition(":")
        port_text = port_text if colon else None
    if port_text is None:
        port = 80
    elif _PORT.fullmatch(port_text) and 1 <= int(port_text) <= 65535:
        port = int(port_text)
    else:
        return None
    host = parse_name(host_text)
    if host is None or (isinstance(host, ipaddress.IPv6Address) != host_text.startswith("[")):
        return None
    return host, port


@dataclass
class HostPolicy:
    """Which ``Host`` headers this server answers to; the port must always be its own.

    * the address it listens on (``--host``), and ``localhost``;
    * listening on loopback: also ``127.0.0.1`` and ``[::1]``;
    * listening on 0.0.0.0 or ::: any IP address (whichever of this computer's
      addresses the browser used), but never another DNS name;
    * every name given with ``--allow-host``.
    """

    port: int
    names: set[str] = field(default_factory=set)
    addresses: set[IPAddress] = field(default_factory=set)
    any_address: bool = False

    @classmethod
    def for_server(cls, host: str, port: int, allow_hosts: Iterable[str] = ()) -> HostPolicy:
        policy = cls(port=port, names={"localhost"})
        if is_wildcard(host):
            policy.any_address = True
        if is_loopback(host):
            policy.addresses |= {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}
        for name in [host, *allow_hosts]:
            parsed = parse_name(name)
            if isinstance(parsed, str):
                policy.names.add(parsed)
            elif parsed is not None:
                policy.addresses.add(parsed)
        return policy

    def allows(self, host_header: str | None) -> bool:
        parsed = parse_authority(host_header) if host_header else None
        if parsed is None:
            return False
        host, port = parsed
        if port != self.port:
            return False
        if isinstance(host, str):
            return host in self.names
        if host.version == 6 and host.ipv4_mapped is not None:
            host = host.ipv4_mapped
        return self.any_address or host in self.addresses


def same_origin(origin: str | None, host_header: str) -> bool:
    """Whether a websocket's ``Origin`` is the page's own: ``http://`` + its Host."""
    if not origin or not origin.startswith("http://"):
        return False  # missing, "null", https:// or anything else
    return parse_authority(origin[len("http://") :]) == parse_authority(host_header)


# --- listening ----------------------------------------------------------------------


def bind_sockets(host: str, port: int) -> list[socket.socket]:
    """Bound, listening sockets for ``host`` (every address a name resolves to, as
    aiohttp would). Raises OSError (port in use, address not on this computer, ...)."""
    infos = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE
    )
    sockets: list[socket.socket] = []
    try:
        for family, kind, proto, _, address in dict.fromkeys(infos):
            sock = socket.socket(family, kind, proto)
            sockets.append(sock)
            if sys.platform != "win32":
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                # "::" is every address, IPv4 ones too (dual stack) where the system
                # allows it; any other IPv6 address is that address only.
                both = ipaddress.ip_address(str(address[0]).split("%")[0]).is_unspecified
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if both else 1)
            sock.bind(address)
            sock.listen(128)
            sock.setblocking(False)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


def shown_address(host: str, port: int) -> str:
    """The address to print: a browser on this computer cannot use 0.0.0.0 or ::."""
    if is_wildcard(host):
        return url_for("::1" if ":" in host else "127.0.0.1", port)
    return url_for(host, port)


MAX_COLUMNS = 500
MAX_ROWS = 200
MAX_MESSAGE_BYTES = 64 * 1024  # a paste of text is far smaller; a frame past it is dropped


def terminal_size(width: object, height: object) -> tuple[int, int] | None:
    """A browser's terminal size held to 1..500 columns and 1..200 rows, or None when
    either is not a whole number (a bool, a string, a float, a huge number...)."""
    if type(width) is not int or type(height) is not int:
        return None
    return max(1, min(width, MAX_COLUMNS)), max(1, min(height, MAX_ROWS))


def read_envelope(text: str) -> tuple[str, object] | None:
    """``[type, data]`` from one websocket message of textual-serve's page, or None when
    the message is not one (not JSON, nested too deep, a number too long, not a list of
    a type name and its data)."""
    import json

    if len(text) > MAX_MESSAGE_BYTES:
        return None
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    return envelope[0], envelope[1] if len(envelope) > 1 else None


def clamped_query(width: str, height: str) -> tuple[str, str]:
    """The start size of a session from the page's query, held like ``terminal_size``."""

    def number(text: str, default: int) -> int:
        return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else default

    size = terminal_size(number(width, 80), number(height, 24)) or (80, 24)
    return str(size[0]), str(size[1])


# --- sessions and their drafts -----------------------------------------------------

MAX_SESSIONS = 8  # the default of --max-sessions
SESSIONS_RANGE = range(1, 65)
RETRY_AFTER_SECONDS = 60
TRY_AGAIN_LATER = 1013  # the websocket close code for "try again later"
# How long an app may take to quit once its tab closed (it waits at most 3 s for its
# draft to be written) before it is killed, so that a hung app never holds its place.
QUIT_SECONDS = 10.0
# How long a tab's new connection waits for its own last one (a reload) to end.
RELOAD_WAIT_SECONDS = 5.0
DRAFT_MAX_AGE_SECONDS = 24 * 3600
# While it runs, serve looks for such old folders again at most this often (as a tab
# opens), so a server left running for weeks keeps no abandoned answers either.
SWEEP_SECONDS = 3600.0
_TOKEN = re.compile(r"[0-9a-f]{32}")


def valid_token(text: str) -> bool:
    """A tab's token: exactly 32 lower-case hex digits (the page makes it at random)."""
    return _TOKEN.fullmatch(text) is not None


def private_folder(path: Path) -> Path:
    """``path`` made a folder of ours, owner-only (0700), never through a link. Raises
    OSError when it is a link, anything else than a folder, or another user's."""
    import os
    import stat

    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = os.lstat(path)
    mine = not hasattr(os, "getuid") or found.st_uid == os.getuid()
    if not stat.S_ISDIR(found.st_mode) or not mine:
        import errno

        code = errno.ENOTDIR if mine else errno.EPERM
        raise OSError(code, os.strerror(code))
    if stat.S_IMODE(found.st_mode) != 0o700:
        os.chmod(path, 0o700, follow_symlinks=False)
    return path


def newest_change(folder: str) -> float:
    """The newest modification time of a folder and of what is in it (links not followed)."""
    import os

    newest = os.lstat(folder).st_mtime
    for top, folders, files in os.walk(folder):
        for name in folders + files:
            with contextlib.suppress(OSError):
                newest = max(newest, os.lstat(os.path.join(top, name)).st_mtime)
    return newest


def remove_old_drafts(root: Path, now: float | None = None, keep: Iterable[str] = ()) -> int:
    """Remove each tab's folder in ``root`` in which nothing changed for a day (a person
    who closed the tab and never came back), but those of the tokens in ``keep`` (tabs
    open now). Only folders named like a token; returns how many were removed."""
    import os
    import shutil

    limit = (time.time() if now is None else now) - DRAFT_MAX_AGE_SECONDS
    kept = set(keep)
    removed = 0
    with os.scandir(root) as entries:
        for entry in entries:
            if not valid_token(entry.name) or not entry.is_dir(follow_symlinks=False):
                continue
            if entry.name in kept:
                continue
            try:
                if newest_change(entry.path) < limit:
                    shutil.rmtree(entry.path)  # never follows a link inside
                    removed += 1
            except OSError:
                continue  # removed meanwhile, or not ours to remove: left as it is
    return removed


def drafts_root() -> Path:
    """serve's private root for the tabs' drafts, made owner-only; old drafts removed."""
    from rls_screen.core.locations import serve_drafts_root

    root = private_folder(serve_drafts_root())
    remove_old_drafts(root)
    return root


class Serving(Protocol):
    """What make_server gives: a server to run on sockets already bound."""

    def run(self, sockets: list[socket.socket]) -> None: ...


def make_server(
    host: str,
    port: int,
    autosave: bool,
    region: str | None = None,
    allow_hosts: Iterable[str] = (),
    max_sessions: int = MAX_SESSIONS,
    drafts: Path | None = None,
) -> Serving:
    """The server. ``drafts``: the private root of the tabs' draft folders (None: no
    drafts are kept, as with --no-autosave)."""
    import aiohttp_jinja2
    from aiohttp import WSMsgType, hdrs, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    from rls_screen.core.locations import DRAFT_DIR_VARIABLE

    log = logging.getLogger("rls_screen.serve")

    policy = HostPolicy.for_server(host, port, allow_hosts)
    refused_host = ui("serve.refused.host")
    refused_origin = ui("serve.refused.origin")
    busy_texts = {
        "language": ui("serve.page.language"),
        "title": ui("serve.busy.title"),
        "message": ui("serve.busy.message"),
        "again": ui("serve.busy.again"),
        "retry_seconds": RETRY_AFTER_SECONDS,
    }
    # A close reason is at most 123 bytes: cut on a whole character.
    busy_reason = ui("serve.busy.title").encode()[:120].decode(errors="ignore").encode()
    page_texts = {
        "language": ui("serve.page.language"),
        "closed": ui("serve.page.closed"),
        "start_again": ui("serve.page.start_again"),
        "busy": ui("serve.busy.message"),
    }

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        """Refuse a foreign Host on every request, and a websocket handshake that is
        not from this server's own page, before any handler (or app process) runs."""
        host_header = request.headers.get(hdrs.HOST)
        if host_header is None or not policy.allows(host_header):
            return web.Response(status=403, text=refused_host)
        target = request.url  # an absolute-form target must name an allowed host too
        if request.raw_path.lower().startswith(("http:", "https:")) and not policy.allows(
            target.raw_authority
        ):
            return web.Response(status=403, text=refused_host)
        route = request.match_info.route
        upgrade = request.headers.get(hdrs.UPGRADE, "").lower()
        is_websocket = route.name in ("websocket", "session") or "websocket" in upgrade
        if is_websocket and not same_origin(request.headers.get(hdrs.ORIGIN), host_header):
            return web.Response(status=403, text=refused_origin)
        return await handler(request)

    class TabApp(AppService):
        """One tab's app process, with that tab's own drafts folder (or none)."""

        def __init__(self, *args: Any, draft_dir: Path | None, **kwargs: Any) -> None:
            # The rest as textual-serve's AppService takes them (its own types).
            super().__init__(*args, **kwargs)
            self.draft_dir = draft_dir

        async def run(self) -> None:
            """textual-serve's reading of the app's output; once the app has ended,
            whatever the reason (a crash too), its tab's session ends and frees its
            place (textual-serve waited for the tab to close)."""
            try:
                await super().run()
            finally:
                with contextlib.suppress(Exception):
                    await self.remote_close()

        async def stop(self) -> None:
            """textual-serve's stop (ask the app to quit, wait for it), but an app that
            has not ended after QUIT_SECONDS is killed."""
            stopping = asyncio.ensure_future(super().stop())
            done, _ = await asyncio.wait({stopping}, timeout=QUIT_SECONDS)
            process = self._process
            if not done and process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
            await stopping

        def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
            environment = super()._build_environment(width, height)
            environment.pop(DRAFT_DIR_VARIABLE, None)  # never one from the server's shell
            if self.draft_dir is not None:
                environment[DRAFT_DIR_VARIABLE] = str(self.draft_dir)
            return environment

    class QuietServer(Server):
        """textual-serve's server without its banner and request log, which refuses
        requests from other sites, builds its page's addresses from the Host the
        browser used, holds the number of sessions to --max-sessions, gives each tab
        its own drafts folder, and stops its browser sessions at once on Ctrl+C instead
        of waiting for each tab to close."""

        sessions: set[asyncio.Task[object]] = set()
        # The session task of each tab's token that is open now.
        tabs: dict[str, asyncio.Task[object]] = {}

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.insert(0, guard)
            app.router.add_get("/ws/{token}", self.handle_websocket, name="session")
            return app

        # When old drafts were last looked for (serve's start: drafts_root()).
        swept = time.monotonic()

        def sweep(self) -> None:
            """Old tabs' folders removed (but open tabs'), at most every SWEEP_SECONDS."""
            if drafts is None or time.monotonic() - self.swept < SWEEP_SECONDS:
                return
            self.swept = time.monotonic()
            with contextlib.suppress(OSError):
                remove_old_drafts(drafts, keep=self.tabs)

        # Sessions whose tab or app has closed, while their app process ends.
        ending: set[asyncio.Task[object]] = set()
        place_freed: asyncio.Event | None = None

        def full(self) -> bool:
            return len(self.sessions) >= max_sessions

        async def no_place(self) -> bool:
            """Whether every place is in use; when one is about to be freed (its tab
            closed, its app ending), this waits for it, a few seconds at most."""
            loop = asyncio.get_running_loop()
            deadline = loop.time() + RELOAD_WAIT_SECONDS
            while self.full() and self.ending and (left := deadline - loop.time()) > 0:
                if self.place_freed is None:
                    self.place_freed = asyncio.Event()
                self.place_freed.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.place_freed.wait(), left)
            return self.full()

        def free_place(self, task: asyncio.Task[object]) -> None:
            self.sessions.discard(task)
            self.ending.discard(task)
            if self.place_freed is not None:
                self.place_freed.set()

        def busy_page(self, request: web.Request) -> web.Response:
            """503 with a small page that needs no script: every place is in use."""
            response = aiohttp_jinja2.render_template(
                "busy.html", request, {"texts": busy_texts}, status=503
            )
            response.headers[hdrs.RETRY_AFTER] = str(RETRY_AFTER_SECONDS)
            response.headers[hdrs.CACHE_CONTROL] = "no-store"
            return response

        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict[str, Any] | web.Response:
            if await self.no_place():
                return self.busy_page(request)
            # The page's own origin: the Host the browser used (already checked), so
            # the websocket's Origin matches and --host 0.0.0.0 works from elsewhere.
            # Never request.host: for an absolute-form target it is the URL's authority.
            checked = request.headers[hdrs.HOST]
            origin = f"http://{checked}"
            font_size = request.query.get("fontsize", "16")
            return {
                "font_size": int(font_size) if font_size.isdigit() and len(font_size) < 4 else 16,
                "app_websocket_url": f"ws://{checked}/ws",
                "config": {"static": {"url": f"{origin}/static/"}},
                "application": {"name": self.title},
                "texts": page_texts,  # escaped by the template (autoescape)
            }

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """A tab's session, at ``/ws/<its token>``: refused (one line on the
            console) without a good token; closed with 1013 before any app process
            starts when every place is in use; else its app runs with the tab's own
            drafts folder until the tab or the app closes, which frees the place."""
            token = request.match_info.get("token", "")
            if not valid_token(token):
                log.warning(ui("serve.terminal.bad_token"))
                raise web.HTTPBadRequest(text=ui("serve.refused.token"))
            task = asyncio.current_task()
            assert task is not None  # aiohttp runs each request handler in a task
            before = self.tabs.get(token)
            if before is not None:  # a reload: its last connection is ending
                await asyncio.wait({before}, timeout=RELOAD_WAIT_SECONDS)
            if await self.no_place():
                websocket = web.WebSocketResponse()
                await websocket.prepare(request)
                await websocket.close(code=TRY_AGAIN_LATER, message=busy_reason)
                return websocket
            self.sessions.add(task)  # no await since no_place(): no two take the last one
            self.tabs[token] = task
            self.sweep()
            try:
                return await self.run_session(request, token)
            finally:
                self.free_place(task)
                if self.tabs.get(token) is task:
                    del self.tabs[token]

        async def run_session(self, request: web.Request, token: str) -> web.WebSocketResponse:
            """textual-serve's session, with the size held and the tab's drafts folder;
            an error is one line on the console, never a traceback."""
            width, height = clamped_query(
                request.query.get("width", "80"), request.query.get("height", "24")
            )
            websocket = web.WebSocketResponse(heartbeat=15)
            await websocket.prepare(request)
            app_service: TabApp | None = None
            try:
                folder = private_folder(drafts / token) if drafts is not None else None
                app_service = TabApp(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=False,
                    draft_dir=folder,
                )
                await app_service.start(int(width), int(height))
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    task = asyncio.current_task()
                    if task is not None:
                        self.ending.add(task)  # its place is free once the app has ended
                    await app_service.stop()
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.warning(ui("serve.terminal.session_failed", reason=type(error).__name__))
                await websocket.close()
            finally:
                if app_service is not None:
                    await app_service.stop()
                if drafts is not None:  # an empty folder: the questionnaire ended
                    with contextlib.suppress(OSError):
                        (drafts / token).rmdir()
            return websocket

        async def _process_messages(
            self, websocket: web.WebSocketResponse, app_service: AppService
        ) -> None:
            """textual-serve's loop, but a message that is not what its page sends is
            dropped (one line on the console per session, never a traceback), and a
            size is held to 500x200 before it reaches the app."""
            warned = False
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                envelope = read_envelope(message.data)
                kind, data = envelope if envelope else ("", None)
                if kind == "stdin" and isinstance(data, str) and len(data) <= MAX_MESSAGE_BYTES:
                    await app_service.send_bytes(data.encode("utf-8", "replace"))
                elif kind == "resize" and isinstance(data, dict):
                    size = terminal_size(data.get("width"), data.get("height"))
                    if size is None:
                        envelope = None
                    else:
                        await app_service.set_terminal_size(*size)
                elif kind == "ping" and isinstance(data, str | int | float | None):
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await app_service.blur()
                elif kind == "focus":
                    await app_service.focus()
                else:
                    envelope = None
                if envelope is None and not warned:
                    warned = True
                    logging.getLogger("rls_screen.serve").warning(ui("serve.terminal.bad_message"))

        async def on_shutdown(self, app: web.Application) -> None:
            for task in list(self.sessions):
                task.cancel()  # its handler then stops the app process

        async def on_startup(self, app: web.Application) -> None:
            pass  # "Open ..." is printed once the sockets listen: see run()

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format=ui("serve.terminal.log_line"))
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        def run(self, sockets: list[socket.socket]) -> None:
            """Serve on sockets already bound, until SIGINT or SIGTERM."""
            self.initialize_logging()
            asyncio.run(self._run(sockets))

        async def _run(self, sockets: list[socket.socket]) -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):  # Windows
                    loop.add_signal_handler(signum, stop.set)
            runner = web.AppRunner(await self._make_app(), handle_signals=False, access_log=None)
            await runner.setup()
            try:
                for sock in sockets:
                    await web.SockSite(runner, sock).start()
                print(ui("serve.terminal.open", address=self.public_url), flush=True)
                if is_wildcard(host):
                    print(ui("serve.terminal.other_computers", port=port), flush=True)
                print(ui("serve.terminal.stop"), flush=True)
                await stop.wait()
            finally:
                await runner.cleanup()

    return QuietServer(
        app_command(autosave, region),
        host=host,
        port=port,
        title=TITLE,
        public_url=shown_address(host, port),
        templates_path=TEMPLATES,
    )


def serve(
    host: str,
    port: int,
    autosave: bool,
    region: str | None = None,
    allow_hosts: Iterable[str] = (),
    max_sessions: int = MAX_SESSIONS,
) -> None:
    """Serve until Ctrl+C. A failed bind raises OSError before anything is printed; a
    drafts folder that cannot be made raises InputError (one line)."""
    sockets = bind_sockets(host, port)
    try:
        if not is_loopback(host):
            print(ui("serve.terminal.not_loopback", host=host), file=sys.stderr, flush=True)
            autosave = False  # one draft folder would be shared by everyone who connects
        drafts = None
        if autosave:
            try:
                drafts = drafts_root()
            except OSError as exc:
                from rls_screen.core.errors import InputError
                from rls_screen.core.locations import serve_drafts_root

                raise InputError(
                    ui(
                        "serve.terminal.no_drafts_folder",
                        path=serve_drafts_root(),
                        reason=exc.strerror or exc,
                    )
                ) from None
        make_server(host, port, autosave, region, allow_hosts, max_sessions, drafts).run(sockets)
    finally:
        for sock in sockets:
            sock.close()
