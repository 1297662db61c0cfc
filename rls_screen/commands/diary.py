"""``rls-screen diary``: the symptom diary (docs/diary.md).

``diary add|import|export|summary|forget``, each with ``--db PATH``; with no action, the
terminal face (``tui.diary_app``, or ``plain_diary`` with ``--plain``). Exit status: 0,
1 when an import or an add kept nights already stored, 2 on bad input (nothing written).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import sys
from typing import TYPE_CHECKING

from rls_screen.core.texts import ui

if TYPE_CHECKING:
    from rls_screen.core.diary import DiaryFigures, Night

ACTIONS = ("add", "import", "export", "summary", "forget")
EXPORT_FORMATS = ("json", "csv", "fhir", "html", "markdown")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diary",
        help=ui("diary.cli.help"),
        description=ui("diary.cli.description"),
        epilog=ui("diary.cli.epilog"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _db_option(parser, None)
    parser.add_argument("--plain", action="store_true", help=ui("diary.cli.options.plain"))
    parser.add_argument("--night", metavar="DATE", help=ui("diary.cli.options.night"))
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))

    add = _action(actions, "add", ui("diary.cli.add.help"), ui("diary.cli.add.description"))
    add.add_argument("--night", metavar="DATE", help=ui("diary.cli.add.night"))
    add.add_argument("--replace", action="store_true", help=ui("diary.cli.add.replace"))
    add.add_argument("values", nargs="*", metavar="FIELD=VALUE", help=ui("diary.cli.add.values"))

    load = _action(
        actions, "import", ui("diary.cli.import.help"), ui("diary.cli.import.description")
    )
    load.add_argument("file", metavar="FILE", help=ui("diary.cli.import.file"))
    load.add_argument("--replace", action="store_true", help=ui("diary.cli.import.replace"))

    export = _action(
        actions, "export", ui("diary.cli.export.help"), ui("diary.cli.export.description")
    )
    export.add_argument(
        "--format", choices=EXPORT_FORMATS, default="json", help=ui("diary.cli.export.format")
    )
    export.add_argument("-o", "--output", metavar="FILE", help=ui("diary.cli.export.output"))

    summary = _action(
        actions, "summary", ui("diary.cli.summary.help"), ui("diary.cli.summary.description")
    )
    summary.add_argument(
        "--format", choices=("text", "json"), default="text", help=ui("diary.cli.summary.format")
    )
    summary.add_argument("--from", dest="start", metavar="DATE", help=ui("diary.cli.summary.start"))
    summary.add_argument("--to", dest="end", metavar="DATE", help=ui("diary.cli.summary.end"))

    forget = _action(
        actions, "forget", ui("diary.cli.forget.help"), ui("diary.cli.forget.description")
    )
    forget.add_argument("--yes", action="store_true", help=ui("diary.cli.forget.yes"))
    parser.set_defaults(run=run, action=None)


def _db_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--db", metavar="PATH", default=default, help=ui("diary.cli.options.db"))


def _action(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    description: str,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = actions.add_parser(
        name,
        help=help_text,
        description=description,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # --db before or after the action: the action's own keeps the diary's when not given.
    _db_option(parser, argparse.SUPPRESS)
    return parser


def run(args: argparse.Namespace) -> int:
    if args.action is None:
        return _face(args)
    return {
        "add": _add,
        "import": _import,
        "export": _export,
        "summary": _summary,
        "forget": _forget,
    }[args.action](args)


def _face(args: argparse.Namespace) -> int:
    from rls_screen.core.errors import InputError

    if args.night is not None:
        from rls_screen.core.diary import parse_date
        from rls_screen.core.errors import show

        if parse_date(args.night) is None:
            raise InputError(ui("diary.cli.messages.bad_night", value=show(args.night)))
    module = "rls_screen.plain_diary" if args.plain else "rls_screen.tui.diary_app"
    try:
        face = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        raise InputError(ui("diary.cli.messages.no_face")) from None
    status: int = face.run(args)
    return status


def _date(value: str, option: str) -> datetime.date:
    from rls_screen.core.diary import parse_date
    from rls_screen.core.errors import InputError, show

    day = parse_date(value, today=datetime.date.max)
    if day is None:
        raise InputError(ui("diary.cli.messages.bad_date", option=option, value=show(value)))
    return day


def _tell(store: object) -> None:
    notice = getattr(store, "notice", None)
    if notice:
        print(notice, file=sys.stderr)


def _add(args: argparse.Namespace) -> int:
    from rls_screen.core.diary import FIELDS, NUMBER_FIELDS, DiaryError, night_for_now, parse_night
    from rls_screen.core.errors import InputError, show
    from rls_screen.interop.diary_store import DiaryStore

    raw: dict[str, object] = {}
    for pair in args.values:
        field, equals, value = pair.partition("=")
        if not equals or not field:
            raise InputError(
                ui("diary.cli.messages.not_a_pair", value=show(pair), fields=", ".join(FIELDS))
            )
        if field in raw:
            raise InputError(ui("diary.cli.messages.given_twice", field=show(field)))
        number = field in NUMBER_FIELDS and value.isascii() and value.isdigit()
        raw[field] = int(value) if number else value
    if args.night is not None:
        if "night" in raw:
            raise InputError(ui("diary.cli.messages.given_twice", field="night"))
        raw["night"] = args.night
    raw.setdefault("night", night_for_now(datetime.datetime.now()).isoformat())
    try:
        night = parse_night(raw)
    except DiaryError as exc:
        raise InputError(str(exc)) from None
    with DiaryStore.open(args.db) as store:
        _tell(store)
        written = store.put(night, replace=args.replace)
    day = night.night.isoformat()
    if not written:
        print(ui("diary.cli.messages.kept_one", night=day), file=sys.stderr)
        return 1
    print(ui("diary.cli.messages.added_one", night=day))
    return 0


def _import(args: argparse.Namespace) -> int:
    from rls_screen.interop.diary_files import read_diary_file
    from rls_screen.interop.diary_store import DiaryStore

    nights = read_diary_file(args.file)  # all checked before anything is written
    with DiaryStore.open(args.db) as store:
        _tell(store)
        added, kept = store.put_many(nights, replace=args.replace)
    print(ui("diary.cli.messages.imported", added=added, count=len(nights)))
    if kept:
        days = ", ".join(day.isoformat() for day in kept[:10])
        more = len(kept) - 10
        if more > 0:
            days += ui("diary.cli.messages.and_more", count=more)
        print(ui("diary.cli.messages.kept", count=len(kept), nights=days), file=sys.stderr)
        return 1
    return 0


def _nights(
    args: argparse.Namespace,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[Night]:
    from rls_screen.interop.diary_store import DiaryStore

    with DiaryStore.open(args.db) as store:
        _tell(store)
        return store.nights(start, end)


def _export(args: argparse.Namespace) -> int:
    import json

    from rls_screen.commands import emit
    from rls_screen.core.diary import figures

    nights = _nights(args)
    if args.format == "json":
        from rls_screen.interop.diary_files import diary_json

        text = diary_json(nights)
    elif args.format == "csv":
        from rls_screen.interop.diary_files import diary_csv

        text = diary_csv(nights)
    elif args.format == "fhir":
        from rls_screen.interop.diary_fhir import nights_to_bundle

        text = json.dumps(nights_to_bundle(nights), indent=2, ensure_ascii=False) + "\n"
    elif args.format == "html":
        from rls_screen.reports.diary import diary_page_html

        text = diary_page_html(nights, figures(nights))
    else:
        from rls_screen.reports.diary import diary_markdown

        text = diary_markdown(nights, figures(nights))
    from rls_screen.interop.diary_store import default_diary_path

    # -o may never be the diary itself (it would be lost).
    emit(text, args.output, str(default_diary_path() if args.db is None else args.db))
    return 0


def _summary(args: argparse.Namespace) -> int:
    import json

    from rls_screen.core.diary import figures

    start = None if args.start is None else _date(args.start, "--from")
    end = None if args.end is None else _date(args.end, "--to")
    result = figures(_nights(args, start, end), start=start, end=end)
    if args.format == "json":
        data = None if result is None else result.model_dump(mode="json")
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    sys.stdout.write(summary_text(result))
    return 0


def summary_text(result: DiaryFigures | None) -> str:
    """The figures in plain words (reports.diary's lines for the person's summary)."""
    from rls_screen.reports.diary import person_lines

    lines = person_lines(result)
    out = [lines.heading, "=" * len(lines.heading), "", lines.self_reported, "", *lines.lines]
    if lines.figures:
        out.append("")
        out.extend(f"- {figure.name}: {figure.text}" for figure in lines.figures)
    return "\n".join(out) + "\n"


def _forget(args: argparse.Namespace) -> int:
    from rls_screen.core.errors import InputError, show_name
    from rls_screen.interop.diary_store import default_diary_path, forget

    path = default_diary_path() if args.db is None else args.db
    name = show_name(str(path))
    if not args.yes:
        if not sys.stdin.isatty():
            raise InputError(ui("diary.cli.messages.forget_needs_yes", name=name))
        print(ui("diary.cli.messages.forget_ask", name=name), end="", file=sys.stderr, flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer not in (ui("diary.cli.messages.forget_yes_word"), "yes"):
            print(ui("diary.cli.messages.forget_kept"), file=sys.stderr)
            return 1
    if forget(path):
        print(ui("diary.cli.messages.forgotten", name=name))
    else:
        print(ui("diary.cli.messages.nothing_to_forget", name=name))
    return 0
