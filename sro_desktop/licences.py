"""The licences of SRO Desktop and of everything it ships, for the About box.

Read from the installed packages' metadata (`importlib.metadata`): the app's runtime
requirements and theirs, each with its name, version and licence (License-Expression, else
License, else the "License ::" classifiers). Python itself, the Qt libraries inside PySide6
and the Noto fonts in `resources/fonts/` are added by hand, since no package metadata
describes them. No Qt here: the caller passes the Qt version.

A frozen (PyInstaller) app may carry no package metadata; then the licences of the direct
requirements come from `KNOWN_LICENCES`, with versions read from the modules.
"""

from __future__ import annotations

import importlib
import platform
import re
from dataclasses import dataclass
from importlib.metadata import PackageMetadata, PackageNotFoundError, distribution

from sro_desktop import __version__

APP_DISTRIBUTION = "sro-desktop"
APP_LICENCE = "MIT"
FONT_LICENCE = "OFL-1.1"
QT_LICENCE = "LGPL-3.0-only"

# Used only where the metadata is missing (a frozen app): distribution -> (module, licence).
KNOWN_LICENCES: dict[str, tuple[str, str]] = {
    "PySide6-Essentials": ("PySide6", "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"),
    "PySide6-Addons": ("PySide6", "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"),
    "PySide6-Pdf": ("PySide6", "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"),
    "shiboken6": ("shiboken6", "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"),
    "SQLAlchemy": ("sqlalchemy", "MIT"),
    "alembic": ("alembic", "MIT"),
    "Mako": ("mako", "MIT"),
    "MarkupSafe": ("markupsafe", "BSD-3-Clause"),
    "openpyxl": ("openpyxl", "MIT"),
    "et_xmlfile": ("et_xmlfile", "MIT"),
    "python-calamine": ("python_calamine", "MIT"),
    "reportlab": ("reportlab", "BSD-3-Clause"),
    "pillow": ("PIL", "MIT-CMU"),
    "charset-normalizer": ("charset_normalizer", "MIT"),
    "defusedxml": ("defusedxml", "PSF-2.0"),
    "platformdirs": ("platformdirs", "MIT"),
    "typing_extensions": ("typing_extensions", "PSF-2.0"),
}

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
# A License field longer than this is prose or the whole licence text: the classifiers
# say it better.
_SHORT_LICENCE = 60


@dataclass(frozen=True)
class Component:
    """One thing the app ships, and the licence it is used under."""

    name: str
    version: str
    licence: str
    note: str = ""


def normalized(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _field(metadata: PackageMetadata, name: str) -> str:
    values = metadata.get_all(name) or []
    return str(values[0]).strip() if values else ""


def licence_from_metadata(metadata: PackageMetadata) -> str:
    """The licence a package declares: its SPDX expression, its License field (first line
    when it holds the whole text), or its licence classifiers."""
    expression = _field(metadata, "License-Expression")
    if expression:
        return expression
    field = _field(metadata, "License")
    if field.upper() == "UNKNOWN":
        field = ""
    classifiers = "; ".join(
        value.split("::")[-1].strip()
        for value in metadata.get_all("Classifier") or []
        if value.startswith("License ::")
    )
    if field and (len(field) <= _SHORT_LICENCE or not classifiers):
        first = field.splitlines()[0].strip()
        if len(first) > _SHORT_LICENCE:
            first = first[:_SHORT_LICENCE].rsplit(" ", 1)[0] + "…"
        return first
    return classifiers or "not stated"


def _runtime_requirements(requires: list[str] | None) -> list[str]:
    """The names of requirements that apply without extras (markers naming an extra are
    optional; platform markers are settled by whether the package is installed)."""
    names = []
    for line in requires or []:
        requirement, _, marker = line.partition(";")
        if "extra" in marker:
            continue
        match = _NAME.match(requirement)
        if match:
            names.append(match.group(1))
    return names


def package_components() -> list[Component]:
    """The app and every package it needs at run time (recursively), the app first, then
    by name. Falls back to `KNOWN_LICENCES` where the metadata is missing."""
    try:
        distribution(APP_DISTRIBUTION)
    except PackageNotFoundError:
        return _frozen_components()
    found: dict[str, Component] = {}
    waiting = [APP_DISTRIBUTION]
    while waiting:
        name = waiting.pop()
        if normalized(name) in found:
            continue
        try:
            package = distribution(name)
        except PackageNotFoundError:
            continue  # a requirement for another platform
        metadata = package.metadata
        found[normalized(name)] = Component(
            _field(metadata, "Name") or name, package.version, licence_from_metadata(metadata)
        )
        waiting.extend(_runtime_requirements(package.requires))
    app = found.pop(normalized(APP_DISTRIBUTION))
    return [app, *sorted(found.values(), key=lambda c: c.name.casefold())]


def _frozen_components() -> list[Component]:
    components = [Component("sro-desktop", __version__, APP_LICENCE)]
    for name, (module_name, licence) in sorted(KNOWN_LICENCES.items(), key=lambda i: i[0]):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        version = str(getattr(module, "__version__", "") or getattr(module, "Version", ""))
        components.append(Component(name, version or "bundled", licence))
    return components


def shipped_components(qt_version: str | None = None) -> list[Component]:
    """Everything in an installed or frozen app: the packages, Python, Qt and the fonts."""
    components = package_components()
    components.append(
        Component(
            "Python",
            platform.python_version(),
            "PSF-2.0",
            "the interpreter, inside the standalone app",
        )
    )
    if qt_version:
        components.append(
            Component(
                "Qt",
                qt_version,
                QT_LICENCE,
                "the Qt libraries inside PySide6, used unmodified under the GNU LGPL v3; "
                "their source is at https://download.qt.io/",
            )
        )
    components.append(
        Component(
            "Noto Serif and Noto Sans fonts",
            "2.004",
            FONT_LICENCE,
            "embedded in the PDFs the app writes; resources/fonts/OFL.txt",
        )
    )
    return components


def licences_text(components: list[Component]) -> str:
    """One line per component, for the About box's "Copy details" and bug reports."""
    lines = []
    for component in components:
        line = f"{component.name} {component.version}: {component.licence}"
        if component.note:
            line += f" ({component.note})"
        lines.append(line)
    return "\n".join(lines)
