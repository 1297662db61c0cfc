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
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from rls_screen.core.errors import InputError, one_line, show_name
from rls_screen.core.texts import ui
from rls_screen.reports.exports import AUDIENCES, FORMATS, default_filename, export_code
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.dialogs.safe import SafeModal


class MarkedRadio(RadioButton):
    """A radio button whose choice shows by shape, not by colour alone: a dot when
    chosen, an empty box when not."""

    @property
    def _button(self) -> Content:
        inner = "\u25cf" if self.value else " "
        style = self.get_visual_style("toggle--button")
        return Content.assemble("(", (inner, style), ")")


class SaveDialog(SafeModal[Path | None]):
    """Dismisses with the path written, or None if cancelled.

    ``write(code, path)`` gets one export code that carries the audience
    (``exports.export_code``), so a caller that only knows formats keeps working.
    """

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            ui("tui.save.keys.cancel"),
            id="cancel",
            tooltip=ui("tui.save.keys.cancel_tip"),
        ),
    ]

    def __init__(
        self,
        folder: Path | None,
        write: Callable[[str, Path], Path],
        fmt: str = "markdown",
        audience: str = "patient",
        remember: Callable[[str, str], None] | None = None,
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.folder = folder
        self.write = write
        self.fmt = fmt
        self.audience = audience
        self.remember = remember

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="save-box") as box:
            box.border_title = ui("tui.save.title")
            with RadioSet(id="audience", disabled=self.fmt == "answers") as audience:
                audience.border_title = ui("tui.save.audience")
                for code, label in AUDIENCES.items():
                    yield MarkedRadio(label, value=code == self.audience, id=f"audience-{code}")
            with RadioSet(id="format") as formats:
                formats.border_title = ui("tui.save.format")
                for code, (label, _ext) in FORMATS.items():
                    yield MarkedRadio(label, value=code == self.fmt, id=f"format-{code}")
            with Horizontal(classes="save-path"):
                if self.folder is None:  # in a browser: the browser picks the folder
                    yield Label(ui("tui.save.file_name"))
                    yield Input(self.filename(), id="path")
                else:
                    yield Label(ui("tui.save.save_to"))
                    yield Input(str(self.folder / self.filename()), id="path")
            yield Static("", id="save-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(ui("tui.save.save"), id="save", variant="primary")
                yield Button(ui("tui.save.cancel"), id="cancel")

    def filename(self, fmt: str | None = None, audience: str | None = None) -> str:
        return default_filename(fmt or self.fmt, audience=audience or self.audience)

    def on_mount(self) -> None:
        self.focus_first("#path")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        pressed = event.pressed.id or ""
        fmt, audience = self.fmt, self.audience
        if event.radio_set.id == "audience":
            audience = pressed.removeprefix("audience-")
        else:
            fmt = pressed.removeprefix("format-")
            # The answer file is the same for both: who it is for does not apply.
            audiences = self.find("#audience", RadioSet)
            if audiences is not None:
                audiences.disabled = fmt == "answers"
        path_input = self.find("#path", Input)
        if path_input is None:  # a change that arrived as the dialog closed
            return
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
        error = self.find("#save-error", Static)
        if error is None:
            return
        # Two lines at most, so the buttons stay on an 80x24 screen; cut in the middle,
        # because the end says what went wrong.
        text = one_line(text, 10_000)
        if len(text) > 130:
            text = text[:55] + "…" + text[-74:]
        error.update(text)
        error.display = True
        error.scroll_visible()

    def chosen_path(self) -> Path | None:
        """The path typed, with the extension of the chosen format (a mismatch, such as
        a web page typed as ``.json``, is corrected rather than saved under a wrong
        name)."""
        box = self.find("#path", Input)
        value = box.value.strip() if box is not None else ""
        if not value:
            return None
        path = Path(value).expanduser()
        extension = FORMATS[self.fmt][1]
        known = {ext for _label, ext in FORMATS.values()}
        if path.suffix.lower() != extension:
            path = (
                path.with_suffix(extension)
                if path.suffix.lower() in known
                else (path.with_name(path.name + extension))
            )
        return path

    def save(self) -> None:
        box = self.find("#path", Input)
        if box is None or self.closing:  # Enter typed again as the dialog closed
            return
        path = self.chosen_path()
        if path is None:
            self.show_error(ui("tui.save.no_name"))
            return
        box.value = str(path)
        if self.folder is not None and path.exists():

            def replace(yes: bool | None) -> None:
                if yes:
                    self.write_to(path)

            self.app.push_screen(
                ConfirmDialog(
                    ui("tui.save.replace.title"),
                    ui("tui.save.replace.body", path=one_line(str(path), 120)),
                    yes=ui("tui.save.replace.yes"),
                    no=ui("tui.save.replace.no"),
                ),
                replace,
            )
            return
        self.write_to(path)

    def write_to(self, path: Path) -> None:
        try:
            written = self.write(export_code(self.fmt, self.audience), path)
        except InputError as exc:
            # The path is in the box above: the line says only what went wrong.
            reason = str(exc)
            for shown in (str(path), show_name(str(path))):
                reason = reason.removeprefix(f"{shown}: ")
            self.show_error(ui("tui.save.failed", reason=reason))
            return
        if self.remember is not None:
            self.remember(self.fmt, self.audience)
        self.dismiss(written)

    def action_cancel(self) -> None:
        self.dismiss(None)
