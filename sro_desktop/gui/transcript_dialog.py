"""A person's transcript on screen: every meeting attended in a date range with its credit
type and credits, and the totals per credit type. `show_transcript` is the way in for
any page (the meetings page, the members page)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.db.models import CreditType
from sro_desktop.errors import UserError
from sro_desktop.gui.errors import show_error
from sro_desktop.gui.meeting_dialog import date_edit, edit_date, qdate
from sro_desktop.gui.meeting_models import Column, RowsModel, meeting_dates
from sro_desktop.gui.theme_colors import css
from sro_desktop.services.meetings import duration_text
from sro_desktop.services.transcript import Transcript, TranscriptLine, member_transcript

ALL_TIME, THIS_YEAR, LAST_YEAR, LAST_THREE_YEARS, CHOSEN = range(5)
RANGES = ("All time", "This year", "Last year", "The last three years", "Chosen dates")


def _amount(line: TranscriptLine) -> str:
    if line.credit_type is CreditType.AMA_PRA_1:
        return f"{line.credits} credits" + (" *" if line.overridden else "")
    if line.credit_type is CreditType.ATTENDANCE:
        return f"{line.credits} hours" + (" *" if line.overridden else "")
    return "—"


TRANSCRIPT_COLUMNS: tuple[Column[TranscriptLine], ...] = (
    Column(
        "Date",
        lambda line: line.start_date,
        lambda line: meeting_dates(line.start_date, line.end_date),
    ),
    Column("Meeting", lambda line: line.title),
    Column("Format", lambda line: line.format.label),
    Column(
        "Credit type",
        lambda line: line.credit_type.label,
        lambda line: line.accredited_provider,
    ),
    Column("Credit", _amount),
    Column("Attended", lambda line: duration_text(line.minutes)),
)


def totals_text(transcript: Transcript) -> str:
    """ "7.50 AMA PRA Category 1 Credits™ (2 meetings) · 3.25 hours of attendance (1)…"."""
    parts = []
    for total in transcript.totals:
        meetings = f"{total.meetings} meeting{'s' if total.meetings != 1 else ''}"
        if total.credit_type is CreditType.AMA_PRA_1:
            parts.append(f"<b>{total.credits}</b> AMA PRA Category 1 Credits™ ({meetings})")
        elif total.credit_type is CreditType.ATTENDANCE:
            parts.append(f"<b>{total.credits}</b> hours of attendance ({meetings})")
        else:
            parts.append(f"{meetings} without credit")
    return " · ".join(parts) if parts else "No meetings attended in this range."


class TranscriptDialog(QDialog):
    def __init__(self, parent: QWidget | None, database: Database, member_id: int) -> None:
        super().__init__(parent)
        self._database = database
        self._member_id = member_id
        self.setWindowTitle("Transcript")
        self.heading = QLabel()
        self.range_combo = QComboBox()
        self.range_combo.addItems(RANGES)
        self.range_combo.setAccessibleName("Date range")
        today = date.today()
        self.from_edit = date_edit(date(today.year - 2, 1, 1))
        self.to_edit = date_edit(date(today.year, 12, 31))
        self.range_combo.currentIndexChanged.connect(self._range_chosen)
        self.from_edit.dateChanged.connect(self._dates_edited)
        self.to_edit.dateChanged.connect(self._dates_edited)
        self.model: RowsModel[TranscriptLine] = RowsModel(
            TRANSCRIPT_COLUMNS, lambda line: line.meeting_id
        )
        self.model.setParent(self)  # owned by the dialog, deleted by Qt in order
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setAlternatingRowColors(True)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        note = QLabel("* credit set by the treasurer, with a reason kept in the audit trail.")
        note.setStyleSheet(f"color: {css('#666')}")

        bar = QHBoxLayout()
        show_label = QLabel("&Show:")
        show_label.setBuddy(self.range_combo)
        bar.addWidget(show_label)
        bar.addWidget(self.range_combo)
        bar.addWidget(QLabel("from"))
        bar.addWidget(self.from_edit)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.to_edit)
        bar.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(900, 480)
        self._choosing = False
        self.range_combo.setCurrentIndex(ALL_TIME)
        self._range_chosen(ALL_TIME)

    def _range_chosen(self, index: int) -> None:
        today = date.today()
        spans = {
            THIS_YEAR: (date(today.year, 1, 1), date(today.year, 12, 31)),
            LAST_YEAR: (date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
            LAST_THREE_YEARS: (date(today.year - 2, 1, 1), date(today.year, 12, 31)),
        }
        if index in spans:
            self._choosing = True
            start, end = spans[index]
            self.from_edit.setDate(qdate(start))
            self.to_edit.setDate(qdate(end))
            self._choosing = False
        self.from_edit.setEnabled(index != ALL_TIME)
        self.to_edit.setEnabled(index != ALL_TIME)
        self.refresh()

    def _dates_edited(self) -> None:
        if not self._choosing:
            if self.range_combo.currentIndex() != CHOSEN:
                self.range_combo.setCurrentIndex(CHOSEN)
            else:
                self.refresh()

    def date_range(self) -> tuple[date | None, date | None]:
        if self.range_combo.currentIndex() == ALL_TIME:
            return None, None
        return edit_date(self.from_edit), edit_date(self.to_edit)

    def refresh(self) -> None:
        start, end = self.date_range()
        try:
            with self._database.session() as session:
                transcript = member_transcript(session, self._member_id, start, end)
        except UserError as error:
            show_error(self, "Transcript", error)
            return
        who = transcript.full_name
        if transcript.credentials:
            who += f", {transcript.credentials}"
        self.setWindowTitle(f"Transcript — {transcript.full_name}")
        self.heading.setText(
            f"<h3>{who}</h3>{transcript.email or 'no email on file'} · member number "
            f"{transcript.member_id}"
        )
        self.transcript = transcript
        self.model.set_rows(transcript.lines)
        self.table.resizeColumnsToContents()
        self.totals.setText(f"Totals: {totals_text(transcript)}")


def show_transcript(parent: QWidget | None, database: Database, member_id: int) -> TranscriptDialog:
    """Open a person's transcript in its own window (not modal) and return it."""
    dialog = TranscriptDialog(parent, database, member_id)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
