"""Save the summary or the answers: choose who it is for, a format and a path.

Writing is atomic and owner-only. If the path cannot be written the dialog stays open
with one clear line, so nothing is lost and another path can be chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from rls_screen.errors import InputError
from rls_screen.exports import AUDIENCES, FORMATS, default_filename, export_code


class SaveDialog(ModalScreen[Path | None]):
    """Dismisses with the path written, or None if cancelled.

    ``write(code, path)`` gets one export code that carries the audience
    (``exports.export_code``), so a caller that only knows formats keeps working.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel", tooltip="Close without saving"),
    ]

    def __init__(
        self,
        folder: Path | None,
        write: Callable[[str, Path], Path],
        fmt: str = "markdown",
        audience: str = "patient",
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.folder = folder
        self.write = write
        self.fmt = fmt
        self.audience = audience

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="save-box") as box:
            box.border_title = "Save"
            with RadioSet(id="audience", disabled=self.fmt == "answers") as audience:
                audience.border_title = "Who is it for?"
                for code, label in AUDIENCES.items():
                    yield RadioButton(label, value=code == self.audience, id=f"audience-{code}")
            with RadioSet(id="format") as formats:
                formats.border_title = "What to save"
                for code, (label, _ext) in FORMATS.items():
                    yield RadioButton(label, value=code == self.fmt, id=f"format-{code}")
            with Horizontal(classes="save-path"):
                if self.folder is None:  # in a browser: the browser picks the folder
                    yield Label("File name:")
                    yield Input(self.filename(), id="path")
                else:
                    yield Label("Save to:")
                    yield Input(str(self.folder / self.filename()), id="path")
            yield Static("", id="save-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    def filename(self, fmt: str | None = None, audience: str | None = None) -> str:
        return default_filename(fmt or self.fmt, audience=audience or self.audience)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        pressed = event.pressed.id or ""
        fmt, audience = self.fmt, self.audience
        if event.radio_set.id == "audience":
            audience = pressed.removeprefix("audience-")
        else:
            fmt = pressed.removeprefix("format-")
            # The answer file is the same for both: who it is for does not apply.
            self.query_one("#audience", RadioSet).disabled = fmt == "answers"
        path_input = self.query_one("#path", Input)
        path = Path(path_input.value)
        # Follow the choice with the file name, unless the person typed their own.
        if path.name == self.filename():
            path_input.value = str(path.with_name(self.filename(fmt, audience)))
        self.fmt, self.audience = fmt, audience

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.save()
        else:
            self.dismiss(None)

    def show_error(self, text: str) -> None:
        error = self.query_one("#save-error", Static)
        error.update(text)
        error.display = True
        error.scroll_visible()

    def save(self) -> None:
        value = self.query_one("#path", Input).value.strip()
        if not value:
            self.show_error("Please type a file name.")
            return
        try:
            written = self.write(export_code(self.fmt, self.audience), Path(value).expanduser())
        except InputError as exc:
            self.show_error(f"Could not save: {exc}. Please choose another place.")
            return
        self.dismiss(written)

    def action_cancel(self) -> None:
        self.dismiss(None)
