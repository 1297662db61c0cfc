"""Save the summary or the answers: one list of what to save and for whom, and a name.

Made for the keyboard (issue 21): the list has the focus first and Up/Down move
through it, the chosen line marked by a filled dot; letters typed there go into the
name box, never lost; Enter saves from anywhere in the dialog and Esc cancels. The
folder and the file name are shown on lines of their own, so neither the start of the
path nor its extension is ever cut off.

Writing is atomic and owner-only. If the path cannot be written the dialog stays open
with one clear line, so nothing is lost and another path can be chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from rls_screen.core.errors import InputError, one_line, show_name
from rls_screen.core.texts import ui
from rls_screen.reports.exports import FORMATS, default_filename, export_code
from rls_screen.tui.dialogs.confirm import ConfirmDialog
from rls_screen.tui.dialogs.safe import SafeModal

# The list, in its order on screen: the person's summary first, then the page to take
# to the doctor (two Downs from the usual choice), then the rest.
CHOICES: tuple[tuple[str, str], ...] = (
    ("markdown", "patient"),
    ("html", "patient"),
    ("html", "clinician"),
    ("markdown", "clinician"),
    ("text", "patient"),
    ("text", "clinician"),
    ("answers", "patient"),
)

_CHOSEN, _OTHER = "\u25cf", "\u25cb"  # a filled dot and an empty ring: shape, not colour
_FOLDER_WIDTH = 56  # the folder line is cut in the middle beyond this, never its start


@cache
def choice_labels() -> dict[tuple[str, str], str]:
    """The words of each line of the list."""
    return {
        ("markdown", "patient"): ui("tui.save.choices.markdown"),
        ("html", "patient"): ui("tui.save.choices.html"),
        ("html", "clinician"): ui("tui.save.choices.clinician_html"),
        ("markdown", "clinician"): ui("tui.save.choices.clinician_markdown"),
        ("text", "patient"): ui("tui.save.choices.text"),
        ("text", "clinician"): ui("tui.save.choices.clinician_text"),
        ("answers", "patient"): ui("tui.save.choices.answers"),
    }


def choice_id(fmt: str, audience: str) -> str:
    """The list's id of a choice: ``markdown``, ``clinician-html``; the answer file is
    the same for both, so it has no audience."""
    if fmt == "answers" or audience == "patient":
        return fmt
    return f"{audience}-{fmt}"


def shorten_middle(text: str, width: int) -> str:
    """``text`` in at most ``width`` characters, cut in the middle so that both its
    start and its end stay."""
    if len(text) <= width:
        return text
    head = (width - 1) // 2
    return text[:head] + "\u2026" + text[len(text) - (width - 1 - head) :]


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
        if (fmt, audience) not in CHOICES:
            audience = "patient"  # the answer file has no audience
        if (fmt, audience) not in CHOICES:
            fmt = "markdown"
        self.fmt = fmt
        self.audience = audience

        self.remember = remember

    def compose(self) -> ComposeResult:
        # Not a Tab stop of its own: the box only scrolls on a very small screen.
        with VerticalScroll(classes="dialog", id="save-box", can_focus=False) as box:
            box.border_title = ui("tui.save.title")
            choices = OptionList(
                *(Option(self.prompt(f, a), id=choice_id(f, a)) for f, a in CHOICES),
                id="choices",
            )
            choices.border_title = ui("tui.save.choices.title")
            yield choices
            if self.folder is not None:  # in a browser, the browser picks the folder
                yield Static(self.folder_line(self.folder), id="folder", markup=False)
            # The label sits in the box's border, so that the whole name fits beside it.
            name = Input(self.filename(), id="path", select_on_focus=False)
            name.border_title = ui("tui.save.file_name")
            yield name
            yield Static("", id="save-as", markup=False)
            yield Static("", id="save-error", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(ui("tui.save.save"), id="save", variant="primary")
                yield Button(ui("tui.save.cancel"), id="cancel")
            yield Static(ui("tui.save.choices.hint"), classes="dialog-hint", markup=False)

    def prompt(self, fmt: str, audience: str) -> Content:
        mark = _CHOSEN if (fmt, audience) == (self.fmt, self.audience) else _OTHER
        return Content(f"{mark} {choice_labels()[fmt, audience]}")

    def folder_line(self, folder: Path) -> str:
        """One line where there is room: the folder cut in the middle to the line's
        width once it is known (its start and end stay)."""
        width = _FOLDER_WIDTH
        line = self.find("#folder", Static)
        if line is not None and line.size.width > 0:
            width = max(20, line.size.width - len(ui("tui.save.choices.folder", folder="")))
        return ui("tui.save.choices.folder", folder=shorten_middle(str(folder), width))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self.show_name)  # the folder line fits its new width

    def filename(self, fmt: str | None = None, audience: str | None = None) -> str:
        return default_filename(fmt or self.fmt, audience=audience or self.audience)

    def on_mount(self) -> None:
        choices = self.find("#choices", OptionList)
        if choices is None:
            return
        choices.highlighted = CHOICES.index((self.fmt, self.audience))
        choices.focus()

    # --- choosing -----------------------------------------------------------------

    def choose(self, fmt: str, audience: str = "patient") -> None:
        """Make ``fmt`` for ``audience`` the choice, as Up and Down do."""
        if fmt == "answers":
            audience = "patient"
        choices = self.find("#choices", OptionList)
        if choices is not None:
            choices.highlighted = CHOICES.index((fmt, audience))
        self.chosen(fmt, audience)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.chosen(*CHOICES[event.option_index])

    def chosen(self, fmt: str, audience: str) -> None:
        if (fmt, audience) == (self.fmt, self.audience):
            return
        before = self.filename()
        self.fmt, self.audience = fmt, audience
        choices = self.find("#choices", OptionList)
        if choices is not None:
            for f, a in CHOICES:
                choices.replace_option_prompt(choice_id(f, a), self.prompt(f, a))
        box = self.find("#path", Input)
        if box is None:  # a change that arrived as the dialog closed
            return
        path = Path(box.value)
        # Follow the choice with the file name, unless the person typed their own.
        if path.name == before:
            box.value = str(path.with_name(self.filename()))
            box.cursor_position = len(box.value)
        self.show_name()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter on the list: save what is chosen
        self.chosen(*CHOICES[event.option_index])
        self.save()

    def on_key(self, event: events.Key) -> None:
        box = self.find("#path", Input)
        if (
            isinstance(self.focused, OptionList)
            and box is not None
            and event.is_printable
            and event.character
        ):
            # Typed in the list: the letters are a file name, so they go to its box.
            event.stop()
            event.prevent_default()
            if box.value == self.filename():  # still the usual name: typing replaces it
                box.value = ""
            box.focus()
            box.cursor_position = len(box.value)
            box.insert_text_at_cursor(event.character)
            return
        super().on_key(event)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_name()

    def show_name(self) -> None:
        """The folder line follows a typed path; a name typed without the chosen
        format's extension says the name the file will have."""
        folder, note = self.find("#folder", Static), self.find("#save-as", Static)
        box = self.find("#path", Input)
        if note is None or box is None:
            return
        path = self.chosen_path()
        if folder is not None and self.folder is not None:
            folder.update(self.folder_line(path.parent if path is not None else self.folder))
        typed = Path(box.value.strip()).name
        shown = path is not None and path.name != typed
        note.update(ui("tui.save.choices.saved_as", name=path.name) if shown and path else "")
        note.display = shown

    # --- saving -------------------------------------------------------------------

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
        """The path typed, in the folder shown unless a whole path was typed, with the
        extension of the chosen format (a mismatch, such as a web page typed as
        ``.json``, is corrected rather than saved under a wrong name)."""
        box = self.find("#path", Input)
        value = box.value.strip() if box is not None else ""
        if not value:
            return None
        path = Path(value).expanduser()
        if self.folder is not None:
            path = self.folder / path  # a whole path typed stays as typed
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
        in_folder = self.folder is None or path.parent == self.folder
        box.value = path.name if in_folder else str(path)
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
            # The path is on screen above: the line says only what went wrong.
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
