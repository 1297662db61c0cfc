"""Every text colour the app uses reaches 4.5:1 against the backgrounds it is drawn on,
in the default theme and in both ANSI themes (the ones offered for more contrast),
computed from the themes' own colours (WCAG 2 relative luminance)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual._ansi_theme import ALABASTER, MONOKAI
from textual.color import Color

from rls_screen.tui.app import make_app

TCSS = Path(__file__).resolve().parent.parent / "rls_screen" / "tui" / "app.tcss"
ANSI_NAMES = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
BACKGROUNDS = ("background", "surface", "panel")
# Texts that Textual's own widgets draw, with what they are drawn on.
WIDGET_PAIRS = [
    ("footer-key-foreground", "footer-background"),
    ("footer-description-foreground", "footer-background"),
]
# A primary button's label: on the primary colour; in ANSI themes, in the primary colour
# on the terminal's background (textual/widgets/_button.py).
PRIMARY_BUTTON = {False: ("button-color-foreground", "primary"), True: ("primary", "background")}


def app_text_colours() -> set[str]:
    """Every variable the stylesheet uses as a text colour."""
    return set(re.findall(r"(?:^|\s)(?:border-title-)?color:\s*\$([\w-]+)", TCSS.read_text(), re.M))


def resolve(value: str, terminal, over: Color | None = None) -> Color | None:
    value = value.strip()
    alpha = 1.0
    if value.endswith("%"):
        value, percent = value.rsplit(" ", 1)
        alpha = float(percent[:-1]) / 100
    if value == "auto":
        assert over is not None
        colour = over.get_contrast_text(1.0)
    elif value == "ansi_default":
        rgb = terminal.foreground_color if over is not None else terminal.background_color
        colour = Color(*rgb)
    elif value.startswith("ansi_"):
        name = value.removeprefix("ansi_")
        index = ANSI_NAMES.index(name.removeprefix("bright_")) + 8 * name.startswith("bright_")
        colour = Color(*terminal.ansi_colors[index])
    elif value == "transparent":
        return None
    else:
        colour = Color.parse(value)
    if alpha < 1 and over is not None:
        colour = over.blend(colour, alpha)
    return colour


def luminance(c: Color) -> float:
    def channel(v: int) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)


def ratio(a: Color, b: Color) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_ratio_is_computed_right():
    assert ratio(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert ratio(Color(118, 118, 118), Color(255, 255, 255)) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("theme_name", ["textual-dark", "ansi-dark", "ansi-light"])
def test_every_text_reaches_4_5_to_1(theme_name):
    app = make_app(autosave=False)
    theme = app.available_themes[theme_name]
    variables = theme.to_color_system().generate()
    terminal = MONOKAI if theme.dark else ALABASTER
    pairs = [(fg, bg) for fg in sorted(app_text_colours()) for bg in BACKGROUNDS]
    low = []
    for fg, bg in [*pairs, *WIDGET_PAIRS, PRIMARY_BUTTON[theme.ansi]]:
        under = resolve(variables[bg], terminal) or resolve(variables["background"], terminal)
        over = resolve(variables[fg], terminal, under)
        if ratio(over, under) < 4.5:
            low.append(f"{fg} on {bg}: {ratio(over, under):.2f}")
    assert low == [], low


def test_the_check_covers_the_warning_title():
    # "Please act now" is drawn in the error colour: it must be one of the checked ones.
    assert "text-error" in app_text_colours()
