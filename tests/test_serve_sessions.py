"""``rls-screen serve``: sessions are bounded in number (``--max-sessions``), and each
browser tab has its own drafts folder, named by the token its page keeps in
sessionStorage, so a second tab is never offered the first one's answers.

The sessions are opened with aiohttp websocket clients as the page opens them
(``/ws/<token>``, the page's Origin), and the app's screen is read from what the server
sends, as the browser test does. They talk to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from test_serve import (
    ESCAPES,
    Served,
    children,
    start_server,
    stop,
    tab_token,
)
from test_serve import devtools as chromium  # noqa: F401  (a fixture: a headless Chromium)

WAIT = 60  # seconds, at most, for an app to start or draw (a busy 2-core machine)


def drafts_root(tmp_path: Path) -> Path:
    """serve's private root under start_server's XDG_DATA_HOME."""
    return tmp_path / "data" / "rls-screen" / "serve-drafts"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


async def until(check, what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"never: {what}"
        await asyncio.sleep(0.05)


class Tab:
    """One browser tab's session, as its page opens it: ``/ws/<token>``."""

    def __init__(self, session: aiohttp.ClientSession, port: int, token: str) -> None:
        self.session = session
        self.port = port
        self.token = token
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.screen = b""
        self.close_code: int | None = None

    async def open(self, width: int = 200, height: int = 40) -> Tab:
        origin = f"http://127.0.0.1:{self.port}"
        self.ws = await self.session.ws_connect(
            f"{origin}/ws/{self.token}?width={width}&height={height}",
            headers={"Origin": origin},
        )
        return self

    def text(self) -> str:
        return ESCAPES.sub(b"", self.screen).decode("utf-8", "replace")

    async def receive(self) -> bool:
        """One message; False once the server closed the session."""
        assert self.ws is not None
        message = await self.ws.receive()
        if message.type == aiohttp.WSMsgType.BINARY:
            self.screen += message.data
            return True
        if message.type == aiohttp.WSMsgType.TEXT:
            return True
        self.close_code = self.ws.close_code
        return False

    async def wait_for(self, words: str, timeout: float = WAIT) -> None:
        async def seen() -> None:
            while words not in self.text():
                assert await self.receive(), f"closed before showing {words!r}"

        try:
            await asyncio.wait_for(seen(), timeout)
        except TimeoutError:
            shown = " ".join(self.text().split())[-600:]
            raise AssertionError(f"never showed {words!r}; last: {shown}") from None

    async def closed(self, timeout: float = WAIT) -> int | None:
        """Wait until the server closes the session; its close code."""

        async def drain() -> None:
            while await self.receive():
                pass

        await asyncio.wait_for(drain(), timeout)
        return self.close_code

    async def press(self, keys: str) -> None:
        assert self.ws is not None
        self.screen = b""  # what the keys bring is drawn from here on
        await self.ws.send_str(json.dumps(["stdin", keys]))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


@pytest.fixture
def two_places(tmp_path: Path):
    served = start_server(tmp_path, "--max-sessions", "2")
    try:
        yield served
    finally:
        stop(served.proc)


def test_beyond_max_sessions_a_page_is_503_and_a_websocket_1013_and_a_closed_tab_frees_its_place(
    two_places: Served,
) -> None:
    served = two_places
    ours = f"127.0.0.1:{served.port}"

    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            first = await Tab(session, served.port, tab_token()).open()
            second = await Tab(session, served.port, tab_token()).open()
            await until(lambda: len(children(served.proc.pid)) == 2, "two apps started")
            # Every place is in use: a new page is a kind page, with no script.
            async with session.get(f"http://{ours}/") as response:
                assert response.status == 503
                assert response.headers["Retry-After"] == "60"
                page = await response.text()
            assert "All places are in use. Please try again in a minute." in page
            assert "<script" not in page
            assert "textual" not in page.lower()
            # A websocket beyond the bound is closed with 1013 and starts no app.
            third = await Tab(session, served.port, tab_token()).open()
            assert await third.closed() == 1013
            assert len(children(served.proc.pid)) == 2
            # A tab that closes frees its place: the next page and session are served.
            await first.close()
            await until(lambda: len(children(served.proc.pid)) == 1, "the first app ended")
            async with session.get(f"http://{ours}/") as response:
                assert response.status == 200
                assert "data-session-websocket-url" in await response.text()
            fourth = await Tab(session, served.port, tab_token()).open()
            await fourth.wait_for("This is not a diagnosis")
            assert len(children(served.proc.pid)) == 2
            await second.close()
            await fourth.close()

    asyncio.run(check())


