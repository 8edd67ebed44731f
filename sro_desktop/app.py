"""The composition root: parses the command line, then runs a command or opens the window.

The only module that imports the GUI; it does so lazily so commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

# Kept equal to spreadsheets.workbooks.WORKER_ARGUMENT (a test checks); not imported from
# there so that opening the window does not load the spreadsheet code first.
WORKER_ARGUMENT = "--sro-read-workbook"


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [WORKER_ARGUMENT]:
        # A packaged app cannot run `python -m`; it restarts itself as the workbook reader.
        from sro_desktop.spreadsheets.calamine_worker import main as read_workbook

        return read_workbook()
    database = _window_only(arguments)
    if database is not None:
        # Just the window: skip building the command parser, which loads every command.
        from sro_desktop.gui.application import run_app

        return run_app(database if isinstance(database, Path) else None, sys.argv[:1])
    from sro_desktop.cli import build_parser, run
    from sro_desktop.logs import configure_logging

    configure_logging()
    args = build_parser().parse_args(arguments)
    if args.command is None:
        from sro_desktop.gui.application import run_app

        return run_app(args.db, sys.argv[:1])
    return run(args)


def _window_only(arguments: list[str]) -> Path | str | None:
    """For `sro-desktop` or `sro-desktop --db PATH`: the database chosen ("" for none);
    None for anything else (a command, --help, a mistake), which the full parser handles."""
    if not arguments:
        return ""
    if len(arguments) == 2 and arguments[0] == "--db" and not arguments[1].startswith("-"):
        return Path(arguments[1])
    if len(arguments) == 1 and arguments[0].startswith("--db=") and len(arguments[0]) > 5:
        return Path(arguments[0][5:])
    return None


if __name__ == "__main__":
    sys.exit(main())
