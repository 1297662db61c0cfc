"""Each vocabulary is written once (issue 20): the pattern names, the contributing
factors, the frequency codes and the respondent codes are listed in ``core/vocab.py``
only, and every other module imports them. A second list drifts from the first (a code
added to one and not the other is a page or a result that disagrees)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import rls_screen
from rls_screen.core import vocab

PACKAGE = Path(rls_screen.__file__).resolve().parent
VOCABULARIES = {
    "patterns": vocab.PATTERNS,
    "factors": vocab.FACTORS,
    "frequencies": vocab.FREQUENCIES,
    "respondents": vocab.RESPONDENTS,
}


def _named(node: ast.AST) -> set[str]:
    """The codes a tuple, list or set literal names: its strings, and the first string of
    each tuple in it (a table of rules such as (factor, item, codes))."""
    found: set[str] = set()
    for element in getattr(node, "elts", ()):
        if isinstance(element, ast.Tuple) and element.elts:
            element = element.elts[0]
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            found.add(element.value)
    return found


def _listings(codes: tuple[str, ...]) -> list[str]:
    wanted = set(codes)
    places = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set) and wanted <= _named(node):
                places.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return places


@pytest.mark.parametrize("name", VOCABULARIES)
def test_each_vocabulary_is_listed_once(name):
    places = _listings(VOCABULARIES[name])
    assert len(places) == 1, places
    assert places[0].startswith("core/vocab.py:"), places


def test_the_result_model_reads_the_vocabularies(bank):
    from rls_screen.core.engine import Result

    fields = Result.model_fields
    assert fields["pattern"].annotation == vocab.Pattern
    assert vocab.PATTERNS == (
        "incomplete",
        "all_features",
        "all_features_with_lookalikes",
        "some_features",
        "uncertain",
        "no_features",
    )


def test_the_vocabularies_load_without_pydantic():
    code = "import sys; import rls_screen.core.vocab; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
