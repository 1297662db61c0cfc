"""Subcommands of ``rls-screen``: each module has ``register(subparsers)``."""

from __future__ import annotations

import argparse
import sys


def emit(text: str, output: str | None) -> None:
    """Print to stdout, or write atomically and owner-only to ``output``."""
    if output and output != "-":
        from rls_screen.files import write_private

        write_private(output, text)
        print(f"Saved to {output}", file=sys.stderr)
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
