"""The command-line verbs, one module per noun; each adds its subcommands to the parser."""

from __future__ import annotations

import argparse
from typing import Any

from sro_desktop.commands import database, members

_MODULES = (database, members)


def register_all(commands: argparse._SubParsersAction[Any]) -> None:
    for module in _MODULES:
        module.register(commands)
