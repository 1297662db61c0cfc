"""``rls-screen serve``: the questionnaire in a real browser (headless Chromium).

The test drives Chromium through its DevTools protocol: it opens the served page,
watches what the server sends to the terminal in the page, and presses Enter like a
person would. The app draws into a canvas, so what it draws is read from the
websocket frames the page receives.

The other tests check who may use the server: a websocket handshake from another site
(a foreign ``Origin``, ``Origin: null``, none at all) or naming another host (``Host:
evil.example``, DNS rebinding) gets 403 and starts no app process. They talk to
127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def lines_of(stream) -> queue.Queue:
    """The lines of a pipe as they come, read by a thread (None at the end), so that
    waiting for one can give up at a deadline even if the process prints nothing."""
    lines: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for_line(lines: queue.Queue, pattern: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line is None:
            break
        if re.search(pattern, line):
            return line
    raise AssertionError(f"never printed {pattern!r}")


@dataclass
class Served:
    url: str
    port: int
    proc: subprocess.Popen
    stderr: queue.Queue  # its lines, drained as they come


def start_server(tmp_path: Path, *options: str) -> Served:
    """``rls-screen serve`` on a free port of 127.0.0.1, ready: it prints "Open ..." only
    once it listens, so the first connection must succeed (no retrying)."""
    port = free_port()
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "serve", "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = wait_for_line(
            lines_of(proc.stdout), r"Open http://127\.0\.0\.1:\d+ in a web browser", 30
        )
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except BaseException:
        stop(proc)
        raise
    return Served(re.search(r"http://\S+", line).group(0), port, proc, lines_of(proc.stderr))


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    served = start_server(tmp_path)
    try:
        yield served
    finally:
        stop(served.proc)


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the tests whose requests are refused and start nothing (17 of
    them): none changes it, and each checks that it still has no app process."""
    served = start_server(tmp_path_factory.mktemp("refusing"))
    try:
        yield served
    finally:
        stop(served.proc)


@pytest.fixture
def server(served: Served) -> str:
    return served.url


