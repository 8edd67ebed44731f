"""The command line: the same verbs as the window, for scripts, tests and power users.

Exit codes: 0 success, 1 the data was refused (validation), 2 a file or the arguments were
unusable, 3 a bug (logged with its traceback). Errors are one sentence on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from sro_desktop import __version__
from sro_desktop.commands import register_all
from sro_desktop.commands.context import CommandContext
from sro_desktop.errors import UserError
from sro_desktop.logs import log_file
from sro_desktop.paths import DATABASE_ENV

EXIT_OK = 0
EXIT_BUG = 3

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one sentence and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help').\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sro-desktop",
        description="Membership, meetings, certificates and books for a small CME organization. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"sro-desktop {__version__}")
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help=f"the database file (default: ${DATABASE_ENV}, else the one in your data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    register_all(commands)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run a parsed command and turn failures into exit codes and one sentence each."""
    context = CommandContext(
        database_path=args.db,
        read_only=getattr(args, "read_only", False),
        may_create=getattr(args, "may_create", False),
    )
    try:
        result: int = args.handler(context, args)
        if context.created and result == EXIT_OK:
            # A mistyped --db would otherwise go unnoticed: say where the data went.
            print(f"sro-desktop: made a new database at {context.path}.", file=sys.stderr)
        return result
    except UserError as error:
        print(f"sro-desktop: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped listening; that is not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces the closed pipe for good
        return EXIT_OK
    except KeyboardInterrupt:
        print("sro-desktop: stopped.", file=sys.stderr)
        return 130
    except Exception:
        log.exception("command %s failed", args.command)
        print(
            f"sro-desktop: something went wrong inside SRO Desktop; nothing was changed. "
            f"Please report it with the log file {log_file()}.",
            file=sys.stderr,
        )
        return EXIT_BUG
    finally:
        context.close()