def test_an_app_that_quits_frees_its_place_and_its_empty_folder(
    two_places: Served, tmp_path: Path
) -> None:
    served = two_places
    folder = drafts_root(tmp_path) / tab_token()

    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            first = await Tab(session, served.port, folder.name).open()
            second = await Tab(session, served.port, tab_token()).open()
            await first.wait_for("This is not a diagnosis")
            assert folder.is_dir()
            await first.press("\x11")  # Ctrl+Q: the questionnaire quits
            await first.closed()
            async with session.get(f"http://127.0.0.1:{served.port}/") as response:
                assert response.status == 200  # its place is free at once
            assert not folder.exists()  # nothing was answered: nothing is kept
            third = await Tab(session, served.port, tab_token()).open()
            await third.wait_for("This is not a diagnosis")
            await second.close()
            await third.close()

    asyncio.run(check())


def test_two_tabs_keep_two_drafts_and_a_reload_resumes_its_own(tmp_path: Path) -> None:
    from rls_screen.core.answers import load_json

    served = start_server(tmp_path)
    root = drafts_root(tmp_path)
    first_token, second_token = tab_token(), tab_token()
    first_draft = root / first_token / "draft.json"
    second_draft = root / second_token / "draft.json"

    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            first = await Tab(session, served.port, first_token).open()
            await first.wait_for("This is not a diagnosis")
            await first.press("\r")
            await first.wait_for("Question 1 of about")
            await first.press("1")  # answering for myself
            await first.wait_for("Question 2 of about")
            await first.press("1")  # under 18
            await first.wait_for("Question 3 of about")
            drafts = tmp_path / "data"
            await until(lambda: any(drafts.rglob("draft.json")), "the first draft was saved")

            # A second tab, while the first is still open: nothing from the first.
            second = await Tab(session, served.port, second_token).open()
            await second.wait_for("This is not a diagnosis")
            await second.press("\r")  # with the first tab's draft offered, Enter resumes it
            await second.wait_for("Question 1 of about")
            await second.press("1")  # answering for myself
            await second.wait_for("Question 2 of about")
            await second.press("3")  # 45 to 64
            await second.wait_for("Question 3 of about")
            await until(second_draft.exists, "the second tab's draft was saved")
            assert "kept from last time" not in second.text()
            await second.close()

            # The first tab reloads: its page keeps its token, so it gets its own draft.
            await first.close()
            again = await Tab(session, served.port, first_token).open()
            await again.wait_for("You have answers kept from last time (2 answered)")
            await again.close()

            # And the second tab, reloaded, gets its own.
            second_again = await Tab(session, served.port, second_token).open()
            await second_again.wait_for("You have answers kept from last time (2 answered)")
            await second_again.close()

    try:
        asyncio.run(check())
    finally:
        stop(served.proc)
    first_answers = load_json(first_draft.read_text(), "first")["answers"]
    second_answers = load_json(second_draft.read_text(), "second")["answers"]
    assert first_answers["age_group"] == "under_18"
    assert second_answers["age_group"] == "45_64"
    assert not (tmp_path / "data" / "rls-screen" / "draft.json").exists()  # the shared one
    assert mode(root) == 0o700
    assert mode(root / first_token) == mode(root / second_token) == 0o700
    assert mode(first_draft) == mode(second_draft) == 0o600


def test_with_no_autosave_no_drafts_folder_is_made(tmp_path: Path) -> None:
    served = start_server(tmp_path, "--no-autosave")

    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            tab = await Tab(session, served.port, tab_token()).open()
            await tab.wait_for("This is not a diagnosis")
            await tab.close()

    try:
        asyncio.run(check())
    finally:
        stop(served.proc)
    assert not drafts_root(tmp_path).exists()


def with_fake_app(code: str, check, places: int = 1, drafts: Path | None = None) -> None:
    """``check(port)`` against the server of ``make_server``, run in the test's own
    process, whose places run ``python -c code`` as their app."""
    import shlex

    from aiohttp import web
    from test_serve import free_port

    from rls_screen.serve import make_server

    port = free_port()
    server = make_server("127.0.0.1", port, autosave=False, max_sessions=places, drafts=drafts)
    server.command = f"exec {shlex.quote(sys.executable)} -c {shlex.quote(code)}"

    async def run() -> None:
        runner = web.AppRunner(await server._make_app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            await check(port)
        finally:
            await runner.cleanup()
            for pid in children(os.getpid()):  # on a failure: never leave the app behind
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)

    asyncio.run(run())


