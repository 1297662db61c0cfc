"""The printable web page (`score --format html`), for the person and for the clinician:
one self-contained file that prints well, escapes every text, and says what it is."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import textstat
from cli_runner import run_cli
from test_language import FORBIDDEN, as_sentences

from rls_screen.core.bank import load_bank
from rls_screen.interop.inputs import read_answer_file
from rls_screen.reports.html import render_html
from rls_screen.reports.summary import build_report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
AUDIENCES = ("patient", "clinician")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def score(path: Path | str, *args: str) -> str:
    """What `rls-screen score PATH ARGS` prints (run in this process)."""
    proc = run_cli("score", str(path), *args)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# --- a small DOM, so that tests read the page the way a browser would -----------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [
            n
            for n in self.iter()
            if n.tag == tag and (cls is None or cls in (n.attrs.get("class") or "").split())
        ]

    def find(self, tag: str, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag} class={cls}>"
        return found[0]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]
        self.problems: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag, attrs) -> None:
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag) -> None:
        if tag in VOID:
            return
        if self.stack[-1].tag != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1].tag}>")
            return
        self.stack.pop()

    def handle_data(self, data) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.problems == [], builder.problems
    assert [n.tag for n in builder.stack] == ["#document"], "unclosed elements"
    assert builder.doctype.lower() == "doctype html"
    return builder.root


def visible_text(root: Node) -> list[str]:
    """The texts a reader sees: every text node outside <head>."""
    body = root.find("body")
    out = []

    def walk(node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    out.append(" ".join(child.split()))
            elif child.tag not in ("style", "script"):
                walk(child)

    walk(body)
    return out


def external_addresses(page: str, root: Node) -> list[str]:
    found = []
    for node in root.iter():
        for name in ("src", "href", "action", "srcset", "data", "poster"):
            value = node.attrs.get(name)
            if value:
                found.append(value)
    styles = " ".join(n.text() for n in root.find_all("style"))
    styles += " ".join(n.attrs.get("style") or "" for n in root.iter())
    found += re.findall(r"url\(\s*['\"]?([^'\")]*)", styles)
    found += re.findall(r"@import\s+['\"]?([^'\";]*)", styles)
    found += re.findall(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", page)
    return found


# --- the page --------------------------------------------------------------------------


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_page_is_self_contained_and_prints(example, audience):
    page = score(example, "--format", "html", "--audience", audience)
    root = parse(page)
    assert root.find("html").attrs.get("lang") == "en"
    assert any(m.attrs.get("charset", "").lower() == "utf-8" for m in root.find_all("meta"))
    title = root.find("title").text()
    assert title and title == root.find("h1").text()
    assert root.find_all("script") == [] and root.find_all("link") == []
    assert external_addresses(page, root) == []
    style = root.find("style").text()
    print_css = style[style.index("@media print") :]
    assert "page-break-inside: avoid" in print_css and "table" in print_css
    assert "background: transparent" in print_css  # no ink spent on backgrounds


def test_the_external_address_check_can_fail():
    page = (
        '<!DOCTYPE html><html lang="en"><head><style>@import "x.css";'
        "body{background:url(https://e.org/a.png)}</style></head>"
        '<body><img src="//cdn.example.com/x.png"></body></html>'
    )
    assert len(external_addresses(page, parse(page))) >= 3


@pytest.mark.parametrize("audience", AUDIENCES)
def test_same_answers_give_the_same_bytes(audience):
    example = ROOT / "examples" / "lookalike.json"
    first = score(example, "-f", "html", "-a", audience)
    assert first == score(example, "-f", "html", "-a", audience)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", first)  # no date of its own making


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_patient_page_says_not_a_diagnosis_and_shows_the_summary(bank, example):
    root = parse(score(example, "--format", "html"))
    shown = visible_text(root)
    text = " ".join(shown)
    report = build_report(bank, read_answer_file(str(example), bank))
    # Right under the title; a parent (the child example) reads it about their child.
    assert shown[1] == report.disclaimer
    assert "This is not a diagnosis" in shown[1]
    assert [h.text() for h in root.find_all("h2")] == [b.heading for b in report.blocks]
    for block in report.blocks:
        for words in (*block.paragraphs, *block.footer, *(e.name for e in block.entries)):
            assert " ".join(words.split()) in text, words


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_patient_page_reads_at_grade_8_or_lower(example):
    texts = visible_text(parse(score(example, "--format", "html")))
    grade = textstat.flesch_kincaid_grade(as_sentences(texts))
    assert grade <= 8, grade


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_safe_language_on_every_page(example, audience):
    for text in visible_text(parse(score(example, "-f", "html", "-a", audience))):
        assert not FORBIDDEN.search(text), text
        lowered = text.lower()
        assert lowered.count("diagnosis") == lowered.count("this is not a diagnosis"), text


def test_red_flags_stand_out_first_on_both_pages():
    example = ROOT / "examples" / "red-flag.json"
    patient = parse(score(example, "-f", "html"))
    first = patient.find("section")
    assert first.attrs.get("role") == "alert" and "red-flags" in first.attrs["class"]
    clinician = parse(score(example, "-f", "html", "-a", "clinician"))
    body = [n for n in clinician.find("main").children if isinstance(n, Node)]
    # After the page's own head (when, which file, a line for the name: issue 21).
    assert [n.tag for n in body[:3]] == ["section", "header", "div"]
    assert "page-head" in body[0].attrs["class"]
    assert body[2].attrs.get("role") == "alert" and "Urgent" in body[2].text()


# --- escaping --------------------------------------------------------------------------


@pytest.fixture
def odd_bank(tmp_path):
    """A copy of the bank whose texts contain markup characters."""
    copy = tmp_path / "questions"
    shutil.copytree(ROOT / "questions", copy)

    def replace(name: str, old: str, new: str) -> None:
        path = copy / name
        text = path.read_text()
        assert old in text, old
        path.write_text(text.replace(old, new, 1))

    replace(
        "core.toml",
        'text = "Do the urge or the feelings start or get worse when you sit or lie still?"',
        'text = "Do the feelings start <b>or</b> get worse when you sit & lie still?"',
    )
    replace("summary.toml", 'name = "Moving eases it"', 'name = "Moving <i>eases</i> it & more"')
    replace(
        "clinician.toml",
        'rest = "2. Begins or worsens at rest or when inactive"',
        'rest = "2. Begins <script>x</script> at rest & when inactive"',
    )
    return load_bank(copy)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_text_is_escaped(odd_bank, audience):
    answers = read_answer_file(str(ROOT / "examples" / "classic.json"), odd_bank)
    page = render_html(odd_bank, answers, audience)
    root = parse(page)
    assert root.find_all("b") == [] and root.find_all("i") == []
    assert root.find_all("script") == []
    text = " ".join(visible_text(root))
    if audience == "patient":
        assert "&lt;i&gt;eases&lt;/i&gt; it &amp; more" in page
        assert "Moving <i>eases</i> it & more" in text
    else:
        assert "&lt;b&gt;or&lt;/b&gt; get worse when you sit &amp; lie still?" in page
        assert "Do the feelings start <b>or</b> get worse when you sit & lie still?" in text
        assert "2. Begins <script>x</script> at rest & when inactive" in text
