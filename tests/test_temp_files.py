"""Issue 19: no temp file is ever left, on any error. The atomic writer (interop/files.py,
which every save, draft, kiosk record and ``-o`` goes through) is made to fail at each
step, by an OSError, text it cannot encode, or Ctrl+C: the folder is as it was."""

from __future__ import annotations

import os

import pytest

from rls_screen.core.errors import InputError
from rls_screen.interop import files
from rls_screen.interop.files import write_private


class Interrupt(KeyboardInterrupt):
    pass


def failing(exc: BaseException):
    def fail(*args, **kwargs):
        raise exc

    return fail


STEPS = ("fchmod", "fdopen", "fsync", "replace")
FAILURES = {
    "oserror": OSError(28, "No space left on device"),
    "ctrl-c": Interrupt(),
    "encode": UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
@pytest.mark.parametrize("step", STEPS)
def test_a_failure_at_any_step_leaves_no_temp_file(tmp_path, monkeypatch, step, failure):
    target = tmp_path / "answers.json"
    target.write_text("the old answers")
    monkeypatch.setattr(files.os, step, failing(FAILURES[failure]))
    exc = FAILURES[failure]
    expected = InputError if isinstance(exc, OSError | UnicodeError) else Interrupt
    with pytest.raises(expected) as raised:
        write_private(target, "the new answers")
    monkeypatch.undo()
    if expected is InputError:
        assert "answers.json" in str(raised.value) and "\n" not in str(raised.value)
    assert sorted(os.listdir(tmp_path)) == ["answers.json"]
    assert target.read_text() == "the old answers"  # wholly the old file, or the new one


def test_text_that_cannot_be_written_leaves_no_temp_file(tmp_path):
    target = tmp_path / "summary.txt"
    with pytest.raises(InputError, match="not valid Unicode"):
        write_private(target, "own words \ud800")
    assert os.listdir(tmp_path) == []


def test_a_name_that_cannot_be_encoded_is_one_line(tmp_path):
    with pytest.raises(InputError, match="not valid Unicode"):
        write_private(tmp_path / "summary\ud800.txt", "text")
    with pytest.raises(InputError, match="not valid Unicode"):
        write_private(tmp_path / "folder\ud800" / "summary.txt", "text")
    assert os.listdir(tmp_path) == []


def test_a_write_that_fails_half_way_leaves_no_temp_file(tmp_path, monkeypatch):
    """A write that fails after some bytes are out (a full disk at the flush)."""
    target = tmp_path / "draft.json"
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    with pytest.raises(InputError, match="No space left"):
        write_private(target, "x" * 100_000)
    assert os.listdir(tmp_path) == []


# A process killed while it wrote (kill -9, a power cut) cannot remove its temp file:
# the next one that holds the folder's lock does.


def left_by_a_kill(folder, name="draft.json"):
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f".{name}.k9x2ab7q.tmp"
    temp.write_text('{"answers": {"own_words": "half of it')
    return temp


def test_the_next_window_with_the_lock_removes_what_a_killed_one_left(bank, tmp_path):
    from rls_screen.interop.draft_lock import DraftLock
    from rls_screen.interop.drafts import Drafts

    folder = tmp_path / "drafts"
    temp = left_by_a_kill(folder)
    mine = folder / "notes.tmp"  # not named as the writer names its temp files: kept
    mine.write_text("kept")
    drafts = Drafts(bank, folder=folder)
    drafts.lock = DraftLock(folder)
    assert drafts.lock.acquire()
    assert drafts.load() is None
    assert not temp.exists() and mine.exists()
    drafts.lock.release()


def test_a_window_without_the_lock_leaves_the_writers_temp_file_alone(bank, tmp_path):
    from rls_screen.interop.draft_lock import DraftLock
    from rls_screen.interop.drafts import Drafts

    folder = tmp_path / "drafts"
    temp = left_by_a_kill(folder)
    other = DraftLock(folder)
    assert other.acquire()  # another window is writing there
    drafts = Drafts(bank, folder=folder)
    drafts.lock = DraftLock(folder)
    assert not drafts.lock.acquire()
    drafts.load()
    assert temp.exists()
    other.release()


def test_a_kiosk_starting_removes_what_a_killed_kiosk_left(tmp_path):
    from rls_screen.interop.records import draft_folder, set_aside_draft

    record = left_by_a_kill(tmp_path, "kiosk-20261204-1a2b3c.json")
    draft = left_by_a_kill(draft_folder(tmp_path))
    link = tmp_path / ".kiosk-x.json.abcdefgh.tmp"
    link.symlink_to(tmp_path / "elsewhere")  # a link is never a temp file of ours
    set_aside_draft(tmp_path)
    assert not record.exists() and not draft.exists() and link.is_symlink()