async def served_again(session: aiohttp.ClientSession, port: int, why: str) -> None:
    """Wait until the page is served again (not 503): the place was freed."""
    deadline = time.monotonic() + WAIT
    while True:
        async with session.get(f"http://127.0.0.1:{port}/") as response:
            if response.status == 200:
                return
        assert time.monotonic() < deadline, why


def test_an_app_that_does_not_quit_is_killed_and_frees_its_place(monkeypatch) -> None:
    """An app that says it is a Textual app, then ignores being told to quit."""
    import rls_screen.serve as serve_module

    monkeypatch.setattr(serve_module, "QUIT_SECONDS", 1.0)

    async def check(port: int) -> None:
        async with aiohttp.ClientSession() as session:
            tab = await Tab(session, port, tab_token()).open()
            await until(lambda: len(children(os.getpid())) == 1, "the app started")
            async with session.get(f"http://127.0.0.1:{port}/") as response:
                assert response.status == 503
            await tab.close()
            await served_again(session, port, "the hung app kept its place")
            await until(lambda: children(os.getpid()) == [], "the hung app was stopped")

    with_fake_app("import time; print('__GANGLION__', flush=True); time.sleep(600)", check)


def test_an_app_that_ends_by_itself_ends_its_tab_and_frees_its_place() -> None:
    """An app that fails at once (a crash at start): the tab is told, the place is free."""

    async def check(port: int) -> None:
        async with aiohttp.ClientSession() as session:
            tab = await Tab(session, port, tab_token()).open()
            await tab.closed(timeout=WAIT)  # the server closed the tab's connection
            await served_again(session, port, "the ended app kept its place")

    with_fake_app("print('__GANGLION__', flush=True); raise SystemExit(1)", check)


def test_a_running_server_removes_old_tabs_folders_but_not_an_open_tabs(
    tmp_path: Path, monkeypatch
) -> None:
    import rls_screen.serve as serve_module

    monkeypatch.setattr(serve_module, "SWEEP_SECONDS", 0.0)  # at every tab that opens
    monkeypatch.setattr(serve_module, "QUIT_SECONDS", 0.5)  # the fake app never quits
    root = tmp_path / "serve-drafts"
    root.mkdir(mode=0o700)
    open_token, left_token = tab_token(), tab_token()
    two_days_ago = time.time() - 2 * 24 * 3600

    def age(folder: Path) -> None:
        for path in [*folder.iterdir(), folder]:
            os.utime(path, (two_days_ago, two_days_ago))

    async def check(port: int) -> None:
        async with aiohttp.ClientSession() as session:
            first = await Tab(session, port, open_token).open()
            await until((root / open_token).is_dir, "the open tab's folder was made")
            (root / open_token / "draft.json").write_text("{}")
            age(root / open_token)  # open a long time, nothing answered lately
            (root / left_token).mkdir()
            (root / left_token / "draft.json").write_text("{}")
            age(root / left_token)  # a tab closed two days ago
            second = await Tab(session, port, tab_token()).open()
            await until(lambda: not (root / left_token).exists(), "the old folder went")
            assert (root / open_token / "draft.json").exists()
            await first.close()
            await second.close()

    with_fake_app(
        "import time; print('__GANGLION__', flush=True); time.sleep(600)",
        check,
        places=2,
        drafts=root,
    )


def test_a_tab_whose_folder_cannot_be_made_is_closed_with_one_line(tmp_path: Path, caplog) -> None:
    root = tmp_path / "serve-drafts"
    root.mkdir(mode=0o700)
    token = tab_token()
    (root / token).write_text("not a folder")

    async def check(port: int) -> None:
        async with aiohttp.ClientSession() as session:
            tab = await Tab(session, port, token).open()
            await tab.closed()
            assert children(os.getpid()) == []  # no app started
            await served_again(session, port, "the failed session kept its place")

    with caplog.at_level("WARNING", logger="rls_screen.serve"):
        with_fake_app("print('__GANGLION__', flush=True)", check, drafts=root)
    lines = [record.getMessage() for record in caplog.records]
    assert lines == ["a browser session stopped because of an error (FileExistsError)."]
    assert not [record for record in caplog.records if record.exc_info]  # no traceback


