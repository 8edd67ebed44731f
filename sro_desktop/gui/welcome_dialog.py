"""The first-run welcome: who the organization is, then what to start with.

Shown once, when SRO Desktop starts with no database anywhere (see
`application.is_first_run`). It asks for what documents print (name, states, logo,
signatory) and how the books are kept (fiscal year, currency), creates the database in the
user's data folder, then starts with the demo data, the import wizard on the user's
membership spreadsheet, or an empty list. Skipping it still opens an empty database, so
the user is never left without a window; everything is editable later in File > Settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.gui.errors import show_error
from sro_desktop.gui.organization_form import WELCOME_COLUMNS, OrganizationForm
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.organization import (
    OrganizationDetails,
    update_organization_settings,
)

if TYPE_CHECKING:
    from sro_desktop.gui.main_window import MainWindow

SPREADSHEET_FILTER = "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)"
STATUS_MS = 8000


class StartWith(StrEnum):
    DEMO = "demo"
    IMPORT = "import"
    EMPTY = "empty"


@dataclass(frozen=True)
class WelcomeAnswers:
    """What the person filled in: the organization, and what to start with."""

    details: OrganizationDetails
    start_with: StartWith = StartWith.EMPTY
    spreadsheet: Path | None = None


class WelcomeDialog(QDialog):
    def __init__(
        self, database_path: Path, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to SRO Desktop")
        self._settings = settings
        self.spreadsheet: Path | None = None

        heading = QLabel("Welcome to SRO Desktop")
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            "Tell SRO Desktop about your organization. This is what certificates, receipts "
            "and reports print; you can change all of it later in File > Settings."
        )
        intro.setWordWrap(True)

        self.form = OrganizationForm(WELCOME_COLUMNS, settings)

        self.demo = QRadioButton("&Demo data: a made-up organization with a few hundred members")
        self.demo.setToolTip(
            "To try SRO Desktop out. If you named your organization above, the demo members "
            "are filed under it; otherwise under the demo's own made-up organization."
        )
        self.import_ = QRadioButton("&My membership spreadsheet:")
        self.empty = QRadioButton("An &empty list: I will add or import members later")
        self.empty.setChecked(True)
        self.choices = QButtonGroup(self)
        for button in (self.demo, self.import_, self.empty):
            self.choices.addButton(button)
        self.spreadsheet_edit = QLineEdit()
        self.spreadsheet_edit.setReadOnly(True)
        self.spreadsheet_edit.setPlaceholderText("Excel, OpenDocument or CSV file")
        self.spreadsheet_edit.setAccessibleName("Membership spreadsheet")
        self.spreadsheet_button = QPushButton("C&hoose…")
        self.spreadsheet_button.clicked.connect(self.choose_spreadsheet)
        self.spreadsheet_button.setAutoDefault(False)
        spreadsheet_row = QHBoxLayout()
        spreadsheet_row.addWidget(self.import_)
        spreadsheet_row.addWidget(self.spreadsheet_edit, 1)
        spreadsheet_row.addWidget(self.spreadsheet_button)
        start = QGroupBox("Start with")
        start_layout = QVBoxLayout(start)
        start_layout.addWidget(self.empty)
        start_layout.addLayout(spreadsheet_row)
        start_layout.addWidget(self.demo)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: palette(placeholder-text);")  # guidance, not blame
        where = QLabel(f"Your data will be kept in {database_path}")
        where.setWordWrap(True)
        where.setStyleSheet("color: palette(placeholder-text);")

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("&Start", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = self.buttons.addButton(
            "S&kip for now", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.skip_button.setToolTip("Open an empty database; fill in File > Settings later.")
        self.start_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        # Grow, rather than squeeze, when a message appears under a field.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(start)
        layout.addWidget(self.problem)
        layout.addWidget(where)
        layout.addWidget(self.buttons)

        self._shown: tuple[str, bool] | None = None
        self.form.on_change = self._refresh
        self.choices.buttonToggled.connect(self._refresh)
        self._refresh()
        self.form.edits["name"].setFocus()

    # -- choices -------------------------------------------------------------------------

    def start_with(self) -> StartWith:
        if self.demo.isChecked():
            return StartWith.DEMO
        if self.import_.isChecked():
            return StartWith.IMPORT
        return StartWith.EMPTY

    def set_spreadsheet(self, path: Path) -> None:
        self.spreadsheet = path
        self.spreadsheet_edit.setText(str(path))
        self.spreadsheet_edit.setToolTip(str(path))
        self.import_.setChecked(True)
        self._refresh()

    def choose_spreadsheet(self) -> None:
        folder = str(Path.home())
        if self._settings is not None:
            folder = str(self._settings.value("folders/last", folder))
        name, _ = QFileDialog.getOpenFileName(
            self, "Your membership spreadsheet", folder, SPREADSHEET_FILTER
        )
        if name:
            self.set_spreadsheet(Path(name))

    def answers(self) -> WelcomeAnswers:
        start = self.start_with()
        return WelcomeAnswers(
            self.form.details(), start, self.spreadsheet if start is StartWith.IMPORT else None
        )

    def _refresh(self, *_args: object) -> None:
        demo = self.start_with() is StartWith.DEMO
        problems = self.form.problems(name_required=not demo)
        typed_name = bool(self.form.edits["name"].text().strip())
        self.form.show_problems(problems, quiet_name=not typed_name)
        missing = ""
        if self.start_with() is StartWith.IMPORT and self.spreadsheet is None:
            missing = "Choose your membership spreadsheet, or start with an empty list."
        elif "name" in problems and not typed_name:
            missing = "Type your organization's name to start (or choose the demo data)."
        # Every key press comes here: touch only what changed (remembered on our side, as
        # asking Qt costs a call too; see PYSIDE_CALLS in organization_form).
        ready = not problems and not missing
        if self._shown != (missing, ready):
            self._shown = (missing, ready)
            self.problem.setText(missing)
            self.problem.setVisible(bool(missing))
            self.start_button.setEnabled(ready)


def apply_welcome(window: MainWindow, path: Path, answers: WelcomeAnswers | None) -> bool:
    """Create and open the database at `path`, then do what the welcome asked (nothing
    more when it was skipped). False if the database could not be opened."""
    if not window.open_database_file(path):
        return False
    database = window.database
    assert database is not None
    if answers is None:
        window.statusBar().showMessage(
            "Welcome! Fill in your organization's details in File > Settings.", STATUS_MS
        )
        return True
    if answers.start_with is StartWith.DEMO:
        window.load_demo_data(answers.details)
        return True
    try:
        with database.transaction(action="Welcome") as session:
            update_organization_settings(session, answers.details)
    except Exception as error:
        show_error(window, "Save the organization's settings", error)
        return True
    window.data_changed.emit(
        DataChanged(frozenset({"organization_settings"}), "Saved the organization's settings")
    )
    window.statusBar().showMessage(f"Welcome, {answers.details.name}!", STATUS_MS)
    if answers.start_with is StartWith.IMPORT and answers.spreadsheet is not None:
        from sro_desktop.gui.file_transfer import open_import_wizard

        open_import_wizard(window, answers.spreadsheet)
    return True


def run_welcome(window: MainWindow, path: Path) -> bool:
    """Show the welcome (modal), then create the database at `path` and act on it."""
    dialog = WelcomeDialog(path, window.settings, window)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    answers = dialog.answers() if accepted else None
    dialog.deleteLater()
    return apply_welcome(window, path, answers)
