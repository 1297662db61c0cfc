"""``rls-screen batch INPUT... --out FILE``: score many saved responses at once."""

from __future__ import annotations

import argparse

from rls_screen.core.texts import ui


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "batch",
        help=ui("commands.batch.help"),
        description=ui("commands.batch.description"),
        epilog=ui("commands.batch.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs",
        metavar="INPUT",
        nargs="+",
        help=ui("commands.batch.options.inputs"),
    )
    parser.add_argument(
        "-o",
        "--out",
        metavar="FILE",
        required=True,
        help=ui("commands.batch.options.out"),
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rls_screen.batch.output import output_kind
    from rls_screen.batch.run import run_batch

    output_kind(args.out)  # a bad output name fails before anything is read
    from rls_screen.core.bank import load_bank

    return run_batch(load_bank(), args.inputs, args.out)
