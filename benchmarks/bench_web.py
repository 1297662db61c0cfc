"""`rls-screen web` under a clinic's morning: N simulated patients at once on loopback.

Starts two servers as real processes: `rls-screen web` and a minimal aiohttp + Jinja2
app (one template with a form; a POST is answered by a redirect to the page again, the
pattern `web` uses). Then N patients at once (asyncio, one cookie jar each) walk the
whole questionnaire on `web` (random answers, each warning sign read and gone past, the
review, the summary), and the same number of patients make as many form posts on the
minimal app. A "page" is a form post and the page its redirect brings, read to the end.
Prints p50 and p95 per page for both in each round, the median of the rounds' paired
ratios, and each server's peak memory (VmHWM); then each target of issue 23, passed or
failed (the exit status is 1 when one fails):

* p95 a page at most 3x the minimal app's (the median of the paired ratios);
* no error: every page answered 200 after its redirect, every walk to the summary;
* peak memory of `rls-screen web` under 150 MB.

    python benchmarks/bench_web.py [--patients 50] [--rounds 5] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import socket
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import aiohttp

# The targets (issue 23).
P95_MAX_RATIO = 3.0
PEAK_MAX_MB = 150.0

MINIMAL = textwrap.dedent(
    """
    import sys
    import jinja2
    from aiohttp import web

    PAGE = jinja2.Environment(autoescape=True).from_string(
        '<!DOCTYPE html><html lang="en"><head><title>{{ title }}</title></head><body>'
        '<main><form method="post" action="/"><fieldset><legend><h1>{{ title }}</h1>'
        '</legend>{% for code in codes %}<input type="radio" id="{{ code }}" name="q" '
        'value="{{ code }}"><label for="{{ code }}">{{ code }}</label>{% endfor %}'
        '</fieldset><button name="action" value="next">Continue</button></form>'
        '</main></body></html>'
    )
    count = 0

    async def page(request):
        return web.Response(
            text=PAGE.render(title=f"Question {count}", codes=["yes", "no", "unsure"]),
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    async def post(request):
        global count
        await request.post()
        count += 1
        raise web.HTTPSeeOther("/")

    app = web.Application()
    app.router.add_get("/", page)
    app.router.add_post("/", post)
    print("listening", flush=True)
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(command: list[str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()  # "Open ..." or "listening": it listens
    return proc


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def field(html: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else None


# Every page that did not come back well, and every walk that broke off: what and why.
ERRORS: list[str] = []


async def timed_post(
    session: aiohttp.ClientSession, url: str, data: list[tuple[str, str]], times: list[float]
) -> tuple[str, str]:
    began = time.perf_counter()
    async with session.post(url, data=data) as response:
        html = await response.text()
        where = response.url.path
        if response.status != 200:
            ERRORS.append(f"{url} -> {where}: status {response.status}")
    times.append(time.perf_counter() - began)
    return where, html


async def patient(base: str, rng: random.Random, times: list[float]) -> int:
    """One whole walk on `rls-screen web`; returns the pages it took (0: it broke off,
    an error)."""
    try:
        return await walk(base, rng, times)
    except (TimeoutError, aiohttp.ClientError, AssertionError) as exc:
        ERRORS.append(f"a walk broke off: {type(exc).__name__} {exc}")
        return 0


async def walk(base: str, rng: random.Random, times: list[float]) -> int:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        async with session.get(base + "/") as response:
            html = await response.text()
        where, html = await timed_post(
            session, base + "/", [("csrf", field(html, "csrf") or ""), ("action", "start")], times
        )
        pages = 1
        while where != "/summary":
            csrf = field(html, "csrf") or ""
            if where == "/review":
                data = [("csrf", csrf), ("action", "finish")]
            elif where == "/alert":
                data = [("csrf", csrf), ("action", "next"), ("alert", field(html, "alert") or "")]
            else:
                item = field(html, "item") or ""
                data = [("csrf", csrf), ("item", item)]
                codes = re.findall(rf'name="{item}" value="([^"]+)"', html)
                if "<textarea" in html:
                    data += [("action", "next"), (item, "tingly, like fizzy water")]
                elif codes and rng.random() < 0.85:
                    data += [("action", "next"), (item, rng.choice(codes))]
                else:
                    data.append(("action", "skip"))
            where, html = await timed_post(session, base + "/", data, times)
            pages += 1
            assert pages < 300, where
            assert where in ("/review", "/alert", "/summary") or where.startswith("/q/"), where
        return pages


async def minimal_patient(base: str, pages: int, times: list[float]) -> None:
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(base + "/") as response:
                await response.text()
            for _ in range(pages):
                await timed_post(session, base + "/", [("q", "yes"), ("action", "next")], times)
    except (TimeoutError, aiohttp.ClientError) as exc:
        ERRORS.append(f"the minimal app: {type(exc).__name__} {exc}")


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1]


async def one_round(args: argparse.Namespace, web_base: str, minimal_base: str, n: int) -> dict:
    """One crowd on `web`, then the same number of patients and pages on the minimal app."""
    web_times: list[float] = []
    minimal_times: list[float] = []
    began = time.perf_counter()
    walks = await asyncio.gather(
        *(
            patient(web_base, random.Random((args.seed * 100 + n) * 1000 + k), web_times)
            for k in range(args.patients)
        )
    )
    web_wall = time.perf_counter() - began
    pages = round(statistics.mean([w for w in walks if w] or [1]))
    began = time.perf_counter()
    await asyncio.gather(
        *(minimal_patient(minimal_base, pages, minimal_times) for _ in range(args.patients))
    )
    minimal_wall = time.perf_counter() - began
    for name, times, wall in (
        ("rls-screen web", web_times, web_wall),
        ("minimal aiohttp+Jinja2", minimal_times, minimal_wall),
    ):
        p50, p95 = percentile(times, 0.50) * 1000, percentile(times, 0.95) * 1000
        line = f"  {name:22} {len(times):5} pages in {wall:5.1f} s: "
        print(line + f"p50 {p50:6.1f} ms, p95 {p95:6.1f} ms")
    return {
        "p50": percentile(web_times, 0.50) / percentile(minimal_times, 0.50),
        "p95": percentile(web_times, 0.95) / percentile(minimal_times, 0.95),
        "walks": walks,
    }


async def crowd(args: argparse.Namespace, web_base: str, minimal_base: str) -> float:
    """``--rounds`` rounds, each paired (the machine's load changes between them): the
    median of the paired ratios. Returns the median p95 ratio."""
    rounds = []
    for n in range(args.rounds):
        print(f"round {n + 1}:")
        rounds.append(await one_round(args, web_base, minimal_base, n))
    p50 = statistics.median(r["p50"] for r in rounds)
    p95 = statistics.median(r["p95"] for r in rounds)
    walks = [w for r in rounds for w in r["walks"]]
    each = ", ".join(f"{r['p50']:.2f}x/{r['p95']:.2f}x" for r in rounds)
    print(f"median of paired ratios: p50 {p50:.2f}x, p95 {p95:.2f}x (rounds: {each})")
    print(f"pages a walk: {min(walks)}-{max(walks)}")
    return p95


def verdict(p95: float, errors: list[str], peak: float) -> bool:
    """Each target, passed or failed; True when all pass."""
    checks = [
        (
            f"p95 a page {p95:.2f}x the minimal app's (at most {P95_MAX_RATIO:g}x)",
            p95 <= P95_MAX_RATIO,
        ),
        (f"{len(errors)} errors (none)", not errors),
        (f"peak memory {peak:.1f} MB (under {PEAK_MAX_MB:g} MB)", peak < PEAK_MAX_MB),
    ]
    for error in errors[:10]:
        print(f"  error: {error}")
    for what, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {what}")
    return all(ok for _, ok in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    web_port, minimal_port = free_port(), free_port()
    web_command = [sys.executable, "-m", "rls_screen", "web", "--port", str(web_port)]
    web_command += ["--max-sessions", str(args.patients * 2), "--region", "GB"]
    servers = [
        start(web_command),
        start([sys.executable, "-c", MINIMAL, str(minimal_port)]),
    ]
    try:
        bases = f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{minimal_port}"
        p95 = asyncio.run(crowd(args, *bases))
        web_peak, minimal_peak = (peak_memory_mb(proc.pid) for proc in servers)
        print(f"peak memory: rls-screen web {web_peak:.1f} MB, minimal {minimal_peak:.1f} MB")
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(10)
    return 0 if verdict(p95, ERRORS, web_peak) else 1


if __name__ == "__main__":
    sys.exit(main())
