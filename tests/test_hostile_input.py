"""The command line under hostile and unlucky input: every input is answered with the
documented exit status and one short line per problem, never a traceback or a hang.

The fuzz test drives the real entry point (``rls_screen.cli.main``) in-process, with
captured streams, for speed; the cases that need a real closed stream, a FIFO or a
device run the installed module in a subprocess with a timeout.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rls_screen.cli import main

ROOT = Path(__file__).resolve().parent.parent
CLASSIC = ROOT / "examples" / "classic.json"
LINE_MAX = 220  # "at most about 200 characters", with room for the program name


def run_main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def run_proc(*args: str, timeout: float = 20, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rls_screen", *args],
        capture_output=True,
        timeout=timeout,
        text=True,
        **kwargs,
    )


def one_short_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert len(lines[0]) <= LINE_MAX, lines[0]
    assert "Traceback" not in stderr
    return lines[0]


# --- the fuzz test ---------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
ITEM_IDS = st.sampled_from(["urge", "sensations", "own_words", "mood", "movement", "nope"])
WRONG_SHAPES = st.fixed_dictionaries(
    {"answers": st.dictionaries(ITEM_IDS, JSON_VALUES, max_size=4)},
    optional={
        "instrument": JSON_VALUES,
        "instrument_version": st.sampled_from(["1.0.0", "2.0.0", "3.0.0", "x"]) | JSON_VALUES,
        "meta": JSON_VALUES,
        "extra": JSON_VALUES,
    },
)
FHIR = st.fixed_dictionaries(
    {
        "resourceType": st.sampled_from(["QuestionnaireResponse", "Bundle", "Patient"]),
        "item": st.lists(
            st.fixed_dictionaries(
                {"linkId": ITEM_IDS | JSON_VALUES},
                optional={"answer": JSON_VALUES, "item": JSON_VALUES},
            ),
            max_size=3,
        )
        | JSON_VALUES,
    },
    optional={"questionnaire": JSON_VALUES, "status": JSON_VALUES, "entry": JSON_VALUES},
)
NEAR_JSON = st.builds(
    lambda text, cut, junk: text[:cut] + junk + text[cut:],
    st.just(CLASSIC.read_text()),
    st.integers(0, 1500),
    st.sampled_from(
        ["", "}", ",", '"', "NaN", "1e999", "\x00", "\\u", '"urge": "yes", ', "9" * 5000]
    ),
)
DOCUMENTS = (
    st.binary(max_size=300)
    | NEAR_JSON.map(str.encode)
    | WRONG_SHAPES.map(lambda d: json.dumps(d).encode())
    | FHIR.map(lambda d: json.dumps(d).encode())
)
JSONL = st.lists(DOCUMENTS.map(lambda b: b.replace(b"\n", b" ")), min_size=1, max_size=4).map(
    lambda rows: b"\n".join(rows)
)
CSV = st.lists(
    st.lists(st.text(alphabet='ab;,"\n\r=x urgeyesno', max_size=8), min_size=1, max_size=4),
    min_size=1,
    max_size=4,
).map(lambda rows: "\n".join(",".join(r) for r in [["id", "urge", "sensations"], *rows]).encode())


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=DOCUMENTS, command=st.sampled_from(["score", "convert"]))
def test_score_and_convert_answer_any_input_in_one_line(data, command):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.json"
        path.write_bytes(data)
        args = [command, str(path)] + (["--to", "fhir"] if command == "convert" else [])
        status, out, err = run_main(*args)
    assert status in (0, 2), (status, err)
    assert "Traceback" not in err
    if status == 2:
        one_short_line(err)
        assert out == ""  # nothing half-written
    else:
        assert len(err.splitlines()) <= 1  # convert may say which answers it left out


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    kind=st.sampled_from(["json", "jsonl", "csv"]),
    payload=st.data(),
)
def test_batch_answers_any_input_with_a_line_per_problem(kind, payload):
    data = payload.draw({"json": DOCUMENTS, "jsonl": JSONL, "csv": CSV}[kind])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"in.{kind}"
        path.write_bytes(data)
        status, out, err = run_main("batch", str(path), "--out", str(Path(tmp) / "out.jsonl"))
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    # At most a line per record (a line, or an entry of a Bundle: each is an object) and
    # the tally. A CSV line may also end in a bare carriage return (old Mac files).
    records = data.count(b"\n") + data.count(b"\r") + data.count(b"{") + 1
    assert len(lines) <= records + 2, err
    assert all(len(line) <= LINE_MAX for line in lines), err


# --- named cases: score and convert ----------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"answers": {"urge": "yes", "urge": "no"}}', "key 'urge' is given twice"),
        ('{"answers": {"urge": "yes"}, "meta": {"a": NaN}}', "'a': NaN is not allowed"),
        ('{"answers": {"urge": "yes"}, "meta": {"a": -Infinity}}', "-Infinity is not allowed"),
        ('{"answers": {"urge": 1e999}}', "'1e999' is too large a number"),
        ('{"answers": {"urge": ' + "9" * 4301 + "}}", "'urge': a number of 4301 digits"),
        ('{"answers": {"sensations": [' + "7" * 5000 + "]}}", "a number of 5000 digits"),
    ],
    ids=["duplicate-keys", "nan", "infinity", "float-overflow", "huge-int", "huge-int-in-list"],
)
def test_strict_json_is_named_by_key(tmp_path, text, expected):
    status, out, err = run_main("score", write(tmp_path, text))
    assert status == 2 and out == ""
    assert expected in one_short_line(err)


def test_a_10_mb_value_is_quoted_short(tmp_path):
    # Over the size cap: refused before parsing. Under it: the value is quoted short.
    text = json.dumps({"answers": {"urge": "x" * 10_000_000}})
    status, _, err = run_main("score", write(tmp_path, text))
    assert status == 2 and "larger than 4 MB" in one_short_line(err)
    text = json.dumps({"answers": {"urge": "x" * 3_000_000}})
    status, _, err = run_main("score", write(tmp_path, text))
    line = one_short_line(err)
    assert status == 2 and "item 'urge'" in line and "…" in line


def test_an_oversized_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b'{"answers": {}, "meta": {"x": "' + b"y" * (5 * 1024 * 1024) + b'"}}')
    status, _, err = run_main("score", str(path))
    assert status == 2 and "larger than 4 MB" in one_short_line(err)


def test_a_file_name_with_a_newline_and_an_escape_is_one_safe_line(tmp_path):
    name = tmp_path / "a\nb\x1b[31m.json"
    status, _, err = run_main("score", str(name))
    line = one_short_line(err)
    assert status == 2
    assert "\x1b" not in err and "\\x1b[31m" in line and "a\\nb" in line


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)
    proc = run_proc("score", str(fifo), timeout=15)  # no writer: reading would block
    assert proc.returncode == 2
    assert "not a regular file" in one_short_line(proc.stderr)


def test_a_symlink_to_dev_zero_is_refused_at_once(tmp_path):
    link = tmp_path / "answers.json"
    link.symlink_to("/dev/zero")
    proc = run_proc("score", str(link), timeout=15)
    assert proc.returncode == 2
    assert "not a regular file" in one_short_line(proc.stderr)


def test_dev_zero_on_stdin_is_read_with_a_bound(tmp_path):
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run(
            [sys.executable, "-m", "rls_screen", "score", "-"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert proc.returncode == 2
    assert "larger than 4 MB" in one_short_line(proc.stderr)


def test_closed_stdin(tmp_path):
    proc = subprocess.run(
        f'"{sys.executable}" -m rls_screen score - <&-',
        shell=True,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert proc.returncode == 2
    assert "standard input is closed" in one_short_line(proc.stderr)


@pytest.mark.parametrize("command", ["score", "convert"])
def test_closed_stdout(command):
    extra = " --to fhir" if command == "convert" else ""
    proc = subprocess.run(
        f'"{sys.executable}" -m rls_screen {command} "{CLASSIC}"{extra} >&-',
        shell=True,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert proc.returncode == 2
    assert "standard output is closed" in one_short_line(proc.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_full_stdout():
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "rls_screen", "score", str(CLASSIC)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=20,
        )
    assert proc.returncode == 2
    assert "No space left on device" in one_short_line(proc.stderr)


def test_output_onto_a_device_or_fifo_is_refused(tmp_path):
    fifo = tmp_path / "out.txt"
    os.mkfifo(fifo)
    status, _, err = run_main("score", str(CLASSIC), "-o", str(fifo))
    assert status == 2 and "not a regular file" in one_short_line(err)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    status, _, err = run_main("convert", str(CLASSIC), "--to", "fhir", "-o", "/dev/null")
    assert status == 2 and "not a regular file" in one_short_line(err)
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_output_onto_a_folder_or_link_is_refused(tmp_path):
    status, _, err = run_main("score", str(CLASSIC), "-o", str(tmp_path))
    assert status == 2 and "is a folder" in one_short_line(err)
    target = tmp_path / "real.txt"
    target.write_text("keep me")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    status, _, err = run_main("score", str(CLASSIC), "-o", str(link))
    assert status == 2 and "is a link" in one_short_line(err)
    assert target.read_text() == "keep me"


def test_dash_output_means_stdout():
    status, out, err = run_main("score", str(CLASSIC), "-o", "-")
    assert status == 0 and out.startswith("Your restless legs summary") and err == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["kiosk", "--save-dir", "/tmp/x", "--idle-reset", "nan"], "'nan' is not a number"),
        (["serve", "--host", ""], "not an address"),
        (["kiosk", "--save-dir", "/tmp/x", "--idle-reset", "inf"], "'inf' is not a number"),
        (["serve", "--port", "0"], "not a port number"),
        (["serve", "--port", "9" * 4301], "not a port number"),
        (["score", str(CLASSIC), "--region", "XX"], "not a country code"),
        (["score", "x", "--format", "a\x1bb"], "invalid choice"),
    ],
)
def test_option_errors_read_as_one_line(args, expected):
    proc = run_proc(*args)
    assert proc.returncode == 2
    line = one_short_line(proc.stderr)
    assert expected in line and "\x1b" not in line


def test_plain_mode_reads_dev_zero_with_a_bound():
    with open("/dev/zero", "rb") as zero:
        proc = subprocess.run(
            [sys.executable, "-m", "rls_screen", "--plain"],
            stdin=zero,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert proc.returncode == 2
    assert "a reply longer than 10,000 characters" in one_short_line(proc.stderr)


def test_plain_mode_with_a_closed_stdin():
    proc = subprocess.run(
        f'"{sys.executable}" -m rls_screen --plain <&-',
        shell=True,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert proc.returncode == 2
    assert "standard input is closed" in one_short_line(proc.stderr)


@pytest.mark.parametrize("command", [["score"], ["convert", "--to", "fhir"]])
def test_output_onto_its_own_input_is_refused(tmp_path, command):
    source = tmp_path / "answers.json"
    source.write_text(CLASSIC.read_text())
    link = tmp_path / "link.json"
    link.symlink_to(source)
    for spelling in (str(source), str(tmp_path / "." / "answers.json")):
        status, out, err = run_main(command[0], str(source), *command[1:], "-o", spelling)
        assert status == 2 and "is the input file" in one_short_line(err)
    status, _, err = run_main(command[0], str(link), *command[1:], "-o", str(source))
    assert status == 2 and "is the input file" in one_short_line(err)
    assert source.read_text() == CLASSIC.read_text()  # the answers are still there
