"""One night's entry: a row per field, typed by keyboard (Enter goes on), saved at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from rls_screen.core.diary_entry import BY_NAME, ENTRY, Field, applies, shown, value_of
from rls_screen.core.texts import ui
from rls_screen.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual import getters

    from rls_screen.tui.diary_app import DiaryApp


def label(field: Field) -> str:
    return {
        "symptoms": ui("diary.entry.symptoms"),
        "onset": ui("diary.entry.onset"),
        "severity": ui("diary.entry.severity"),
        "bed": ui("diary.entry.bed"),
        "sleep_latency": ui("diary.entry.sleep_latency"),
        "awakenings": ui("diary.entry.awakenings"),
        "awake_minutes": ui("diary.entry.awake_minutes"),
        "wake": ui("diary.entry.wake"),
        "out_of_bed": ui("diary.entry.out_of_bed"),
        "quality": ui("diary.entry.quality"),
        "rls_medicine_time": ui("diary.entry.rls_medicine_time"),
        "caffeine_late": ui("diary.entry.caffeine_late"),
        "alcohol": ui("diary.entry.alcohol"),
        "note": ui("diary.entry.note"),
    }[field.name]


def hint(field: Field) -> str:
    return {
        "symptoms": ui("diary.entry.hint.symptoms"),
        "onset": ui("diary.entry.hint.time"),
        "severity": ui("diary.entry.hint.severity"),
        "bed": ui("diary.entry.hint.time"),
        "sleep_latency": ui("diary.entry.hint.minutes"),
        "awakenings": ui("diary.entry.hint.times"),
        "awake_minutes": ui("diary.entry.hint.minutes"),
        "wake": ui("diary.entry.hint.time"),
        "out_of_bed": ui("diary.entry.hint.time"),
        "quality": ui("diary.entry.hint.quality"),
        "rls_medicine_time": ui("diary.entry.hint.time"),
        "caffeine_late": ui("diary.entry.hint.yes_no"),
        "alcohol": ui("diary.entry.hint.yes_no"),
        "note": ui("diary.entry.hint.note"),
    }[field.name]


def help_text(field: Field) -> str:
    return {
        "symptoms": ui("diary.entry.help.symptoms"),
        "onset": ui("diary.entry.help.onset"),
        "severity": ui("diary.entry.help.severity"),
        "bed": ui("diary.entry.help.bed"),
        "sleep_latency": ui("diary.entry.help.sleep_latency"),
        "awakenings": ui("diary.entry.help.awakenings"),
        "awake_minutes": ui("diary.entry.help.awake_minutes"),
        "wake": ui("diary.entry.help.wake"),
        "out_of_bed": ui("diary.entry.help.out_of_bed"),
        "quality": ui("diary.entry.help.quality"),
        "rls_medicine_time": ui("diary.entry.help.rls_medicine_time"),
        "caffeine_late": ui("diary.entry.help.caffeine_late"),
        "alcohol": ui("diary.entry.help.alcohol"),
        "note": ui("diary.entry.help.note"),
    }[field.name]


def night_title(night: dt.date) -> str:
    return ui(
        "diary.tui.form.title",
        evening=night.strftime("%a %Y-%m-%d"),
        morning=(night + dt.timedelta(days=1)).strftime("%a"),
    )


class FieldInput(Input):
    """One field's box: Enter and Down go on to the next box, Up to the one before.

    Keys typed fast (or arriving in one burst) reach a box in order, but those after an
    Enter were already sent to this box before the focus moved on. So Enter and the
    arrows are handled here, in that order (as bindings they would run only after the
    keys behind them), and the keys after them go on to the box that has the focus:
    nothing typed lands in the box that was left.
    """

    MOVES = {"enter": 0, "down": 1, "up": -1}
    # The editing keys, handled in order with the letters (as bindings, a Backspace
    # typed before a letter would run after it).
    EDITS = {
        "backspace": "delete_left",
        "delete": "delete_right",
        "left": "cursor_left",
        "right": "cursor_right",
        "home": "home",
        "end": "end",
        "ctrl+u": "delete_left_all",
        "ctrl+k": "delete_right_all",
        "ctrl+w": "delete_left_word",
    }

    def __init__(self, field: Field) -> None:
        super().__init__(
            id=f"f-{field.name}",
            classes="diary-input",
            max_length=300 if field.name == "note" else 20,
            select_on_focus=False,
        )
        self.field = field

    async def _on_key(self, event: events.Key) -> None:
        target = self.screen.focused
        if isinstance(target, FieldInput) and target is not self:  # has_focus comes later
            event.stop()
            event.prevent_default()
            target.post_message(events.Key(event.key, event.character))
            return
        edit = self.EDITS.get(event.key)
        if edit is not None:
            event.stop()
            event.prevent_default()
            getattr(self, f"action_{edit}")()
            return
        step = self.MOVES.get(event.key)
        if step is not None:
            event.stop()
            event.prevent_default()
            if step:
                self.action_move(step)
            else:
                await self.action_submit()
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        screen = self.screen
        if isinstance(screen, DiaryFormScreen):
            screen.next_field(self)

    def action_move(self, step: int) -> None:
        screen = self.screen
        if isinstance(screen, DiaryFormScreen):
            screen.move(self, step)


class DiaryFormScreen(Screen[None]):
    """The night on show (``night``), its fields, and one line for what is wrong."""

    if TYPE_CHECKING:
        app = getters.app(DiaryApp)

    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            ui("diary.tui.keys.save"),
            id="save",
            tooltip=ui("diary.tui.keys.save_tip"),
        ),
        Binding(
            "f2",
            "app.nights",
            ui("diary.tui.keys.nights"),
            id="nights",
            tooltip=ui("diary.tui.keys.nights_tip"),
        ),
        Binding(
            "f3",
            "app.chart",
            ui("diary.tui.keys.chart"),
            id="chart",
            tooltip=ui("diary.tui.keys.chart_tip"),
        ),
        Binding(
            "f1",
            "help",
            ui("diary.tui.keys.help"),
            id="help",
            tooltip=ui("diary.tui.keys.help_tip"),
        ),
        Binding(
            "ctrl+q",
            "app.request_quit",
            ui("tui.keys.quit"),
            id="quit",
            tooltip=ui("tui.keys.quit_tip"),
        ),
    ]

    # The first box takes the focus once the night is read (load): a focus moved twice
    # restyles the whole form twice.
    AUTO_FOCUS = ""

    def __init__(self) -> None:
        super().__init__(id="diary-form")
        self.night: dt.date | None = None
        self.saved_values: dict[str, str] = {}
        # Keys typed before the night is read (the boxes come just after the first
        # frame, the night after them): kept, and typed into the form once it is there.
        self.early_keys: list[tuple[str, str | None]] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="page", id="diary-page"):
            yield Static("", id="diary-title", classes="page-title", markup=False)
            # Three columns (the questions, the boxes, the hints) rather than a row of
            # three widgets per field: a third of the widgets, and the form is drawn
            # as fast as the minimal Textual app's first screen (bench_diary_tui.py).
            with Horizontal(id="diary-fields"):
                yield Static(self.column(label), id="diary-labels", markup=False)
                with Vertical(id="diary-boxes"):
                    # The boxes' picture, one widget, until the boxes come in its place
                    # (build_boxes): the form is drawn before fourteen Inputs are made
                    # and styled. Nothing can be typed before the night is read anyway.
                    yield Static("\n" * (len(ENTRY) - 1), id="diary-picture", classes="diary-input")
                yield Static(self.column(hint), id="diary-hints", markup=False)
            yield Static("", id="diary-problem", markup=False)
            yield Static(ui("diary.tui.form.keys_note"), id="keys-hint", markup=False)
        yield Footer()

    # The keys a box takes (a person typing at once): the others, such as F1 or Ctrl+Q,
    # go on to their bindings.
    EARLY = frozenset({"enter", "tab", "shift+tab", "backspace", "up", "down", "space"})

    def on_key(self, event: events.Key) -> None:
        """Before the night is read there is no box to type into: keep the key, so that
        nothing typed at once is lost (``load`` types it in)."""
        if self.night is None and (event.is_printable or event.key in self.EARLY):
            event.stop()
            event.prevent_default()
            self.early_keys.append((event.key, event.character))

    def on_mount(self) -> None:
        # Once the form has gone out to the terminal: made sooner, the boxes (and the
        # thread that loads sqlite3 and pydantic) would hold up its drawing.
        self.call_after_refresh(self.app.set_timer, 0.01, self.build_boxes)

    async def build_boxes(self) -> None:
        """The boxes in place of their picture, in one frame; then the night is read."""
        with self.app.batch_update():
            boxes = self.query_one("#diary-boxes", Vertical)
            await boxes.mount_all(FieldInput(field) for field in ENTRY)
            await self.query_one("#diary-picture", Static).remove()
        self.app.read_diary()  # once the boxes are there to be filled in

    # --- the night's values ---------------------------------------------------------

    def inputs(self) -> list[FieldInput]:
        return list(self.query(FieldInput).results(FieldInput))

    def typed(self) -> dict[str, str]:
        return {box.field.name: box.value for box in self.inputs()}

    @property
    def dirty(self) -> bool:
        return self.night is not None and self.typed() != self.saved_values

    def load(self, night: dt.date, stored: object | None) -> None:
        """Show ``night``, filled in from what is stored for it (``stored``: a Night)."""
        self.night = night
        self.query_one("#diary-title", Static).update(night_title(night))
        for box in self.inputs():
            value = shown(getattr(stored, box.field.name, None))
            if box.value != value:
                box.value = value
        self.saved_values = self.typed()
        self.set_problem("")
        self.show_rows()
        first = self.inputs()[0]
        self.set_focus(first)  # at once: a key right after goes into it
        first.cursor_position = len(first.value)
        self.query_one("#diary-page", VerticalScroll).scroll_home(animate=False)
        early, self.early_keys = self.early_keys, []
        for key, character in early:  # typed before the night was read, in order
            first.post_message(events.Key(key, character))

    def raw(self, only: str | None = None) -> dict[str, object]:
        """The night as parse_night reads it: every field typed (or only one)."""
        assert self.night is not None
        values: dict[str, object] = {"night": self.night.isoformat()}
        symptoms = value_of(BY_NAME["symptoms"], self.typed()["symptoms"])
        for name, typed in self.typed().items():
            field = BY_NAME[name]
            if only not in (None, name) or not applies(field, symptoms):
                continue
            value = value_of(field, typed)
            if value is not None:
                values[name] = value
        return values

    def asked(self) -> list[Field]:
        """The fields that apply, given the feelings' answer typed so far."""
        if not self.is_mounted or not self.inputs():  # before the boxes come
            return list(ENTRY)
        symptoms = value_of(BY_NAME["symptoms"], self.typed()["symptoms"])
        return [field for field in ENTRY if applies(field, symptoms)]

    def column(self, text: Callable[[Field], str]) -> str:
        return "\n".join(text(field) for field in self.asked())

    def show_rows(self) -> None:
        asked = self.asked()
        for box in self.inputs():
            if box.display != (box.field in asked):
                box.display = box.field in asked
        self.query_one("#diary-labels", Static).update(self.column(label))
        self.query_one("#diary-hints", Static).update(self.column(hint))

    # The field whose problem is on show (None: the line says something else, such as
    # "Saved", which a box that is right, or the window losing the focus, keeps).
    wrong_field: str | None = None

    def set_problem(self, text: str) -> None:
        self.wrong_field = None
        self.query_one("#diary-problem", Static).update(text)

    def problem(self, only: str | None = None) -> str | None:
        from rls_screen.core.diary import DiaryError, parse_night

        try:
            parse_night(self.raw(only))
        except DiaryError as exc:
            return str(exc)
        return None

    # --- keys -----------------------------------------------------------------------

    def check_field(self, box: FieldInput) -> bool:
        """Tidy what was typed (y: yes, 2130: 21:30) and say what is wrong with it."""
        value = value_of(box.field, box.value)
        if isinstance(value, str) and box.field.name != "note" and value != box.value:
            box.value = value
            box.cursor_position = len(value)
        if box.field.name == "symptoms":
            self.show_rows()
        wrong = self.problem(box.field.name) if self.night is not None else None
        if wrong is not None:
            self.set_problem(wrong)
            self.wrong_field = box.field.name
        elif self.wrong_field == box.field.name:  # put right: its line goes
            self.set_problem("")
        return wrong is None

    def shown_inputs(self) -> list[FieldInput]:
        return [box for box in self.inputs() if box.display]

    def next_field(self, box: FieldInput) -> None:
        """Enter: the box's value is tidied and checked; if it is right, on to the next
        box (on the last one, the night is saved)."""
        if not self.check_field(box):
            return
        boxes = self.shown_inputs()
        if box is boxes[-1]:
            self.action_save()
        else:
            self.set_focus(boxes[boxes.index(box) + 1])  # at once: see FieldInput

    def move(self, box: FieldInput, step: int) -> None:
        boxes = self.shown_inputs()
        if box in boxes:
            self.check_field(box)
            at = min(max(boxes.index(box) + step, 0), len(boxes) - 1)
            self.set_focus(boxes[at])

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, FieldInput) and self.night is not None:
            self.check_field(event.widget)

    def action_save(self) -> None:
        if self.night is None:
            return
        for box in self.inputs():
            value = value_of(box.field, box.value)
            if isinstance(value, str) and box.field.name != "note" and value != box.value:
                box.value = value
        wrong = self.problem()
        if wrong is not None:
            self.set_problem(wrong)
            return
        if self.app.save_night(self.raw()):
            self.saved_values = self.typed()
            self.set_problem(ui("diary.tui.form.saved", night=self.night.isoformat()))

    def action_help(self) -> None:
        from rls_screen.core.diary import entry_questions
        from rls_screen.tui.dialogs.diary_help import DiaryHelpDialog

        focused = self.focused
        field = focused.field if isinstance(focused, FieldInput) else ENTRY[0]
        asked = {entry["id"]: entry["text"] for entry in entry_questions()}
        question = " ".join(str(asked.get(field.name, label(field))).split())
        self.app.push_screen(DiaryHelpDialog(question, help_text(field)))
