"""Drafts that are not what they seem (issue 19): a draft that is a link is never
followed, and every copy set aside is kept."""

from __future__ import annotations

import os
import stat

from rls_screen.interop.drafts import Drafts


def test_every_unreadable_draft_set_aside_is_kept(bank, tmp_path):
    drafts = Drafts(bank, tmp_path)
    for number in range(3):
        drafts.path.write_text(f"{{damaged {number}")
        assert drafts.load() is None
    kept = {p.name: p.read_text() for p in tmp_path.iterdir()}
    assert kept == {
        "draft.json.bad": "{damaged 0",
        "draft.json.bad.1": "{damaged 1",
        "draft.json.bad.2": "{damaged 2",
    }
    assert drafts.moved_aside == tmp_path / "draft.json.bad.2"
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in tmp_path.iterdir())


def test_a_draft_that_is_a_link_is_never_followed(bank, tmp_path):
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text('{"answers": {}}')
    os.chmod(elsewhere, 0o644)
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "draft.json").symlink_to(elsewhere)
    drafts = Drafts(bank, folder)
    assert drafts.load() is None  # not read through the link
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o644  # its target untouched
    assert elsewhere.read_text() == '{"answers": {}}'
    moved = folder / "draft.json.bad"
    assert drafts.moved_aside == moved and moved.is_symlink()  # the link itself, set aside
    drafts.save({"urge": "yes"})  # the next save is a file of its own, not the target
    assert not (folder / "draft.json").is_symlink()
    assert elsewhere.read_text() == '{"answers": {}}'
