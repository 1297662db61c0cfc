"""Every text a person reads comes from `questions/` (ARCHITECTURE.md, "Where texts
live"). The faces' code is read as a syntax tree: a string literal that reads like words
fails the test, unless it is not shown to anyone (a CSS rule, a widget id, a key name...).
And every interface text is used: a key in `questions/interface/*.toml` that no code
names fails, as does a name in code that has no text."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from rls_screen.core.locations import default_questions_dir
from rls_screen.core.texts import FOLDER

PACKAGE = Path(__file__).resolve().parent.parent / "rls_screen"


def interface_texts() -> dict[str, str]:
    """Every shipped interface text by the key code names it with, as ``ui`` finds it:
    ``[review] title = ...`` in ``interface/tui.toml`` is ``tui.review.title``."""
    texts: dict[str, str] = {}

    def flatten(table: dict, prefix: str) -> None:
        for name, value in table.items():
            if isinstance(value, dict):
                flatten(value, f"{prefix}{name}.")
            else:
                texts[f"{prefix}{name}"] = value

    for path in sorted((default_questions_dir() / FOLDER).glob("*.toml")):
        flatten(tomllib.loads(path.read_text(encoding="utf-8")), f"{path.stem}.")
    return texts


# Every module is read but these, where no wording lives, each for its reason.
NOT_READ = {
    "core/texts.py": "the lines about an interface text file that cannot be read: they "
    "cannot come from that file",
    "core/toml_files.py": "the same lines for the bank's own TOML files, read before any text",
    "core/reading.py": "why a bank file cannot be read, read before any text",
    "batch/columns.py": "Python source of the generated encoders, not words",
}
CODE = sorted(
    path for path in PACKAGE.rglob("*.py") if path.relative_to(PACKAGE).as_posix() not in NOT_READ
)

# Literals that read like words but that no person reads as wording, each with its reason.
NOT_WORDING = {
    ("interop/fhir.py", "Questionnaire"): "a FHIR resource type",
    ("interop/fhir.py", "Patient"): "a FHIR resource type",
    ("interop/fhir.py", "Bundle"): "a FHIR resource type",
    ("batch/run.py", "Bundle"): "a FHIR resource type",
    ("interop/diary_files.py", "Bundle"): "a FHIR resource type",
    ("interop/diary_fhir.py", "Questionnaire"): "a FHIR resource type",
    ("interop/diary_fhir.py", "Patient"): "a FHIR resource type",
    ("interop/diary_fhir.py", "Bundle"): "a FHIR resource type",
    ("interop/records.py", "rls-screen kiosk"): "a record's meta 'via' value: the program",
    ("web_form/app.py", "rls-screen web"): "an answer file's meta 'via' value: the program",
    ("interop/records.py", "warning sign"): "a value of the alert file, for clinics' scripts",
    ("batch/reading.py", "unexpected end of data"): "the csv module's words, compared with",
    ("reports/html.py", "block red-flags"): "CSS classes",
    ("reports/html.py", "part red-flags"): "CSS classes",
    ("core/bank.py", "This is not a diagnosis"): "what the bank's disclaimer must contain: "
    "a check of the data, never shown but inside the message that names it",
}

# Calls whose string arguments are never shown: selectors, CSS classes, ids, actions,
# programming errors.
NOT_SHOWN_CALLS = {
    "query",
    "query_one",
    "query_ancestor",
    "add_class",
    "remove_class",
    "has_class",
    "set_class",
    "toggle_class",
    "ValueError",
    "TypeError",
    "RuntimeError",
    "AssertionError",
    "NotImplementedError",
    "KeyError",
    "getattr",
    "setattr",
    "hasattr",
    "ui",
    "startswith",
    "endswith",
    "split",
    "join",
    "replace",
    "strip",
    "encode",
    "decode",
}
NOT_SHOWN_KEYWORDS = {"id", "classes", "name", "variant", "action", "key", "group", "mode"}
# CSS, and the list of ISO 3166 country codes (crisis.py).
NOT_SHOWN_NAMES = {
    "DEFAULT_CSS",
    "CSS",
    "CSS_PATH",
    "COMPONENT_CLASSES",
    "STYLE",
    "_ASSIGNED",
    "SQL",  # SQLite statements (interop/diary_store.py)
    "MIGRATIONS",
    "__all__",
}

WORDS = re.compile(r"[A-Za-z]{2,}[ '’][ ]*[A-Za-z]{2,}")
ONE_WORD = re.compile(r"^[A-Z][a-z]{2,}[.!?:…]?$")


# A piece of HTML markup: a tag, or the attributes of one (reports/html.py).
MARKUP = re.compile(r'^\s*(<|">|</)|<[a-z][a-z0-9]*[ >]')


def reads_like_words(text: str) -> bool:
    if MARKUP.search(text):
        return False
    text = re.sub(r"\{[^}]*\}", "", text)
    return bool(WORDS.search(text) or ONE_WORD.match(text.strip()))


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def shown_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal in ``path`` that reads like words and may be
    shown to a person."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body:
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))  # a docstring
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
            if names & NOT_SHOWN_NAMES and node.value is not None:
                skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Call):
            if _call_name(node) in NOT_SHOWN_CALLS:
                for arg in node.args:
                    skip.update(id(n) for n in ast.walk(arg))
            for keyword in node.keywords:
                if keyword.arg in NOT_SHOWN_KEYWORDS:
                    skip.update(id(n) for n in ast.walk(keyword.value))
        if isinstance(node, ast.Subscript):  # mapping["some key"] is a look-up
            skip.update(id(n) for n in ast.walk(node.slice))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in skip
            and reads_like_words(node.value)
        ):
            found.append((node.lineno, node.value))
    return sorted(found)


@pytest.mark.parametrize("path", CODE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_code_holds_no_wording_of_its_own(path: Path) -> None:
    module = path.relative_to(PACKAGE).as_posix()
    found = [(n, text) for n, text in shown_literals(path) if (module, text) not in NOT_WORDING]
    assert not found, "\n".join(
        f"{module}:{line}: {text!r} (put it in questions/interface/)" for line, text in found
    )


def test_every_exception_is_still_there() -> None:
    """An exception above that the code no longer has is dead weight: it would let the
    same words back in unseen."""
    for module in NOT_READ:
        assert (PACKAGE / module).is_file(), module
    for module, text in NOT_WORDING:
        assert (module, text) in {(module, t) for _, t in shown_literals(PACKAGE / module)}


def test_the_check_finds_wording() -> None:
    """The check above can fail: it finds the kinds of literal it is meant to find."""
    code = (
        "from textual.widgets import Button\n"
        "def f(app):\n"
        '    """A docstring is not shown."""\n'
        '    app.query_one("#save Button")\n'
        '    app.notify("Your answers were saved")\n'
        '    return Button("Back", id="back-button")\n'
    )
    sample = PACKAGE.parent / "tests" / "_sample_face.py"
    try:
        sample.write_text(code, encoding="utf-8")
        assert [text for _, text in shown_literals(sample)] == ["Your answers were saved", "Back"]
    finally:
        sample.unlink()


def _keys_named_in_code() -> set[str]:
    keys: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and _call_name(node) == "ui"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_text_named_in_code_exists() -> None:
    missing = sorted(_keys_named_in_code() - set(interface_texts()))
    assert not missing, f"named in code but not in questions/: {missing}"


def test_every_interface_text_is_used() -> None:
    unused = sorted(set(interface_texts()) - _keys_named_in_code())
    assert not unused, f"in questions/ but named by no code: {unused}"
