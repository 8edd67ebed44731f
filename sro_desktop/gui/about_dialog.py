"""Help > About SRO Desktop: the version, Python and Qt, where the data lives, and the
licences of the app and of everything it ships. "Copy details" puts it all on the
clipboard as plain text, for a bug report."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desktop import __version__
from sro_desktop.licences import Component, licences_text, shipped_components
from sro_desktop.paths import default_database_path, log_dir, resources_dir

DESCRIPTION = (
    "Membership, meetings, certificates and books for a small CME professionals' organization."
)


def about_facts(database: Path | None) -> list[tuple[str, str]]:
    """What a bug report needs: versions and where things are."""
    return [
        ("Version", __version__),
        ("Python", platform.python_version()),
        ("Qt", f"{qVersion()} (PySide6 {pyside_version})"),
        ("System", platform.platform(terse=True)),
        ("Database", str(database) if database is not None else "none open"),
        ("Data folder", str(default_database_path().parent)),
        ("Log folder", str(log_dir())),
    ]


class AboutDialog(QDialog):
    def __init__(self, database: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About SRO Desktop")
        self.facts = about_facts(database)
        self.components: list[Component] = shipped_components(qVersion())

        heading = QLabel(
            f"<h2>SRO Desktop {html.escape(__version__)}</h2><p>{html.escape(DESCRIPTION)}</p>"
            "<p>Free software under the MIT licence. It ships the libraries below, each "
            "under its own licence.</p>"
        )
        heading.setWordWrap(True)
        facts = QLabel(
            "<table>"
            + "".join(
                f"<tr><td><b>{html.escape(name)}:</b>&nbsp;</td><td>{html.escape(value)}</td></tr>"
                for name, value in self.facts
            )
            + "</table>"
        )
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts.setWordWrap(True)

        self.table = QTableWidget(len(self.components), 3)
        self.table.setAccessibleName("Licences")
        self.table.setHorizontalHeaderLabels(["Component", "Version", "Licence"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        for row, component in enumerate(self.components):
            for column, text in enumerate((component.name, component.version, component.licence)):
                item = QTableWidgetItem(text)
                if component.note:
                    item.setToolTip(component.note)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        note = QLabel(
            "Qt is used unmodified under the GNU LGPL v3 (its source is at "
            "<a href='https://download.qt.io/'>download.qt.io</a>); the Noto fonts under the "
            "SIL Open Font License 1.1 (resources/fonts/OFL.txt). Point at a row for more."
        )
        note.setWordWrap(True)
        note.setOpenExternalLinks(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setToolTip("Copy the versions, folders and licences, for a bug report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        icon = QLabel()
        icon_file = resources_dir() / "icons" / "sro-desktop-64.png"
        if icon_file.exists():
            icon.setPixmap(QPixmap(str(icon_file)))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(facts)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.status = QLabel()
        layout.addWidget(self.status)
        self.status.hide()
        self.resize(720, 600)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)
        close.setFocus()

    def details_text(self) -> str:
        lines = [f"SRO Desktop {__version__}"]
        lines += [f"{name}: {value}" for name, value in self.facts]
        lines += ["", "Licences:", licences_text(self.components)]
        return "\n".join(lines)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.status.setText("Copied; paste it into your message.")
        self.status.show()


def show_about(parent: QWidget, database: Path | None) -> AboutDialog:
    dialog = AboutDialog(database, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
