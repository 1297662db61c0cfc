"""`rls-screen web` (rls_screen/web_form): the questionnaire as plain web pages, tested
through aiohttp's test client as a browser would use it: the form contract, POST then
redirect, the headers every page carries, the cookie, the page key (CSRF), a form from
another site, a foreign Host, a body too large, two people kept apart, the oldest and
idle visits ending, and a whole walk by form posts that scores as `rls-screen score`
does on the same answers."""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections.abc import AsyncIterator, Mapping, Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from cli_runner import run_cli

from rls_screen.web_form.app import make_app

ROOT = Path(__file__).resolve().parent.parent
PORT = 8000
HOST = f"127.0.0.1:{PORT}"


class Page:
    """What a browser gets for one address: status, headers and the page's parts."""

    def __init__(self, status: int, headers: Mapping[str, str], html: str, url: str) -> None:
        self.status = status
        self.headers = headers
        self.html = html
        self.url = url

    @property
    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.html)
        assert found, self.html[:500]
        return found.group(1)

    def field(self, name: str) -> str | None:
        found = re.search(rf'name="{name}" value="([^"]+)"', self.html)
        return found.group(1) if found else None

    def text(self) -> str:
        """The words a person reads, tags taken away."""
        return " ".join(re.sub(r"<[^>]+>", " ", self.html).split())


