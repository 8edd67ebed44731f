"""The agenda item dialog: title, day, start and end time, track, and whether it earns
credit (breaks, meals and exhibits do not)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.gui.meeting_dialog import DATE_FORMAT, edit_date
from sro_desktop.services.meetings import SessionInput, probably_credit_eligible


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


class AgendaItemDialog(QDialog):
    """New or edit; `submit` saves and says whether it worked (the dialog stays open if not)."""

    def __init__(
        self,
        parent: QWidget | None,
        submit: Callable[[SessionInput], bool],
        *,
        first_day: date,
        last_day: date,
        tracks: Sequence[str] = (),
        item: SessionInput | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle("Edit agenda item" if item else "New agenda item")
        if item is None:
            starts = datetime.combine(first_day, time(9))
            item = SessionInput("", starts, starts + timedelta(hours=1))
        self.title_edit = QLineEdit(item.title)
        self.title_edit.setPlaceholderText("e.g. Keynote, Track A: needs assessment, Lunch")
        # Wide enough for the whole example and a real session title.
        self.title_edit.setMinimumWidth(
            self.title_edit.fontMetrics().horizontalAdvance(self.title_edit.placeholderText()) + 40
        )
        day = item.starts_at.date()
        self.day_edit = QDateEdit(QDate(day.year, day.month, day.day))
        self.day_edit.setDisplayFormat(DATE_FORMAT)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDateRange(
            QDate(first_day.year, first_day.month, first_day.day),
            QDate(last_day.year, last_day.month, last_day.day),
        )
        self.day_edit.setEnabled(first_day != last_day)
        self.starts_edit = _time_edit(item.starts_at.time())
        self.ends_edit = _time_edit(item.ends_at.time())
        self.track_combo = QComboBox()
        self.track_combo.setEditable(True)
        self.track_combo.addItems(["", *sorted(set(tracks) - {""})])
        self.track_combo.setCurrentText(item.track)
        line_edit = self.track_combo.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText("none (everyone)")
        self.eligible_check = QCheckBox("&Credit-eligible")
        self.eligible_check.setChecked(item.credit_eligible)
        self._eligible_touched = bool(item.title)
        self.eligible_check.clicked.connect(self._touch_eligible)
        self.title_edit.textEdited.connect(self._guess_eligible)
        hint = QLabel(
            "Breaks, meals and exhibits earn no credit. Items in different tracks at the same "
            "time run in parallel and count once."
        )
        hint.setWordWrap(True)

        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Day:", self.day_edit)
        form.addRow("Sta&rts:", self.starts_edit)
        form.addRow("E&nds:", self.ends_edit)
        form.addRow("Trac&k:", self.track_combo)
        form.addRow("", self.eligible_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _touch_eligible(self) -> None:
        self._eligible_touched = True

    def _guess_eligible(self, title: str) -> None:
        """Until the box is ticked by hand, a title naming a break or meal unticks it."""
        if not self._eligible_touched:
            self.eligible_check.setChecked(probably_credit_eligible(title))

    def value(self) -> SessionInput:
        day = edit_date(self.day_edit)
        starts, ends = self.starts_edit.time(), self.ends_edit.time()
        return SessionInput(
            title=self.title_edit.text(),
            starts_at=datetime.combine(day, time(starts.hour(), starts.minute())),
            ends_at=datetime.combine(day, time(ends.hour(), ends.minute())),
            track=self.track_combo.currentText(),
            credit_eligible=self.eligible_check.isChecked(),
        )

    def accept(self) -> None:
        if self._submit(self.value()):
            super().accept()
