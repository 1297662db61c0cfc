"""Issue 19: hostile question banks through `rls-screen check-questions` (the real entry
point, in process): a section file of arbitrary TOML-ish text, arbitrary Unicode (lone
surrogates included) in a text, and random ``str.format`` templates in the texts the
program fills in. Whatever comes in: exit status 0 or 2, never a traceback, each problem
one short line. And a bank that check-questions passes, once installed, scores the
example answer files (text, clinician and HTML summaries, and batch) without error."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from cli_runner import run_cli
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from installed_bank import installed

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "questions"
EXAMPLES = ROOT / "examples"

# Each example reads a whole bank (about 0.1 s); the templates, where main failed, get more.
FUZZ = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MORE = settings(FUZZ, max_examples=25)

SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


@st.composite
def any_text(draw, max_size: int = 30) -> str:
    """Any code point, controls included; in half the texts a lone surrogate."""
    text = draw(st.text(st.characters(), max_size=max_size))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SURROGATE) + text[at:]
    return text


# What TOML is made of, and a little of everything else.
TOML_PIECES = st.one_of(
    st.sampled_from(list("[]{}=\",.\n #'\\_-:0123456789abcxyz") + ['"""', "'''", "[[", "]]"]),
    st.sampled_from(["items", "id", "kind", "options", "code", "label", "[section]", "true"]),
    st.characters(),
)


@st.composite
def toml_ish(draw) -> str:
    text = "".join(draw(st.lists(TOML_PIECES, max_size=30)))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SURROGATE) + text[at:]
    return text


# The texts the commands below fill in: file, key, and the fields the program fills in.
TEMPLATES = {
    "interface/reports.toml": ("ask", ("question",)),
    "interface/batch.toml": ("scored_one", ("scored", "records")),
    "crisis.toml": ("emergency_first", ("emergency", "crisis_name")),
}

HOSTILE_NAMES = st.one_of(
    st.sampled_from(["", "0", "1", "x.y", "question.__class__", "question[0]", "a b", "é"]),
    st.sampled_from(["file", "name", "crisis_number", "__class__"]),
    any_text(max_size=6),
)
SPECS = st.one_of(
    st.sampled_from(["", ",", ",.0f", ".0%", "g", ">99999999", ".999999999f", "{question}"]),
    st.sampled_from(["<5", "^10", "x", "s", "d", ",d", "=+12", "z", "#", "0>3"]),
    any_text(max_size=5),
)


@st.composite
def fields(draw, names: tuple[str, ...]) -> str:
    """A field the program fills in, as the shipped texts write one (half the time), or
    anything str.format might take."""
    if draw(st.booleans()):
        name = draw(st.sampled_from(names))
        conversion = draw(st.sampled_from(["", "!r"]))
        spec = draw(st.sampled_from(["", "", ",", ",.0f", ".0%", "g"]))
    else:
        name = draw(st.one_of(st.sampled_from(names), HOSTILE_NAMES))
        conversion = draw(st.sampled_from(["", "!r", "!s", "!a", "!x", "!"]))
        spec = draw(SPECS)
    return "{" + name + conversion + (":" + spec if spec or draw(st.booleans()) else "") + "}"


def template_pieces(names: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(
        fields(names),
        st.sampled_from(["{", "}", "{{", "}}", "Ask: ", " ", "!", ":", "x"]),
        any_text(max_size=5),
    )


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string; a lone surrogate stays raw (written with
    surrogatepass, so the file is not UTF-8), as TOML has no escape for it."""
    escaped = []
    for ch in text:
        if ch in '"\\':
            escaped.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            escaped.append(f"\\u{ord(ch):04x}")
        else:
            escaped.append(ch)
    return '"' + "".join(escaped) + '"'


def _copy(folder: Path) -> Path:
    bank = folder / "bank"
    shutil.copytree(QUESTIONS, bank)
    return bank


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))


def _set_text(bank: Path, name: str, key: str, value: str) -> None:
    path = bank / name
    old = path.read_text(encoding="utf-8")
    new, count = re.subn(
        rf"(?m)^{re.escape(key)} = .*$", lambda _: f"{key} = {value}", old, count=1
    )
    assert count == 1, (name, key)
    _write(path, new)


def _check(bank: Path) -> int:
    result = run_cli("check-questions", str(bank))
    assert result.returncode in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 2:
        lines = result.stderr.splitlines()
        assert lines and result.stdout == ""
        assert all(0 < len(line) <= 200 for line in lines), lines
    return result.returncode


def _scores(bank: Path, folder: Path) -> None:
    """The bank, installed, scores the examples in every kind of summary, and batch."""
    out = folder / "out.csv"
    runs = [
        ("score", "--region", "GB", str(EXAMPLES / "classic.json")),
        ("score", "-a", "clinician", str(EXAMPLES / "child.json")),
        ("score", "-f", "html", str(EXAMPLES / "red-flag.json")),
        ("score", "-f", "markdown", str(EXAMPLES / "lookalike.json")),
        ("batch", str(EXAMPLES / "classic.json"), str(EXAMPLES / "unsure.json"), "-o", str(out)),
    ]
    with installed(bank):
        for args in runs:
            result = run_cli(*args)
            assert result.returncode == 0, (args, result.stderr[:500])
            assert len(result.stdout) + len(result.stderr) < 200_000
    assert out.stat().st_size < 10_000


@FUZZ
@given(
    st.sampled_from(["lookalikes.toml", "core.toml", "instrument.toml", "summary.toml"]),
    st.sampled_from(["insert", "replace"]),
    toml_ish(),
    st.integers(0, 10_000),
)
def test_a_bank_file_of_toml_ish_text(name, how, text, at):
    with tempfile.TemporaryDirectory() as folder:
        bank = _copy(Path(folder))
        path = bank / name
        if how == "insert":
            old = path.read_text(encoding="utf-8")
            at %= len(old) + 1
            text = old[:at] + text + old[at:]
        _write(path, text)
        if _check(bank) == 0:
            _scores(bank, Path(folder))


@st.composite
def templates(draw) -> tuple[str, str, str]:
    name = draw(st.sampled_from(sorted(TEMPLATES)))
    key, names = TEMPLATES[name]
    return name, key, "".join(draw(st.lists(template_pieces(names), max_size=5)))


@MORE
@given(templates())
# The cases, always tried: each passed check-questions on main, then broke score.
@example(("crisis.toml", "emergency_first", "call {emergency:.999999999f} now"))
@example(("crisis.toml", "emergency_first", "call {emergency:,} now"))
@example(("interface/reports.toml", "ask", "Ask: {question:>99999999}"))
def test_random_templates_in_the_texts_the_program_fills_in(drawn):
    name, key, template = drawn
    with tempfile.TemporaryDirectory() as folder:
        bank = _copy(Path(folder))
        _set_text(bank, name, key, toml_string(template))
        if _check(bank) == 0:
            _scores(bank, Path(folder))


@FUZZ
@given(
    st.sampled_from(
        [
            ("summary.toml", "title"),
            ("summary.toml", "iron_note"),
            ("interface/reports.toml", "ask"),
            ("interface/tui.toml", "title"),
            ("crisis.toml", "trust"),
            ("about.toml", "title"),
        ]
    ),
    any_text(),
)
def test_any_unicode_in_a_text(where, text):
    name, key = where
    with tempfile.TemporaryDirectory() as folder:
        bank = _copy(Path(folder))
        _set_text(bank, name, key, toml_string(text))
        if _check(bank) == 0:
            _scores(bank, Path(folder))