class Visitor:
    """One browser: its own cookies, following each POST's redirect like a browser."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.page: Page | None = None

    async def get(self, path: str, **headers: str) -> Page:
        response = await self.client.get(path, headers={"Host": HOST, **headers})
        page = Page(response.status, response.headers, await response.text(), response.url.path)
        self.page = page
        return page

    async def post(
        self,
        data: Sequence[tuple[str, str]] | Mapping[str, str],
        follow: bool = True,
        **headers: str,
    ) -> Page:
        response = await self.client.post(
            "/", data=data, headers={"Host": HOST, **headers}, allow_redirects=False
        )
        if follow and response.status == 303:
            return await self.get(response.headers["Location"])
        return Page(response.status, response.headers, await response.text(), "/")

    async def act(self, action: str, *pairs: tuple[str, str]) -> Page:
        """Press a button of the page on show, with the answers given."""
        assert self.page is not None
        data = [("csrf", self.page.csrf), ("action", action), *pairs]
        for hidden in ("item", "alert"):
            value = self.page.field(hidden)
            if value is not None:
                data.append((hidden, value))
        return await self.post(data)


@pytest.fixture
async def client(bank) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(make_app(bank, "GB", port=PORT))) as test_client:
        yield test_client


@pytest.fixture
async def visitor(client) -> Visitor:
    return Visitor(client)


def answers_of(example: str) -> dict:
    return json.loads((ROOT / "examples" / f"{example}.json").read_text())["answers"]


async def walk(visitor: Visitor, answers: Mapping[str, object]) -> list[str]:
    """Answer every question the pages ask from ``answers`` (Skip the others, Go on at
    each warning sign) up to the review; returns the addresses seen."""
    seen = []
    page = await visitor.get("/")
    page = await visitor.act("start")
    for _ in range(200):
        seen.append(page.url)
        if page.url == "/review":
            return seen
        if page.url == "/alert":
            page = await visitor.act("next")
            continue
        item = page.field("item")
        assert item, page.html[:400]
        value = answers.get(item)
        if value is None:
            page = await visitor.act("skip")
        else:
            values = value if isinstance(value, list) else [value]
            page = await visitor.act("next", *((item, str(v)) for v in values))
        assert page.status == 200, page.text()
    raise AssertionError("the walk never reached the review")


# --- pages and the form contract --------------------------------------------------------


async def test_the_welcome_starts_the_first_question(visitor):
    page = await visitor.get("/")
    assert page.status == 200
    assert '<button type="submit" name="action" value="start"' in page.html
    page = await visitor.act("start")
    assert page.url == "/q/respondent"
    assert "<legend><h1>Who is answering these questions?</h1></legend>" in page.html
    assert 'type="radio" id="f-respondent-self" name="respondent" value="self"' in page.html
    assert "Question 1 of about" in page.text()
    assert 'value="next"' in page.html and 'value="skip"' in page.html


async def test_a_question_page_has_its_hint_help_and_back_link(visitor):
    await visitor.get("/")
    await visitor.act("start")
    page = await visitor.act("next", ("respondent", "self"))
    assert page.url == "/q/age_group"
    assert '<fieldset aria-describedby="hint">' in page.html
    assert '<p class="hint" id="hint">' in page.html
    assert '<a class="back-link" href="/q/respondent">' in page.html
    assert "Question 2 of about" in page.text()


async def test_several_choices_are_checkboxes_and_none_must_be_alone(visitor, bank):
    page = await walk_to(
        visitor, "sensations", {"respondent": "self", "age_group": "18_44", "urge": "yes"}
    )
    assert 'type="checkbox" id="f-sensations-' in page.html
    assert 'aria-describedby="hint several"' in page.html
    codes = bank.items["sensations"].codes
    page = await visitor.act("next", ("sensations", codes[0]), ("sensations", "none"))
    assert page.url == "/q/sensations"
    assert page.headers and "<title>Error: " in page.html
    assert 'class="error-summary" role="alert"' in page.html
    assert 'aria-describedby="hint several error"' in page.html
    page = await visitor.act("next", ("sensations", codes[0]), ("sensations", codes[1]))
    assert page.url != "/q/sensations"


async def walk_to(visitor: Visitor, target: str, answers: Mapping[str, str]) -> Page:
    """Answer from ``answers`` (skip the rest) until the page of ``target``."""
    page = await visitor.get("/")
    page = await visitor.act("start")
    for _ in range(100):
        if page.url == f"/q/{target}":
            return page
        if page.url == "/alert":
            page = await visitor.act("next")
            continue
        item = page.field("item")
        assert item, page.url
        if item in answers:
            page = await visitor.act("next", (item, answers[item]))
        else:
            page = await visitor.act("skip")
    raise AssertionError(f"never reached {target}")


async def test_continue_with_nothing_chosen_shows_the_problem(visitor):
    await visitor.get("/")
    await visitor.act("start")
    page = await visitor.act("next")
    assert page.url == "/q/respondent"
    assert "There is a problem" in page.text()
    assert '<a href="#f-respondent-self">' in page.html
    assert 'aria-describedby="hint error"' in page.html
    # Shown once: a reload shows the question without it.
    page = await visitor.get("/q/respondent")
    assert "There is a problem" not in page.text()


async def test_own_words_are_a_textarea_counted_on_the_server(visitor, bank):
    page = await walk_to(
        visitor, "own_words", {"respondent": "self", "age_group": "18_44", "urge": "yes"}
    )
    limit = bank.items["own_words"].max_length
    assert f'<textarea id="f-own_words" name="own_words" rows="6" maxlength="{limit}"' in page.html
    assert f"You can type up to {limit} characters. Used so far: 0." in page.text()
    page = await visitor.act("next", ("own_words", "x" * (limit + 5)))
    assert page.url == "/q/own_words"
    assert f"Use {limit} characters or fewer" in page.text()
    assert "x" * (limit + 5) in page.html  # given back to be cut, never thrown away
    page = await visitor.act("next", ("own_words", "crawling  <b>&"))
    assert page.url != "/q/own_words"
    page = await visitor.get("/q/own_words")
    assert "crawling  &lt;b&gt;&amp;" in page.html  # escaped
    assert "Used so far: 14." in page.text()


async def test_a_warning_sign_interrupts_and_the_wrong_answer_goes_back(visitor):
    page = await walk_to(visitor, "rf_breathing", {"respondent": "self", "age_group": "18_44"})
    page = await visitor.act("next", ("rf_breathing", "yes"))
    assert page.url == "/alert"
    assert "<h1>Please act now</h1>" in page.html
    assert 'value="back"' in page.html and "I chose the wrong answer" in page.text()
    # A page from before cannot step over the warning sign.
    assert (await visitor.get("/review")).url == "/alert"
    assert (await visitor.get("/q/rf_breathing")).url == "/alert"
    page = await visitor.act("back")
    assert page.url == "/q/rf_breathing"
    assert "Your answer was cleared" in page.text()
    assert "checked" not in page.html
    page = await visitor.act("next", ("rf_breathing", "yes"))
    page = await visitor.act("next")
    assert page.url.startswith("/q/") and page.url != "/q/rf_breathing"


async def test_the_question_about_safety_shows_the_regions_crisis_numbers(visitor):
    answers = {"respondent": "self", "age_group": "18_44", "mood": "yes"}
    page = await walk_to(visitor, "safe_now", answers)
    assert "How you are feeling" in page.text()
    page = await visitor.act("next", ("safe_now", "not_safe"))
    assert page.url == "/alert"
    assert "Call 999 now." in page.text() and "116 123" in page.text()  # --region GB


async def test_back_by_the_form_and_by_the_address(visitor):
    await visitor.get("/")
    await visitor.act("start")
    await visitor.act("next", ("respondent", "self"))
    page = await visitor.act("back")
    assert page.url == "/q/respondent"
    assert 'value="self" checked' in page.html  # the answer is still there
    page = await visitor.act("back")
    assert page.url == "/"  # from the first question: the welcome
    # The browser's Back (a GET of a page seen before) moves the walk there.
    await visitor.get("/q/respondent")
    page = await visitor.act("next", ("respondent", "self"))
    assert page.url == "/q/age_group"
    # A question not reached yet is not shown: the page of where the walk is instead.
    response = await visitor.client.get("/q/impulse", headers={"Host": HOST}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/q/age_group"


async def test_check_your_answers_changes_one_and_comes_back(visitor):
    seen = await walk(visitor, answers_of("classic"))
    page = visitor.page
    assert seen[-1] == "/review" and page is not None
    assert "Check your answers" in page.text()
    assert '<a href="/q/urge?change=1">Change<span class="visually-hidden">' in page.html
    page = await visitor.get("/q/urge?change=1")
    assert '<a class="back-link" href="/review">' in page.html
    page = await visitor.act("next", ("urge", "no"))
    assert page.url == "/review"
    response = await visitor.client.get("/alert", headers={"Host": HOST}, allow_redirects=False)
    assert response.headers["Location"] == "/review"  # the walk is on the review again
    # A look at a question by its change link, then its back link: the review again.
    await visitor.get("/q/rest?change=1")
    page = await visitor.get("/review")
    assert "Check your answers" in page.text()
    response = await visitor.client.get("/alert", headers={"Host": HOST}, allow_redirects=False)
    assert response.headers["Location"] == "/review"
    page = await visitor.act("finish")
    assert page.url == "/summary"


async def test_every_page_is_not_stored_and_runs_no_script(visitor):
    pages = [await visitor.get("/"), await visitor.act("start")]
    pages.append(await visitor.get("/static/web.css"))
    pages.append(await visitor.get("/no-such-page"))
    for page in pages:
        assert page.headers["Cache-Control"] == "no-store"
        policy = page.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert "<script" not in page.html and "<style" not in page.html
        assert " style=" not in page.html and " on" not in re.sub(r">[^<]*<", "><", page.html)
    assert pages[-1].status == 404


async def test_the_cookie_is_a_random_128_bit_id_httponly_and_strict(client, bank):
    first, second = Visitor(client), Visitor(client)
    cookie = (await first.get("/")).headers["Set-Cookie"]
    assert re.match(r"rls_screen_web=[0-9a-f]{32};", cookie), cookie
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    assert "Secure" not in cookie
    other = TestClient(TestServer(make_app(bank, port=PORT, secure_cookie=True)))
    async with other:
        response = await other.get("/", headers={"Host": HOST})
        assert "Secure" in response.headers["Set-Cookie"]
    assert first.client is second.client


async def test_two_people_are_kept_apart(bank):
    app = make_app(bank, "GB", port=PORT)
    async with (
        TestServer(app) as server,
        TestClient(server) as a_client,
        TestClient(server) as b_client,
    ):
        a, b = Visitor(a_client), Visitor(b_client)
        await a.get("/")
        await a.act("start")
        await a.act("next", ("respondent", "for_person"))
        await b.get("/")
        page = await b.act("start")
        assert page.url == "/q/respondent"
        assert "checked" not in page.html
        # b's page key does not work with a's cookie.
        page = await a.post([("csrf", b.page.csrf), ("action", "skip"), ("item", "age_group")])
        assert page.status == 403
        downloaded = await a.get("/answers.json")
        assert json.loads(downloaded.html)["answers"] == {"respondent": "for_person"}
        assert json.loads((await b.get("/answers.json")).html)["answers"] == {}


# --- refusals -------------------------------------------------------------------------------


async def test_a_form_without_its_page_key_is_refused(visitor):
    await visitor.get("/")
    assert (await visitor.post({"action": "start"})).status == 403
    assert (await visitor.post({"action": "start", "csrf": "forged"})).status == 403
    page = await visitor.get("/")
    assert page.text().count("Start now") == 1  # nothing started


async def test_a_forged_cross_site_post_is_refused(visitor):
    page = await visitor.get("/")
    data = {"action": "start", "csrf": page.csrf}
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Sec-Fetch-Site": "cross-site"},
    ):
        refused = await visitor.post(data, follow=False, **headers)
        assert refused.status == 403, headers
        assert refused.headers["Cache-Control"] == "no-store"
    # The same form from this server's own page goes through.
    ok = await visitor.post(data, follow=False, Origin=f"http://{HOST}")
    assert ok.status == 303


@pytest.mark.parametrize("host", ["evil.example:8000", "127.0.0.1:9999", "", "localhost.evil:8000"])
async def test_a_foreign_host_is_refused(client, host):
    for path in ("/", "/q/respondent", "/static/web.css", "/answers.json"):
        response = await client.get(path, headers={"Host": host})
        assert response.status == 403, (path, host)
        assert "Set-Cookie" not in response.headers


async def test_a_body_too_large_is_refused(visitor):
    page = await visitor.get("/")
    response = await visitor.post({"csrf": page.csrf, "action": "start", "x": "y" * 70_000})
    assert response.status == 413


# --- visits end ---------------------------------------------------------------------------


async def test_the_oldest_visit_goes_when_too_many_and_an_idle_one_ends(bank):
    now = [0.0]
    app = make_app(bank, port=PORT, max_sessions=2, idle_seconds=60, clock=lambda: now[0])
    async with TestServer(app) as server:
        clients = [TestClient(server) for _ in range(3)]
        for c in clients:
            await c.start_server()
        people = [Visitor(c) for c in clients]
        for person in people:
            now[0] += 1
            await person.get("/")
            await person.act("start")
        # The first one's visit went to make room for the third.
        page = await people[0].act("next", ("respondent", "self"))
        assert page.url == "/" and "were cleared" in page.text()
        page = await people[2].act("next", ("respondent", "self"))
        assert page.url == "/q/age_group"
        now[0] += 61  # a minute and more without a page
        page = await people[2].act("next", ("age_group", "18_44"))
        assert page.url == "/" and "were cleared" in page.text()
        for c in clients:
            await c.close()


async def test_back_after_starting_again_shows_nothing_of_before(visitor):
    await walk(visitor, {"respondent": "self", "age_group": "45_64", "urge": "yes"})
    page = await visitor.act("finish")
    assert page.url == "/summary"
    page = await visitor.act("reset")
    assert page.url == "/"
    # The browser's Back to the pages before: never served from a cache (no-store), and
    # each now shows only the welcome.
    for path in ("/summary", "/review", "/q/urge", "/alert", "/answers.json"):
        response = await visitor.client.get(path, headers={"Host": HOST}, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/", path
    page = await visitor.get("/")
    assert "45_64" not in page.html and "checked" not in page.html


# --- the whole walk ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", ["classic", "red-flag", "v3-pregnancy"])
async def test_a_whole_walk_scores_as_rls_screen_score(visitor, bank, tmp_path, example):
    answers = answers_of(example)
    answers.setdefault("respondent", "self")
    seen = await walk(visitor, answers)
    if example == "red-flag":
        assert "/alert" in seen
    page = await visitor.act("finish")
    assert page.url == "/summary"
    assert "This is not a diagnosis" in page.text()
    for link in ("/summary.html", "/summary.md", "/answers.json"):
        assert f'href="{link}" download' in page.html
    saved = await visitor.get("/answers.json")
    assert 'attachment; filename="rls-screen-answers-' in saved.headers["Content-Disposition"]
    document = json.loads(saved.html)
    assert document["meta"]["via"] == "rls-screen web"
    answer_file = tmp_path / "answers.json"
    answer_file.write_text(saved.html, encoding="utf-8")
    given = tmp_path / "given.json"
    given.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    for fmt, path in (("markdown", "/summary.md"), ("json", None)):
        from_web = run_cli("score", str(answer_file), "--format", fmt, "--region", "GB")
        from_file = run_cli("score", str(given), "--format", fmt, "--region", "GB")
        assert from_web.returncode == 0, from_web.stderr
        assert from_web.stdout == from_file.stdout
        if path is not None:
            assert (await visitor.get(path)).html == from_file.stdout


# --- the templates hold no words -------------------------------------------------------------


class _Words(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.words.append(data.strip())


def test_the_templates_hold_no_words_of_their_own():
    """Every word on the pages is from questions/ (web.toml, the bank): a template
    holds markup and Jinja only."""
    folder = ROOT / "rls_screen" / "web_form" / "templates"
    for template in folder.glob("*.html"):
        source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "", template.read_text(encoding="utf-8"))
        parser = _Words()
        parser.feed(source)
        leftover = [w for w in parser.words if re.search(r"[A-Za-z]{2,}", w)]
        assert leftover == [], (template.name, leftover)


def test_help_says_when_to_use_web_or_serve():
    proc = run_cli("web", "--help")
    assert proc.returncode == 0
    assert "web or serve?" in proc.stdout
    assert "--secure-cookie" in proc.stdout


# --- --kiosk --save-dir: a clinic's tablet -----------------------------------------------------


def private(path: Path) -> bool:
    return path.is_file() and (path.stat().st_mode & 0o777) == 0o600


async def test_the_kiosk_leaves_a_record_and_the_alert_file_at_once(bank, tmp_path):
    app = make_app(bank, "GB", port=PORT, records=tmp_path)
    async with TestClient(TestServer(app)) as kiosk_client:
        visitor = Visitor(kiosk_client)
        page = await visitor.get("/")
        assert "saved for the clinic team" in page.text()
        await walk_to(visitor, "rf_breathing", {"respondent": "self", "age_group": "18_44"})
        page = await visitor.act("next", ("rf_breathing", "yes"))
        assert page.url == "/alert" and "Please tell a member of staff now." in page.text()
        alerts = list(tmp_path.glob("*.alert.json"))
        assert len(alerts) == 1 and private(alerts[0])  # at once, before the end
        alert = json.loads(alerts[0].read_text())
        assert alert["red_flags"] and alert["urgency"] == "emergency"
        assert "age_group" not in alerts[0].read_text()  # never another answer
        rid = alert["record_id"]
        await visitor.act("next")
        await walk(visitor, {"respondent": "self", "age_group": "18_44"})
        page = await visitor.act("finish")
        assert page.url == "/summary" and "Your answers are saved" in page.text()
        assert "download" not in page.html  # a shared tablet keeps nobody's file
        assert (await visitor.get("/answers.json")).status == 404
        record, clinician = tmp_path / f"{rid}.json", tmp_path / f"{rid}.html"
        assert private(record) and private(clinician)
        assert json.loads(record.read_text())["answers"]["rf_breathing"] == "yes"
        await visitor.get("/summary")
        page = await visitor.act("reset")
        assert page.url == "/"
        assert not list(tmp_path.glob("*.partial.json"))  # finished: nothing partial


async def test_in_the_kiosk_a_warning_sign_says_tell_the_staff_not_see_a_doctor(bank, tmp_path):
    adult = {"respondent": "self", "age_group": "18_44", "pregnant": "no"}
    for records in (None, tmp_path):
        app = make_app(bank, "GB", port=PORT, records=records)
        async with TestClient(TestServer(app)) as test_client:
            visitor = Visitor(test_client)
            await walk_to(visitor, "rf_one_leg", adult)
            page = await visitor.act("next", ("rf_one_leg", "yes"))
            assert page.url == "/alert"
            sign = page.text()
            await visitor.act("next")
            await walk(visitor, {**adult, "rf_one_leg": "yes"})
            summary = (await visitor.act("finish")).text()
        for text in (sign, summary):
            if records is None:  # at home: off to a doctor today
                assert "See a doctor today" in text and "Tell a member of staff now." not in text
            else:  # in the clinic: the staff, now
                assert "Tell a member of staff now." in text
                assert "doctor today" not in text.lower() and "advice line" not in text


async def test_the_kiosk_keeps_an_idle_visits_answers_after_a_warning_sign(bank, tmp_path):
    """As rls-screen kiosk: a visit that ends unfinished leaves nothing, unless staff
    were told of a warning sign; then its answers are kept beside the alert file."""
    now = [0.0]
    app = make_app(bank, port=PORT, records=tmp_path, idle_seconds=60, clock=lambda: now[0])
    async with TestClient(TestServer(app)) as kiosk_client:
        visitor = Visitor(kiosk_client)
        await visitor.get("/")
        await visitor.act("start")
        await visitor.act("next", ("respondent", "self"))
        now[0] += 61  # the tablet left alone for more than a minute
        page = await visitor.act("next", ("age_group", "18_44"))
        assert page.url == "/" and "were cleared" in page.text()  # the next person sees none
        assert "checked" not in (await visitor.act("start")).html
        assert list(tmp_path.iterdir()) == []  # no warning sign: nothing kept of them
        adult = {"respondent": "self", "age_group": "18_44", "pregnant": "no"}
        await walk_to(visitor, "rf_one_leg", adult)
        page = await visitor.act("next", ("rf_one_leg", "yes"))
        assert page.url == "/alert"
        (alert,) = tmp_path.glob("*.alert.json")
        now[0] += 61
        page = await visitor.get("/alert")
        assert page.url == "/"  # cleared for the next person
        (partial,) = tmp_path.glob("*.partial.json")
        assert private(partial) and partial.name.split(".")[0] == alert.name.split(".")[0]
        kept = json.loads(partial.read_text())
        assert kept["answers"]["rf_one_leg"] == "yes" and kept["meta"]["partial"] is True


def marker_script(tmp_path: Path) -> tuple[str, Path]:
    marker = tmp_path / "marker.txt"
    script = tmp_path / "on_alert.py"
    script.write_text(
        f"import sys, pathlib\npathlib.Path({str(marker)!r}).write_text(sys.argv[1])\n"
    )
    return f"{sys.executable} {script}", marker


async def test_the_kiosk_runs_the_on_alert_command_with_the_alert_files_path(bank, tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    command, marker = marker_script(tmp_path)
    message = "Please go to the reception desk now."
    app = make_app(bank, "GB", port=PORT, records=folder, on_alert=command, staff_message=message)
    async with TestClient(TestServer(app)) as kiosk_client:
        visitor = Visitor(kiosk_client)
        adult = {"respondent": "self", "age_group": "18_44", "pregnant": "no"}
        await walk_to(visitor, "rf_one_leg", adult)
        page = await visitor.act("next", ("rf_one_leg", "yes"))
        assert page.url == "/alert"
        assert message in page.text() and "Please tell a member of staff now." not in page.text()
        (alert,) = folder.glob("*.alert.json")
        for _ in range(200):
            if marker.exists() and marker.read_text():
                break
            await asyncio.sleep(0.05)
        assert marker.read_text() == str(alert.resolve())


async def test_a_failing_on_alert_command_is_one_line_for_staff(bank, tmp_path, caplog):
    command = f"{sys.executable} -c 'import sys; sys.exit(3)'"
    app = make_app(bank, "GB", port=PORT, records=tmp_path, on_alert=command)
    async with TestClient(TestServer(app)) as kiosk_client:
        visitor = Visitor(kiosk_client)
        adult = {"respondent": "self", "age_group": "18_44", "pregnant": "no"}
        await walk_to(visitor, "rf_one_leg", adult)
        page = await visitor.act("next", ("rf_one_leg", "yes"))
        await asyncio.sleep(1.0)  # the command has ended by now
        page = await visitor.act("next")  # the next request notices
        assert page.url.startswith("/q/") and "exit status" not in page.text()
    lines = [r.getMessage() for r in caplog.records if "exit status 3" in r.getMessage()]
    assert len(lines) == 1 and "dvt" not in lines[0] and "rf_one_leg" not in lines[0]


def test_kiosk_needs_its_folder():
    proc = run_cli("web", "--kiosk")
    assert proc.returncode == 2 and "--save-dir" in proc.stderr
    proc = run_cli("web", "--on-alert", "page-nurse")
    assert proc.returncode == 2 and "for --kiosk" in proc.stderr
    proc = run_cli("web", "--kiosk", "--save-dir", "x", "--staff-message", "one\ntwo")
    assert proc.returncode == 2 and "one line" in proc.stderr


def test_the_command_serves_until_stopped(tmp_path):
    """`rls-screen web` in a real process: it says where to open it once it listens,
    answers there, and stops on SIGTERM (nothing written anywhere)."""
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "rls_screen", "web", "--port", str(port), "--region", "GB"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == f"Open http://127.0.0.1:{port} in a web browser."
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.status == 200
            assert response.headers["Cache-Control"] == "no-store"
            assert "Start now" in response.read().decode()
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert list(tmp_path.iterdir()) == []


async def test_an_idle_visit_leaves_memory_without_another_request(bank, monkeypatch):
    import asyncio

    import rls_screen.web_form.app as web_app

    monkeypatch.setattr(web_app, "SWEEP_SECONDS", 0.05)
    now = [0.0]
    app = make_app(bank, port=PORT, idle_seconds=60, clock=lambda: now[0])
    async with TestClient(TestServer(app)) as idle_client:
        visitor = Visitor(idle_client)
        await visitor.get("/")
        await visitor.act("start")
        page = await visitor.act("next", ("respondent", "self"))
        assert page.url == "/q/age_group"
        now[0] += 61
        await asyncio.sleep(0.3)  # no request meanwhile: the sweep ends it
        now[0] = 0.0  # were it still kept, it would not look idle any more
        page = await visitor.act("next", ("age_group", "18_44"))
        assert page.url == "/" and "were cleared" in page.text()


def test_the_pages_words_are_plain_and_kind():
    """web.toml's words a person reads: reading grade 8 or lower, and none of the words
    the bank never uses ("you have", a cure, a named supplement...)."""
    import textstat
    from test_language import FORBIDDEN, as_sentences
    from test_texts import interface_texts

    staff_only = (
        "web.terminal.",
        "web.replaced_point.",
        "web.kiosk.record_not",
    )
    texts = [
        text
        for key, text in interface_texts().items()
        if key.startswith("web.") and not key.startswith(staff_only)
    ]
    assert len(texts) > 40
    grade = textstat.flesch_kincaid_grade(as_sentences(re.sub(r"\{[^}]*\}", "5", t) for t in texts))
    assert grade <= 8, grade
    for text in texts:
        assert not FORBIDDEN.search(text), text
        assert "diagnosis" not in text.lower(), text


async def test_the_kiosks_welcome_promises_no_summary_to_take_away(bank, tmp_path, visitor):
    """A shared tablet has no downloads: its welcome says where the answers go instead of
    "a summary to take to a doctor", which the ordinary welcome still offers."""
    assert "a summary to take to a doctor" in (await visitor.get("/")).text()
    app = make_app(bank, "GB", port=PORT, records=tmp_path)
    async with TestClient(TestServer(app)) as kiosk_client:
        welcome = (await Visitor(kiosk_client).get("/")).text()
    assert "take to a doctor" not in welcome
    assert "your answers go to the clinic team, who will talk them through with you" in welcome
    assert welcome.count("This short check asks about odd feelings in your legs") == 1
