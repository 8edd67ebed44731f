"""The composition root: parses the command line, then runs a command or opens the window.

The only module that imports the GUI; it does so lazily so commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sro_desktop.cli import build_parser, run
from sro_desktop.logs import configure_logging


def main(argv: Sequence[str] | None = None) -> int:
    configure_logging()
    args = build_parser().parse_args(argv)
    if args.command is None:
        from sro_desktop.gui.application import run_app

        return run_app(args.db, sys.argv[:1])
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
