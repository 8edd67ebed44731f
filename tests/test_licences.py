"""The About box's licence list: every runtime dependency appears with its licence."""

from __future__ import annotations

import re
import tomllib
from email.message import Message
from pathlib import Path

from sro_desktop.licences import (
    KNOWN_LICENCES,
    licence_from_metadata,
    normalized,
    package_components,
    shipped_components,
)

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _runtime_dependencies() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return [re.match(r"[A-Za-z0-9._-]+", spec).group(0) for spec in project["dependencies"]]  # type: ignore[union-attr]


def test_every_runtime_dependency_is_listed_with_a_licence() -> None:
    components = {normalized(c.name): c for c in package_components()}
    dependencies = _runtime_dependencies()
    assert len(dependencies) >= 8
    for name in dependencies:
        component = components.get(normalized(name))
        assert component is not None, f"{name} is missing from the About box"
        assert component.version
        assert component.licence not in ("", "not stated"), name


def test_the_app_comes_first_and_its_dependencies_dependencies_are_listed_too() -> None:
    components = package_components()
    assert components[0].name == "sro-desktop"
    assert components[0].licence == "MIT"
    names = {normalized(c.name) for c in components}
    # Needed by alembic and openpyxl, not named in pyproject: shipped all the same.
    assert {"mako", "et-xmlfile"} <= names
    assert "pytest" not in names  # a test extra is not shipped


def test_qt_python_and_the_fonts_are_added_with_their_licences() -> None:
    shipped = {c.name: c for c in shipped_components("6.7.1")}
    assert shipped["Qt"].version == "6.7.1"
    assert shipped["Qt"].licence == "LGPL-3.0-only"
    assert shipped["Python"].licence == "PSF-2.0"
    fonts = shipped["Noto Serif and Noto Sans fonts"]
    assert fonts.licence == "OFL-1.1"
    assert (PYPROJECT.parent / "resources" / "fonts" / "OFL.txt").exists()
    assert "Qt" not in {c.name for c in shipped_components(None)}


def test_a_frozen_app_without_metadata_still_knows_each_dependencys_licence() -> None:
    known = {normalized(name) for name in KNOWN_LICENCES}
    for name in _runtime_dependencies():
        assert normalized(name) in known, f"add {name} to KNOWN_LICENCES"


def _metadata(**fields: str | list[str]) -> Message:
    message = Message()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            message[key.replace("_", "-")] = item
    return message


def test_the_licence_is_read_from_the_expression_the_field_or_the_classifiers() -> None:
    assert licence_from_metadata(_metadata(License_Expression="MIT", License="Other")) == "MIT"
    assert licence_from_metadata(_metadata(License="BSD-3-Clause")) == "BSD-3-Clause"
    whole_text = "Copyright (c) 2001 Someone\n\nPermission is hereby granted, free of charge, " * 3
    assert (
        licence_from_metadata(
            _metadata(
                License=whole_text,
                Classifier=[
                    "Programming Language :: Python",
                    "License :: OSI Approved :: MIT License",
                ],
            )
        )
        == "MIT License"
    )
    long_line = "BSD-like licence, see LICENSE.txt in the distribution for the exact wording here"
    assert licence_from_metadata(_metadata(License=long_line)).endswith("…")
    assert licence_from_metadata(_metadata(License="UNKNOWN")) == "not stated"
