"""The command-line verbs, one module per noun. Every module here with a `register`
function adds its subcommands to the parser; they are found by name, in order."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from typing import Any


def register_all(commands: argparse._SubParsersAction[Any]) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(commands)