BAD_TOKENS = [
    "/ws",  # no token: textual-serve's own address
    "/ws/abc",
    "/ws/" + "a" * 31,
    "/ws/" + "a" * 33,
    "/ws/" + "A" * 32,  # upper case: one spelling per folder
    "/ws/" + "g" * 32,
    "/ws/..%2f..%2f" + "a" * 26,
]


def test_a_bad_token_is_refused_with_one_line_and_starts_nothing(tmp_path: Path) -> None:
    served = start_server(tmp_path)
    origin = f"http://127.0.0.1:{served.port}"

    async def connect(path: str) -> int:
        async with aiohttp.ClientSession() as session:
            try:
                ws = await session.ws_connect(f"{origin}{path}", headers={"Origin": origin})
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status
            await ws.close()
            return 101

    try:
        statuses = {path: asyncio.run(connect(path)) for path in BAD_TOKENS}
        assert children(served.proc.pid) == []
    finally:
        stop(served.proc)
    assert statuses == dict.fromkeys(BAD_TOKENS, 400)
    assert list(drafts_root(tmp_path).iterdir()) == []  # no folder made for any
    lines = []
    while (line := served.stderr.get(timeout=10)) is not None:
        lines.append(line)
    refused = "rls-screen serve: a connection without a good session token was refused.\n"
    assert lines == [refused] * len(BAD_TOKENS)  # one line each, no traceback


def test_old_tab_folders_are_removed_at_start_and_the_root_is_owner_only(
    tmp_path: Path,
) -> None:
    root = drafts_root(tmp_path)
    root.mkdir(parents=True, mode=0o755)
    os.chmod(root, 0o755)
    old, fresh = root / tab_token(), root / tab_token()
    for folder in (old, fresh):
        folder.mkdir()
        (folder / "draft.json").write_text("{}")
    not_ours = root / "notes"  # not named like a token: never touched
    not_ours.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (old / "draft.json", old, not_ours):
        os.utime(path, (two_days_ago, two_days_ago))
    served = start_server(tmp_path)
    stop(served.proc)
    assert not old.exists()
    assert (fresh / "draft.json").exists()
    assert not_ours.exists()
    assert mode(root) == 0o700


def test_a_drafts_root_that_is_a_link_is_one_line_and_status_2(tmp_path: Path) -> None:
    from test_serve import free_port

    root = drafts_root(tmp_path)
    root.parent.mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    root.symlink_to(tmp_path / "elsewhere")
    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "rls_screen", "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("rls-screen: cannot make the drafts folder ")
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["0", "65", "abc", "-1", "", "1e3", "٣", "9" * 5000, " 8"])
def test_a_bad_max_sessions_is_one_line_and_status_2(value: str) -> None:
    from cli_runner import run_cli

    result = run_cli("serve", "--max-sessions", value)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "is not a number of sessions (1-64)" in result.stderr
    assert result.stdout == ""


