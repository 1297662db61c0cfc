"""Issue 19: arbitrary Unicode, lone surrogates included, as own words, option codes and
keys, fed to every reader through the real entry point (``main``, in process). Whatever
comes in: exit status 0 or 2, never a traceback, one line on error, no temp file left.
Also as raw bytes that are not UTF-8 (a surrogate encoded as if it were a character)."""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from pathlib import Path

from cli_runner import run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rls_screen.core.bank import load_bank
from rls_screen.interop import fhir
from rls_screen.interop.drafts import Drafts

ROOT = Path(__file__).resolve().parent.parent
CHILD = json.loads((ROOT / "examples" / "child.json").read_text())

SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
# C0, DEL and C1 controls (ESC, BEL, NUL...): 65 of 1.1 million code points, so drawn on
# purpose, as often as any other character.
CONTROL = st.sampled_from([chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]])


@st.composite
def any_text(draw) -> str:
    """Any code point, controls often; in half the texts a lone surrogate somewhere
    (in st.characters() they are 2,048 code points of 1.1 million, hardly ever drawn)."""
    text = draw(st.text(st.one_of(st.characters(), CONTROL), max_size=20))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(SURROGATE) + text[at:]
    return text


ANY_TEXT = any_text()
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

COMMANDS = (
    ("score",),
    ("score", "-a", "clinician"),
    ("score", "-f", "markdown", "-a", "clinician"),
    ("score", "-f", "html"),
    ("score", "-f", "json"),
    ("convert", "--to", "fhir"),
    ("convert", "--to", "answers"),
)
WRITERS = {COMMANDS[1], COMMANDS[5], COMMANDS[6]}


@st.composite
def documents(draw) -> dict:
    doc = json.loads(json.dumps(CHILD))
    answers = doc["answers"]
    where = draw(st.sampled_from(["own_words", "single", "multi", "key", "top_key", "meta"]))
    text = draw(ANY_TEXT)
    if where == "own_words":
        answers["own_words"] = text
    elif where == "single":
        answers["urge"] = text
    elif where == "multi":
        answers["sensations"] = ["creeping_crawling", text]
    elif where == "key":
        answers[text] = draw(st.sampled_from(["yes", text]))
    elif where == "top_key":
        doc[text] = "yes"
    else:
        doc["meta"] = {text: text}
    return doc


def encodings(doc_text: str, raw: bool) -> bytes:
    """The JSON as a file holds it: escapes (valid JSON), or the characters as they are,
    surrogates written as if they were characters (not UTF-8)."""
    if raw:
        return doc_text.encode("utf-8", "surrogatepass")
    return doc_text.encode("utf-8")


def check_every_command(data: bytes, commands=COMMANDS) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.json"
        source.write_bytes(data)
        out = Path(folder) / "out"
        for command in commands:
            # Every command to stdout; the writers (a summary, FHIR, an answer file) to -o.
            writes = command in WRITERS
            for extra in ((), ("-o", str(out))) if writes else ((),):
                proc = run_cli(*command, str(source), *extra)
                assert proc.returncode in (0, 2), (command, proc.stderr)
                assert "Traceback" not in proc.stderr
                if proc.returncode == 2:
                    assert len(proc.stderr.splitlines()) == 1, proc.stderr
                    assert proc.stderr.startswith("rls-screen: "), proc.stderr
                    assert not out.exists()
                out.unlink(missing_ok=True)
        left = sorted(p.name for p in Path(folder).iterdir())
        assert left == ["in.json"], left


@FUZZ
@given(documents(), st.booleans())
def test_answer_files_with_any_unicode(doc, ascii_escapes):
    check_every_command(
        json.dumps(doc, ensure_ascii=ascii_escapes).encode("utf-8", "surrogatepass")
    )


