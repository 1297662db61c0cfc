"""The lock beside the draft (issue 19): one writer at a time, a stale lock taken over
silently, a live one only on request, and the first window then knows it lost it."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys

import pexpect
import pytest

from rls_screen.interop.draft_lock import DraftLock, start_time


@pytest.fixture
def two_windows(tmp_path) -> tuple[DraftLock, DraftLock]:
    """Two windows on one draft folder: the first holds the lock, the second does not."""
    first, second = DraftLock(tmp_path), DraftLock(tmp_path)
    assert first.acquire()
    return first, second


@pytest.fixture
def plain_home(tmp_path):
    """A home for --plain windows that share one draft folder (see test_plain.spawn)."""
    (tmp_path / "work").mkdir()
    (tmp_path / "home").mkdir()
    return tmp_path


def test_a_second_window_finds_the_lock_held(tmp_path):
    first, second = DraftLock(tmp_path), DraftLock(tmp_path)
    assert first.acquire()
    assert stat.S_IMODE(first.path.lstat().st_mode) == 0o600
    assert not second.acquire()  # never two writers
    assert second.other() is not None
    assert first.holds()
    first.release()
    assert not first.path.exists()
    assert second.acquire()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.lock"]


def test_take_over_and_the_first_window_knows(two_windows):
    first, second = two_windows
    assert second.acquire(take_over=True)
    assert not first.holds()  # the first window stops writing
    first.release()  # and never removes the other window's lock
    assert second.holds()


def test_a_lock_left_by_a_killed_process_is_stale(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        started = None
        while started is None:
            started = start_time(child.pid)
        (tmp_path / "draft.lock").write_text(f"{child.pid} {started} abc\n")
        assert DraftLock(tmp_path).other() is not None  # alive: held
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    lock = DraftLock(tmp_path)
    assert lock.other() is None
    assert lock.acquire()  # taken over silently
    assert lock.holds()


def test_a_reused_pid_is_stale(tmp_path):
    (tmp_path / "draft.lock").write_text(f"{os.getpid()} 1 abc\n")  # another start time
    assert DraftLock(tmp_path).acquire()


def test_a_lock_that_is_a_link_is_never_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text(f"{os.getpid()} {start_time(os.getpid())} abc\n")
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "draft.lock").symlink_to(elsewhere)
    lock = DraftLock(folder)
    assert lock.other() is None  # not read through the link
    assert lock.acquire()
    assert not (folder / "draft.lock").is_symlink()
    assert elsewhere.read_text().endswith("abc\n")  # the target is untouched


def test_a_window_whose_lock_was_taken_over_writes_nothing(bank, tmp_path, two_windows):
    from rls_screen.interop.drafts import Drafts

    first, second = Drafts(bank, tmp_path), Drafts(bank, tmp_path)
    first.lock, second.lock = two_windows
    first.save({"age_group": "45_64"})
    assert second.lock.acquire(take_over=True)
    second.save({"age_group": "65_plus"})
    first.save({"age_group": "18_44"})  # the first window no longer writes
    first.delete()
    assert first.lock_lost and not second.lock_lost
    assert second.load()[0] == {"age_group": "65_plus"}


def test_plain_second_window_is_asked_and_read_only_writes_nothing(plain_home):
    from test_plain import draft_file, environ, spawn  # noqa: F401

    home = plain_home
    first = spawn(home, autosave=True)
    first.expect_exact("Enter")
    first.expect(r"\? ")
    second = spawn(home, autosave=True)
    second.expect_exact("open in another window")
    second.expect_exact("(3 or q)? ")
    second.sendline("1")
    second.expect_exact("Read-only")
    second.sendintr()
    second.expect(pexpect.EOF)
    assert not draft_file(home).exists()  # the read-only window wrote nothing
    lock = draft_file(home).with_name("draft.lock")
    assert lock.exists()  # still the first window's
    first.sendintr()
    first.expect(pexpect.EOF)
    assert not lock.exists()  # released on the way out


def test_plain_take_over_and_the_first_window_stops_writing(plain_home):
    from test_plain import PROMPT, draft_file, reply, saved_answers, spawn

    home = plain_home
    first = spawn(home, autosave=True)
    reply(first, "respondent", "1")  # who is answering comes first
    reply(first, "age_group", "2")
    first.expect(PROMPT)
    second = spawn(home, autosave=True)
    second.expect_exact("(3 or q)? ")
    second.sendline("2")  # take over here
    second.expect_exact("Enter resumes:")
    second.sendline("")
    second.expect(PROMPT)
    before = saved_answers(draft_file(home))
    first.sendline("1")  # the first window's next answer
    first.expect_exact("taken over in another window")
    assert saved_answers(draft_file(home)) == before  # never overwritten
    for child in (first, second):
        child.sendintr()
        child.expect(pexpect.EOF)


def test_plain_a_lock_left_by_kill_9_is_taken_silently(plain_home):
    from test_plain import PROMPT, draft_file, reply, spawn

    home = plain_home
    first = spawn(home, autosave=True)
    reply(first, "respondent", "1")  # who is answering comes first
    reply(first, "age_group", "2")
    first.expect(PROMPT)
    first.kill(signal.SIGKILL)
    first.expect(pexpect.EOF)
    assert draft_file(home).with_name("draft.lock").exists()  # left behind
    second = spawn(home, autosave=True)
    index = second.expect_exact(["(3 or q)? ", "Enter resumes:"])
    assert index == 1  # no question about another window
    second.sendline("")
    second.expect(PROMPT)
    second.sendintr()
    second.expect(pexpect.EOF)
    assert not draft_file(home).with_name("draft.lock").exists()


@pytest.mark.parametrize("typed", ["what is this\nq\n", "not now\n"])
def test_plain_lock_question_answers_typed_text_and_q_or_ctrl_d_quit(bank, tmp_path, typed):
    """At "Open read-only (1), take over here (2), or quit (3 or q)?": other text is answered;
    q quits, as at every question; the input's end (Ctrl-D) quits calmly, no traceback,
    and the other window's lock is left as it was."""
    import io

    from rls_screen.interop.drafts import Drafts
    from rls_screen.plain import Console, Session

    other = DraftLock(tmp_path)
    assert other.acquire()  # another window, alive (this process), holds the draft
    out = io.StringIO()
    console = Console(io.StringIO(typed), out, True, lambda: 78)
    session = Session(bank, console, Drafts(bank, tmp_path), True)
    assert session.run(None) == 0
    printed = out.getvalue()
    assert printed.count("Please type 1, 2 or 3, or q to quit.") == typed.count("\n") - (
        "q" in typed
    )
    assert "question 1 of about" not in printed  # it quit, and asked no question
    assert printed.count("or quit (3 or q)? ") == typed.count("\n") + ("q" not in typed)
    if "q" not in typed:  # Ctrl-D: the shell's prompt starts on a line of its own
        assert printed.endswith("? \n")
    assert other.holds()
