"""Save the summary or the answers: choose a format and a path.

Writing is atomic and owner-only. If the path cannot be written the dialog stays open
with one clear line, so nothing is lost and another path can be chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from rls_screen.errors import InputError
from rls_screen.exports import FORMATS, default_filename


class SaveDialog(ModalScreen[Path | None]):
    """Dismisses with the path written, or None if cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self, folder: Path, write: Callable[[str, Path], Path], fmt: str = "markdown"
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.folder = folder
        self.write = write
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog save-dialog"):
            yield Static("Save", classes="dialog-title")
            with RadioSet(id="format"):
                for code, (label, _ext) in FORMATS.items():
                    yield RadioButton(label, value=code == self.fmt, id=f"format-{code}")
            yield Label("Save to:")
            yield Input(str(self.folder / default_filename(self.fmt)), id="path")
            yield Static("", id="save-error", classes="error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        new = (event.pressed.id or "").removeprefix("format-")
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value)
        # Follow the format with the file name, unless the person typed their own.
        if path.name == default_filename(self.fmt):
            path_input.value = str(path.with_name(default_filename(new)))
        self.fmt = new

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.save()
        else:
            self.dismiss(None)

    def save(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        error = self.query_one("#save-error", Static)
        if not value:
            error.update("Please type a file name.")
            return
        try:
            written = self.write(self.fmt, Path(value).expanduser())
        except InputError as exc:
            error.update(f"Could not save: {exc}. Please choose another place.")
            return
        self.dismiss(written)

    def action_cancel(self) -> None:
        self.dismiss(None)