@FUZZ
@given(documents())
def test_answer_files_with_escapes_score_refuses_what_convert_refuses(doc):
    """What convert --to answers writes, score reads: never a file that score refuses."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.json"
        source.write_text(json.dumps(doc))
        copy = Path(folder) / "copy.json"
        converted = run_cli("convert", "--to", "answers", str(source), "-o", str(copy))
        assert converted.returncode in (0, 2), converted.stderr
        if converted.returncode == 0:
            scored = run_cli("score", str(copy))
            assert scored.returncode == 0, scored.stderr


_BANK = load_bank()
_RESPONSE = fhir.dumps(
    fhir.to_response({"urge": "yes", "own_words": "PLACEHOLDER", "rest": "yes"}, _BANK)
)


@FUZZ
@given(ANY_TEXT, st.sampled_from(["own_words", "code", "link"]), st.booleans())
def test_fhir_responses_with_any_unicode(text, where, raw):
    doc = json.loads(_RESPONSE)
    if where == "own_words":
        response = _RESPONSE.replace('"PLACEHOLDER"', json.dumps(text))
    elif where == "code":
        response = _RESPONSE.replace('"yes"', json.dumps(text), 1)
    else:
        response = _RESPONSE.replace('"linkId": "urge"', '"linkId": ' + json.dumps(text), 1)
    assert response != json.dumps(doc)
    if raw:
        response = json.dumps(json.loads(response), ensure_ascii=False)
    check_every_command(encodings(response, raw))


# --- batch: the same documents as a .jsonl line, a whole .json file, or a .csv cell ----

# What a terminal would run if `cat` showed it: C0 controls (tab and line ends aside),
# DEL and C1 controls. batch escapes them in what it writes and in what it says.
RAW_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def csv_sheet(text: str, where: str) -> str:
    cells = {"id": "p1", "urge": "yes", "own_words": "fine"}
    header = ["id", "urge", "own_words"]
    if where == "header":
        header[2] = text
    else:
        cells[where] = text
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(header)
    writer.writerow([cells["id"], cells["urge"], cells["own_words"]])
    writer.writerow(["clean", "yes", "fine"])  # always scorable, whatever the other row
    return rows.getvalue()


def check_batch(folder: Path, source: Path, out_name: str, clean_records: int) -> None:
    out = folder / out_name
    proc = run_cli("batch", str(source), "-o", str(out))
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Traceback" not in proc.stderr
    for line in proc.stderr.splitlines():
        assert not RAW_CONTROL.search(line), line
    if clean_records:
        assert proc.returncode in (0, 1), proc.stderr  # one bad record never stops the rest
    if proc.returncode == 2:
        assert not out.exists()
    else:
        assert out.stat().st_mode & 0o777 == 0o600
        written = out.read_bytes().decode("utf-8")  # always UTF-8, whatever came in
        assert not RAW_CONTROL.search(written)
        rows = written.splitlines()[1:] if out_name.endswith(".csv") else written.splitlines()
        assert len(rows) >= clean_records
        out.unlink()
    left = sorted(p.name for p in folder.iterdir())
    assert left == [source.name], left


@FUZZ
@given(documents(), st.sampled_from(["jsonl", "json"]), st.booleans(), st.booleans())
def test_batch_records_with_any_unicode(doc, kind, ascii_escapes, to_csv):
    text = json.dumps(doc, ensure_ascii=ascii_escapes)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / f"in.{kind}"
        if kind == "jsonl":  # the record beside a clean one, on one line each
            lines = [text.replace("\n", " "), json.dumps(CHILD)]
            source.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n")
        else:
            source.write_bytes(text.encode("utf-8", "surrogatepass"))
        out_name = "out.csv" if to_csv else "out.jsonl"
        check_batch(folder, source, out_name, clean_records=1 if kind == "jsonl" else 0)


@FUZZ
@given(ANY_TEXT, st.sampled_from(["id", "urge", "own_words", "header"]), st.booleans())
def test_batch_csv_cells_with_any_unicode(text, where, to_csv):
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "in.csv"
        source.write_bytes(csv_sheet(text, where).encode("utf-8", "surrogatepass"))
        out_name = "out.csv" if to_csv else "out.jsonl"
        check_batch(folder, source, out_name, clean_records=0 if where == "header" else 1)


# --- drafts: what the questionnaire reads at start -------------------------------------


@FUZZ
@given(documents(), st.booleans())
def test_drafts_with_any_unicode_load_or_are_set_aside_whole(doc, ascii_escapes):
    """A draft is read, or set aside byte for byte; never a crash, never lost."""
    data = json.dumps(doc, ensure_ascii=ascii_escapes).encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as name:
        drafts = Drafts(_BANK, Path(name))
        drafts.path.write_bytes(data)
        loaded = drafts.load()
        if loaded is None:
            assert drafts.moved_aside is not None
            assert drafts.moved_aside.read_bytes() == data
            assert not drafts.path.exists()
        else:
            answers, _ = loaded
            json.dumps(answers, ensure_ascii=False).encode("utf-8")  # only real text
            drafts.save(answers)
            assert drafts.load() == (answers, None)
