"""The composition root: parses the command line, then runs a command or opens the window.

The only module that imports the GUI; it does so lazily so commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sro_desktop.cli import build_parser, run
from sro_desktop.logs import configure_logging
from sro_desktop.spreadsheets.workbooks import WORKER_ARGUMENT


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [WORKER_ARGUMENT]:
        # A packaged app cannot run `python -m`; it restarts itself as the workbook reader.
        from sro_desktop.spreadsheets.calamine_worker import main as read_workbook

        return read_workbook()
    configure_logging()
    args = build_parser().parse_args(arguments)
    if args.command is None:
        from sro_desktop.gui.application import run_app

        return run_app(args.db, sys.argv[:1])
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
