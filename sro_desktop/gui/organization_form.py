"""The organization's details as a form, shared by the first-run welcome and Settings.

The form only gathers values; `services.organization.details_problems` judges them and the
form shows each problem in red under its field. Pictures (logo, signature) are checked the
moment they are chosen, so a wrong file is refused with its reason straight away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.documents.pictures import SHRUNK_SIDE, read_picture
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.services.currency_codes import currency_choices
from sro_desktop.services.organization import (
    MAX_GRACE_DAYS,
    OrganizationDetails,
    PictureTooLarge,
    details_problems,
    picture_facts,
)
from sro_desktop.services.values import MONTHS

PROBLEM_STYLE = "color: #b00020;"
HINT_STYLE = "color: palette(placeholder-text);"
PICTURE_FILTER = "Pictures (*.png *.jpg *.jpeg *.gif *.bmp *.webp);;All files (*)"
PREVIEW_SIZE = (180, 72)
# A picture too large to keep is offered as a copy this wide: sharp in print at 5 inches.
# Which fields a form shows, in columns of titled groups: the welcome asks for the
# essentials, Settings for everything.
ORGANIZATION = ("name", "short_name", "states")
CERTIFICATES = ("logo", "signatory_name", "signatory_title")
BOOKS = ("fiscal_year_start_month", "currency")
WELCOME_COLUMNS: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (("Your organization", ORGANIZATION), ("Books", BOOKS)),
    (("Certificates", CERTIFICATES),),
)
SETTINGS_COLUMNS: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (
        ("Organization", (*ORGANIZATION, "address", "email", "phone", "accredited_provider")),
        ("Books and membership", (*BOOKS, "grace_days")),
    ),
    (("Certificates", ("logo", "signature", "signatory_name", "signatory_title")),),
)
LABELS = {
    "name": "Organization &name:",
    "short_name": "S&hort name:",
    "states": "&States or provinces:",
    "address": "&Address:",
    "email": "&Email:",
    "phone": "&Phone:",
    "logo": "&Logo:",
    "signature": "Si&gnature:",
    "signatory_name": "Signed &by:",
    "signatory_title": "Signer's &title:",
    "accredited_provider": "",
    "fiscal_year_start_month": "&Fiscal year starts in:",
    "currency": "&Currency:",
    "grace_days": "&Grace after a membership ends:",
}
PLACEHOLDERS = {
    "name": "Your organization's full name",
    "short_name": "An acronym, such as KSCP",
    "states": "Such as PA, NJ, DE",
    "email": "treasurer@example.org",
    "phone": "(215) 555-0100",
    "signatory_name": "Name and credentials, such as Dana Lee, MD",
    "signatory_title": "Such as President",
}
HINTS = {
    "name": "As certificates and receipts print it.",
    "states": "Codes or names, separated by commas.",
    "logo": "PNG or JPEG under 2 MB, printed on certificates.",
    "signature": "A scan of the signature, printed above the name.",
}


class PictureField(QWidget):
    """A small preview of a picture with Choose… and Remove buttons."""

    changed = Signal()

    def __init__(self, what: str, settings: QSettings | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.what = what
        self._settings = settings
        self.data: bytes | None = None
        self.preview = QLabel()
        self.preview.setFixedSize(*PREVIEW_SIZE)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet(
            "QLabel { border: 1px dashed palette(mid); background: white; color: gray; }"
        )
        self.preview.setAccessibleName(f"{what.capitalize()} preview")
        self.description = QLabel()
        self.description.setStyleSheet(HINT_STYLE)
        self.description.setWordWrap(True)
        self.choose_button = QPushButton("Choose…")
        self.choose_button.setAccessibleName(f"Choose the {what} picture")
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName(f"Remove the {what}")
        self.remove_button.clicked.connect(lambda: self.set_data(None))
        for button in (self.choose_button, self.remove_button):
            button.setAutoDefault(False)  # Enter in a field means Start or Save, not these
        buttons = QHBoxLayout()
        buttons.addWidget(self.choose_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        side = QVBoxLayout()
        side.addLayout(buttons)
        side.addWidget(self.description)
        side.addStretch()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addLayout(side, 1)
        self.set_data(None)

    def set_data(self, data: bytes | None) -> None:
        self.data = data or None
        self.remove_button.setEnabled(self.data is not None)
        if self.data is None:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(f"No {self.what}")
            self.description.setText("")
        else:
            pixmap = QPixmap()
            pixmap.loadFromData(QByteArray(self.data))
            self.preview.setPixmap(
                pixmap.scaled(
                    PREVIEW_SIZE[0] - 8,
                    PREVIEW_SIZE[1] - 8,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            try:
                self.description.setText(picture_facts(self.data, self.what).describe())
            except UserError as error:
                self.description.setText(str(error))
        self.changed.emit()

    def load_file(self, path: Path, *, shrink: bool = False) -> None:
        """Use the picture in `path`; UserError (and the old picture kept) if unusable.
        With `shrink`, a picture too large to print is replaced by a smaller copy."""
        self.set_data(read_picture(path, self.what, shrink=shrink))
        if self._settings is not None:
            self._settings.setValue("folders/pictures", str(path.parent))

    def choose(self) -> None:
        folder = str(Path.home())
        if self._settings is not None:
            folder = str(self._settings.value("folders/pictures", folder))
        name, _ = QFileDialog.getOpenFileName(
            self, f"Choose the {self.what} picture", folder, PICTURE_FILTER
        )
        if not name:
            return
        try:
            self.load_file(Path(name))
        except PictureTooLarge as error:
            answer = QMessageBox.question(
                self,
                f"Choose the {self.what}",
                f"{error}\n\nUse a copy of it scaled down to {SHRUNK_SIDE} pixels across "
                "instead? The file itself is not changed.",
            )
            if answer == QMessageBox.StandardButton.Yes:
                try:
                    self.load_file(Path(name), shrink=True)
                except UserError as again:
                    show_error(self, f"Choose the {self.what}", again)
        except UserError as error:
            show_error(self, f"Choose the {self.what}", error)


class OrganizationForm(QWidget):
    """Edits an `OrganizationDetails`; `problems()` says what stops it being saved.

    `columns` lays the fields out: each column a list of (group title, field names)."""

    # Called after every change. A plain callback rather than a re-emitted Qt signal: with
    # PySide6 6.12 on Python 3.11, each Signal.emit() and each void Qt call from Python
    # leaves True or None one reference short, and a form runs this on every key press.
    def __init__(
        self,
        columns: Sequence[Sequence[tuple[str, Sequence[str]]]],
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.fields = tuple(name for column in columns for _, names in column for name in names)
        self._details = OrganizationDetails()
        self.on_change: Callable[[], None] = lambda: None
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        self._field_widgets: dict[str, QWidget] = {}
        self._shown: dict[str, tuple[str, str]] = {}  # what each message line shows now
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(64)
        self.address.setPlaceholderText("Street or P.O. Box\nCity, State ZIP")
        self.logo = PictureField("logo", settings)
        self.signature = PictureField("signature", settings)
        self.accredited = QCheckBox("The organization is itself an accredited CME &provider")
        self.fiscal_month = QComboBox()
        for number, month in enumerate(MONTHS, start=1):
            self.fiscal_month.addItem(month, number)
        self.currency = QComboBox()
        for code, label in currency_choices():
            self.currency.addItem(label, code)
        self.currency.insertSeparator(7)
        self.grace = QSpinBox()
        self.grace.setRange(0, MAX_GRACE_DAYS)
        self.grace.setSuffix(" days")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for column in columns:
            stack = QVBoxLayout()
            for title, names in column:
                stack.addWidget(self._group(title, names))
            stack.addStretch()
            row.addLayout(stack, 1)
        for widget in (self.address, self.logo, self.signature, self.accredited, self.grace):
            if widget.parent() is None:  # a field this form does not show: owned, hidden
                widget.setParent(self)
                widget.hide()
        for edit in self.edits.values():
            edit.textChanged.connect(self._on_change)
        self.address.textChanged.connect(self._on_change)
        self.logo.changed.connect(self._on_change)
        self.signature.changed.connect(self._on_change)
        self.accredited.toggled.connect(self._on_change)
        self.fiscal_month.currentIndexChanged.connect(self._on_change)
        self.currency.currentIndexChanged.connect(self._on_change)
        self.grace.valueChanged.connect(self._on_change)

    def _group(self, title: str, names: Sequence[str]) -> QGroupBox:
        """A titled box with a label, a field and a message line for each name."""
        group = QGroupBox(title)
        grid = QGridLayout(group)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(2)
        line = 0
        for name in names:
            widget = self._widget(name)
            label = QLabel(LABELS[name])
            label.setBuddy(widget)
            top = Qt.AlignmentFlag.AlignTop if name in ("address", "logo", "signature") else None
            if top is not None:
                label.setContentsMargins(0, 4, 0, 0)
                grid.addWidget(label, line, 0, top)
            else:
                grid.addWidget(label, line, 0)
            if name in ("fiscal_year_start_month", "grace_days"):
                grid.addWidget(widget, line, 1, Qt.AlignmentFlag.AlignLeft)
            else:
                grid.addWidget(widget, line, 1)
            if LABELS[name]:
                widget.setAccessibleName(LABELS[name].replace("&", "").rstrip(":"))
            message = QLabel(HINTS.get(name, ""))
            message.setWordWrap(True)
            message.setStyleSheet(HINT_STYLE)
            message.setVisible(bool(HINTS.get(name)))
            self.messages[name] = message
            self._field_widgets[name] = widget
            grid.addWidget(message, line + 1, 1)
            grid.setRowMinimumHeight(line + 1, 0)
            line += 2
        return group

    def _widget(self, name: str) -> QWidget:
        special: dict[str, QWidget] = {
            "address": self.address,
            "logo": self.logo,
            "signature": self.signature,
            "accredited_provider": self.accredited,
            "fiscal_year_start_month": self.fiscal_month,
            "currency": self.currency,
            "grace_days": self.grace,
        }
        if name in special:
            return special[name]
        edit = QLineEdit()
        edit.setPlaceholderText(PLACEHOLDERS.get(name, ""))
        edit.setClearButtonEnabled(True)
        self.edits[name] = edit
        return edit

    # -- values ------------------------------------------------------------------------

    def set_details(self, details: OrganizationDetails) -> None:
        """Show `details`; fields the form does not show keep these values on save."""
        self._details = details
        for name, edit in self.edits.items():
            text = str(getattr(details, name))
            if name == "states":
                text = ", ".join(code for code in text.split(",") if code)
            edit.setText(text)
        self.address.setPlainText(details.address)
        self.logo.set_data(details.logo)
        self.signature.set_data(details.signature)
        self.accredited.setChecked(details.accredited_provider)
        self.fiscal_month.setCurrentIndex(max(0, details.fiscal_year_start_month - 1))
        index = self.currency.findData(details.currency)
        if index < 0:  # a code saved before currencies were checked: keep it on show
            self.currency.addItem(details.currency, details.currency)
            index = self.currency.count() - 1
        self.currency.setCurrentIndex(index)
        self.grace.setValue(details.grace_days)
        self._on_change()

    def details(self) -> OrganizationDetails:
        """What the form holds now (fields not shown keep the values it was given)."""
        values: dict[str, object] = {name: edit.text() for name, edit in self.edits.items()}
        shown = set(self.fields)
        if "address" in shown:
            values["address"] = self.address.toPlainText()
        if "logo" in shown:
            values["logo"] = self.logo.data
        if "signature" in shown:
            values["signature"] = self.signature.data
        if "accredited_provider" in shown:
            values["accredited_provider"] = self.accredited.isChecked()
        if "fiscal_year_start_month" in shown:
            values["fiscal_year_start_month"] = int(self.fiscal_month.currentData())
        if "currency" in shown:
            values["currency"] = str(self.currency.currentData())
        if "grace_days" in shown:
            values["grace_days"] = self.grace.value()
        return self._details.changed(**values)

    def problems(self, *, name_required: bool = True) -> dict[str, str]:
        # Pictures were checked when chosen; decoding them again on every key is wasted.
        details = self.details().changed(logo=None, signature=None)
        problems = details_problems(details)
        if not name_required:
            problems.pop("name", None)
        return problems

    def show_problems(self, problems: dict[str, str], *, quiet_name: bool = False) -> None:
        """Each problem in red under its field; otherwise the field's hint in grey.
        `quiet_name`: a blank name shows the grey hint, not a problem (nothing typed yet).

        Runs on every key press, so only the lines whose message changed are touched."""
        for name, label in self.messages.items():
            problem = problems.get(name)
            if problem and not (quiet_name and name == "name"):
                wanted = (problem, PROBLEM_STYLE)
            else:
                wanted = (HINTS.get(name, ""), HINT_STYLE)
            if self._shown.get(name) == wanted:
                continue
            self._shown[name] = wanted
            text, style = wanted
            label.setText(text)
            label.setStyleSheet(style)
            label.setVisible(bool(text))
            self._fit_height(name, label)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            for name, label in self.messages.items():
                self._fit_height(name, label)

    def _fit_height(self, name: str, label: QLabel) -> None:
        """Ask for the height the wrapped text needs: a window does not grow for a label's
        height-for-width by itself, and the second line of a message would be cut off."""
        width = max(self._field_widgets[name].width(), label.width(), 200)
        label.setMinimumHeight(0)  # heightForWidth counts the minimum in: forget the old one
        label.setMinimumHeight(label.heightForWidth(width) if label.text() else 0)

    def _on_change(self, *_args: object) -> None:
        self.on_change()
