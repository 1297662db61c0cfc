"""Text that wraps under its own first letter, not under the mark before it.

``( ) 1  Allergy or sleep pills that make you drowsy, such as``
``       diphenhydramine``

A Textual Visual, so that an OptionList option or a Static can show it (issue 21).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.strip import Strip
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.style import Style
    from textual.visual import RenderOptions


class Hanging(Visual):
    """``head`` (a mark, a number, a bullet) on the first line, and ``body`` wrapped in
    the room right of it; ``above``, when given, is a full-width line or paragraph on
    top (a review's question over its answer)."""

    def __init__(self, head: Content, body: Content, above: Content | None = None) -> None:
        self.head = head
        self.body = body
        self.above = above

    def __str__(self) -> str:
        # What a test or a screen reader reads: the plain text, in order.
        text = f"{self.head.plain}{self.body.plain}"
        return text if self.above is None else f"{self.above.plain}\n{text}"

    def under(self, above: Content) -> Hanging:
        """The same, with ``above`` over it."""
        return Hanging(self.head, self.body, above)

    @property
    def indent(self) -> int:
        return self.head.cell_length

    def _body_width(self, width: int) -> int:
        return max(1, width - self.indent)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        width = self.indent + self.body.get_optimal_width(rules, container_width - self.indent)
        if self.above is not None:
            width = max(width, self.above.get_optimal_width(rules, container_width))
        return width

    def get_height(self, rules: RulesMap, width: int) -> int:
        if width <= self.indent:
            height = (self.head + self.body).get_height(rules, width)
        else:
            height = self.body.get_height(rules, self._body_width(width))
        if self.above is not None:
            height += self.above.get_height(rules, width)
        return height

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips: list[Strip] = []
        if self.above is not None:
            strips.extend(self.above.render_strips(width, None, style, options))
        if width <= self.indent:  # no room to hang: the plain text, wrapped as it comes
            strips.extend((self.head + self.body).render_strips(width, None, style, options))
            return strips
        body_width = self._body_width(width)
        head = self.head.render_strips(self.indent, 1, style, options)[0]
        blank = Strip.blank(self.indent, style.rich_style)
        for index, line in enumerate(self.body.render_strips(body_width, None, style, options)):
            left = head if index == 0 else blank
            strips.append(Strip.join([left, line.extend_cell_length(body_width)]))
        return strips if height is None else strips[:height]


class Rows(Visual):
    """Visuals one under the other (a list of bullets, each hanging under its words)."""

    def __init__(self, rows: list[Hanging]) -> None:
        self.rows = rows

    def __str__(self) -> str:
        return "\n".join(str(row) for row in self.rows)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((row.get_optimal_width(rules, container_width) for row in self.rows), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(row.get_height(rules, width) for row in self.rows)

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips = [
            strip for row in self.rows for strip in row.render_strips(width, None, style, options)
        ]
        return strips if height is None else strips[:height]
