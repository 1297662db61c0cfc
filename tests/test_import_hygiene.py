"""The engine and everything that is not UI import neither textual nor rich
(after harlequin's test_import_hygiene): the TUI, the plain mode and batch are faces
over one headless engine."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import rls_screen

UI_PACKAGES = ("rls_screen.tui",)


def headless_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(rls_screen.__path__, "rls_screen."):
        if not info.name.startswith(UI_PACKAGES) and info.name != "rls_screen.__main__":
            names.append(info.name)
    return sorted(names)


def test_there_are_headless_modules_to_check():
    names = headless_modules()
    for expected in (
        "rls_screen.core.engine",
        "rls_screen.core.bank",
        "rls_screen.reports.summary",
        "rls_screen.cli",
    ):
        assert expected in names


def test_no_headless_module_imports_the_ui():
    # One fresh interpreter imports the modules one by one and names the first whose
    # import brings in textual or rich (the ones before it did not).
    code = (
        "import importlib, sys\n"
        f"for module in {headless_modules()!r}:\n"
        "    importlib.import_module(module)\n"
        "    bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "    if bad:\n"
        "        print(module, 'pulls in', ','.join(bad))\n"
        "        break\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_scoring_a_file_loads_no_ui(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"answers": {"urge": "yes"}}')
    code = (
        "import sys; from rls_screen.cli import main; "
        f"rc = main(['score', {str(path)!r}, '--format', 'json']); "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "sys.stderr.write(repr(bad))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr == "[]"
