"""What the person can save at the end: the summary (Markdown or plain text) or the
answer file that `rls-screen score` reads back to the same result.

Headless: imports neither textual nor rich.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from rls_screen.answers import Answer, dumps_document
from rls_screen.bank import Bank

# code: (label, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "markdown": ("Summary as Markdown (.md)", ".md"),
    "text": ("Summary as plain text (.txt)", ".txt"),
    "answers": ("Answer file (.json), to open again later", ".json"),
}


def default_folder() -> Path:
    from platformdirs import user_documents_dir

    return Path(user_documents_dir())


def default_filename(fmt: str, today: date | None = None) -> str:
    stem = "rls-screen-answers" if fmt == "answers" else "rls-screen-summary"
    return f"{stem}-{(today or date.today()).isoformat()}{FORMATS[fmt][1]}"


def render_export(bank: Bank, answers: Mapping[str, Answer], fmt: str) -> str:
    if fmt == "answers":
        return dumps_document(answers, bank)
    from rls_screen.engine import score
    from rls_screen.report import summary_markdown, summary_text

    result = score(bank, answers)
    return summary_markdown(bank, result) if fmt == "markdown" else summary_text(bank, result)
