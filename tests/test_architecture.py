"""The layering rule, enforced: nothing below gui imports Qt; nothing imports gui but app.py;
imports point downward only (gui/cli -> spreadsheets/documents -> services -> db)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sro_desktop"

# What each layer may import from the project (besides itself and the shared leaf modules).
SHARED = {"sro_desktop", "sro_desktop.errors", "sro_desktop.paths", "sro_desktop.logs"}
ALLOWED = {
    "db": {"db"},
    "services": {"db", "services"},
    "spreadsheets": {"db", "services", "spreadsheets"},
    "documents": {"db", "services", "documents"},
    "commands": {"db", "services", "spreadsheets", "documents", "commands"},
    "cli": {"db", "services", "spreadsheets", "documents", "commands"},
}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "forms" not in p.parts)


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _layer(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_the_layers(path: Path) -> None:
    layer = _layer(path)
    imports = _imports(path)
    if layer not in ("gui", "app"):
        qt = sorted(name for name in imports if name.split(".")[0] in {"PySide6", "shiboken6"})
        assert not qt, f"{path.name} is below gui but imports {qt}"
    if layer not in ("gui", "app"):
        gui = sorted(name for name in imports if name.startswith("sro_desktop.gui"))
        assert not gui, f"only app.py may import the GUI; {path.name} imports {gui}"
    if layer in ALLOWED:
        project = {name for name in imports if name.startswith("sro_desktop")} - SHARED
        for name in project:
            target = name.split(".")[1]
            assert target in ALLOWED[layer], f"{layer} must not import {name}"


def test_the_rule_sees_every_layer() -> None:
    layers = {_layer(p) for p in _modules()}
    assert {"db", "services", "spreadsheets", "documents", "gui", "cli", "app"} <= layers
