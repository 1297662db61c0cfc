"""``rls-screen serve`` against hostile requests: an absolute-form target naming another
host, and ``--host ::`` reached over IPv4 (this sandbox can bind ``::`` dual-stack)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from test_serve import free_port, lines_of, start_server, stop, wait_for_line


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
