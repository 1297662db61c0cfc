"""Subcommands of ``rls-screen``: each module has ``register(subparsers)``."""

from __future__ import annotations

import argparse
import sys

from rls_screen.core.texts import ui


def emit(text: str, output: str | None, source: str | None = None) -> None:
    """Print to stdout, or write atomically and owner-only to ``output``, which may not
    be ``source``, the file the text was made from (it would be lost)."""
    if output and output != "-":
        from rls_screen.core.errors import InputError, show_name
        from rls_screen.interop.files import same_file, write_private

        if source and source != "-" and same_file(source, output):
            raise InputError(ui("commands.shared.messages.output_is_input", path=show_name(output)))
        write_private(output, text)
        print(ui("commands.shared.messages.saved_to", path=show_name(output)), file=sys.stderr)
    else:
        sys.stdout.write(text)


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """``-o/--output PATH``, which ``emit`` honours."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help=ui("commands.shared.options.output"),
    )


def add_region_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--region CC``: whose crisis numbers the summary shows (checked when used)."""
    parser.add_argument("--region", metavar="CC", help=ui("commands.shared.options.region"))
