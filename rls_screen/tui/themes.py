"""Colours that every person can read: the ANSI themes (the terminal's own colours, for
those who need more contrast) with their dimmed texts at full strength. Textual draws
"muted" text there at 50%, about 4:1 against the background; hints and notes here must
reach 4.5:1 (tests/test_contrast.py computes it for every colour the app uses)."""

from __future__ import annotations

import dataclasses

from textual.theme import BUILTIN_THEMES, Theme

# Variables the app's stylesheet or Textual's widgets use that would be drawn too faintly:
# in the ANSI themes, dimmed text at 50%; in the default theme, a primary button's label
# at 87% white on blue (3.8:1; full white is 4.5:1).
_READABLE = {
    "ansi-dark": {"text-muted": "ansi_default", "footer-description-foreground": "ansi_default"},
    "ansi-light": {"text-muted": "ansi_default", "footer-description-foreground": "ansi_default"},
    "textual-dark": {"button-color-foreground": "#ffffff"},
}


def readable_themes() -> list[Theme]:
    themes = []
    for name, variables in _READABLE.items():
        theme = BUILTIN_THEMES[name]
        themes.append(dataclasses.replace(theme, variables={**theme.variables, **variables}))
    return themes
