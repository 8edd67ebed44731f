"""The Members page: the list, a search box that filters as you type, a status filter."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desktop.db.database import Database
from sro_desktop.gui.members_model import MembersTableModel
from sro_desktop.services.changes import DataChanged
from sro_desktop.services.members import count_members, member_rows
from sro_desktop.services.membership_status import MemberStatus

SEARCH_DELAY_MS = 150


class MembersPage(QWidget):
    demo_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self.model = MembersTableModel()

        self.search_edit = QLineEdit(placeholderText="Search by name, email, organization, state…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search members")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Status filter")
        self.status_filter.addItem("All statuses", None)
        for status in MemberStatus:
            self.status_filter.addItem(status.value, status)
        self.count_label = QLabel()

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.status_filter.currentIndexChanged.connect(self.refresh)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self._columns_fitted = False
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.empty_panel = self._build_empty_panel()

        bar = QHBoxLayout()
        bar.addWidget(self.search_edit, 3)
        bar.addWidget(self.status_filter, 1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        heading = QLabel("<h2>Members</h2>")
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.empty_panel)
        layout.addWidget(self.table, 1)

    def _build_empty_panel(self) -> QFrame:
        panel = QFrame()
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        text = QLabel(
            "<b>This database has no members yet.</b><br>"
            "Load the demo data to explore a sample organization, or import your "
            "membership spreadsheet."
        )
        text.setWordWrap(True)
        self.demo_button = QPushButton("Load demo data")
        self.demo_button.clicked.connect(self.demo_requested.emit)
        row = QHBoxLayout(panel)
        row.addWidget(text, 1)
        row.addWidget(self.demo_button)
        panel.hide()
        return panel

    def set_database(self, database: Database | None) -> None:
        self._database = database
        self.refresh()

    def on_data_changed(self, change: DataChanged) -> None:
        if change.touches("*", "members", "memberships", "payments", "employers"):
            self.refresh()

    def refresh(self) -> None:
        """Re-read the list with the current search text and status filter."""
        if self._database is None:
            self.model.set_rows([])
            self.count_label.setText("")
            return
        status = self.status_filter.currentData()
        with self._database.session() as session:
            rows = member_rows(session, date.today(), search=self.search_edit.text(), status=status)
            total = count_members(session) if not rows else None
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if rows and not self._columns_fitted:
            self._fit_columns()
        noun = "person" if len(rows) == 1 else "people"
        self.count_label.setText(f"{len(rows):,} {noun}")
        self.empty_panel.setVisible(total == 0)

    def _fit_columns(self) -> None:
        """Size columns to their content once, capped so no column hogs the width."""
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            header.resizeSection(column, min(header.sectionSize(column) + 12, 280))
        self._columns_fitted = True
