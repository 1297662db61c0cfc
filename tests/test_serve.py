"""``rls-screen serve``: the questionnaire in a real browser (headless Chromium).

The test drives Chromium through its DevTools protocol: it opens the served page,
watches what the server sends to the terminal in the page, and presses Enter like a
person would. The app draws into a canvas, so what it draws is read from the
websocket frames the page receives.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
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


def wait_for_line(stream, pattern: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        if re.search(pattern, line):
            return line
    raise AssertionError(f"never printed {pattern!r}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = wait_for_line(proc.stdout, r"Open http://127\.0\.0\.1:\d+ in a web browser", 30)
        yield re.search(r"http://\S+", line).group(0)
    finally:
        stop(proc)


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
        line = wait_for_line(proc.stderr, r"DevTools listening on ws://", 60)
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
            raise AssertionError(f"the page never showed {words!r}") from None

    async def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            await self.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )

    async def press_enter(self) -> None:
        await self.press("Enter", "Enter", 13, "\r")

    async def press_letter(self, letter: str) -> None:
        await self.press(letter, f"Key{letter.upper()}", ord(letter.upper()), letter)

    async def press(self, key: str, code: str, key_code: int, text: str) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent",
                type=kind,
                key=key,
                code=code,
                windowsVirtualKeyCode=key_code,
                text=text if kind == "keyDown" else "",
            )

    async def new_view(self, words: str, timeout: float = 30) -> None:
        """Wait until the app draws ``words`` after this call, forgetting what was drawn."""
        self.screen = b""
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
    from rls_screen.bank import load_bank
    from rls_screen.walkthrough import Walkthrough

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    skips = len(Walkthrough(load_bank()).shown_items())  # every question left unanswered

    async def check(page: Page) -> None:
        await page.wait_for("This is not a diagnosis")
        await page.click(5, 5)
        await page.press_enter()
        await page.wait_for("Question 1 of about")
        for number in range(1, skips + 1):
            await page.new_view(f"Question {number} of about")
            await page.press_letter("s")  # skip
        await page.new_view("See my summary")  # the review
        await page.press_letter("s")
        await page.new_view("Your restless legs summary")
        await page.press_letter("s")
        await page.new_view("File name:")  # the save dialog asks only for a name here
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


def test_other_addresses_warn_about_health_data() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rls_screen", "serve", "--host", "192.0.2.1", "--port", "9"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "no password and no encryption" in result.stderr
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip().splitlines()[-1].startswith("rls-screen: cannot listen on 192.0.2.1")
    )


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
    assert result.stderr.count("\n") == 1
    assert f"cannot listen on 127.0.0.1 port {port}" in result.stderr


def test_a_bad_port_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rls_screen", "serve", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "not a port number (1-65535)" in result.stderr