def test_help_documents_max_sessions_and_the_tabs_own_drafts() -> None:
    from cli_runner import run_cli

    result = run_cli("serve", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "--max-sessions N" in text
    assert "at most N questionnaires open at once, 1-64 (default: 8)" in text
    assert "All places are in use" in text
    assert "RLS_SCREEN_DRAFT_DIR" in text
    assert "Another tab never sees it." in text


# --- in a real browser --------------------------------------------------------------


def test_in_chromium_two_tabs_have_their_own_answers_and_a_reload_resumes_its_own(
    tmp_path: Path,
    chromium: str,  # noqa: F811  (the fixture imported above)
) -> None:
    """Headless Chromium, over its DevTools protocol: the page's own script makes each
    tab's token. A tab opened from the first (window.open, which copies the opener's
    sessionStorage, token included) makes a token of its own."""
    from test_serve import Page

    served = start_server(tmp_path)
    drafts = tmp_path / "data"
    devtools = chromium  # its DevTools address
    answered: list[str] = []  # the token of the tab that answered

    async def tab(session: aiohttp.ClientSession, target: dict) -> Page:
        ws = await session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        page = Page(ws)
        await page.call("Network.enable")
        await page.call("Page.enable")
        return page

    async def evaluate(page: Page, expression: str, gesture: bool = False) -> object:
        answer = await page.call(
            "Runtime.evaluate", expression=expression, userGesture=gesture, returnByValue=True
        )
        return answer["result"]["result"].get("value")

    async def token_of(page: Page) -> str:
        expression = "document.getElementById('terminal').dataset.sessionWebsocketUrl"
        deadline = time.monotonic() + WAIT
        while True:
            url = await evaluate(page, expression)
            if isinstance(url, str) and url.count("/ws/") == 1:
                return url.rsplit("/", 1)[1]
            assert time.monotonic() < deadline, f"the page never made its token: {url}"
            await asyncio.sleep(0.1)

    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{devtools}/json/list") as response:
                targets = await response.json()
            first = await tab(session, next(t for t in targets if t["type"] == "page"))
            await first.call("Page.navigate", url=served.url)
            await first.wait_for("This is not a diagnosis")
            await first.click(5, 5)
            await first.press_enter()
            await first.new_view("Question 1 of about")
            await first.press("1", "Digit1", 49, "1")  # under 18
            await first.new_view("Question 2 of about")
            await until(lambda: any(drafts.rglob("draft.json")), "the first draft was saved")
            first_token = await token_of(first)
            answered.append(first_token)

            async with session.put(f"{devtools}/json/new?about:blank") as response:
                second = await tab(session, await response.json())
            await second.call("Page.navigate", url=served.url)
            await second.wait_for("This is not a diagnosis")
            await second.click(5, 5)
            await second.press_enter()  # with the first tab's draft offered, this resumes it
            await second.new_view("Question 1 of about")
            assert "kept from last time" not in second.text()
            assert await token_of(second) != first_token

            await first.call("Page.reload")
            await first.wait_for("You have answers kept from last time (1 answered)")
            assert await token_of(first) == first_token

            await evaluate(first, "window.open(location.href, '_blank'); 1", gesture=True)
            async with session.get(f"{devtools}/json/list") as response:
                pages = [t for t in await response.json() if t["type"] == "page"]
            assert len(pages) == 3, pages
            tokens = set()
            for target in pages:
                page = await tab(session, target)
                tokens.add(await token_of(page))
                await page.ws.close()
            assert len(tokens) == 3, tokens  # the copy made its own

    try:
        asyncio.run(check())
    finally:
        stop(served.proc)
    # Only the first tab answered: the others' folders went with their sessions.
    assert [p.name for p in drafts_root(tmp_path).iterdir()] == [answered[0]]


def test_in_chromium_a_full_server_shows_the_kind_page_and_a_late_connection_says_so(
    tmp_path: Path,
    chromium: str,  # noqa: F811  (the fixture imported above)
) -> None:
    """One place: the first tab takes it. A second tab gets the 503 page (shown with no
    script); and a connection the first page makes beyond the bound (as a page whose
    connection came just after the last place was taken) tells so over the page."""
    from test_serve import Page

    served = start_server(tmp_path, "--max-sessions", "1")
    busy = "All places are in use. Please try again in a minute."

    async def evaluate(page: Page, expression: str) -> object:
        answer = await page.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return answer["result"]["result"].get("value")

    async def shown(page: Page, expression: str, words: str) -> None:
        deadline = time.monotonic() + WAIT
        while words not in str(await evaluate(page, expression)):
            assert time.monotonic() < deadline, f"never showed {words!r}"
            await asyncio.sleep(0.1)

    async def open_tab(session: aiohttp.ClientSession, target: dict) -> Page:
        ws = await session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
        page = Page(ws)
        await page.call("Network.enable")
        await page.call("Page.enable")
        return page

    async def check() -> None:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{chromium}/json/list") as response:
                targets = await response.json()
            first = await open_tab(session, next(t for t in targets if t["type"] == "page"))
            await first.call("Page.navigate", url=served.url)
            await first.wait_for("This is not a diagnosis")

            async with session.put(f"{chromium}/json/new?about:blank") as response:
                second = await open_tab(session, await response.json())
            await second.call("Page.navigate", url=served.url)
            await shown(second, "document.body && document.body.innerText", busy)
            assert await evaluate(second, "document.scripts.length") == 0

            late = f"new WebSocket(location.origin.replace('http', 'ws') + '/ws/{tab_token()}')"
            await evaluate(first, f"{late}; 1")
            await shown(first, "document.querySelector('.notice p').textContent", busy)
            await second.ws.close()

    try:
        asyncio.run(check())
    finally:
        stop(served.proc)