@pytest.fixture
def devtools(tmp_path: Path) -> Iterator[str]:
    """A headless Chromium; yields the DevTools address of its page."""
    assert CHROMIUM, "chromium is not installed"
    proc = subprocess.Popen(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--no-first-run",
            "--remote-debugging-port=0",
            f"--user-data-dir={tmp_path / 'chromium'}",
            "--window-size=1024,768",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = wait_for_line(lines_of(proc.stderr), r"DevTools listening on ws://", 60)
        yield re.search(r"ws://[^/]+", line).group(0).replace("ws://", "http://")
    finally:
        stop(proc)


class Page:
    """One Chromium tab, over the DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0
        self.screen = b""  # everything the app has sent to the page's terminal

    async def call(self, method: str, **params) -> dict:
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            message = await self.receive()
            if message.get("id") == self.next_id:
                return message

    async def receive(self) -> dict:
        message = json.loads((await self.ws.receive()).data)
        if message.get("method") == "Network.webSocketFrameReceived":
            response = message["params"]["response"]
            if response["opcode"] == 2:  # binary: textual-serve's packets of app output
                self.screen += base64.b64decode(response["payloadData"])
        return message

    def text(self) -> str:
        return ESCAPES.sub(b"", self.screen).decode("utf-8", "replace")

    async def wait_for(self, words: str, timeout: float = 30) -> None:
        async def until_seen() -> None:
            while words not in self.text():
                await self.receive()

        try:
            await asyncio.wait_for(until_seen(), timeout)
        except TimeoutError:
            shown = " ".join(self.text().split())[-600:]
            raise AssertionError(
                f"the page never showed {words!r}; it last showed: {shown}"
            ) from None

    async def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def press_enter(self) -> None:
        await self.press("Enter", "Enter", 13, "\r")

    async def press_letter(self, letter: str) -> None:
        await self.press(letter, f"Key{letter.upper()}", ord(letter.upper()), letter)

    async def press_ctrl_letter(self, letter: str) -> None:
        control = chr(ord(letter.upper()) - 64)  # what the terminal sends for Ctrl+letter
        await self.press(letter, f"Key{letter.upper()}", ord(letter.upper()), control, 2)

    async def press(
        self, key: str, code: str, key_code: int, text: str, modifiers: int = 0
    ) -> None:
        self.screen = b""  # what the key brings is drawn from here on (new_view)
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=code,
                windowsVirtualKeyCode=key_code,
                modifiers=modifiers,
                text=text if kind == "keyDown" else "",
            )

    async def new_view(self, words: str, timeout: float = 30) -> None:
        """Wait until the app has drawn ``words`` since the last key was pressed. (Not
        since this call: what the key brought may have come in while it was sent, and
        the app draws it once.)"""
        await self.wait_for(words, timeout)


async def open_page(devtools: str, url: str, check, downloads: Path | None = None) -> None:
    """Open ``url`` in the browser's tab and run ``check(page)``; with ``downloads``, the
    browser saves downloads there without asking (for as long as this session lasts)."""
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{devtools}/json/version") as response:
            browser_url = (await response.json())["webSocketDebuggerUrl"]
        browser = await session.ws_connect(browser_url, max_msg_size=0)
        if downloads is not None:
            await Page(browser).call(
                "Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads)
            )
        async with session.get(f"{devtools}/json/list") as response:
            targets = await response.json()
        page_url = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
        async with session.ws_connect(page_url, max_msg_size=0) as ws:
            page = Page(ws)
            await page.call("Network.enable")
            await page.call("Page.enable")
            await page.call("Page.navigate", url=url)
            await check(page)
        await browser.close()


def test_the_browser_reaches_the_welcome_screen_and_starts(server: str, devtools: str) -> None:
    async def check(page: Page) -> None:
        await page.wait_for("This is not a diagnosis")
        await page.click(5, 5)  # into the terminal, where no button is, to give it the keys
        await page.press_enter()
        await page.wait_for("Question 1 of about")

    asyncio.run(open_page(devtools, server, check))


def test_saving_the_summary_downloads_it_in_the_browser(
    server: str, devtools: str, tmp_path: Path
) -> None:
    from rls_screen.core.bank import load_bank
    from rls_screen.core.walk import Walkthrough

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    # Every question left unanswered: s skips a choice; a text box takes s as a letter,
    # so Enter on its empty box leaves it unanswered.
    kinds = [item.kind for item in Walkthrough(load_bank()).shown_items()]
    skips = len(kinds)

    async def check(page: Page) -> None:
        await page.wait_for("This is not a diagnosis")
        await page.click(5, 5)
        await page.press_enter()
        await page.wait_for("Question 1 of about")
        for number in range(1, skips + 1):
            await page.new_view(f"Question {number} of about")
            if kinds[number - 1] == "text":
                await page.press_enter()
            else:
                await page.press_letter("s")  # skip
        await page.new_view("View my summary")  # the review
        await page.press_letter("v")
        await page.new_view("Your restless legs summary")
        await page.press_ctrl_letter("s")  # save
        await page.new_view("File name")  # the save dialog asks only for a name here
        await page.press_enter()
        await page.new_view("Your browser is downloading")
        for _ in range(100):
            done = [p for p in downloads.iterdir() if not p.name.endswith(".crdownload")]
            if done:
                break
            await asyncio.sleep(0.1)

    asyncio.run(open_page(devtools, server, check, downloads))
    saved = list(downloads.iterdir())
    assert len(saved) == 1, saved
    assert saved[0].suffix == ".md"
    assert "This is not a diagnosis" in saved[0].read_text()
    # The browser has the file; the server's computer keeps no copy.
    home = tmp_path
    assert not [p for p in home.rglob("*.md") if downloads not in p.parents]


def test_the_page_loads_nothing_from_other_servers(server: str) -> None:
    import urllib.request

    with urllib.request.urlopen(server, timeout=10) as response:
        html = response.read().decode()
    addresses = re.findall(r"""(?:src|href)=["']([^"']+)""", html)
    addresses += re.findall(r"""url\(["']?([^"')]+)""", html)
    assert addresses, "the page links its script and style"
    assert all(a.startswith(server + "/") for a in addresses), addresses


def test_a_failed_bind_on_another_address_is_one_line_and_status_2() -> None:
    # 192.0.2.1 (TEST-NET-1) is on no computer: binding fails, nothing is sent anywhere.
    result = subprocess.run(
        [sys.executable, "-m", "rls_screen", "serve", "--host", "192.0.2.1", "--port", "9"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""  # no "Open ..." for a server that never listened
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("rls-screen: cannot listen on 192.0.2.1 port 9 (")


def test_other_addresses_warn_about_health_data_once_bound(monkeypatch, capsys) -> None:
    """The warning comes after the bind (so a failed bind is one line) and turns drafts
    off. In-process, with the bind and the server replaced: nothing listens on 0.0.0.0."""
    import rls_screen.serve as serve_module

    events: list[str] = []

    def fake_bind(host: str, port: int) -> list:
        events.append(f"bind {host} {port}")
        return []

    class FakeServer:
        def __init__(self, host, port, autosave, region, allow_hosts, *rest) -> None:
            events.append(f"server autosave={autosave} allow={list(allow_hosts)}")

        def run(self, sockets) -> None:
            events.append("run")

    monkeypatch.setattr(serve_module, "bind_sockets", fake_bind)
    monkeypatch.setattr(serve_module, "make_server", FakeServer)
    serve_module.serve("0.0.0.0", 8000, autosave=True, allow_hosts=["clinic.lan"])
    assert events == ["bind 0.0.0.0 8000", "server autosave=False allow=['clinic.lan']", "run"]
    assert "no password and no encryption" in capsys.readouterr().err

    def failing_bind(host: str, port: int) -> list:
        raise OSError(99, "Cannot assign requested address")

    monkeypatch.setattr(serve_module, "bind_sockets", failing_bind)
    with pytest.raises(OSError):
        serve_module.serve("0.0.0.0", 8000, autosave=True)
    assert capsys.readouterr().err == ""


def test_a_port_in_use_is_one_line_and_status_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "rls_screen", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stdout == ""  # "Open ..." only once the server listens
    assert result.stderr.count("\n") == 1
    assert f"cannot listen on 127.0.0.1 port {port}" in result.stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--port", "70000"], "not a port number (1-65535)"),
        (["--host", ""], "not an address to listen on"),
        (["--allow-host", "clinic.lan:8000"], "not a host name or IP address"),
        (["--allow-host", ""], "not a host name or IP address"),
    ],
)
def test_bad_options_are_refused(options: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rls_screen", "serve", *options],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


# --- who may use the server ---------------------------------------------------------


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the app processes a server started)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def tab_token() -> str:
    """A tab's session token, as the page makes one (32 random hex digits)."""
    import secrets

    return secrets.token_hex(16)


async def handshake(port: int, host: str | None = None, origin: str | None = None) -> int:
    """A websocket handshake with 127.0.0.1:``port``, as a browser page at ``origin``
    would make it (no Origin header when None); returns the status (101 if opened)."""
    headers = {"Host": host} if host is not None else {}
    if origin is not None:
        headers["Origin"] = origin
    async with aiohttp.ClientSession() as session:
        try:
            ws = await session.ws_connect(
                f"http://127.0.0.1:{port}/ws/{tab_token()}?width=80&height=24", headers=headers
            )
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
        await ws.close()
        return 101


def get(port: int, path: str, host: str) -> tuple[int, str]:
    async def fetch() -> tuple[int, str]:
        async with aiohttp.ClientSession() as session:
            url = f"http://127.0.0.1:{port}{path}"
            async with session.get(url, headers={"Host": host}) as response:
                return response.status, await response.text(errors="replace")

    return asyncio.run(fetch())


@pytest.mark.parametrize(
    "origin",
    [
        "http://evil.example",
        "null",  # a sandboxed frame, a file:// page, a data: URL
        None,  # no Origin at all: no browser page of ours
        "http://evil.example:{port}",
        "http://127.0.0.1:1",  # another server on this computer
        "https://127.0.0.1:{port}",
        "http://localhost:{port}",  # a different origin from the page's (127.0.0.1)
    ],
)
def test_a_websocket_from_another_page_is_refused_and_starts_nothing(
    refusing: Served, origin: str | None
) -> None:
    served = refusing
    origin = origin.format(port=served.port) if origin else origin
    status = asyncio.run(handshake(served.port, f"127.0.0.1:{served.port}", origin))
    assert status == 403
    assert children(served.proc.pid) == []


@pytest.mark.parametrize(
    "host",
    [
        "evil.example:{port}",  # DNS rebinding: evil.example made to point at 127.0.0.1
        "evil.example",
        "127.0.0.1:1",
        "localhost.evil.example:{port}",
        "192.168.1.5:{port}",  # an address this server does not listen on
        "",
    ],
)
def test_a_websocket_naming_another_host_is_refused_and_starts_nothing(
    refusing: Served, host: str
) -> None:
    served = refusing
    host = host.format(port=served.port)
    # The Origin matches the Host, as it would on the attacker's rebinding page.
    status = asyncio.run(handshake(served.port, host, f"http://{host}"))
    assert status == 403
    assert children(served.proc.pid) == []


@pytest.mark.parametrize("path", ["/", "/static/js/textual.js", "/download/anything", "/nowhere"])
def test_every_request_naming_another_host_is_refused(refusing: Served, path: str) -> None:
    status, text = get(refusing.port, path, f"evil.example:{refusing.port}")
    assert status == 403
    assert "Forbidden" in text
    assert "textual" not in text.lower()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_the_servers_own_page_opens_the_websocket(served: Served, host: str) -> None:
    authority = f"{host}:{served.port}"
    status, html = get(served.port, "/", authority)
    assert status == 200
    # The page's addresses follow the Host the browser used, so its websocket's Origin
    # (the page's own) is the one the server expects.
    assert f'data-session-websocket-url="ws://{authority}/ws"' in html
    assert f"http://{authority}/static/js/textual.js" in html

    async def open_and_see_the_app_start() -> None:
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(
                f"http://127.0.0.1:{served.port}/ws/{tab_token()}?width=80&height=24",
                headers={"Host": authority, "Origin": f"http://{authority}"},
            )
            assert ws._response.status == 101
            deadline = time.monotonic() + 30
            while not children(served.proc.pid):
                assert time.monotonic() < deadline, "no app process started"
                await asyncio.sleep(0.05)
            await ws.close()

    asyncio.run(open_and_see_the_app_start())


def test_allow_host_adds_a_name(tmp_path: Path) -> None:
    served = start_server(tmp_path, "--allow-host", "Clinic-PC.lan")
    try:
        name = f"clinic-pc.lan:{served.port}"
        status, html = get(served.port, "/", name)
        assert status == 200
        assert f'data-session-websocket-url="ws://{name}/ws"' in html
        assert asyncio.run(handshake(served.port, name, f"http://{name}")) == 101
        # Other names are still refused.
        other = f"other-pc.lan:{served.port}"
        assert get(served.port, "/", other)[0] == 403
        assert asyncio.run(handshake(served.port, other, f"http://{other}")) == 403
    finally:
        stop(served.proc)


def test_the_host_rule() -> None:
    from rls_screen.serve import HostPolicy

    loopback = HostPolicy.for_server("127.0.0.1", 8000)
    assert loopback.allows("127.0.0.1:8000")
    assert loopback.allows("localhost:8000")
    assert loopback.allows("[::1]:8000")
    assert not loopback.allows("127.0.0.1:8001")  # another port
    assert not loopback.allows("127.0.0.1")  # port 80
    assert not loopback.allows("192.168.1.5:8000")
    assert not loopback.allows("evil.example:8000")
    assert not loopback.allows("localhost.:8000")
    assert not loopback.allows("::1:8000")  # IPv6 without brackets
    assert not loopback.allows(None)

    on_port_80 = HostPolicy.for_server("127.0.0.1", 80)
    assert on_port_80.allows("127.0.0.1")  # browsers leave out port 80

    everywhere = HostPolicy.for_server("0.0.0.0", 8000, ["clinic-pc.lan"])
    assert everywhere.allows("192.168.1.5:8000")  # any address of this computer
    assert everywhere.allows("[fe80::1]:8000")
    assert everywhere.allows("localhost:8000")
    assert everywhere.allows("CLINIC-PC.LAN:8000")
    assert not everywhere.allows("evil.example:8000")  # never another name: rebinding
    assert not everywhere.allows("192.168.1.5:8001")

    one_address = HostPolicy.for_server("192.168.1.5", 8000)
    assert one_address.allows("192.168.1.5:8000")
    assert not one_address.allows("192.168.1.6:8000")
    assert not one_address.allows("127.0.0.1:8000")  # it does not listen there


def test_the_origin_rule() -> None:
    from rls_screen.serve import same_origin

    assert same_origin("http://127.0.0.1:8000", "127.0.0.1:8000")
    assert same_origin("http://[::1]:8000", "[::1]:8000")
    assert not same_origin("http://127.0.0.1:8000/", "127.0.0.1:8000")
    assert not same_origin("null", "127.0.0.1:8000")
    assert not same_origin(None, "127.0.0.1:8000")
    assert not same_origin("", "127.0.0.1:8000")
    assert not same_origin("https://127.0.0.1:8000", "127.0.0.1:8000")
    assert not same_origin("http://evil.example", "127.0.0.1:8000")
    assert not same_origin("http://localhost:8000", "127.0.0.1:8000")


def test_help_documents_the_host_rule() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rls_screen", "serve", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--allow-host NAME" in text
    assert "403 Forbidden" in text
    assert (
        "with --host 0.0.0.0 or --host :: (every address of this computer): any IP address" in text
    )
    assert "but no other name" in text
