"""Subcommands of ``rls-screen``: each module has ``register(subparsers)``."""

from __future__ import annotations

import argparse
import sys


def emit(text: str, output: str | None, source: str | None = None) -> None:
    """Print to stdout, or write atomically and owner-only to ``output``, which may not
    be ``source``, the file the text was made from (it would be lost)."""
    if output and output != "-":
        from rls_screen.core.errors import InputError, show_name
        from rls_screen.interop.files import same_file, write_private

        if source and source != "-" and same_file(source, output):
            raise InputError(
                f"{show_name(output)}: is the input file; choose another name for the output"
            )
        write_private(output, text)
        print(f"Saved to {show_name(output)}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def add_output_option(parser: argparse.ArgumentParser) -> None:
    """``-o/--output PATH``, which ``emit`` honours."""
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="write to PATH (owner-only, atomically) instead of printing",
    )


REGION_HELP = (
    "two-letter country code (ISO 3166, such as US, GB or DE) for the crisis phone numbers "
    "in the summary; default: the country of your locale (LANG), else general wording"
)


def add_region_option(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """``--region CC``: whose crisis numbers the summary shows (checked when used)."""
    parser.add_argument("--region", metavar="CC", help=REGION_HELP)
