"""``rls-screen serve`` against hostile requests: an absolute-form target naming another
host, and ``--host ::`` reached over IPv4 (this sandbox can bind ``::`` dual-stack)."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from pathlib import Path

import aiohttp
from test_serve import (
    children,
    free_port,
    lines_of,
    start_server,
    stop,
    tab_token,
    wait_for_line,
)

from rls_screen.serve import clamped_query, read_envelope, terminal_size


def raw_get(port: int, target: str, host: str, address: str = "127.0.0.1") -> bytes:
    with socket.create_connection((address, port), timeout=10) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def test_an_absolute_target_naming_another_host_gets_no_page_of_that_host(
    tmp_path: Path,
) -> None:
    served = start_server(tmp_path)
    try:
        ours = f"127.0.0.1:{served.port}"
        answer = raw_get(served.port, "http://evil.example/", ours)
        assert b"evil.example" not in answer
        assert answer.startswith(b"HTTP/1.1 403")
        page = raw_get(served.port, f"http://{ours}/", ours)
        assert page.startswith(b"HTTP/1.1 200")
        assert f'data-session-websocket-url="ws://{ours}/ws"'.encode() in page
    finally:
        stop(served.proc)


def test_host_wildcard_v6_serves_ipv4_too(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "serve", "--host", "::", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    try:
        wait_for_line(lines_of(proc.stdout), r"Open http://\[::1\]:\d+", 30)
        answer = raw_get(port, "/", f"127.0.0.1:{port}", address="127.0.0.1")
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        stop(proc)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid``'s descendants (the app processes and their children)."""
    total = 0
    todo = children(pid)
    while todo:
        child = todo.pop()
        todo.extend(children(child))
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue  # ended meanwhile
    return total / 1024


HOSTILE_MESSAGES = [
    "not json",
    "[" * 100_000 + "]" * 100_000,  # nested past the parser's recursion
    "9" * 5000,  # past Python's 4,300-digit int conversion limit
    '["resize", {"width": ' + "9" * 5000 + ', "height": 24}]',
    "{}",
    "[]",
    "[1, 2]",
    '["stdin"]',
    '["stdin", 42]',
    '["resize", "big"]',
    '["resize", {"width": true, "height": 24}]',
    '["resize", {"width": -5, "height": 1.5}]',
    '["ping", {"a": 1}]',
    '["explode", null]',
]


def test_malformed_messages_are_dropped_with_one_line_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    served = start_server(tmp_path)
    origin = f"http://127.0.0.1:{served.port}"

    async def talk() -> tuple[list[object], float]:
        async with aiohttp.ClientSession() as session:
            ws = await session.ws_connect(
                f"http://127.0.0.1:{served.port}/ws/{tab_token()}?width=99999&height=99999",
                headers={"Origin": origin},
            )
            for text in HOSTILE_MESSAGES:
                await ws.send_str(text)
            await ws.send_bytes(b"\xff\x00binary")
            await ws.send_str('["resize", {"width": 20000, "height": 20000}]')
            await ws.send_str('["ping", "still-there"]')
            pongs: list[object] = []
            while not pongs:
                message = await asyncio.wait_for(ws.receive(), 30)
                if message.type == aiohttp.WSMsgType.TEXT:
                    envelope = message.json()
                    if envelope[0] == "pong":
                        pongs.append(envelope[1])
                elif message.type != aiohttp.WSMsgType.BINARY:
                    break
            await asyncio.sleep(4)  # the old code grew past 2 GB in 8 s at this size
            rss = tree_rss_mb(served.proc.pid)
            await ws.close()
            return pongs, rss

    try:
        pongs, rss = asyncio.run(talk())
    finally:
        stop(served.proc)
    lines = []
    while (line := served.stderr.get(timeout=10)) is not None:  # None: stderr closed
        lines.append(line)
    assert pongs == ["still-there"]
    assert rss < 600, f"the session took {rss:.0f} MB"
    assert not [line for line in lines if "Traceback" in line]
    assert len([line for line in lines if "not from this page" in line]) == 1, lines


def test_terminal_sizes_are_held_to_500_by_200() -> None:
    assert terminal_size(20000, 20000) == (500, 200)
    assert terminal_size(0, -3) == (1, 1)
    assert terminal_size(80, 24) == (80, 24)
    assert terminal_size(True, 24) is None
    assert terminal_size(80.0, 24) is None
    assert clamped_query("99999", "99999") == ("500", "200")
    assert clamped_query("9" * 5000, "x") == ("80", "24")
    assert read_envelope("9" * 5000) is None
    assert read_envelope("[" * 100_000) is None
    assert read_envelope('["stdin", "a"]') == ("stdin", "a")
